"""Each file of the directory on its own: read, parsed, its model checked; in forked workers for a large directory.

What one file can tell without the others. The rules between files (references, cycles, closed
groups) are :mod:`generator.directory.validate`'s.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import itertools
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar, cast, get_args

from pydantic import BaseModel
from pydantic_core import SchemaValidator

from generator.directory.check import check_document, check_partially
from generator.directory.filechecks import bad_file_name, schema_line, valid_name
from generator.directory.gitindex import blob_id, unchanged_files
from generator.directory.load import Document, may_hold_private, parse_bytes, read_file
from generator.directory.model import RESERVED_RE, Group, Person
from generator.directory.rules.flow_commas import with_split_values
from generator.directory.safefs import open_regular
from generator.parallel import BESIDE, InChild, can_fork, collector_paused, cores, fork_context, lowered
from generator.problems import Level, Problem

M = TypeVar("M", Person, Group)
T = TypeVar("T")


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


_NO_FIELDS_SET: frozenset[str] = frozenset()


def forget_fields_set(entities: Iterable[BaseModel]) -> int:
    """Let go of which fields each of ``entities`` (and the models in them) set, once the checks that read it are done; how many models.

    pydantic keeps a set of them in every model, which only the checks read (a profile's
    ``contact`` written or not) and the stored checks write out: at 10,000 people, 150,000 sets
    (40 MiB by their own size), held by the build's process to its end and shared, then copied, by
    each process it forks. They are all one empty set from then on. Not while files are remembered
    (``trombi serve``): its next build checks these models again.

    Only the fields whose type may hold a model are looked into (:func:`_model_fields`): looking
    at every value of a million models took 3 s of a merge at 100,000 people. The models are
    walked with a list of those still to see rather than by recursion: half the time (0.55 s for
    1.5 million models, against 1.1 s), in the build's process while the other core has nothing to do.
    """
    if _remembered is not None:
        return 0
    count = 0
    ahead: list[Any] = list(entities)
    take, put, put_all, fields_of = ahead.pop, ahead.append, ahead.extend, _model_fields
    while ahead:
        value = take()
        if isinstance(value, BaseModel):
            object.__setattr__(value, "__pydantic_fields_set__", _NO_FIELDS_SET)
            count += 1
            held = value.__dict__
            for name in fields_of(type(value)):
                inner = held.get(name)
                if inner is not None:
                    put(inner)
        elif isinstance(value, list | tuple):
            put_all(value)
        elif isinstance(value, dict):
            put_all(value.values())
    return count


@functools.cache
def _model_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` whose type may hold a model (``contact``, ``skills``), by their annotations."""
    return tuple(name for name, info in model.model_fields.items() if _may_hold_model(info.annotation))


def _may_hold_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_may_hold_model(argument) for argument in get_args(annotation))


def check_files(files: list[tuple[Path, str]], model: type[M], what: str, *, parallel: bool) -> list[FileChecked[M]]:
    """:func:`check_file` for each of ``files``, in order; only those that changed on disk when files are remembered,
    only those whose bytes an earlier build did not find valid when its checks are stored."""
    if _remembered is None and _stored is not None:
        return _check_or_recall(_stored, files, model, what, parallel=parallel)
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


# --- the checks a build keeps for the next -----------------------------------------------------

STORED_FORMAT = "trombi-checked/5"
CHECKED_FILE = "checked.json"  # in the state folder


class StoredChecks:
    """The files a build found valid, each as its entity by the digest of its bytes, kept for the next build.

    At 100,000 people, reading and checking every profile is half a minute of a build; a merge
    changes a few. A build that stores its checks (:func:`store_checks`) reads every file, as
    always, and digests its bytes: a file whose bytes an earlier build of the same Trombi found
    valid, without a warning, is its entity again, read back from JSON through its model's types
    (:func:`recalled`); the others are checked as ever. Only files without any problem are stored,
    so every problem is said by every build. A file that may hold a private value
    (:func:`~generator.directory.load.may_hold_private`) is stored *sealed* (:func:`sealed`): its
    entity encrypted with a key made of the file's own bytes, which only a build that holds those
    bytes can open, so that nothing private can be read out of the state. A fifth of the synthetic
    profiles hold a private contact: 20,000 files parsed again at every merge at 100,000 people,
    which took a merge's load stage about 1.3 s more (benchmarks/RESULTS.md, 8 December 2026).

    Each entry also names the git blob of the bytes it was checked from (:func:`~generator.directory.gitindex.blob_id`):
    a file that git says is, on disk, that very blob (:func:`~generator.directory.gitindex.unchanged_files`)
    is recalled without being read at all (:func:`_unchanged`); a sealed entry names none, its file
    is read to open it.

    The file lives in the state (``.trombi/checked.json``), which CI restores from the last
    publication: a line of JSON with its format, ``key`` (the Trombi and the libraries that
    wrote it) and the digest of the rest, then a line per file, its key, its blob and its entity as
    JSON with a tab between them (JSON writes a tab in a text as ``\\t``). At 100,000 people, one
    JSON object of 93,000 texts took 0.41 s to read and 0.38 s to write, the lines 0.16 s and 0.13
    s. Any other key or format, a missing or unreadable file, lines that are not those digested
    (a file damaged since it was written), a line without its tabs, or an entry its model's types
    refuse, means checking anew. Like the rest of the state, it guards against accidents, not
    against whoever may write the state: an entry is not checked value by value again.
    """

    def __init__(self, path: Path, key: str) -> None:
        self.path, self.key = path, key
        self.seal = hashlib.blake2b(key.encode("utf-8"), digest_size=32).digest()  # what the entries are sealed for besides their bytes (sealed)
        # Each entry found by its key, and the git blob it was checked from.
        self.found, self.blobs = self._read()
        self.used: dict[str, str] = {}  # what this build checked or recalled: what the next one finds
        self.used_blobs: dict[str, str] = {}  # and the blob of each
        # Every file read, private or not, as its model's name and its name without .yaml ("Person:ana")
        # -> the digest of its bytes: what the build's record compares with the next build's (digests_read).
        self.digests: dict[str, str] = {}

    def _read(self) -> tuple[dict[str, str], dict[str, str]]:
        try:
            with open_regular(self.path) as file:
                raw = file.read()
            end = raw.find(b"\n")
            end = len(raw) if end < 0 else end
            header = json.loads(raw[:end])
            if not isinstance(header, dict) or header.get("format") != STORED_FORMAT or header.get("key") != self.key:
                return {}, {}
            if header.get("digest") != _digest_of(memoryview(raw)[end:]):
                return {}, {}  # not as it was written: damaged since
            body = raw[end + 1 :].decode("utf-8")
        except (OSError, ValueError):  # UnicodeDecodeError and JSON that does not parse among them
            return {}, {}
        files: dict[str, str] = {}
        blobs: dict[str, str] = {}
        for line in body.split("\n") if body else ():
            key, tab, rest = line.partition("\t")
            blob, tab_too, text = rest.partition("\t")
            if not tab or not tab_too:
                return {}, {}  # not a file this Trombi wrote
            files[key] = text
            blobs[key] = blob
        return files, blobs

    @functools.cached_property
    def by_file(self) -> dict[str, tuple[str, str]]:
        """Each entry found by its model's name and the file's place ("Person:people/ana.yaml"): its blob and its key."""
        return {key.rpartition(":")[0]: (blob, key) for key, blob in self.blobs.items()}

    def recall(self, key: str, model: type[M], raw: bytes | None = None) -> M | None:
        """The entity kept under ``key``; None if there is none, or it cannot be read back. A sealed one opens with ``raw``, its file's bytes."""
        text = self.found.get(key)
        if not isinstance(text, str):
            return None
        try:
            entity = recalled(unsealed(text, raw, self.seal) if text.startswith(_SEALED) else text, model)
        except ValueError:  # pydantic's ValidationError, JSON that does not parse, an entry that does not open
            return None
        self.used[key] = text
        self.used_blobs[key] = self.blobs[key]  # the same key, the same bytes: the blob they were checked from
        return entity

    def save(self) -> None:
        """Write what this build checked, in place of what the earlier one had (a new file, renamed over the old).

        Each entry is one file's own check, true whatever the rest of the build does.
        """
        self.found = {}
        if not self.path.parent.is_dir() or self.path.parent.is_symlink():
            return
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        blobs = self.used_blobs
        # Written line by line, not joined first: at 100,000 people the entries are 100 MB, which a
        # joined text held three times over (the lines, the text, its bytes), 0.9 s of a merge in
        # page faults alone. An entity's JSON has no line break (pydantic escapes those in texts),
        # nor has a key (a file's name); one that would is left out, not cut in two.
        # The digest of what follows the header is written into it last, where it was left blank.
        head = json.dumps({"format": STORED_FORMAT, "key": self.key, "digest": _BLANK_DIGEST}, separators=(",", ":")).encode("utf-8")
        digest = hashlib.blake2b(digest_size=_DIGEST_SIZE)
        lines = (f"\n{key}\t{blobs.get(key, '')}\t{text}" for key, text in self.used.items() if "\n" not in text and "\n" not in key and "\t" not in key)
        with open(temporary, "wb") as file:
            file.write(head)
            while batch := "".join(itertools.islice(lines, 1000)):
                data = batch.encode("utf-8")
                digest.update(data)
                file.write(data)
            file.seek(head.rindex(_BLANK_DIGEST.encode("ascii")))
            file.write(digest.hexdigest().encode("ascii"))
        os.replace(temporary, self.path)
        self.used, self.used_blobs = {}, {}

    def saving(self) -> InChild[None] | None:
        """:meth:`save` by a forked child from now on, which the build waits for before it ends; None once saved here, where nothing forks.

        At 100,000 people the entries are 100 MB of text, 0.6 s of a merge's longest chain when this
        process wrote them, between the plan and MkDocs' pages; what the build does next touches none of it.
        """
        if not can_fork():
            self.save()
            return None
        child = InChild(self.save, nice=BESIDE)
        self.found, self.used, self.used_blobs = {}, {}, {}  # the child's to write: let go here
        return child


def recalled(text: str, model: type[M]) -> M:
    """The entity a kept check holds (its JSON, as :class:`StoredChecks` keeps it); ValueError if its model's types refuse it.

    Each kept check was made of the same bytes by the same Trombi, every value checked then: the
    entity is read back through the model's schema (its types, its choices, its lengths, no field
    unknown) without the model's own checks of each value, which are Python functions (a text on
    one line, an address, a handle, a known zone...) and which only ever pass a value as it is.
    At 100,000 people, 80,000 profiles recalled took 3.4 s through the model's validation, 1.5 s so,
    and 1.3 s once the empty lists the fields have by default are made for each entity rather than
    deep-copied from the model's (``copy.deepcopy``, in Python). A value written as null would be left unset by the model's own check (an empty value means
    no value): such a text goes through the whole validation, as a file's own check does.
    """
    if "null" in text:
        return model.model_validate_json(text)
    return cast(M, _types_of(model).validate_json(text))


_SEALED = "!"  # what a sealed entry's text starts with: an entity's JSON starts with "{"


def sealed(text: str, raw: bytes, seal: bytes) -> str:
    """``text`` (a kept entity) encrypted with a key made of ``raw``, the bytes of the file it was read from, and ``seal``.

    ``seal`` is a digest of what the stored checks are valid for (this Trombi, its libraries:
    :attr:`StoredChecks.seal`). The key is the BLAKE2b digest of the bytes keyed by ``seal`` and
    personalised (not the digest the entry is found by); the text is added to a SHAKE-256 stream
    of that key, and the result written in base 64 after :data:`_SEALED`. One key seals one text
    only, as one Trombi makes one entity of the same bytes: the stream is never used twice.
    Whoever can open the entry holds the file, and reads it there. The state already says whether
    a guess of a file's every byte is right (the digest of each file read, :func:`digests_read`):
    a sealed entry tells nothing more.
    """
    data = text.encode("utf-8")
    return _SEALED + base64.b64encode(_xor(data, _stream(raw, seal, len(data)))).decode("ascii")


def unsealed(text: str, raw: bytes | None, seal: bytes) -> str:
    """The text :func:`sealed` sealed with ``raw`` and ``seal``; ValueError if it cannot be opened (no bytes, not base 64, not text)."""
    if raw is None:
        raise ValueError("a sealed entry opens only with its file's bytes")
    data = base64.b64decode(text[len(_SEALED) :], validate=True)  # binascii.Error is a ValueError
    return _xor(data, _stream(raw, seal, len(data))).decode("utf-8")


def _stream(raw: bytes, seal: bytes, size: int) -> bytes:
    return hashlib.shake_256(hashlib.blake2b(raw, digest_size=32, key=seal, person=b"trombi-sealed").digest()).digest(size)


def _xor(data: bytes, stream: bytes) -> bytes:
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(len(data), "big")


# What the model's schema wraps in one of its Python functions: what :func:`recalled` reads without the function.
_OWN_CHECKS = frozenset({"function-before", "function-after", "function-wrap"})


@functools.cache
def _types_of(model: type[BaseModel]) -> SchemaValidator:
    """A validator of ``model``'s schema without the functions it calls on the values (:data:`_OWN_CHECKS`): types only."""
    classes: set[type[BaseModel]] = set()

    def bare(node: Any) -> Any:
        if isinstance(node, dict):
            kind = node.get("type")  # a schema's kind; in a model's mapping of its fields, a field named type
            if isinstance(kind, str) and kind in _OWN_CHECKS:
                return bare(node["schema"])
            if kind == "model":
                classes.add(node["cls"])
            made = {key: value if key == "metadata" else bare(value) for key, value in node.items()}
            empty = node.get("default") if kind == "default" else None
            if type(empty) in (list, dict) and not empty:
                # An empty list (or mapping) by default made anew for each entity, not deep-copied from the model's.
                del made["default"]
                made["default_factory"] = type(empty)
            return made
        if isinstance(node, list):
            return [bare(value) for value in node]
        return node

    schema = bare(model.__pydantic_core_schema__)
    # pydantic-core takes a complete model's own validator, its checks with it, wherever the schema
    # names the model's class: while this one is made, no class of it is complete.
    complete = {each: each.__dict__.get("__pydantic_complete__") for each in classes}
    try:
        for each in classes:
            type.__setattr__(each, "__pydantic_complete__", False)
        return SchemaValidator(schema)
    finally:
        for each, was in complete.items():
            if was is None:  # not the class's own: inherited again
                type.__delattr__(each, "__pydantic_complete__")
            else:
                type.__setattr__(each, "__pydantic_complete__", was)


_DIGEST_SIZE = 20
_BLANK_DIGEST = "0" * (2 * _DIGEST_SIZE)


def _digest_of(data: bytes | memoryview) -> str:
    """The digest a file read (its key among the kept checks) and the kept checks' own lines are told by."""
    return hashlib.blake2b(data, digest_size=_DIGEST_SIZE).hexdigest()


_stored: StoredChecks | None = None


def store_checks(path: Path, key: str) -> StoredChecks | None:
    """From now on, recall the checks kept at ``path`` and keep those made (a build); :meth:`StoredChecks.save` writes them.

    None in a process that remembers its files (``trombi serve``), which needs no other memory.
    """
    global _stored
    _stored = StoredChecks(path, key) if _remembered is None else None
    return _stored


def digest_key(model: type[BaseModel], name: str) -> str:
    """How :func:`digests_read` names a file read: its model's name and its own without ``.yaml`` ("Person:ana")."""
    return f"{model.__name__}:{name}"


def digests_read() -> dict[str, str]:
    """The digest of each file read since :func:`store_checks` by :func:`digest_key` ("Person:ana"); empty when checks are not stored.

    An entity is a function of its file's bytes, its name and the taxonomy (the premise of
    :class:`StoredChecks`): two builds of one taxonomy whose digests of a file are equal read the
    same entity from it (:func:`generator.build.incremental.settled`).
    """
    return dict(_stored.digests) if _stored is not None else {}


def stop_storing() -> None:
    global _stored
    _stored = None


def _check_or_recall(stored: StoredChecks, files: list[tuple[Path, str]], model: type[M], what: str, *, parallel: bool) -> list[FileChecked[M]]:
    """:func:`check_files` recalling from ``stored`` the files whose bytes were found valid before.

    Those to check are given to workers a chunk at a time as the files are read, and checked there
    while this process reads the rest, then recalls the others (at 100,000 people, 20,000 checked,
    80,000 recalled). Given only once every file was read, the workers waited for the reading: in
    a full build, 100,000 files read and digested on one core, 4 to 6 s with the other idle. A
    file that git says is the very blob a kept check was made from is not read (:func:`_unchanged`).
    """
    results: list[FileChecked[M] | None] = []
    recalled: list[tuple[int, str, bytes | None, str, str]] = []  # what an earlier build found valid (None: not read, git says it is the same blob)
    todo: list[tuple[int, str]] = []
    unread: list[tuple[bytes, str, str]] = []
    pool: ProcessPoolExecutor | None = None
    futures: list[Future[list[FileChecked[M]]]] = []
    chunks: list[Sequence[tuple[bytes, str, str]]] = []  # what each of futures checks
    given = 0  # of unread, to the workers

    def give() -> None:
        """What is read and not given yet, to the workers."""
        nonlocal pool, given
        if pool is None:
            # Beside this process, which reads the files and recalls the others meanwhile: the longest
            # chain of a merge. At 100,000 people its load shared two cores with two workers and the
            # scan for links (generator.directory.validate), all at one priority: it ran 77 % of the time.
            pool = ProcessPoolExecutor(max_workers=cores(), mp_context=fork_context(), initializer=lowered, initargs=(BESIDE,))
        for chunk in _chunks(unread[given:]):
            chunks.append(chunk)
            futures.append(pool.submit(check_chunk, model, what, chunk))
        given = len(unread)

    kind = model.__name__
    many = parallel and len(files) >= PARALLEL_FROM  # files to check may be many: workers take them as they are read
    unchanged = _unchanged(stored, kind, files)

    def keyed(raw: bytes, display: str, name: str) -> str:
        """Digest the bytes read of a file for the record; its key among the kept checks."""
        # The file's place is part of what it is checked for (its name is its handle), not only its bytes.
        digest = _digest_of(raw)
        stored.digests[name] = digest
        return f"{kind}:{display}:{digest}"

    try:
        for number, (path, display) in enumerate(files):
            name = digest_key(model, path.name.removesuffix(".yaml"))
            known = unchanged.get(display)
            if known is not None:  # the very bytes of a check kept: not read again
                stored.digests[name] = known.rpartition(":")[2]
                results.append(None)
                recalled.append((number, known, None, str(path), display))
                continue
            raw, problems = read_file(path, display)
            if raw is None:
                results.append((None, None, None, problems))
                continue
            results.append(None)
            key = keyed(raw, display, name)
            if key and key in stored.found:
                recalled.append((number, key, raw, str(path), display))
            else:
                todo.append((number, key))
                unread.append((raw, str(path), display))
                if many and len(unread) % CHUNK_FILES == 0:
                    give()
        if pool is not None:
            give()  # the rest, before the recalls: the workers check while this process recalls
        for number, key, content, where, shown in recalled:
            entity = stored.recall(key, model, content)
            if entity is not None:
                results[number] = (None, entity, None, [])
                continue
            # An entry its model refuses: checked anew, here, read now if it was not.
            if content is None:
                content, problems = read_file(Path(where), shown)
                if content is None:
                    results[number] = (None, None, None, problems)
                    continue
                # Its digest and key from the bytes read now, as for any file read (it may have changed since git looked).
                key = keyed(content, shown, digest_key(model, Path(where).name.removesuffix(".yaml")))
            todo.append((number, key))
            unread.append((content, where, shown))
        fresh = _shared_out(futures, chunks, model, what)
        fresh += [check_bytes(content, Path(where), shown, model, what) for content, where, shown in unread[len(fresh) :]]
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    for (number, key), (content, _, _), checked in zip(todo, unread, fresh, strict=True):
        results[number] = checked
        _, entity, _, problems = checked
        if entity is not None and not problems and key:
            kept = entity.model_dump_json(exclude_unset=True)  # read back with the same fields set, the rest defaults
            # Sealed if it may hold a private value, which nobody reads out of the state; such an
            # entry names no blob, so that its file is always read, to open it.
            private = may_hold_private(content)
            stored.used[key] = sealed(kept, content, stored.seal) if private else kept
            stored.used_blobs[key] = "" if private else blob_id(content)
    return [checked for checked in results if checked is not None]


def _shared_out(
    futures: Sequence[Future[list[FileChecked[M]]]], chunks: Sequence[Sequence[tuple[bytes, str, str]]], model: type[M], what: str
) -> list[FileChecked[M]]:
    """What each of ``chunks`` checks, in order: by the worker its future went to, or by this process, for one no worker started yet.

    This process has read the files and recalled the others when it comes here, and would wait for
    the workers: at 100,000 people, a merge's load waited a second for the last chunks of the 20,000
    files that may hold a private value, on the other core, shared with the scan for links. It takes
    the chunks no worker has started, from the last one back, while the workers take them from the
    first: each chunk is checked once, where its future could still be cancelled.
    """
    here: dict[int, list[FileChecked[M]]] = {}
    for number in range(len(futures) - 1, -1, -1):
        if futures[number].cancel():
            here[number] = check_chunk(model, what, chunks[number])
    return [checked for number, future in enumerate(futures) for checked in (here[number] if number in here else future.result())]


def _unchanged(stored: StoredChecks, kind: str, files: Sequence[tuple[Path, str]]) -> dict[str, str]:
    """Each of ``files`` (by its place, "people/ana.yaml") that git says is, on disk, the blob a kept check was made from, with that check's key.

    Asked of git only when there are checks to recall, once per folder (a build's files are those of one).
    """
    if not stored.blobs or not files:
        return {}
    kept = stored.by_file  # worked out once, for the groups' folder and the people's
    blobs: dict[str, dict[str, str]] = {}  # by folder: each file's name and blob
    found: dict[str, str] = {}
    for path, display in files:
        entry = kept.get(f"{kind}:{display}")
        if entry is None or not entry[0]:
            continue
        folder, _, name = str(path).rpartition(os.sep)  # not Path's parts: 100,000 of them took 0.5 s
        if folder not in blobs:
            blobs[folder] = unchanged_files(Path(folder))
        if blobs[folder].get(name) == entry[0]:
            found[display] = entry[1]
    return found


def _chunks(files: Sequence[T]) -> list[Sequence[T]]:
    return [files[start : start + CHUNK_FILES] for start in range(0, len(files), CHUNK_FILES)]


def _identity(path: Path) -> tuple[int, ...] | None:
    try:
        found = path.lstat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_mode)


def check_file(path: Path, display: str, model: type[M], what: str, *, partial: bool = True) -> FileChecked[M]:
    """Everything that can be said of one file without reading the others."""
    raw, problems = read_file(path, display)
    if raw is None:
        return None, None, None, problems
    return check_bytes(raw, path, display, model, what, partial=partial)


def check_bytes(raw: bytes, path: Path, display: str, model: type[M], what: str, *, partial: bool = True) -> FileChecked[M]:
    """:func:`check_file` of the bytes read from ``path``."""
    document, problems = parse_bytes(raw, display)
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
    return check_read_in_workers([(None, str(path), display) for path, display in files], model, what)


def check_read_in_workers(files: Sequence[tuple[bytes | None, str, str]], model: type[M], what: str) -> Iterator[FileChecked[M]]:
    """:func:`check_bytes` for each ``(bytes, path, display)``, in order, on every core; the file is read there when its bytes are None."""
    chunks = _chunks(files)
    # Forked where it can (generator/parallel.py); elsewhere spawned, which pickles the function.
    with ProcessPoolExecutor(max_workers=cores(), mp_context=fork_context()) as pool:
        for results in pool.map(functools.partial(check_chunk, model, what), chunks):
            yield from results


def check_chunk(model: type[M], what: str, files: Sequence[tuple[bytes | None, str, str]]) -> list[FileChecked[M]]:
    # The document stays in the worker: pickling every position back costs more than parsing.
    checked: list[FileChecked[M]] = []
    with collector_paused():
        for raw, path, display in files:
            if raw is None:
                _, entity, partial_entity, problems = check_file(Path(path), display, model, what)
            else:
                _, entity, partial_entity, problems = check_bytes(raw, Path(path), display, model, what)
            checked.append((None, entity, partial_entity, problems))
    return checked
