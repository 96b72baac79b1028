"""Problems are data: collected for every file, then reported all at once.

A problem's message is a ``Message``: it reads as English wherever a string is expected (tests,
logs, composed sentences) and keeps its template and values, so that a formatter says it in the
site's language through the gettext catalogue (``generator/locales``). Templates use ``{name}``
fields, as pydantic's own do, so that a refusal raised inside the model is translated the same way.
The level (``error``, ``warning``) and the rule id stay as written: tools and editors match them.

A problem quotes what it found, and what it found may hold a line break, ESC or a bidi override:
every formatter writes those out (``\\x1b``, ``U+202E``), so that a report never forges a line of
its own, moves a terminal's cursor or reorders what a reader sees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from enum import IntEnum
from gettext import NullTranslations
from typing import Any, Protocol, Self

from generator.controls import json_text, visible


class Words(Protocol):
    """A gettext catalogue: ``i18n.Language``, ``gettext.NullTranslations`` (English as written)."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


AS_WRITTEN: Words = NullTranslations()


class Message(str):
    """Words said to a person: English as a string, translatable through ``said``.

    Values are given by name; a value may itself be a ``Message`` (a hint such as "did you mean
    'x'?"), translated in turn. Build one per sentence: an f-string of two messages is English only.
    """

    template: str
    plural: str | None
    number: int  # which of the plural forms (``str.count`` is taken)
    values: Mapping[str, Any]

    def __new__(cls, template: str, /, **values: Any) -> Self:
        return cls._make(template, None, 1, values)

    @classmethod
    def _make(cls, template: str, plural: str | None, count: int, values: Mapping[str, Any]) -> Self:
        chosen = template if plural is None or count == 1 else plural
        self = super().__new__(cls, chosen.format(**values) if values else chosen)
        self.template, self.plural, self.number, self.values = template, plural, count, values
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # Problems come back from worker processes: the template travels with the text.
        return (type(self)._make, (self.template, self.plural, self.number, dict(self.values)))

    def said(self, words: Words) -> str:
        """This message in the language of ``words``; as written when the catalogue lacks it."""
        if not self.template:
            return ""  # gettext("") is the catalogue's header
        values = {name: said(value, words) for name, value in self.values.items()}
        text = words.gettext(self.template) if self.plural is None else words.ngettext(self.template, self.plural, self.number)
        try:
            return text.format(**values) if values else text
        except (KeyError, IndexError, ValueError):  # a translation that names a value the message lacks
            return str(self)

    def with_values(self, change: Callable[[Any], Any]) -> Message:
        """The same message with every value, down to those of the messages it holds, passed through ``change``."""
        values = {name: value.with_values(change) if isinstance(value, Message) else change(value) for name, value in self.values.items()}
        return type(self)._make(self.template, self.plural, self.number, values)


def counted(singular: str, plural: str, count: int, /, **values: Any) -> Message:
    """A message whose words follow a number: ``counted("{count} error", "{count} errors", n, count=n)``."""
    return Message._make(singular, plural, count, values)


def some_of(names: list[str], shown: int = 5) -> str | Message:
    """``a, b, c, d, e and 3 more``: the first names of a long list, and how many more there are."""
    listed = ", ".join(names[:shown])
    if len(names) <= shown:
        return listed
    more = len(names) - shown
    return counted("{names} and {count} more", "{names} and {count} more", more, names=listed, count=more)


def N_(template: str) -> str:
    """Marks a template kept aside (in a table) for ``Message`` to say later: the extractor finds it here."""
    return template


def said(text: object, words: Words = AS_WRITTEN) -> str:
    """``text`` in the language of ``words`` when it is a ``Message``; as it is otherwise."""
    return text.said(words) if isinstance(text, Message) else str(text)


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

    def as_text(self, words: Words = AS_WRITTEN) -> str:
        return visible(f"{self.path}:{self.line}:{self.col}: {self.level}: {said(self.message, words)} [{self.rule}]")

    def as_dict(self, words: Words = AS_WRITTEN) -> dict[str, object]:
        data = asdict(self)
        data["message"] = said(self.message, words)
        data["level"] = str(self.level)
        return data


class TrombiError(Exception):
    """Raised when input problems stop a stage; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sort_problems(problems)
        super().__init__("\n".join(p.as_text() for p in self.problems))

    def __reduce__(self) -> tuple[type[TrombiError], tuple[list[Problem]]]:
        # Raised in a worker process, it reaches the build with its problems (pickled by its argument, not its text).
        return (type(self), (self.problems,))


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.col, p.rule, p.message))


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.level is Level.ERROR for p in problems)


def format_text(problems: list[Problem], words: Words = AS_WRITTEN) -> str:
    lines = [p.as_text(words) for p in problems]
    if problems:
        lines.append(count_line(problems, words))
    return "\n".join(lines)


def count_line(problems: list[Problem], words: Words = AS_WRITTEN) -> str:
    """"2 errors, 1 warning": the counts a person reads after the list."""
    errors = sum(1 for p in problems if p.level is Level.ERROR)
    warnings = len(problems) - errors
    error_text = counted("{count} error", "{count} errors", errors, count=errors)
    warning_text = counted("{count} warning", "{count} warnings", warnings, count=warnings)
    return Message("{errors}, {warnings}", errors=error_text, warnings=warning_text).said(words)


def format_github(problems: list[Problem], words: Words = AS_WRITTEN) -> str:
    """GitHub workflow commands: one annotation per problem, escaped as GitHub documents."""
    lines = []
    for p in problems:
        command = "error" if p.level is Level.ERROR else "warning"
        props = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (("file", p.path), ("line", p.line), ("col", p.col), ("title", p.rule))
        )
        lines.append(f"::{command} {props}::{_escape_data(said(p.message, words))}")
    return "\n".join(lines)


def format_json(problems: list[Problem], words: Words = AS_WRITTEN) -> str:
    return json_text([p.as_dict(words) for p in problems])


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}


def _escape_data(value: str) -> str:
    # GitHub's own escapes first, then any other control character made visible (it has no escape for them).
    return visible(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")
