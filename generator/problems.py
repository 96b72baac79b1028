"""Problems are data: collected for every file, then reported all at once.

A problem quotes what it found, and what it found may hold a line break, ESC or a bidi override:
every formatter writes those out (``\\x1b``, ``U+202E``), so that a report never forges a line of
its own, moves a terminal's cursor or reorders what a reader sees.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import IntEnum

from generator.controls import json_text, visible


class Level(IntEnum):
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with one place in one file (line and column are 1-based)."""

    path: str
    line: int
    col: int
    message: str
    rule: str
    level: Level = Level.ERROR

    def as_text(self) -> str:
        return visible(f"{self.path}:{self.line}:{self.col}: {self.level}: {self.message} [{self.rule}]")

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["level"] = str(self.level)
        return data


class TrombiError(Exception):
    """Raised when input problems stop a stage; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sort_problems(problems)
        super().__init__("\n".join(p.as_text() for p in self.problems))


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.col, p.rule, p.message))


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.level is Level.ERROR for p in problems)


def format_text(problems: list[Problem]) -> str:
    lines = [p.as_text() for p in problems]
    errors = sum(1 for p in problems if p.level is Level.ERROR)
    warnings = len(problems) - errors
    if problems:
        lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def format_github(problems: list[Problem]) -> str:
    """GitHub workflow commands: one annotation per problem, escaped as GitHub documents."""
    lines = []
    for p in problems:
        command = "error" if p.level is Level.ERROR else "warning"
        props = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (("file", p.path), ("line", p.line), ("col", p.col), ("title", p.rule))
        )
        lines.append(f"::{command} {props}::{_escape_data(p.message)}")
    return "\n".join(lines)


def format_json(problems: list[Problem]) -> str:
    return json_text([p.as_dict() for p in problems])


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}


def _escape_data(value: str) -> str:
    # GitHub's own escapes first, then any other control character made visible (it has no escape for them).
    return visible(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")
