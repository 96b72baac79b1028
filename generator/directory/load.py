"""Find and read the directory's YAML files safely, keeping the line and column of every value.

The loader is deliberately stricter than YAML: no anchors or aliases, no tags, no duplicate
keys, no implicit typing (only ``true`` and ``false`` are booleans, everything else a person
types stays the string they typed), bounded size and depth. Bad input never raises: it becomes
a :class:`~generator.problems.Problem` pointing at the place to fix.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.directory.safefs import NotAFile, read_regular
from generator.directory.yamlhints import explain
from generator.problems import Message, Problem

try:
    from yaml._yaml import CParser as _Parser

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - libyaml ships in PyYAML's wheels
    from yaml.loader import BaseLoader as _Parser  # type: ignore[assignment]

    HAVE_LIBYAML = False

MAX_FILE_BYTES = 64 * 1024
MAX_DEPTH = 16

Loc = tuple[str | int, ...]
Mark = tuple[int, int]

_PLAIN = "?plain"  # what our resolver gives an untagged scalar; never a real YAML tag
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_PLAIN_TAGS = {_PLAIN, _STR, _SEQ, _MAP, "!"}
_NULLS = {"", "~", "null"}
_BOOLEANS = {"true", "false"}
# An anchor (&), alias (*) or tag (!) can only begin a node: at the start of a line or after an
# indicator (: - ? , [ {), then spaces or tabs. Every line break YAML knows counts as a line start.
_NODE_PROPERTY = re.compile(r"(?:^|[-:?,\[{\r\n\x85\u2028\u2029])[ \t]*[&*!]", re.MULTILINE)


@dataclass(slots=True)
class Document:
    """A parsed YAML file: plain values plus the position of every key and value."""

    path: str
    data: Any
    marks: dict[Loc, Mark] = field(default_factory=dict)
    key_marks: dict[Loc, Mark] = field(default_factory=dict)
    first_line: str = ""

    def position(self, loc: Loc) -> Mark:
        """Position of the value at ``loc``, or of its nearest enclosing value."""
        return _nearest(self.marks, loc)

    def key_position(self, loc: Loc) -> Mark:
        """Position of the key that names ``loc`` (falls back to the value's position)."""
        if loc in self.key_marks:
            return self.key_marks[loc]
        return self.position(loc)

    def problem(self, loc: Loc, message: str, rule: str, *, at_key: bool = False) -> Problem:
        line, col = self.key_position(loc) if at_key else self.position(loc)
        return Problem(self.path, line, col, message, rule)


def load_file(path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file; return its document, or ``None`` and the problems that stop it."""
    raw, problems = read_file(path, display)
    if raw is None:
        return None, problems
    return parse_bytes(raw, display)


def may_hold_private(raw: bytes) -> bool:
    """Whether a file's bytes may hold a private value: YAML can only spell ``private`` as it is, or
    with an escape, which takes a backslash. The form's shards leave such a file to be read again
    each time; the checks a build keeps hold it sealed with the file's bytes (:func:`generator.directory.perfile.sealed`)."""
    return b"private" in raw or b"\\" in raw


def read_file(path: Path, display: str) -> tuple[bytes | None, list[Problem]]:
    """One YAML file's bytes, or ``None`` and why it cannot be read (a link, a pipe, too large...)."""
    try:
        # Never through a link, never a pipe: a profile linked to another file would publish that file.
        raw, size = read_regular(os.fspath(path), MAX_FILE_BYTES + 1)
        if size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:
            return None, [_too_large(display, max(size, len(raw)))]
        return raw, []
    except NotAFile as error:
        return None, [_file_problem(display, error.about(display), error.rule)]
    except OSError as error:
        return None, [_file_problem(display, Message("cannot read file: {reason}", reason=error.strerror), "file")]


def parse_bytes(raw: bytes, display: str) -> tuple[Document | None, list[Problem]]:
    """Decode and parse YAML bytes with every check of :func:`load_file` but the file ones."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [_too_large(display, len(raw))]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _offset_mark(raw, nul)
        return None, [Problem(display, line, col, Message("file contains a NUL byte; YAML files must be text"), "encoding")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, col = _offset_mark(raw, error.start)
        byte = format(raw[error.start], "02x")
        message = Message("file is not valid UTF-8 (byte 0x{byte}); save it as UTF-8", byte=byte)
        return None, [Problem(display, line, col, message, "encoding")]
    return parse_text(text, display)


def parse_text(text: str, display: str) -> tuple[Document | None, list[Problem]]:
    if text.startswith("\ufeff"):
        text = text[1:]
    if _needs_event_scan(text):
        scan_problems = _scan_events(text, display)
        if scan_problems:
            return None, scan_problems
    parser = _Composer(text)
    try:
        node = parser.get_single_node()
    except yaml.MarkedYAMLError as error:
        if _is_nesting_limit(error):
            return None, _scan_events(text, display)
        return None, [_syntax_problem(error, text, display)]
    except yaml.reader.ReaderError as error:
        return None, [_reader_problem(error, text, display)]
    except yaml.YAMLError as error:
        # PyYAML's own words, in English: it has no catalogue.
        return None, [_file_problem(display, Message("invalid YAML: {error}", error=str(error)), "yaml-syntax")]
    finally:
        parser.dispose()
    first_line = text.split("\n", 1)[0]
    document = Document(display, None, first_line=first_line)
    if node is None:
        document.data = None
        document.marks[()] = (1, 1)
        return document, []
    problems: list[Problem] = []
    document.data = _construct(node, (), document, problems)
    return (None if problems else document), problems


def iter_yaml_files(folder: Path) -> Iterator[Path]:
    """The ``*.yaml`` files directly in ``folder``, sorted by name (no recursion, no links: they are reported by validation)."""
    if folder.is_symlink() or not folder.is_dir():
        return iter(())
    # Directory entries know their type without a system call per file, and names sort much
    # faster than Path objects: this lists 100,000 files in a fraction of a second.
    names = sorted(entry.name for entry in entries(folder) if suffix(entry.name) == ".yaml" and entry.is_file(follow_symlinks=False))
    return iter([folder / name for name in names])


def suffix(name: str) -> str:
    """``Path(name).suffix`` of a file name, without making a path of each of 100,000 names."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def stems(folder: Path) -> set[str]:
    """File names without ``.yaml``: what exists, known without parsing anything."""
    if not folder.is_dir():
        return set()
    with_suffix = len(".yaml")
    return {entry.name[:-with_suffix] for entry in entries(folder) if entry.name.endswith(".yaml")}


def entries(folder: str | Path) -> Iterator[os.DirEntry[str]]:
    """The entries of ``folder`` (``os.scandir``), closed once read."""
    with os.scandir(folder) as found:
        yield from found


class _Composer(_Parser):
    """libyaml's composer with YAML's implicit typing switched off: every scalar is a string.

    Resolution happens later, in :func:`_construct`, by rules this project chose (only
    ``true``/``false`` are booleans), which also makes composing about twice as fast.
    """

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, *args: Any) -> None:
        return None

    def ascend_resolver(self, *args: Any) -> None:
        return None


def _construct(node: yaml.Node, loc: Loc, document: Document, problems: list[Problem]) -> Any:
    # Called for every value of every file (millions at 100,000 people): attributes are read once
    # and scalars, the common case, are handled first.
    start = node.start_mark
    mark = (start.line + 1, start.column + 1)
    document.marks[loc] = mark
    tag = node.tag
    if tag not in _PLAIN_TAGS:
        problems.append(Problem(document.path, *mark, Message("YAML tags such as '{tag}' are not allowed; write the plain value", tag=tag), "yaml-tag"))
        return None
    if isinstance(node, yaml.ScalarNode):
        value: str = node.value
        # Only an untagged plain scalar is typed: "!!str true" and "'true'" stay text.
        if tag == _PLAIN and not node.style:
            if value in _BOOLEANS:
                return value == "true"
            if value in _NULLS:
                return None
        return value
    if isinstance(node, yaml.CollectionNode) and len(loc) >= MAX_DEPTH:
        problems.append(Problem(document.path, *mark, _too_deep(), "too-deep"))
        return None
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*loc, index), document, problems) for index, item in enumerate(node.value)]
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key_mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(document.path, *key_mark, Message("a key must be a plain name, not a list or mapping"), "yaml-key"))
            continue
        key = key_node.value
        if key in mapping:
            first_line, first_col = document.key_marks[(*loc, key)]
            message = Message("duplicate key '{key}' (first defined at line {line}, column {col}); keep only one", key=key, line=first_line, col=first_col)
            problems.append(Problem(document.path, *key_mark, message, "duplicate-key"))
            continue
        document.key_marks[(*loc, key)] = key_mark
        mapping[key] = _construct(value_node, (*loc, key), document, problems)
    return mapping


def _needs_event_scan(text: str) -> bool:
    # Anchors, aliases and deep nesting are rare in profiles; look for them with libyaml's flat
    # event stream (no recursion, no expansion) only when the text could hold them, because
    # libyaml's recursive composer would crash on thousands of nested brackets.
    # "!" too: libyaml reports "! false" as an untagged plain scalar, only events show the tag.
    # Only where a node can start counts, so French prose ("passez me voir !", "R&D") does not
    # pay for a second parse.
    # "- -" and "? ?" nest block collections on one line, the way thousands of levels fit in a file.
    return _NODE_PROPERTY.search(text) is not None or "- -" in text or "? ?" in text or text.count("[") + text.count("{") > 64


def _scan_events(text: str, display: str, *, pure: bool = not HAVE_LIBYAML) -> list[Problem]:
    problems: list[Problem] = []
    depth = 0
    loader = yaml.BaseLoader(text) if pure else yaml.CBaseLoader(text)
    try:
        while loader.check_event():
            event: Any = loader.get_event()
            mark = (event.start_mark.line + 1, event.start_mark.column + 1)
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent):
                problems.append(Problem(display, *mark, Message("YAML aliases (*{anchor}) are not allowed; write the value out", anchor=anchor), "yaml-alias"))
            elif anchor:
                problems.append(Problem(display, *mark, Message("YAML anchors (&{anchor}) are not allowed; write the value out", anchor=anchor), "yaml-alias"))
            if getattr(event, "tag", None) == "!":
                message = Message("the YAML tag '!' is not allowed; quote the value to keep it as text")
                problems.append(Problem(display, *mark, message, "yaml-tag"))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(Problem(display, *mark, _too_deep(), "too-deep"))
                    break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        if _is_nesting_limit(error) and not pure:
            return _scan_events(text, display, pure=True)
        problems.append(_syntax_problem(error, text, display))
    except yaml.reader.ReaderError as error:
        problems.append(_reader_problem(error, text, display))
    finally:
        loader.dispose()
    return problems


def _is_nesting_limit(error: yaml.MarkedYAMLError) -> bool:
    """libyaml's own depth limit (1,000 levels since PyYAML 6.0.4), hit while it reads ahead.

    Its scanner reads a flow collection ahead of the events it has given, so it can stop on its
    limit before the events have reached ours. PyYAML's Python scanner reads at most one simple
    key (1,024 characters) ahead and has no such limit: the events it gives find the place where
    our limit is passed, which is the place to show.
    """
    return "maximum nesting depth" in str(error.problem)


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    line, col, message = explain(error, text)
    return Problem(display, line, col, message, "yaml-syntax")


def _reader_problem(error: yaml.reader.ReaderError, text: str, display: str) -> Problem:
    """A character YAML does not accept (control characters): say which, and where."""
    position = max(0, int(error.position))
    if HAVE_LIBYAML:  # libyaml counts bytes of the UTF-8 text, not characters
        position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    character = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
    # The reason is PyYAML's, in English ("control characters are not allowed"): it has no catalogue.
    code = format(character, "04X")
    message = Message("character U+{code} is not allowed in YAML ({reason}); remove it", code=code, reason=error.reason)
    return Problem(display, line, col, message, "encoding")


def _too_deep() -> Message:
    return Message("values are nested more than {depth} levels deep", depth=MAX_DEPTH)


def _too_large(display: str, size: int) -> Problem:
    # Sizes are written without a thousands separator: "65,537" reads as a decimal in French.
    message = Message("file is {size} bytes; the limit is {limit} bytes (64 KiB): shorten it", size=size, limit=MAX_FILE_BYTES)
    return _file_problem(display, message, "file-too-large")


def _file_problem(display: str, message: Message, rule: str) -> Problem:
    return Problem(display, 1, 1, message, rule)


def _offset_mark(raw: bytes, offset: int) -> Mark:
    line = raw.count(b"\n", 0, offset) + 1
    line_start = raw.rfind(b"\n", 0, offset) + 1
    col = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


def _nearest(marks: dict[Loc, Mark], loc: Loc) -> Mark:
    for end in range(len(loc), -1, -1):
        mark = marks.get(loc[:end])
        if mark is not None:
            return mark
    return (1, 1)
