"""Each file of the directory on its own: read, parsed, its model checked; in forked workers for a large directory.

What one file can tell without the others. The rules between files (references, cycles, closed
groups) are :mod:`generator.directory.validate`'s.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar, cast

from generator.directory.check import check_document, check_partially
from generator.directory.filechecks import bad_file_name, schema_line, valid_name
from generator.directory.load import Document, load_file
from generator.directory.model import RESERVED_RE, Group, Person
from generator.directory.rules.flow_commas import with_split_values
from generator.parallel import collector_paused, cores, fork_context
from generator.problems import Level, Problem

M = TypeVar("M", Person, Group)


# A file checked on its own: its document (positions), its entity when it has no error, the
# entity without its invalid fields when it has some (so that rules between files still run on
# it), and its own problems.
FileChecked = tuple[Document | None, M | None, M | None, list[Problem]]


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 2000


# Files per task sent to a worker: large enough that sending a task costs little beside parsing
# it, small enough that both workers stay busy to the end.
CHUNK_FILES = 400

# In a long-lived process that builds again and again (`trombi serve`), each file checked is kept
# with its identity on disk (inode, size, times to the nanosecond): a file whose identity is the
# same is not read again. None: nothing is kept (every command that builds once).
_remembered: dict[tuple[str, str], tuple[tuple[int, ...], tuple[Any, ...]]] | None = None


def remember_files() -> None:
    """Keep the files checked from now on in this process, for the builds that follow (``trombi serve``)."""
    global _remembered
    if _remembered is None:
        _remembered = {}


def check_files(files: list[tuple[Path, str]], model: type[M], what: str, *, parallel: bool) -> list[FileChecked[M]]:
    """:func:`check_file` for each of ``files``, in order; only those that changed on disk when files are remembered."""
    if _remembered is None:
        return list(check_in_workers(files, model, what) if parallel else (check_file(path, display, model, what) for path, display in files))
    kinds = model.__name__
    identities = [_identity(path) for path, _ in files]
    results: list[FileChecked[M] | None] = []
    todo: list[int] = []
    for number, ((path, _), identity) in enumerate(zip(files, identities, strict=True)):
        found = _remembered.get((str(path), kinds))
        if identity is not None and found is not None and found[0] == identity:
            document, entity, partial, problems = found[1]
            results.append((document, cast(M | None, entity), cast(M | None, partial), list(problems)))
        else:
            results.append(None)
            todo.append(number)
    changed = [files[number] for number in todo]
    fresh = check_in_workers(changed, model, what) if parallel and len(changed) >= PARALLEL_FROM else (check_file(p, d, model, what) for p, d in changed)
    for number, checked in zip(todo, fresh, strict=True):
        results[number] = checked
        identity = identities[number]
        if identity is not None:
            document, entity, partial, problems = checked
            _remembered[(str(files[number][0]), kinds)] = (identity, (document, entity, partial, tuple(problems)))
    return [checked for checked in results if checked is not None]


def _identity(path: Path) -> tuple[int, ...] | None:
    try:
        found = path.lstat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_mode)


def check_file(path: Path, display: str, model: type[M], what: str, *, partial: bool = True) -> FileChecked[M]:
    """Everything that can be said of one file without reading the others."""
    document, problems = load_file(path, display)
    if document is None:
        return None, None, None, problems
    problems += schema_line(document, what)
    name = path.name[: -len(".yaml")]
    if not valid_name(name) or RESERVED_RE.fullmatch(name):
        problems.append(Problem(display, 1, 1, bad_file_name(path.name, reserved=RESERVED_RE.fullmatch(name) is not None, person=what == "person"), "handle"))
    entity, schema_problems = check_document(document, model, what)
    problems += with_split_values(document, path, schema_problems)
    partial_entity = check_partially(document, model) if entity is None and partial else None
    if any(p.level is Level.ERROR for p in problems):
        entity = None
    return document, entity, partial_entity, problems


def check_in_workers(files: list[tuple[Path, str]], model: type[M], what: str) -> Iterator[FileChecked[M]]:
    """:func:`check_file` for each file, in order, on every core."""
    chunks = [[(str(path), display) for path, display in files[start : start + CHUNK_FILES]] for start in range(0, len(files), CHUNK_FILES)]
    # Forked where it can (generator/parallel.py); elsewhere spawned, which pickles the function.
    with ProcessPoolExecutor(max_workers=cores(), mp_context=fork_context()) as pool:
        for results in pool.map(functools.partial(check_chunk, model, what), chunks):
            yield from results


def check_chunk(model: type[M], what: str, files: list[tuple[str, str]]) -> list[FileChecked[M]]:
    # The document stays in the worker: pickling every position back costs more than parsing.
    checked: list[FileChecked[M]] = []
    with collector_paused():
        for path, display in files:
            _, entity, partial_entity, problems = check_file(Path(path), display, model, what)
            checked.append((None, entity, partial_entity, problems))
    return checked
