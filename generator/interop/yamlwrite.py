"""Writing people and group files the way people write them, for the importers.

New files get the schema line first, the fields in the model's order and flow lists
(``languages: [fr, en]``), like the demo files. Existing files are edited with ruamel.yaml's
round-trip mode, so comments, quoting and layout of every untouched field stay as they were.
After every edit the new text is read back with the directory's own strict loader and must
mean exactly the old values plus the changes; otherwise the file is left alone and a problem
says why.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from generator.directory.load import iter_yaml_files, load_file, parse_text
from generator.directory.model import Channels, Contact, Group, Person
from generator.directory.safefs import atomic_write, read_text, scan
from generator.directory.settings import Settings
from generator.problems import Message, Problem

Kind = Literal["person", "group"]
Key = tuple[str, ...]

SCHEMA_LINES: dict[Kind, str] = {
    "person": "# yaml-language-server: $schema=../schemas/person.schema.json",
    "group": "# yaml-language-server: $schema=../schemas/group.schema.json",
}
_MODELS: dict[Kind, type[BaseModel]] = {"person": Person, "group": Group}
# Written one field a line, like the demo files (``kept`` under ``backstage`` too); others as {a: 1, b: 2}.
_BLOCK_MAPPINGS = {"contact", "backstage", "kept"}
_NESTED: dict[tuple[Kind, str], type[BaseModel]] = {("person", "contact"): Contact, ("group", "channels"): Channels}


class _Delete:
    def __repr__(self) -> str:
        return "DELETE"


DELETE: Any = _Delete()
"""An update value that removes the field."""


class UnsafeEdit(Exception):
    """An edit would change more than asked; carries the problem to report."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.as_text())


@dataclass(frozen=True, slots=True)
class Existing:
    """A file already in the directory: its plain values, or ``None`` and why it does not load."""

    path: Path
    display: str
    data: dict[str, Any] | None
    problems: list[Problem]

    def text(self) -> str:
        return read_text(self.path)

    def broken(self) -> Problem:
        """The problem to report when an import needs to change this file but cannot read it."""
        first = self.problems[0] if self.problems else Problem(self.display, 1, 1, Message("cannot read the file"), "file")
        return Problem(first.path, first.line, first.col, Message("{problem}; fix this file before importing", problem=first.message), first.rule)


@dataclass
class Plan:
    """What an import would do: the changes to write and the warnings to show."""

    changes: list[Change] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> Message:
        created = sum(1 for c in self.changes if c.before is None)
        removed = sum(1 for c in self.changes if c.after is None)
        updated = len(self.changes) - created - removed
        return Message(
            "{created} created, {updated} updated, {removed} removed, {unchanged} unchanged",
            created=created,
            updated=updated,
            removed=removed,
            unchanged=self.unchanged,
        )


@dataclass(frozen=True, slots=True)
class Change:
    """One file to create, rewrite or delete."""

    path: Path
    display: str
    before: str | None  # None: the file is new
    after: str | None  # None: the file is deleted

    def diff(self) -> str:
        """A unified diff of the change, as ``git diff`` would show it."""
        before = (self.before or "").splitlines(keepends=True)
        after = (self.after or "").splitlines(keepends=True)
        old = f"a/{self.display}" if self.before is not None else "/dev/null"
        new = f"b/{self.display}" if self.after is not None else "/dev/null"
        return "".join(_ensure_newline(line) for line in difflib.unified_diff(before, after, old, new))


def new_file(kind: Kind, values: Mapping[str, Any], *, comments: Iterable[str] = ()) -> str:
    """The text of a new file: schema line, ``comments`` (one ``#`` line each), then the fields in model order."""
    document = CommentedMap()
    _apply(document, kind, {(key,): value for key, value in values.items()})
    header = [SCHEMA_LINES[kind], *(f"# {line}" if line else "#" for line in comments)]
    text = "\n".join(header) + "\n" + _dump(document, indent=4, offset=2)
    _check_meaning(kind, None, text, {(key,): value for key, value in values.items()}, "(new file)")
    return text


def edit_file(text: str, kind: Kind, updates: Mapping[Key, Any], display: str) -> str:
    """``text`` with ``updates`` applied (a key path -> its new value, or :data:`DELETE`).

    Returns ``text`` itself when nothing changes, so running an import twice writes nothing the
    second time. Raises :class:`UnsafeEdit` when the edit cannot be made without changing
    something else.
    """
    try:
        _, sequence_indent, offset = load_yaml_guess_indent(text)
    except YAMLError as error:
        raise UnsafeEdit(Problem(display, 1, 1, Message("cannot read the file ({error}); fix it before importing", error=str(error)), "import")) from None
    yaml = _yaml(indent=sequence_indent or 4, offset=2 if offset is None else offset)
    document = yaml.load(text)
    if document is None:
        document = CommentedMap()
    if not isinstance(document, CommentedMap):
        raise UnsafeEdit(Problem(display, 1, 1, Message("the file is not a mapping of fields; fix it by hand before importing"), "import"))
    if not _apply(document, kind, updates):
        return text
    out = io.StringIO()
    yaml.dump(document, out)
    new_text = out.getvalue()
    _check_meaning(kind, text, new_text, updates, display)
    return new_text


def already_applied(data: Mapping[str, Any], updates: Mapping[Key, Any]) -> bool:
    """Whether ``data`` (as the loader read it) already holds every value of ``updates``.

    Lets an import skip the round-trip parse of the files it leaves alone, which is most of
    them when it runs again.
    """
    for key, value in updates.items():
        current = current_value(data, key)
        if (current is not None) if value is DELETE else current != plain(value):
            return False
    return True


def current_value(data: Mapping[str, Any], key: Key) -> Any:
    """The plain value at ``key`` (``None`` when unset); a ``{value, visibility}`` contact gives its value."""
    current: Any = data
    for part in key:
        if not isinstance(current, Mapping):
            return None
        current = current.get(part)
    if isinstance(current, Mapping) and "value" in current and len(key) > 1:
        return current.get("value")
    return current


def read_folder(folder: Path, settings: Settings) -> dict[str, Existing]:
    """Every ``*.yaml`` file of ``folder`` by name, with its plain values as the directory reads them."""
    found: dict[str, Existing] = {}
    for path in iter_yaml_files(folder):
        display = settings.display(path)
        document, problems = load_file(path, display)
        data = document.data if document is not None and isinstance(document.data, dict) else None
        if document is not None and data is None:
            problems = [*problems, Problem(display, 1, 1, Message("the file is not a mapping of fields"), "type")]
        found[path.name[: -len(".yaml")]] = Existing(path, display, data, problems)
    # A link or a pipe in the folder is not read, but not taken for an absent file either: an import stops on it.
    for problem in scan(folder.parent, folder.name):
        name = Path(problem.path).name
        if problem.path.count("/") == 1 and name.endswith(".yaml"):
            found[name[: -len(".yaml")]] = Existing(folder / name, settings.display(folder) + "/" + name, None, [problem])
    return found


def apply_changes(changes: Iterable[Change]) -> None:
    """Write, create and delete the files of ``changes`` (each file replaced atomically)."""
    for change in changes:
        if change.after is None:
            change.path.unlink(missing_ok=True)
            continue
        change.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(change.path, change.after, durable=False)  # an import may touch every profile: see atomic_write


def plain(value: Any) -> Any:
    """A value as the directory's loader reads it back: dates become text, like every scalar."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return value


# --- helpers ------------------------------------------------------------------------------------


def _yaml(*, indent: int, offset: int) -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long title or bio line that a person wrote on one line
    yaml.indent(mapping=2, sequence=indent, offset=offset)
    return yaml


def _dump(document: CommentedMap, *, indent: int, offset: int) -> str:
    out = io.StringIO()
    _yaml(indent=indent, offset=offset).dump(document, out)
    return out.getvalue()


def _apply(document: CommentedMap, kind: Kind, updates: Mapping[Key, Any]) -> bool:
    """Apply ``updates`` in place; whether anything changed."""
    changed = False
    for key, value in updates.items():
        parent = document
        for depth, part in enumerate(key[:-1]):
            child = parent.get(part)
            if not isinstance(child, CommentedMap):
                if value is DELETE:
                    break
                child = CommentedMap()
                _insert(parent, _order(kind, key[:depth]), part, child)
                changed = True
            parent = child
        else:
            changed |= _set(parent, _order(kind, key[:-1]), key[-1], value)
    for key in updates:  # a mapping emptied by deletions goes too (``contact:`` with nothing in it)
        if len(key) > 1 and updates[key] is DELETE:
            holder = document.get(key[0])
            if isinstance(holder, CommentedMap) and not holder:
                del document[key[0]]
    return changed


def _set(mapping: CommentedMap, order: list[str], name: str, value: Any) -> bool:
    if value is DELETE:
        if name in mapping:
            del mapping[name]
            return True
        return False
    existing = mapping.get(name)
    if isinstance(existing, CommentedMap) and "value" in existing and isinstance(value, str):
        # ``{value: ..., visibility: private}``: the value changes, the person's choice of visibility stays.
        if existing["value"] == value:
            return False
        existing["value"] = value
        return True
    if plain(existing) == plain(value):
        return False
    if isinstance(existing, CommentedSeq) and isinstance(value, list):
        del existing[:]
        existing.extend(_node(item) for item in value)
        return True
    node = _node(value, block=name in _BLOCK_MAPPINGS)
    if name in mapping:
        mapping[name] = node
    else:
        _insert(mapping, order, name, node)
    return True


def _insert(mapping: CommentedMap, order: list[str], name: str, value: Any) -> None:
    """Insert ``name`` after the last present field that comes before it in the model's order."""
    rank = {field: index for index, field in enumerate(order)}
    mine = rank.get(name, len(order))
    position = 0
    for index, existing in enumerate(mapping):
        if rank.get(existing, len(order)) <= mine:
            position = index + 1
    mapping.insert(position, name, value)


def _node(value: Any, *, block: bool = False) -> Any:
    if isinstance(value, list | tuple):
        seq = CommentedSeq(_node(item) for item in value)
        seq.fa.set_flow_style()
        return seq
    if isinstance(value, Mapping):
        mapping = CommentedMap((k, _node(v, block=k in _BLOCK_MAPPINGS)) for k, v in value.items())
        if not block:
            mapping.fa.set_flow_style()
        return mapping
    return value


def _order(kind: Kind, prefix: Key) -> list[str]:
    if not prefix:
        return list(_MODELS[kind].model_fields)
    model = _NESTED.get((kind, prefix[0]))
    return list(model.model_fields) if model is not None else []


def _check_meaning(kind: Kind, old_text: str | None, new_text: str, updates: Mapping[Key, Any], display: str) -> None:
    expected: dict[str, Any] = {}
    if old_text is not None:
        old, _ = parse_text(old_text, display)
        expected = dict(old.data) if old is not None and isinstance(old.data, dict) else {}
    expected = _apply_plain(expected, updates)
    new, problems = parse_text(new_text, display)
    if new is None or new.data != expected:
        detail = problems[0].message if problems else Message("the values read back differ from the values written")
        message = Message("cannot update this file without changing fields the import does not own ({detail}); update it by hand", detail=detail)
        raise UnsafeEdit(Problem(display, 1, 1, message, "import"))


def _apply_plain(data: dict[str, Any], updates: Mapping[Key, Any]) -> dict[str, Any]:
    result: dict[str, Any] = plain(data)
    for key, value in updates.items():
        holder = result
        for part in key[:-1]:
            if not isinstance(holder.get(part), dict):
                if value is DELETE:
                    break
                holder[part] = {}
            holder = holder[part]
        else:
            existing = holder.get(key[-1])
            if value is DELETE:
                holder.pop(key[-1], None)
            elif isinstance(existing, dict) and "value" in existing and isinstance(value, str):
                existing["value"] = value
            else:
                holder[key[-1]] = plain(value)
    for key, value in updates.items():
        if len(key) > 1 and value is DELETE and result.get(key[0]) == {}:
            del result[key[0]]
    return result


def _ensure_newline(line: str) -> str:
    return line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
