"""What a page reads while it renders, recorded so that the next build knows whether it changed.

A page is a function of its :class:`~generator.site.render.Planned` context and of what its
template reads from the directory. The template reads through a few doors only, each of which is
recorded here as a *query*, a tuple of plain values that the next build can ask again of its own
directory:

- a global name (``("global", "today")``), recorded as the template resolves it (:class:`ReadingContext`);
- an entry of one of the directory's tables (``("item", "people", "ana")``), or the whole table when
  it is walked (``("all", "groups")``), through :class:`TrackedTable`;
- a value or method of the :class:`~generator.directory.enrich.Org` (``("org", "roots")``,
  ``("org.call", "members_of", "plateforme")``), through :class:`TrackedOrg`;
- a helper of the renderer that reads the directory or its history (``("call", "colleagues", "ana")``),
  through :func:`tracked`.

Anything else a template reaches is given to it in its context, or is the same for every build of
one configuration and taxonomy. The doors admit only the names listed here: a template that reaches
for another part of the directory fails, rather than escape the record.

:func:`fingerprint` sums up any value a query answers; a page whose queries all answer as they did,
and whose context has the same fingerprint, renders to the same bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from enum import Enum
from pathlib import PurePath
from typing import Any

from jinja2.runtime import Context
from pydantic import BaseModel

Query = tuple[Any, ...]

ID_TYPE = next(code for code in "IL" if array(code).itemsize == 4)  # a query's number: an unsigned 32-bit number
UNASKED = "\0unasked"  # in a QueryTable, the answer of a query not asked yet (no fingerprint looks like it)


class QueryTable:
    """Queries numbered in the order they are first seen, each once, with its answer (its fingerprint) when known.

    At 100,000 people the pages of a build read about a million queries, ten million times: each
    page keeps the numbers of its queries (an array), and each query is kept once.
    """

    __slots__ = ("_lock", "_numbers", "answers", "queries")

    def __init__(self) -> None:
        self.queries: list[Query] = []
        self.answers: list[str | None] = []  # None: no answer in this build (someone gone); UNASKED
        self._numbers: dict[Query, int] = {}
        self._lock = threading.Lock()  # numbers() and numbered() may be called from two threads at once

    def __getstate__(self) -> tuple[list[Query], list[str | None]]:
        return self.queries, self.answers  # what a worker sends back: its numbers are the order of its queries

    def __setstate__(self, state: tuple[list[Query], list[str | None]]) -> None:
        self.queries, self.answers = state
        self._numbers = {query: number for number, query in enumerate(self.queries)}
        self._lock = threading.Lock()

    def number(self, query: Query, answer: str | None = UNASKED) -> int:
        """``query``'s number, given it if it is new; its answer noted if it was not known."""
        number = self._numbers.get(query)
        if number is None:
            number = self._numbers[query] = len(self.queries)
            self.queries.append(query)
            self.answers.append(answer)
        elif answer != UNASKED and self.answers[number] == UNASKED:
            self.answers[number] = answer
        return number

    def numbers(self, queries: Iterable[Query]) -> array[int]:
        with self._lock:
            return array(ID_TYPE, map(self.number, queries))

    def numbered(self, other: QueryTable) -> array[int]:
        """The numbers here of ``other``'s queries, in its order, each given its answer there if it had one."""
        with self._lock:
            return array(ID_TYPE, map(self.number, other.queries, other.answers))

    def __len__(self) -> int:
        return len(self.queries)

    def __contains__(self, query: object) -> bool:
        return query in self._numbers


class _Reading(threading.local):
    queries: set[Query] | None = None  # those of the page being rendered in this thread, when one is


_reading = _Reading()


def start() -> None:
    """Record the queries of the page about to render (one page at a time in a thread)."""
    _reading.queries = set()


def stop() -> frozenset[Query]:
    """The queries recorded since :func:`start`; recording stops."""
    found, _reading.queries = frozenset(_reading.queries or ()), None
    return found


def note(query: Query) -> None:
    if _reading.queries is not None:
        _reading.queries.add(query)


class ReadingContext(Context):
    """Jinja's context, recording each global name a template looks up (:data:`GLOBALS` holds them)."""

    def resolve_or_missing(self, key: str) -> Any:
        value = super().resolve_or_missing(key)
        # Helpers and doors record their own queries; a global value is recorded by name.
        if _reading.queries is not None and key not in self.vars and key in self.environment.globals and not _answers_itself(value):
            _reading.queries.add(("global", key))
        return value


def _answers_itself(value: Any) -> bool:
    return callable(value) or isinstance(value, TrackedOrg | TrackedTable | TrackedSet)


# Tables of the Org a template may read by key (or walk whole); values it may read whole; methods it may call.
TABLES = frozenset(
    (
        "people",
        "groups",
        "reports",
        "team_members",
        "group_members",
        "groups_of",
        "children",
        "skill_people",
        "skill_slugs",
        "categories",
        "locations",
        "location_slugs",
        "site_groups",
        "skill_counts",
        "languages",
    )
)
VALUES = frozenset(("roots", "top_managers", "sorted_people", "held_skills", "unheld_skills"))
METHODS = frozenset(("members_of", "listed", "site_people", "related_skills", "manager_chain", "group_chain", "newest"))
_MISSING = "\0missing"


class TrackedTable(Mapping[Any, Any]):
    """A table of the directory (people by handle...), recording which entries are read, or that it was walked."""

    __slots__ = ("_name", "_table")

    def __init__(self, name: str, table: Mapping[Any, Any]) -> None:
        self._name, self._table = name, table

    def __getitem__(self, key: Any) -> Any:
        note(("item", self._name, key))
        return self._table[key]

    def get(self, key: Any, default: Any = None) -> Any:
        note(("item", self._name, key))
        return self._table.get(key, default)

    def __contains__(self, key: object) -> bool:
        note(("item", self._name, key))
        return key in self._table

    def __iter__(self) -> Iterator[Any]:
        note(("all", self._name))
        return iter(self._table)

    def __len__(self) -> int:
        note(("all", self._name))
        return len(self._table)


class TrackedSet:
    """A set of the directory's names a template asks about one at a time (``x in org_slugs``)."""

    __slots__ = ("_items", "_name")

    def __init__(self, name: str, items: frozenset[Any]) -> None:
        self._name, self._items = name, items

    def __contains__(self, key: object) -> bool:
        note(("in", self._name, key))
        return key in self._items


class TrackedOrg:
    """The directory with its back-links as templates see it: every read recorded."""

    __slots__ = ("_org", "_tables", "directory")

    def __init__(self, org: Any) -> None:
        self._org = org
        self._tables = {name: TrackedTable(name, getattr(org, name)) for name in TABLES}
        # The taxonomy and the settings are the same for every build the record serves (see generator.build.incremental).
        self.directory = _Constant(skills=org.directory.skills, settings=org.directory.settings)

    def __getattr__(self, name: str) -> Any:
        if name in TABLES:
            return self._tables[name]
        if name in VALUES:
            note(("org", name))
            return getattr(self._org, name)
        if name in METHODS:
            method = getattr(self._org, name)
            return lambda *args: _called(("org.call", name), method, args)
        raise AttributeError(f"templates read the directory through generator.site.reads, which does not list Org.{name}: add it there")


@dataclasses.dataclass(frozen=True)
class _Constant:
    skills: Any
    settings: Any


def tracked(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` as a template's helper whose answer depends on the directory: each call recorded, with its arguments."""
    return lambda *args: _called(("call", name), function, args)


def _called(prefix: Query, function: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    note((*prefix, *(_frozen(arg) for arg in args)))
    return function(*args)


def _frozen(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | date):
        return value
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    raise TypeError(f"a recorded helper was given a {type(value).__name__}: give it names, numbers or dates, which the next build can ask again")


def ask(query: Query, org: Any, calls: Mapping[str, Callable[..., Any]], globals_: Mapping[str, Any], constants: frozenset[str]) -> Any:
    """What ``query`` answers in this build's directory, ``calls`` (the renderer's helpers, unrecorded) and template globals.

    ``constants`` are globals that every build of one configuration shares (the settings, the
    language): the record of a build is used only by builds of the same configuration.
    """
    kind = query[0]
    if kind == "item":
        return getattr(org, query[1]).get(query[2], _MISSING)
    if kind == "all":
        return getattr(org, query[1])
    if kind == "org":
        return getattr(org, query[1])
    if kind == "org.call":
        return getattr(org, query[1])(*query[2:])
    if kind == "call":
        return calls[query[1]](*query[2:])
    if kind == "in":
        return query[2] in globals_[query[1]]._items
    if kind == "global":
        value = globals_.get(query[1], _MISSING)
        if query[1] in constants:
            return "\0constant"
        return f"\0{type(value).__name__}" if _answers_itself(value) else value
    raise ValueError(f"unknown query {query!r}")


def fingerprint(value: Any) -> str:
    """A digest of ``value`` that equal values share in any process (models, dataclasses, dates, sets...)."""
    # A profile or a group, asked a hundred thousand times a build at 100,000 people, as its own JSON:
    # not written again as a string inside JSON (whose text never begins with a NUL, as this does).
    text = f"\0{type(value).__name__}\0{value.model_dump_json()}" if isinstance(value, BaseModel) else weighed(value)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def weighed(value: Any) -> str:
    """What :func:`fingerprint` digests of ``value``: its time grows with this text's length."""
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"), default=_leaf)


# The types JSON writes as they are, a tuple as a list: a list, tuple or mapping of these alone is
# taken whole, its types told at C's speed. Element by element, a skill page's context (its people
# and their levels) took 350 µs, and the contexts of a site of 100,000 people 4.6 s.
_LEAVES = frozenset((str, int, float, bool, type(None)))


def _plain(value: Any) -> Any:
    """``value`` as JSON's types, its own type named where two could print alike."""
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind is list or kind is tuple:
        return value if _LEAVES.issuperset(map(type, value)) else [_plain(item) for item in value]
    if kind is dict and _LEAVES.issuperset(map(type, value)) and _LEAVES.issuperset(map(type, value.values())):
        return ["{}", list(value.items())]
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, BaseModel):
        return [type(value).__name__, value.model_dump_json()]
    if isinstance(value, Mapping):
        return ["{}", [[_plain(key), _plain(item)] for key, item in value.items()]]
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return ["set", sorted(json.dumps(_plain(item), default=_leaf) for item in value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, [_plain(getattr(value, f.name)) for f in dataclasses.fields(value)]]
    return value  # a leaf, for _leaf


def _leaf(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return [type(value).__name__, value.isoformat()]
    if isinstance(value, Enum):
        return [type(value).__name__, value.value]
    if isinstance(value, PurePath):
        return ["path", value.as_posix()]
    raise TypeError(f"no fingerprint for a {type(value).__name__}: generator.site.reads cannot tell whether it changed")
