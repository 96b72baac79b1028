"""What an earlier build made, kept for the next: what each page and each person's exports read, and the files.

After each build, ``.trombi/render/`` holds the files the build made itself from what it read (the
pages outside MkDocs' own, nearly all of them, and each person's JSON and vCard), linked, not
copied, from the site, and its *record*: for each of these *units*, the fingerprint of its
context and the queries it asked while it was made (:mod:`generator.site.reads`), with what each
answered (``record.json``, the units' query numbers in ``record.ids`` beside it). The next build
asks those queries again of its own directory, once each: a unit whose context and answers are
all the same makes the same bytes, so its kept files are linked into the new site instead
(:func:`split`). The rest is made, and recorded in turn.

What every unit depends on is checked first, as the record's *base*: the configuration
(``mkdocs.yml`` and what Trombi read of it), the skills taxonomy, and the shells the pages are
poured into (the theme's chrome). Another base, no record, or a record that cannot be read means
everything is made anew, said in one line. The code and the libraries are checked with the whole
state (:mod:`generator.build.state`).

The record is removed when a build starts writing and written again once every page and export
it makes is in the site (while the kept ones are linked in and Pagefind indexes): a build that
stops before leaves no record, and the next one makes everything. A kept file written over since
(through the site's link to it) is told by its size and time, and made again.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import re
import shutil
import stat
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import accumulate
from pathlib import Path
from typing import Any, TypeAlias, TypeVar
from urllib.parse import quote

import numpy

from generator.directory.enrich import Org
from generator.directory.model import Group, Person
from generator.directory.perfile import digest_key
from generator.directory.safefs import open_regular
from generator.directory.settings import CONFIG_FILE
from generator.history.git import Change
from generator.interop.exports import person_export_files
from generator.parallel import BESIDE, InChild, can_fork, cores, forked
from generator.problems import Message
from generator.site.reads import ID_TYPE, UNASKED, Query, QueryTable, fingerprint
from generator.site.render import Planned, Renderer
from generator.site.sitepages import Shell, ShellKey
from generator.site.urls import page_file

RENDER_DIR = "render"  # in the state folder
RECORD_FILE = "record.json"
IDS_FILE = "record.ids"  # beside the record: every unit's query numbers, in the record's order of units
FILES_DIR = "files"
FORMAT = 7
T = TypeVar("T")
R = TypeVar("R")
# A unit's query numbers: an array, as this build's reads numbered them, or a view into the numbers of
# the record read (little-endian, :meth:`Record.from_parts`), which 221,000 units at 100,000 people
# share: copied into an array each, they took 0.7 s of a merge to read, twice.
Numbers: TypeAlias = "array[int] | numpy.ndarray"
LITTLE = numpy.dtype("<u4")  # how the record's numbers are written


def base(renderer: Renderer, shells: Mapping[ShellKey, Shell]) -> str:
    """What every page depends on besides its own reads: the configuration, the taxonomy, the shells."""
    settings = renderer.settings
    try:
        config = (settings.root / CONFIG_FILE).read_bytes().decode("utf-8", "replace")
    except OSError:
        config = ""
    own = {name: getattr(settings, name) for name in settings.__dataclass_fields__ if name != "raw"}
    return fingerprint(
        {
            "config": config,
            "settings": own,
            "taxonomy": renderer.org.directory.skills,
            "shells": sorted((list(key), list(shell.pieces)) for key, shell in shells.items()),
        }
    )


def context_of(planned: Planned) -> str:
    """The fingerprint of what a planned page is given (its template, its file, its context)."""
    return fingerprint((planned.template, planned.source, planned.context))


def contexts_of(pages: Sequence[Planned]) -> list[str]:
    """:func:`context_of` each page, on every core when they are many (14 s on one at 100,000 people)."""
    return _each(context_of, pages, CONTEXTS_PARALLEL_FROM, CHUNK_CONTEXTS)


def _each(work: Callable[[T], R], items: Sequence[T], parallel_from: int, chunk: int) -> list[R]:
    """``work`` of each item in order: by forked workers, which inherit the items, a ``chunk`` at a time from ``parallel_from`` items on."""
    if len(items) < parallel_from or cores() < 2 or not can_fork():
        return [work(item) for item in items]

    def run(start: int) -> list[R]:
        return [work(item) for item in items[start : start + chunk]]

    with forked(run, cores()) as submit:
        futures = [submit(start) for start in range(0, len(items), chunk)]
        return [result for future in futures for result in future.result()]


@dataclass(frozen=True, slots=True)
class Unit:
    """Something a build writes from what it reads: a page, or a person's exports; its files in the site."""

    key: str  # a page's docs path (people/ana.md), or export:<handle>
    context: str  # the fingerprint of what it is given besides its reads
    files: tuple[str, ...]
    names: tuple[str, ...] = field(init=False)  # of its files in the folder of kept files (kept_name): worked out once, read three times

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(map(kept_name, self.files)))


EXPORT = "export:"  # then a handle: the key of a person's exports
LISTING = "listing:"  # then the path of one of the listing's pages: the key of that page


def unit_files(key: str, *, directory_urls: bool) -> tuple[str, ...]:
    """The files in the site of the unit ``key``: a page's (its docs path), a person's exports (:data:`EXPORT`), a page of the listing (:data:`LISTING`).

    What :func:`generator.build.write.write_site` gives each unit, and what :class:`Foreseen`'s
    child reads for each unit of the record: one function, so that both name the same files.
    """
    if key.startswith(EXPORT):
        return person_export_files(key[len(EXPORT) :])
    if key.startswith(LISTING):
        return (key[len(LISTING) :],)
    return (page_file(key, directory_urls=directory_urls),)


@dataclass
class Record:
    """What a build's units read: the queries, what each answered, and each unit's context and queries.

    A unit's queries are numbers into :attr:`queries`, kept as an array or a view (and written as bytes): at
    100,000 people a record names about a million queries and ten million uses of them. A build
    that keeps a unit keeps its numbers as they are; the table is renumbered only when a quarter of
    it is no longer used (:func:`keep`).
    """

    base: str
    queries: list[Query] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    # key -> the fingerprint of its context, its queries, and its kept files' sizes and times (a file changed since is not the unit's)
    units: dict[str, tuple[str, Numbers, str]] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)  # what the build was made of (inputs_of), for settled()
    # The first queries as :meth:`parts` wrote them (how many, their lines, their others), when they
    # are those of the record read (from_parts): written again as they were read, not line by line.
    written: tuple[int, str, list[Any]] | None = field(default=None, repr=False, compare=False)

    def __eq__(self, other: object) -> bool:
        """The same record: the same fields, a unit's numbers the same whether an array or a view holds them."""
        if not isinstance(other, Record):
            return NotImplemented
        return (self.base, self.queries, self.answers, self.inputs) == (other.base, other.queries, other.answers, other.inputs) and _plain_units(
            self.units
        ) == _plain_units(other.units)

    def parts(self) -> tuple[str, bytes]:
        """The record as JSON, and its units' query numbers as little-endian 32-bit numbers, one unit after the other.

        At 100,000 people the numbers are ten million: written out as bytes, they are read back at
        the speed of a copy, where text of them took seconds to write and read, and a gigabyte.
        The million queries are mostly names only: those are written as one text, a line each, a
        tab between its names, which is split back in a fraction of the time JSON takes to parse a
        million lists; a query with another value, or a name with a tab or a line break in it, is
        written as JSON beside, with its number (``others``). The answers are fingerprints, or
        empty: one text, a comma between them.
        """
        raw = b"".join(self._ids())
        return "".join(self._pieces(_digest(raw))), raw

    def _ids(self) -> Iterator[memoryview]:
        """The units' query numbers as bytes, little-endian, one unit after the other, each from where it is."""
        for _, numbers, _ in self.units.values():
            yield _little(numbers).data

    def _pieces(self, digest: str) -> Iterator[str]:
        """The text of :meth:`parts`, one field at a time: each made, written and let go before the next.

        At 100,000 people the record is 110 MB of text and 113 MB of numbers, written while
        Pagefind indexes beside the build, its highest point: made whole, with its parts, they took
        the build's process 549 MiB higher for a moment; written a field at a time (and the numbers a
        unit at a time, :meth:`write`), 116 MiB.
        """
        start, text, written_others = self.written if self.written is not None and self.written[0] <= len(self.queries) else (0, "", [])
        others = list(written_others)
        lines: list[str] = [text] if start else []
        for number, query in enumerate(self.queries[start:], start):
            line = _plain_line(query)
            if line is None:
                others.append([number, _encoded(query)])
                line = ""
            lines.append(line)

        def queries() -> str:
            text = "\n".join(lines)
            lines.clear()  # a million lines, let go once joined
            return text

        fields: list[tuple[str, Callable[[], Any]]] = [
            ("format", lambda: FORMAT),
            ("base", lambda: self.base),
            ("ids", lambda: digest),
            ("queries", queries),
            ("others", lambda: others),
            ("answers", lambda: ",".join(self.answers)),
            ("units", self._units),
            ("inputs", lambda: self.inputs),
        ]
        for number, (name, value) in enumerate(fields):
            yield ("{" if number == 0 else ",") + json.dumps(name) + ":"
            yield json.dumps(value(), ensure_ascii=False, separators=(",", ":"))
        yield "}"

    def _units(self) -> dict[str, list[Any]]:
        """The units as four lists, one item each: their keys, contexts, counts of query numbers and stamps.

        At 100,000 people, 221,000 units read as a mapping of lists made the whole record 1.9 s to
        read back, and 1.5 s as four flat lists, which the JSON parser reads in C.
        """
        entries = self.units.values()
        return {
            "keys": list(self.units),
            "contexts": [context for context, _, _ in entries],
            "counts": [len(numbers) for _, numbers, _ in entries],
            "stamps": [stamps for _, _, stamps in entries],
        }

    @classmethod
    def from_parts(cls, text: str, raw: bytes) -> Record:
        """A record as :meth:`parts` gave it; ValueError for anything else (numbers that are not the record's among them)."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a record of this format")
        lines, others, answers = data.get("queries"), data.get("others"), data.get("answers")
        if not isinstance(lines, str) or not isinstance(others, list) or not isinstance(answers, str) or not isinstance(data.get("units"), dict):
            raise ValueError("no queries or no units")
        keys, contexts, counts, stamps = (data["units"].get(name) for name in ("keys", "contexts", "counts", "stamps"))
        if not all(type(column) is list for column in (keys, contexts, counts, stamps)) or not len(keys) == len(contexts) == len(counts) == len(stamps):
            raise ValueError("broken units")
        if not all(type(item) is str for column in (keys, contexts, stamps) for item in column):
            raise ValueError("broken units")
        if not all(type(count) is int and count >= 0 for count in counts):
            raise ValueError("broken units")
        if data.get("ids") != _digest(raw) or len(raw) % 4:
            raise ValueError("the query numbers are not the record's")
        queries: list[Query] = [tuple(line.split("\t")) for line in lines.split("\n")] if lines or others else []
        for entry in others:
            if type(entry) is not list or len(entry) != 2 or type(entry[0]) is not int or not 0 <= entry[0] < len(queries):
                raise ValueError("a broken query")
            queries[entry[0]] = _decoded_query(entry[1])
        if any(len(query) < 2 for query in queries):
            raise ValueError("a broken query")
        answer_list = answers.split(",") if queries else []
        if len(answer_list) != len(queries):
            raise ValueError("answers do not match the queries")
        ids = numpy.frombuffer(raw, dtype=LITTLE)  # each unit's numbers a view of these, not a copy
        if ids.size and int(ids.max()) >= len(queries):  # ten million numbers at 100,000 people
            raise ValueError("a query number beyond the table")
        bounds = list(accumulate(counts, initial=0))
        if bounds[-1] != ids.size:
            raise ValueError("the query numbers are not the units'")
        units: dict[str, tuple[str, Numbers, str]] = {
            key: (context, ids[start:end], files) for key, context, start, end, files in zip(keys, contexts, bounds[:-1], bounds[1:], stamps, strict=True)
        }
        if len(units) != len(keys):
            raise ValueError("a unit named twice")
        if not isinstance(data["base"], str):
            raise ValueError("no base")
        inputs = data.get("inputs")
        if not isinstance(inputs, dict) or not all(type(value) is str for value in inputs.values()):
            raise ValueError("no inputs")
        return cls(data["base"], queries, answer_list, units, inputs, (len(queries), lines, others))

    def write(self, folder: Path) -> None:
        """Into ``folder``: the numbers first, then the record that names their digest (a build stopped between leaves no record)."""
        # Ten million numbers at 100,000 people: written unit by unit from where they are, not gathered first.
        digest = hashlib.blake2b(digest_size=_DIGEST_SIZE)
        with open(folder / IDS_FILE, "wb") as ids:
            for raw in _batched(self._ids()):
                digest.update(raw)
                ids.write(raw)
        with open(folder / RECORD_FILE, "w", encoding="utf-8") as record:
            record.writelines(self._pieces(digest.hexdigest()))

    @classmethod
    def read(cls, folder: Path) -> Record:
        """The record :meth:`write` left in ``folder``; OSError if it cannot be read (NotAFile through a link), ValueError if it is not one."""
        return cls.read_known(folder)[0]

    @classmethod
    def read_known(cls, folder: Path) -> tuple[Record, tuple[int, ...]]:
        """:meth:`read`, and what tells the files read from any others (their inode, size and times): two reads of one record are told so."""
        with open_regular(folder / RECORD_FILE) as record, open_regular(folder / IDS_FILE) as ids:
            known = tuple(value for file in (record, ids) for value in _identity(os.fstat(file.fileno())))
            return cls.from_parts(record.read().decode("utf-8"), ids.read()), known


def _plain_units(units: Mapping[str, tuple[str, Numbers, str]]) -> dict[str, tuple[str, bytes, str]]:
    return {key: (context, _little(numbers).tobytes(), stamps) for key, (context, numbers, stamps) in units.items()}


def _little(numbers: Numbers) -> numpy.ndarray:
    """``numbers`` as the bytes of little-endian 32-bit numbers, as the record writes them."""
    return numpy.asarray(numbers, dtype=LITTLE).view(numpy.uint8)


def _identity(status: os.stat_result) -> tuple[int, ...]:
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=_DIGEST_SIZE).hexdigest()


def _batched(pieces: Iterable[memoryview], size: int = 1 << 20) -> Iterator[bytes]:
    """``pieces`` joined into about ``size`` bytes at a time: 221,000 units' numbers digested and written in a hundred calls, not a million."""
    batch: list[memoryview] = []
    held = 0
    for piece in pieces:
        batch.append(piece)
        held += len(piece)
        if held >= size:
            yield b"".join(batch)
            batch, held = [], 0
    if batch:
        yield b"".join(batch)


_DIGEST_SIZE = 16


@dataclass
class Kept:
    """The files an earlier build left in ``folder``, and its record (None: everything is made anew)."""

    folder: Path
    record: Record | None
    note: Message | None = None  # why the earlier files cannot be used, if there were some

    @property
    def files_dir(self) -> Path:
        return self.folder / FILES_DIR


def kept_name(file: str) -> str:
    """The name of a site's file in the flat folder of kept files: no name can lead out of it.

    The file's path, quoted (``people%2Fana%2Findex.html``); a digest where that would be too long
    for a file system (a page named after a long skill or site).
    """
    # What quote() leaves as it is, but for the slashes: most names, told apart at the regex engine's speed.
    name = file.replace("/", "%2F") if _UNQUOTED.fullmatch(file) else quote(file, safe="")
    if len(name.encode("utf-8")) <= _NAME_MAX:
        return name
    return "~" + hashlib.blake2b(file.encode("utf-8"), digest_size=20).hexdigest()


_UNQUOTED = re.compile(r"[A-Za-z0-9_.~/-]*")
_NAME_MAX = 200  # bytes: under the 255 of common file systems, with room for ".new"


def open_kept(state: Path, base_now: str, read: Record | None = None) -> Kept:
    """The earlier build's files and record, if this build can use them; the record is removed meanwhile.

    ``read``: the record as :class:`Foreseen` read it when the plan began, not read again.
    """
    folder = state / RENDER_DIR
    record_file = folder / RECORD_FILE
    if not folder.exists():
        return Kept(folder, None)
    if folder.is_symlink() or not folder.is_dir() or (folder / FILES_DIR).is_symlink():
        _remove(folder)
        return Kept(folder, None, Message("state: .trombi/render was a link or a file: it was removed, and every page is rendered"))
    if not record_file.exists() and not record_file.is_symlink():
        return Kept(folder, None, Message("state: the previous build did not end, so its pages are not used: every page is rendered"))
    try:
        record: Record | None = read if read is not None else Record.read(folder)
    except (OSError, ValueError, KeyError, TypeError):
        record = None
    record_file.unlink(missing_ok=True)  # until this build has made and placed its files (keep)
    if record is None:
        return Kept(folder, None, Message("state: the record of the previous build's pages cannot be read: every page is rendered"))
    if record.base != base_now:
        return Kept(folder, None, Message("state: the configuration, the skills or the theme changed since the previous build: every page is rendered"))
    return Kept(folder, record)


def inputs_of(digests: Mapping[str, str], today: date, changes: Mapping[str, Change] | None = None, tables: Mapping[str, str] | None = None) -> dict[str, str]:
    """What a build is made of that :func:`settled` compares: the digest of each file read
    (:func:`generator.directory.perfile.digests_read`), the day, the commit that last changed
    each file (``changes``, :attr:`History.changes <generator.history.git.History.changes>`), and
    the directory's tables that say who is where (:func:`tables_of`); empty when no digest was taken."""
    if not digests:
        return {}
    changed = {CHANGED + path: change.commit for path, change in (changes or {}).items()}
    return {**digests, TODAY: today.isoformat(), **changed, **(tables or {})}


TODAY = "\0today"  # in inputs, beside the files' names ("Person:ana"), which have no NUL
CHANGED = "\0changed\0"  # then a file's path in the repository: the commit that last changed it
TABLE = "\0table\0"  # then the name of one of the tables of tables_of

_ORG_TABLES = ("reports", "team_members", "group_members", "groups_of", "children")  # read by key, or walked, as they are


def tables_of(org: Org) -> dict[str, str]:
    """The fingerprint of each table that says who is where: who reports to whom, who is in which
    team and group, which groups hold which, who is hidden from listings (by :data:`TABLE` and its name).

    What :data:`_STRUCTURE` settles by them: at 100,000 people, 560,000 of a merge's million
    queries ask who someone's colleagues, managers and groups are, and an edit of a title, a skill
    or a contact moves none of these tables. Plain JSON, written by the json module's encoder in
    C. Weigh them before a child is forked: at 100,000 people that took 0.7 s, and 1.8 s after,
    when this process's every touch of a person copied the page that holds it.
    """
    people, groups = org.people, org.groups
    tables: dict[str, Any] = {
        **{name: getattr(org, name) for name in _ORG_TABLES},
        # Each person's team and manager, each group's parent and type: their keys are who is there at all.
        "teams": {handle: person.team for handle, person in people.items()},
        "managers": {handle: person.manager for handle, person in people.items()},
        "parents": {slug: group.parent for slug, group in groups.items()},
        "types": {slug: group.type for slug, group in groups.items()},
        "hidden": sorted(org.hidden()),
    }
    return {TABLE + name: _digest(json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode("utf-8")) for name, table in tables.items()}


# What each structural query reads, all of it (the code it runs is the Org's or the renderer's,
# named beside): it answers as the record says when every table named has the same fingerprint.
_STRUCTURE: dict[tuple[str, str], tuple[str, ...]] = {
    **{(kind, name): (name,) for kind in ("item", "all") for name in _ORG_TABLES},
    ("call", "colleagues"): ("teams", "managers", "reports", "team_members", "hidden"),  # Renderer.colleagues
    ("org.call", "manager_chain"): ("managers",),  # Org.manager_chain
    ("org.call", "group_chain"): ("parents",),  # Org.group_chain
    ("org.call", "members_of"): ("types", "team_members", "group_members"),  # Org.members_of
    ("org.call", "listed"): ("hidden",),  # Org.listed
}


def settled(before: Mapping[str, str], now: Mapping[str, str]) -> Callable[[Query], bool]:
    """Whether a query of a record made of ``before`` answers as the record says in a build made of ``now``, known without asking it.

    An entity is a function of its file's bytes, its name and the taxonomy, which the record's
    base holds (the premise of :class:`~generator.directory.perfile.StoredChecks`): a person's or a
    group's entry, the whole table of groups, and a person's reminder to update their profile (the
    person, the day and the settings) answer as they did when what they read has the digests it
    had. At 100,000 people those are 207,000 of a merge's million queries, and asking the rest
    again in one process takes 5.1 s where all of them took 8.0 s. A file's last change is a
    function of the commit that made it (its date and author), and whether a profile is stale, of
    that change and the day: 200,000 more. Who someone's colleagues, managers, reports and groups
    are is a function of the tables :func:`tables_of` weighs (:data:`_STRUCTURE`), which an edit of
    a title, a skill or a contact leaves as they were: 560,000 more. Every other query is asked.
    """
    if not before or not now:
        return lambda query: False

    def same(key: str) -> bool:
        found = now.get(key)
        return found is not None and before.get(key) == found

    group = _ENTITIES["groups"]
    groups_now = [key for key in now if key.startswith(group)]
    all_groups = len(groups_now) == sum(1 for key in before if key.startswith(group)) and all(map(same, groups_now))
    structure = {kind: all(same(TABLE + table) for table in tables) for kind, tables in _STRUCTURE.items()}

    def answered(query: Query) -> bool:
        kind, name = query[0], query[1]
        if structure.get(query[:2], False):
            return True
        if kind == "item" and len(query) == 3 and type(query[2]) is str:
            return same(_ENTITIES[name] + query[2]) if name in _ENTITIES else False
        if kind == "all":
            return name == "groups" and all_groups
        if kind == "call" and name == "nudge" and len(query) == 4 and type(query[2]) is str:
            return same(TODAY) and same(_ENTITIES["people"] + query[2])
        if kind == "call" and name in ("last_change", "is_stale") and len(query) == 3 and type(query[2]) is str:
            return same(CHANGED + query[2]) and (name == "last_change" or same(TODAY))
        return False

    return answered


# The tables of the Org that hold the entities as read from their files, and how digests_read names those files (before their names).
_ENTITIES = {"people": digest_key(Person, ""), "groups": digest_key(Group, "")}


@dataclass(frozen=True)
class Split:
    """The units to make, and those whose kept files are what they would make."""

    make: set[str]  # keys
    keep: list[Unit]
    answers: Mapping[int, str | None]  # what the record's queries asked so far answer in this build, by number
    numbers: dict[Query, int] = field(default_factory=dict)  # the record's queries, numbered
    changed: list[int] = field(default_factory=list)  # the numbers of those whose answer is not the record's

    def known(self, query: Query) -> str | None:
        """What ``query`` answers in this build if it was asked already (:data:`UNASKED` if not): a page made reads much of what kept pages read."""
        number = self.numbers.get(query)
        return UNASKED if number is None else self.answers.get(number, UNASKED)


class _Asked(Mapping[int, "str | None"]):
    """What the record's queries that ``asked`` marks answer in this build, by number: ``found`` holds
    those that may answer otherwise than the record says (the record's ``answers``), which give the rest.

    At 100,000 people a merge asks a million of the record's queries and a few answer otherwise:
    a dictionary of all of them took the build's process 0.4 s to make, while nothing else ran.
    """

    def __init__(self, asked: numpy.ndarray, found: dict[int, str | None], answers: list[str]) -> None:
        self._asked, self._found, self._answers = asked, found, answers

    def __contains__(self, number: object) -> bool:
        return type(number) is int and 0 <= number < len(self._asked) and bool(self._asked[number])

    def __getitem__(self, number: int) -> str | None:
        if number not in self:
            raise KeyError(number)
        return self._answer(number)

    def get(self, number: int, default: Any = None) -> Any:
        # Mapping's get() would raise and catch a KeyError for each query not asked.
        return self._answer(number) if number in self else default

    def _answer(self, number: int) -> str | None:
        return self._found[number] if number in self._found else self._answers[number]

    def __iter__(self) -> Iterator[int]:
        return iter(numpy.flatnonzero(self._asked).tolist())

    def __len__(self) -> int:
        return int(numpy.count_nonzero(self._asked))


def split(
    renderer: Renderer,
    units: Sequence[Unit],
    kept: Kept,
    present: Callable[[str], bool],
    inputs: Mapping[str, str],
    foreseen: Foreseen | None = None,
) -> Split:
    """``units`` into those to make and those kept as they are: same context, same answers, files in place.

    ``present(file)`` tells whether what else a kept file needs is there (a page's search document).
    The queries of the units that may be kept are asked once each (:func:`answer_all`), but for
    those ``foreseen`` asked already, when it read the record that ``kept`` holds, and those
    :func:`settled` by what the build is made of (``inputs``). A unit's kept files are those it
    names, stamped as the record says; ``foreseen``'s child compared the stamps of the files that
    :func:`unit_files` names for each of the record's units, which are the units' own.
    """
    record = kept.record
    if record is None:
        return Split({unit.key for unit in units}, [], {})
    found = foreseen if foreseen is not None and foreseen.record is record else None
    before = found.answers() if found is not None else None
    stale = found.stale() if found is not None and found.files_dir == kept.files_dir else None
    if stale is None:
        stamps = functools.partial(_stamps, str(kept.files_dir))

        def unchanged(unit: Unit, stamped: str) -> bool:
            return stamps(unit.names) == stamped
    else:

        def unchanged(unit: Unit, stamped: str) -> bool:
            return unit.key not in stale

    candidates: list[tuple[Unit, Numbers]] = []
    make: set[str] = set()
    for unit in units:
        entry = record.units.get(unit.key)
        if entry is not None and entry[0] == unit.context and unchanged(unit, entry[2]) and all(map(present, unit.files)):
            candidates.append((unit, entry[1]))
        else:
            make.add(unit.key)
    # The candidates' query numbers end to end (ten million at 100,000 people), worked on whole.
    joined, bounds = _joined([ids for _, ids in candidates])
    marks = _marked(joined, len(record.queries))
    answers: Mapping[int, str | None]
    if before is None:
        asked = marks.nonzero()[0].tolist()
        answered = settled(record.inputs, inputs)
        here: dict[int, str | None] = {index: record.answers[index] for index in asked if answered(record.queries[index])}
        left = [index for index in asked if index not in here]
        here.update(zip(left, answer_all(renderer, [record.queries[index] for index in left]), strict=True))
        answers, differ = here, [index for index, answer in here.items() if answer != record.answers[index]]
    else:
        # What the child found answers otherwise, and what it left to this process, of the queries asked.
        changed_before, skipped = before
        otherwise = {index: answer for index, answer in changed_before.items() if marks[index]}
        left = sorted(index for index in skipped if marks[index])
        if left:
            renderer.gather(wait=True)  # what the renderer's child worked out, which these ask
        otherwise.update(zip(left, answer_all(renderer, [record.queries[index] for index in left]), strict=True))
        answers = _Asked(marks, otherwise, record.answers)
        differ = sorted(index for index, answer in otherwise.items() if answer != record.answers[index])
    changed = numpy.zeros(len(record.queries), dtype=bool)
    changed[numpy.array(differ, dtype=numpy.int64)] = True
    # Whether each candidate read a changed answer: where each such read falls among the candidates'
    # bounds (a running count of ten million reads took two seconds, in NumPy's cast to 64 bits).
    touched = numpy.zeros(len(candidates), dtype=bool)
    touched[numpy.searchsorted(bounds, numpy.flatnonzero(changed[joined]), side="right") - 1] = True
    keep = []
    for (unit, _), read_changed in zip(candidates, touched.tolist(), strict=True):
        if read_changed:
            make.add(unit.key)
        else:
            keep.append(unit)
    return Split(make, keep, answers, {query: index for index, query in enumerate(record.queries)}, differ)


Looked = tuple[tuple[int, ...], set[str], set[str] | None]  # what looking_ahead's child read (Record.read_known), then _looked_at's answer
LOOK_AHEAD_FROM = 2 << 20  # bytes of the record (about 2,000 people); below, Foreseen's own child looks, if it runs at all


def looking_ahead(state: Path, *, documents: Path, directory_urls: bool) -> InChild[Looked | None] | None:
    """The kept files and the search documents looked at (:func:`_looked_at`) by a child forked now, at the lowest priority.

    Forked as the build begins, before the directory is read (the process is small), to be given
    to :class:`Foreseen`: at 100,000 people, the stamps of 321,000 kept files and 100,000 search
    documents looked at took Foreseen's child 1.8 s, in the plan, where every core is taken, while
    the validation, the enrichment and the history that come before it leave one core idle for
    seconds. The child reads the record itself, and answers with what tells the files it read
    from others, so that Foreseen takes its answer only for the record it reads too. None where
    there is no record this large, or no fork. Read the state after :func:`generator.build.state.check_state`.
    """
    folder = state / RENDER_DIR
    try:
        large = not folder.is_symlink() and os.lstat(folder / RECORD_FILE).st_size >= LOOK_AHEAD_FROM
    except OSError:
        return None
    if not large or not can_fork():
        return None
    return InChild(lambda: _look(folder, documents, directory_urls), nice=BESIDE)


def _look(folder: Path, documents: Path, directory_urls: bool) -> Looked | None:
    try:
        record, known = Record.read_known(folder)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # Foreseen reads it again, and says why it cannot be used
    return known, *_looked_at(record, folder / FILES_DIR, documents, directory_urls)


class Foreseen:
    """The earlier build's record, read as the plan begins, and its queries asked again meanwhile by a forked child.

    At 100,000 people, reading the record and asking its million queries again was 8 of the 13 s
    of a merge's "changes" stage, on one core then two, while the plan before it left a core
    idle for seconds. The child starts with the plan, from the same directory and renderer, and
    sends back only what answers otherwise than the record says (and which queries it left: those
    about similar people, which another child works out for this process, :meth:`Renderer.foresee`).
    It does not ask what is :func:`settled` by what the build is made of (``inputs``).

    It also looks at the kept files (:func:`_looked_at`): the units of the record whose files'
    stamps are not those recorded (:meth:`stale`), and the people's pages of the record whose
    search document is missing from ``documents`` (:meth:`undocumented`). At 100,000 people,
    321,000 files and 100,000 documents: a second of the "changes" stage when this process
    compared them, while nothing else ran, and 0.3 s more to read back their stamps from the child.
    ``looked``, the child :func:`looking_ahead` forked as the build began, has looked already:
    its answer is taken when it read the same record as this process, else the look is made here.
    Without ``apart`` (a small directory) nothing is read here: :func:`open_kept` and
    :func:`split` read and ask as they did. :meth:`stop` ends the children if the build ends first.
    """

    def __init__(
        self,
        state: Path,
        renderer: Renderer,
        inputs: Mapping[str, str],
        *,
        apart: bool,
        documents: Path | None = None,
        directory_urls: bool = True,
        looked: InChild[Looked | None] | None = None,
    ) -> None:
        self.record: Record | None = None
        self.files_dir = state / RENDER_DIR / FILES_DIR  # the kept files the child stamps
        self._child: InChild[tuple[dict[int, str | None], set[int], set[str], set[str] | None]] | None = None
        self._found: tuple[dict[int, str | None], set[int], set[str], set[str] | None] | None = None
        self._looked = looked  # taken for the record read here only (_looked_for)
        self._known: tuple[int, ...] = ()  # what tells the record read here from others (Record.read_known)
        self._documents, self._directory_urls = documents, directory_urls
        folder = state / RENDER_DIR
        try:
            if not apart or not can_fork() or folder.is_symlink() or not (folder / RECORD_FILE).exists():
                return
            try:
                record, known = Record.read_known(folder)
            except (OSError, ValueError, KeyError, TypeError):
                return  # open_kept reads it again, and says why it cannot be used
            if len(record.queries) >= ANSWER_APART_FROM:
                self.record, self._known = record, known
                answered = settled(record.inputs, inputs)
                if looked is None:
                    self._child = InChild(lambda: (*_asked_again(renderer, record, answered), *self._look_here(record)))
                else:  # looked at already
                    self._child = InChild(lambda: (*_asked_again(renderer, record, answered), set(), None))
        finally:
            if self._child is None:
                self._stop_looking()  # its answer is of no use here

    def answers(self) -> tuple[dict[int, str | None], set[int]] | None:
        """What the child found: each query's number whose answer changed, with its answer; the numbers it did not ask."""
        found = self._result()
        return None if found is None else found[:2]

    def stale(self) -> set[str] | None:
        """The keys of the record's units whose kept files are not as it stamped them (written over, or gone), as the child found them."""
        found = self._result()
        return None if found is None else found[2]

    def undocumented(self) -> set[str] | None:
        """The files of the record's people's pages that have no search document, as the child found them; None if it did not look."""
        found = self._result()
        return None if found is None else found[3]

    def _result(self) -> tuple[dict[int, str | None], set[int], set[str], set[str] | None] | None:
        if self._child is not None and self._found is None:
            found = self._child.result()
            if self._looked is not None:
                found = (*found[:2], *self._looked_for())
            self._found = found
        return self._found

    def _looked_for(self) -> tuple[set[str], set[str] | None]:
        """The early look's answer (looking_ahead) if it read the record this process read; else the look, made here."""
        assert self._looked is not None
        looked, self._looked = self._looked.result(), None
        if looked is not None and looked[0] == self._known:
            return looked[1], looked[2]
        assert self.record is not None
        return self._look_here(self.record)  # another record since (another build wrote one meanwhile): looked at anew

    def _look_here(self, record: Record) -> tuple[set[str], set[str] | None]:
        return _looked_at(record, self.files_dir, self._documents, self._directory_urls)

    def _stop_looking(self) -> None:
        if self._looked is not None:
            self._looked.stop()
            self._looked = None

    def stop(self) -> None:
        if self._child is not None:
            self._child.stop()
        self._stop_looking()


def _looked_at(record: Record, files_dir: Path, documents: Path | None, directory_urls: bool) -> tuple[set[str], set[str] | None]:
    """The keys of ``record``'s units whose kept files in ``files_dir`` (:func:`unit_files`) do not
    have the stamps it recorded; the files of its people's pages (``people/...``, the pages
    Pagefind indexes) with no search document in ``documents`` (None without ``documents``)."""
    stamps = kept_stamps(files_dir)
    stale: set[str] = set()
    undocumented: set[str] = set()
    folder = str(documents) if documents is not None else None
    for key, (_, _, stamped) in record.units.items():
        files = unit_files(key, directory_urls=directory_urls)
        if "|".join(stamps.get(kept_name(file), "") for file in files) != stamped:
            stale.add(key)
        if folder is not None and key.startswith(_PEOPLE) and not os.path.isfile(os.path.join(folder, files[0])):
            undocumented.add(files[0])
    return stale, undocumented if folder is not None else None


_PEOPLE = "people/"  # the docs paths of the people's pages: the pages searched (generator.build.plan.SitePlan.searched)


ANSWER_APART_FROM = 20_000  # queries of the record; below, split() asks them in this process and its workers
RELATED = ("org.call", "related_skills")  # the queries that read how often skills are held together (Org.held_together)
# What the renderer's own child works out (Renderer.foresee), which only the process that started
# it reads: similar people, and the skills held together (1.5 s at 100,000 people, which this
# child would otherwise work out again for the skill pages' related skills).
_LEFT_TO_THE_BUILD = frozenset({("call", "similar_to"), RELATED})


def _asked_again(renderer: Renderer, record: Record, answered: Callable[[Query], bool]) -> tuple[dict[int, str | None], set[int]]:
    """Each of ``record``'s queries asked of this build's directory, but those ``answered`` already.

    What changed, by number with its answer, and the numbers left (:data:`_LEFT_TO_THE_BUILD`).
    """
    changed: dict[int, str | None] = {}
    left: set[int] = set()
    answers = record.answers
    for number, query in enumerate(record.queries):
        if query[:2] in _LEFT_TO_THE_BUILD:
            left.add(number)
            continue
        if answered(query):
            continue
        answer = renderer.answer_or_none(query)
        if answer != answers[number]:
            changed[number] = answer
    return changed, left


def _joined(arrays: Iterable[Numbers]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """``arrays`` of query numbers end to end, and where each begins, then where the last ends."""
    pieces = [ids if type(ids) is numpy.ndarray else numpy.asarray(ids, dtype=numpy.uint32) for ids in arrays]
    bounds = numpy.zeros(len(pieces) + 1, dtype=numpy.int64)
    numpy.cumsum(numpy.fromiter(map(len, pieces), dtype=numpy.int64, count=len(pieces)), out=bounds[1:])
    return (numpy.concatenate(pieces).astype(numpy.uint32, copy=False) if pieces else numpy.zeros(0, dtype=numpy.uint32)), bounds


def _marked(numbers: numpy.ndarray, size: int) -> numpy.ndarray:
    """Which of ``size`` query numbers are among ``numbers``."""
    marks = numpy.zeros(size, dtype=bool)
    marks[numbers] = True
    return marks


RENUMBER_AT = 4  # the record's table of queries is renumbered once more than a quarter of it is unused
PARALLEL_FROM = 20_000  # queries; below, starting workers costs more than it saves
CHUNK_QUERIES = 5_000
CONTEXTS_PARALLEL_FROM = 5_000  # pages
CHUNK_CONTEXTS = 2_000
PLACE_APART_FROM = 5_000  # kept files; below, they are linked in this process


def answer_all(renderer: Renderer, queries: Sequence[Query]) -> list[str | None]:
    """What each query answers in this build (its fingerprint), None for one that no longer has an answer (a person gone).

    Those the renderer knows without working them out are answered here (:meth:`Renderer.known_answer`:
    who is most like each person, which a merge asks of everyone); many others, on every core, by
    forked workers that share the renderer.
    """
    answers = list(map(renderer.known_answer, queries))
    left = [number for number, answer in enumerate(answers) if answer is None]
    if len(left) >= PARALLEL_FROM and cores() >= 2 and can_fork():
        # Computed once here, not once per worker.
        renderer.prepare(related=any(queries[number][:2] == RELATED for number in left))
    for number, answer in zip(left, _each(renderer.answer_or_none, [queries[number] for number in left], PARALLEL_FROM, CHUNK_QUERIES), strict=True):
        answers[number] = answer
    return answers


def place_kept(kept: Kept, units: Iterable[Unit], site_dir: Path, there: Mapping[str, int] | None = None, *, trusted: bool = False) -> int:
    """Link (or copy, across file systems) the kept files of ``units`` into ``site_dir``; how many units.

    ``there``: the kept files the site holds already, by their paths in it, with their inodes (what
    the build took of an earlier site, :mod:`generator.build.spare`). One that is still a link to
    its kept file is left as it is; one that is not any more (the kept file was made again since) is
    replaced, as is any other file where a kept one goes (one of the earlier site's own). With
    ``trusted``, the folder of kept files has not changed since those inodes were read from it
    (:func:`folder_stamp`): each is its kept file's without asking again (320,000 files at 100,000
    people, 1.9 s of a core at a merge's end).
    """
    count = 0
    folders: set[str] = set()
    files_dir, site = str(kept.files_dir), str(site_dir)
    there = there or {}
    for unit in units:
        for file, name in zip(unit.files, unit.names, strict=True):
            source, target = os.path.join(files_dir, name), os.path.join(site, file)
            inode = there.get(file)
            if inode is not None:
                if trusted:
                    continue
                with suppress(OSError):  # no kept file: _link says so
                    if os.lstat(source).st_ino == inode:
                        continue
                os.unlink(target)
            folder = os.path.dirname(target)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            try:
                _link(source, target)
            except FileExistsError:  # a file of the earlier site that no other name shares (generator.build.spare): replaced
                os.unlink(target)
                _link(source, target)
        count += 1
    return count


def placing(kept: Kept, units: Sequence[Unit], site_dir: Path, there: Mapping[str, int] | None = None, listed: tuple[int, ...] | None = None) -> InChild[int]:
    """:func:`place_kept`, by a forked child while this process renders and indexes when there are many files; its ``result`` once they are all placed.

    Linking is the kernel's work (320,000 files at 100,000 people: 25 s of system time on one
    core, and threads do not share it), while rendering and indexing a merge keep one core of two
    busy: a child links on the other. Wait for it before anything reads the site whole.
    ``listed``: the :func:`folder_stamp` of the kept files' folder when the inodes of ``there``
    were read from it; the same now, they are trusted. Call it before this build keeps its files.
    """
    trusted = listed is not None and _folder_identity(kept.files_dir) == listed
    # Given way to what indexes the search bundles (BESIDE): at a merge's end, Pagefind is waited for last.
    apart = sum(len(unit.files) for unit in units) >= PLACE_APART_FROM
    return InChild(lambda: place_kept(kept, units, site_dir, there, trusted=trusted), apart=apart, nice=BESIDE)


QUIET = 100_000_000  # ns: a folder unchanged for this long has the time of its last change behind the kernel's clock, whose ticks are coarser


def folder_stamp(folder: Path) -> tuple[int, ...] | None:
    """What tells a later change of ``folder``'s entries (an entry added, removed or replaced): its inode, size and times;
    None if it changed too lately for a change made now to be told apart, or it is no folder.

    Taken before the folder is listed: what the listing found holds as long as the stamp does."""
    now = time.time_ns()
    found = _folder_identity(folder)
    if found is None or now - found[3] < QUIET or now - found[4] < QUIET:
        return None
    return found


def _folder_identity(folder: Path) -> tuple[int, ...] | None:
    try:
        status = os.lstat(folder)
    except OSError:
        return None
    return _identity(status) if stat.S_ISDIR(status.st_mode) else None


def ask_unasked(renderer: Renderer, done: Split, table: QueryTable) -> None:
    """Answer in ``table`` each query that a unit made by this build read and nobody asked yet, for :func:`keep`.

    Those :func:`split` asked of the record's table are left: :func:`keep` takes their answers
    from there. Many are asked by forked workers (:func:`answer_all`): call it before any thread
    is started beside this one, which :func:`keep` itself never forks.
    """
    unasked = _unasked(done, table)
    for number, answer in zip(unasked, answer_all(renderer, [table.queries[number] for number in unasked]), strict=True):
        table.answers[number] = answer


def _unasked(done: Split, table: QueryTable) -> list[int]:
    """The numbers in ``table`` of the queries nobody asked: neither the page workers nor :func:`split` (its answers, by the record's numbers)."""
    if UNASKED not in table.answers:  # a scan in C: a full build's table holds a million answers
        return []
    return [number for number, answer in enumerate(table.answers) if answer == UNASKED and done.numbers.get(table.queries[number]) not in done.answers]


def keep(
    kept: Kept,
    base_now: str,
    done: Split,
    made: Mapping[str, tuple[Unit, array[int]]],
    table: QueryTable,
    site_dir: Path,
    inputs: Mapping[str, str],
) -> None:
    """Keep this build's files for the next: the new ones linked in, the gone ones removed, the record written.

    ``made``: each unit made by this build, with the numbers of what it read in ``table``, which
    holds what those reads answer (:func:`ask_unasked` answered those nobody had asked; the others
    were asked by the page workers, or by :func:`split`). The kept units keep their query numbers;
    the queries made units read are found in the record's table, or added to it. ``inputs``, what
    this build is made of (:func:`inputs_of`), is kept with the record, for the next build's
    :func:`settled`. Nothing here forks: a build may keep while a thread of its own waits for Pagefind.
    """
    record = kept.record
    new = Record(base_now, inputs=dict(inputs))
    if record is None:
        numbers: dict[Query, int] = {}
    else:
        new.queries, new.answers, new.written = list(record.queries), list(record.answers), record.written
        for index in done.changed:  # the others answer what the record says
            new.answers[index] = done.answers[index] or ""  # "": no answer, which no later answer equals
        numbers = dict(done.numbers)  # split numbered the record's queries
        for unit in done.keep:
            new.units[unit.key] = record.units[unit.key]
    if _unasked(done, table):
        raise ValueError("a query read by a unit made here has no answer: ask_unasked() comes first")
    if record is None:  # the table is the record's: numbered alike
        new.queries, new.answers = table.queries, [answer or "" for answer in table.answers]
        renumbered = None
    else:
        renumbered = array(ID_TYPE)
        for query, answer in zip(table.queries, table.answers, strict=True):
            if query not in numbers:
                numbers[query] = len(new.queries)
                new.queries.append(query)
                new.answers.append("")
            if answer != UNASKED:
                new.answers[numbers[query]] = answer or ""
            renumbered.append(numbers[query])
    if record is None:
        _remove(kept.folder)  # nothing earlier can be trusted: the folder is made anew
    kept.files_dir.mkdir(parents=True, exist_ok=True)
    # The folder holds the files of the record's units (the build that wrote it kept those alone, and
    # one that stops before writing its own leaves none): only a unit gone since leaves files of no
    # unit, to be found among the 320,000 of the folder at 100,000 people (a second of a merge).
    if record is not None and any(key not in made and key not in new.units for key in record.units):
        wanted = {name for unit in done.keep for name in unit.names}
        wanted |= {name for unit, _ in made.values() for name in unit.names}
        for entry in os.scandir(kept.files_dir):
            if entry.name not in wanted:
                os.unlink(entry.path)
    files_dir, site = str(kept.files_dir), str(site_dir)
    for key, (unit, ids) in made.items():
        for file, name in zip(unit.files, unit.names, strict=True):
            _link(os.path.join(site, file), os.path.join(files_dir, name), replace=True)
        new.units[key] = (unit.context, ids if renumbered is None else array(ID_TYPE, map(renumbered.__getitem__, ids)), _stamps(files_dir, unit.names))
    if renumbered is not None:  # else every query of the record was read by a unit made here
        joined, _ = _joined([renumbered, *(new.units[unit.key][1] for unit in done.keep)])
        used = _marked(joined, len(new.queries)).nonzero()[0]
        if len(new.queries) - len(used) > len(new.queries) // RENUMBER_AT:
            _renumber(new, used.tolist())
    new.write(kept.folder)


def _renumber(record: Record, used: list[int]) -> None:
    """Leave out of ``record`` the queries that no unit uses any more (all but ``used``), numbering the rest anew."""
    renumbered = numpy.zeros(len(record.queries), dtype=LITTLE)
    renumbered[used] = numpy.arange(len(used), dtype=LITTLE)
    record.written = None  # the queries move: written line by line
    record.queries = [record.queries[index] for index in used]
    record.answers = [record.answers[index] for index in used]
    for key, (context, ids, stamps) in record.units.items():
        record.units[key] = (context, renumbered[numpy.asarray(ids, dtype=numpy.intp)], stamps)


def _stamps(files_dir: str, names: Iterable[str]) -> str:
    """The stamps of a unit's kept files, by their names in the folder (:attr:`Unit.names`)."""
    return "|".join(_file_stamp(os.path.join(files_dir, name)) for name in names)


def kept_stamps(files_dir: Path) -> dict[str, str]:
    """:func:`_file_stamp` of each regular file of the folder of kept files, by its name; none for anything else (no link is followed)."""
    found: dict[str, str] = {}
    try:
        with os.scandir(files_dir) as entries:
            for entry in entries:
                with suppress(OSError):  # gone since the folder was listed: no stamp, as for _file_stamp
                    stamp = _stamp(entry.stat(follow_symlinks=False))
                    if stamp:
                        found[entry.name] = stamp
    except OSError:  # no folder: no kept file
        return {}
    return found


def _is_file(path: str) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _file_stamp(path: str) -> str:
    """A kept file's size and time of change: written over since (through the site's link to it), it is not the page any more."""
    try:
        return _stamp(os.lstat(path))
    except OSError:
        return ""


def _stamp(status: os.stat_result) -> str:
    """A file's size and time of change, as a kept unit's stamps hold them; none for what is not a regular file."""
    return f"{status.st_size}:{status.st_mtime_ns}" if stat.S_ISREG(status.st_mode) else ""


def _link(source: str, target: str, *, replace: bool = False) -> None:
    """``target`` as the same file as ``source`` (a hard link, a copy across file systems); never a link followed."""
    if not _is_file(source):
        raise FileNotFoundError(errno.ENOENT, "not a regular file", source)
    if replace:
        temporary = target + ".new"
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        _link(source, temporary)
        os.replace(temporary, target)
        return
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
            raise
        shutil.copyfile(source, target, follow_symlinks=False)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def _plain_line(query: Query) -> str | None:
    """``query`` as a line of :meth:`Record.parts`: its names with a tab between them; None if it is not only names, or a name would be read back otherwise."""
    if len(query) < 2 or not all(type(item) is str for item in query):
        return None
    line = "\t".join(query)
    return None if "\n" in line or line.count("\t") != len(query) - 1 else line


def _decoded_query(value: Any) -> Query:
    if type(value) is list and all(type(item) is str for item in value):
        return tuple(value)
    query = _decoded(value)
    if not isinstance(query, tuple):
        raise ValueError(f"not a query: {value!r}")
    return query


def _encoded(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_encoded(item) for item in value]
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _decoded(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decoded(item) for item in value)
    if isinstance(value, dict):
        return datetime.fromisoformat(value["datetime"]) if "datetime" in value else date.fromisoformat(value["date"])
    if value is None or isinstance(value, str | int | float):
        return value
    raise ValueError(f"not a query: {value!r}")
