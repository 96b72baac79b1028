"""An unquoted comma inside ``{...}``: YAML ends the value there and reads the rest as empty keys.

``meetings: {every: month, place: Paris, salle Ampère}`` is valid YAML whose ``place`` is just
"Paris", plus a key "salle Ampère" with no value. Only the text tells such a key (no ``:``
after it) from one left empty on purpose (``{on: , at: "12:30"}``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.directory.load import Document, Loc
from generator.directory.safefs import read_bytes
from generator.directory.values import visible
from generator.problems import Message, Problem

RULE = "unquoted-comma"
# The line breaks of YAML, which the loader's marks count.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def with_split_values(document: Document, path: Path, problems: list[Problem]) -> list[Problem]:
    """``problems`` with each key made by an unquoted comma reported as such rather than as an unknown field."""
    if not any(problem.rule == "unknown-field" for problem in problems):
        return problems  # the common case costs nothing: no second read of the file
    try:
        text = read_bytes(path).decode("utf-8").removeprefix("\ufeff")  # read as the loader did: never through a link
    except (OSError, UnicodeDecodeError):
        return problems
    runs = _runs(document, text)
    if not runs:
        return problems
    # A key cut off a value is both an unknown field and the comma's doing: say only the cause.
    split = {document.key_position((*loc, key)) for loc, _, run in runs for key in run}
    kept = [problem for problem in problems if not (problem.rule == "unknown-field" and (problem.line, problem.col) in split)]
    return kept + [_report(document, *run) for run in runs]


_Run = tuple[Loc, tuple[str, str] | None, list[str]]


def _runs(document: Document, text: str) -> list[_Run]:
    """Each mapping's runs of keys without ':' nor value, with the text value before them if any."""
    lines = _LINE_BREAK.split(text)
    runs: list[_Run] = []
    for loc, mapping in _mappings(document.data, ()):
        previous: tuple[str, str] | None = None
        run: list[str] = []
        for key, value in [*mapping.items(), (None, None)]:
            if key is not None and value is None and _no_colon(document, (*loc, key), lines):
                run.append(key)
                continue
            if run:
                runs.append((loc, previous, run))
                run = []
            previous = (key, value) if isinstance(key, str) and isinstance(value, str) else None
    return runs


def _report(document: Document, loc: Loc, previous: tuple[str, str] | None, run: list[str]) -> Problem:
    line, col = document.key_position((*loc, run[0]))
    message = _lone_keys(run) if previous is None else _cut_value(*previous, run)
    # The keys and the value are the file's: escape or invisible characters are shown as escapes.
    return Problem(document.path, line, col, message.with_values(lambda value: visible(value) if isinstance(value, str) else value), RULE)


def _lone_keys(run: list[str]) -> Message:
    """The comma that cut keys off a value when no text value comes before them."""
    if len(run) == 1:
        return Message("an unquoted comma inside {{...}} made '{cut}' a key without a value; quote the value that holds the comma", cut=run[0])
    keys = ", ".join(f"'{word}'" for word in run)
    return Message("an unquoted comma inside {{...}} made keys of {keys} without a value; quote the value that holds the comma", keys=keys)


def _cut_value(key: str, value: str, run: list[str]) -> Message:
    """The comma that ended the text ``value`` of ``key``, with the whole value to write instead."""
    whole = f"{value}, {', '.join(run)}".replace('"', '\\"')
    if len(run) == 1:
        return Message(
            "'{key}' ends at an unquoted comma: YAML read '{value}' and made '{cut}' a key without a value; quote the whole value: {key}: \"{whole}\"",
            key=key,
            value=value,
            cut=run[0],
            whole=whole,
        )
    return Message(
        "'{key}' ends at an unquoted comma: YAML read '{value}' and made keys of {keys} without a value; quote the whole value: {key}: \"{whole}\"",
        key=key,
        value=value,
        keys=", ".join(f"'{word}'" for word in run),
        whole=whole,
    )


def _no_colon(document: Document, loc: Loc, lines: list[str]) -> bool:
    """Whether the key at ``loc`` stands alone in a flow mapping, with no ``:`` after it."""
    key_line, key_col = document.key_position(loc)
    value_line, value_col = document.position(loc)
    if not 0 < key_line <= value_line <= len(lines):
        return False
    # An empty value in a flow mapping is marked where the next ',' or '}' starts.
    if lines[value_line - 1][value_col - 1 : value_col] not in (",", "}"):
        return False
    if value_line == key_line:
        between = lines[key_line - 1][key_col - 1 : value_col - 1]
    else:
        between = "\n".join([lines[key_line - 1][key_col - 1 :], *lines[key_line : value_line - 1], lines[value_line - 1][: value_col - 1]])
    return not between.rstrip().endswith(":")


def _mappings(data: Any, loc: Loc) -> list[tuple[Loc, dict[str, Any]]]:
    found: list[tuple[Loc, dict[str, Any]]] = []
    if isinstance(data, dict):
        found.append((loc, data))
        for key, value in data.items():
            found += _mappings(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _mappings(value, (*loc, index))
    return found
