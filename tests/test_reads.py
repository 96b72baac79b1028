"""What a page reads is recorded as queries the next build can ask again; their answers are fingerprinted alike in any process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from array import array
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

import pytest

from generator.build.incremental import FORMAT, Record
from generator.directory.enrich import enrich
from generator.directory.safefs import NotAFile
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.site import reads
from generator.site.reads import Query, TrackedOrg, fingerprint, tracked
from generator.site.render import Renderer
from tests.conftest import make_directory, write_config


class Level(StrEnum):
    EXPERT = "expert"


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Renderer:
    root = make_directory(tmp_path_factory.mktemp("reads"))
    write_config(root)
    return Renderer(enrich(validate_directory(load_settings(root))[0]), today=date(2026, 12, 4))


def test_a_page_records_what_it_reads(renderer: Renderer) -> None:
    person = next(planned for planned in renderer.plan() if planned.path == "people/dev.md")
    page, found = renderer.render_reading(person)
    assert page.path == "people/dev.md"
    assert ("item", "people", "dev") in found  # its own name in a list it is on, read by handle like the others'
    assert ("call", "colleagues", "dev") in found
    assert ("org.call", "manager_chain", "dev") in found
    assert any(query[:2] == ("item", "people") for query in found)  # the manager's name, read by handle
    # Recording stops with the page: a read outside a page is not anyone's.
    renderer.seen.people.get("dev")
    assert reads.stop() == frozenset()


def test_every_recorded_query_is_answered_again_and_alike(renderer: Renderer) -> None:
    found: set[tuple[object, ...]] = set()
    for planned in renderer.plan():
        found |= renderer.render_reading(planned)[1]
    assert {query[0] for query in found} >= {"item", "call", "org.call", "global"}
    for query in found:
        assert renderer.answer(query) == renderer.answer(query)


def test_a_profile_or_group_is_weighed_once_in_a_process_however_many_pages_read_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_directory(tmp_path)
    write_config(root)
    renderer = Renderer(enrich(validate_directory(load_settings(root))[0]), today=date(2026, 12, 4))
    weighed: list[object] = []

    def counted(value: object) -> str:
        weighed.append(value)
        return fingerprint(value)

    monkeypatch.setattr("generator.site.render.fingerprint", counted)
    renderer.prepare(entries=True)  # as before a whole site is rendered on forked workers
    entries = [*renderer.org.people.values(), *renderer.org.groups.values()]
    assert len(weighed) == len(entries) + len(renderer.org.people)  # and who is most like each person (SimilarShown), once
    models = [value for value in weighed if not isinstance(value, list)]
    assert len(models) == len(entries)
    assert {id(value) for value in models} == {id(entry) for entry in entries}
    asked: list[tuple[object, ...]] = []
    for planned in renderer.plan():
        asked += renderer.render_reading(planned)[1]
    items = [query for query in asked if query[:2] in (("item", "people"), ("item", "groups"))]
    assert len(items) > len(entries)  # read by several pages each
    weighed.clear()
    answers = {query: renderer.answer(query) for query in items}
    assert weighed == []  # none weighed again
    for query, answer in answers.items():  # and what each answers is what it weighs
        table = getattr(renderer.org, str(query[1]))
        assert answer == (fingerprint(table[query[2]]) if query[2] in table else fingerprint("\0missing"))


def test_a_template_cannot_reach_past_what_is_recorded(renderer: Renderer) -> None:
    with pytest.raises(AttributeError, match="people"):
        _ = TrackedOrg(renderer.org).directory.people  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match=r"does not list Org\._related"):
        _ = TrackedOrg(renderer.org)._related


def test_a_recorded_helper_takes_only_what_can_be_asked_again() -> None:
    helper = tracked("echo", lambda *args: args)
    reads.start()
    assert helper("ana", 3, date(2026, 1, 2), ["a", "b"]) == ("ana", 3, date(2026, 1, 2), ["a", "b"])
    with pytest.raises(TypeError, match="give it names, numbers or dates"):
        helper(object())
    assert reads.stop() == {("call", "echo", "ana", 3, date(2026, 1, 2), ("a", "b"))}


@dataclass(frozen=True)
class _Point:
    x: int
    when: date


def test_fingerprints_tell_values_apart_and_types_too() -> None:
    assert fingerprint({"a": 1, "b": [1, 2]}) == fingerprint({"a": 1, "b": (1, 2)})
    assert fingerprint({"a": 1, "b": 2}) != fingerprint({"b": 2, "a": 1})  # a page shows a table in its order
    assert fingerprint(_Point(1, date(2026, 1, 1))) != fingerprint(_Point(1, date(2026, 1, 2)))
    assert fingerprint(date(2026, 1, 1)) != fingerprint("2026-01-01")
    assert fingerprint(datetime(2026, 1, 1)) != fingerprint(date(2026, 1, 1))
    with pytest.raises(TypeError, match="no fingerprint"):
        fingerprint(object())


def _element_by_element(value: object) -> object:
    """What reads._plain makes of a value, one element after the other: what its shortcuts must agree with."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, dict):
        return ["{}", [[_element_by_element(key), _element_by_element(item)] for key, item in value.items()]]
    if isinstance(value, list | tuple):
        return [_element_by_element(item) for item in value]
    return reads._plain(value)


@pytest.mark.parametrize(
    "value",
    [
        ["ana", "bob"],
        (["ana", "bob"], ["carla"]),
        [1, 2.5, True, None, "x"],
        {"ana": "expert", "bob": None, "count": 3},
        {"items": ["ana", "bob"], "levels": {"ana": "expert"}, "page": 2},
        [["ana", {"level": "expert"}]],  # a mapping deep inside
        {1: "one", "1": "one"},
        [date(2026, 1, 1)],
        [frozenset({"b", "a"})],
        ("ana", Level.EXPERT),  # a str of another type
        {"level": Level.EXPERT},
        [],
        {},
        "ana",
    ],
)
def test_a_value_weighs_what_it_weighs_element_by_element(value: object) -> None:
    assert reads.weighed(value) == json.dumps(_element_by_element(value), ensure_ascii=False, separators=(",", ":"), default=reads._leaf)


def test_a_set_has_one_fingerprint_whatever_the_hash_seed() -> None:
    code = "from generator.site.reads import fingerprint; print(fingerprint({'set': {'lyon', 'paris', 'nantes', 'lille', 'brest'}}))"
    seen = {
        subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, check=True, capture_output=True, text=True).stdout
        for seed in ("1", "2", "3")
    }
    assert len(seen) == 1


def test_a_record_comes_back_as_it_was_written(tmp_path: Path) -> None:
    record = Record("base", [("call", "nudge", "ana", date(2026, 1, 2)), ("org.call", "listed", ("a", "b")), ("x", datetime(2026, 1, 2, 3, 4))])
    record.queries.append(("item", "people", "ana"))
    # Names with a tab or a line break in them go beside the lines of names, with their numbers.
    record.queries += [("call", "topic_group", "a\tb"), ("call", "topic_group", "two\nlines"), ("call", "topic_group", "")]
    record.answers = ["1", "2", "3", "4", "", "6", "7"]
    record.units = {"people/ana.md": ("ctx", array("I", [0, 1, 2, 3]), "10:20"), "people/bob.md": ("ctx2", array("I", [3]), "")}
    record.units["people/eve.md"] = ("c", array("I"), "")  # a unit that read nothing
    again = Record.from_parts(*record.parts())
    assert again == record
    assert [tuple(ids) for _, ids, _ in again.units.values()] == [(0, 1, 2, 3), (3,), ()]
    record.write(tmp_path)
    assert Record.read(tmp_path) == record
    text, raw = record.parts()  # written a field at a time, as parts() gives it whole
    assert ((tmp_path / "record.json").read_text(encoding="utf-8"), (tmp_path / "record.ids").read_bytes()) == (text, raw)
    assert text == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))  # the fields as one JSON object writes them
    # The numbers as bytes: four each, little-endian, unit after unit.
    assert raw == bytes([0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0])


@pytest.mark.parametrize("first", [0, 1, 5, 7])
def test_a_record_read_then_grown_is_written_as_a_new_one_would_be(first: int) -> None:
    """The queries a record was read with are written again as they were read; those added after them, line by line."""
    queries: list[Query] = [("item", "people", "ana"), ("call", "topic_group", ""), ("call", "nudge", "ana", date(2026, 1, 2)), ("item", "groups", "x")]
    queries += [("call", "topic_group", "a\tb"), ("org.call", "listed", ("a", "b")), ("all", "groups"), ("call", "topic_group", "two\nlines")]
    answers = [str(number) for number in range(len(queries))]
    read = Record.from_parts(*Record("base", queries[:first], answers[:first]).parts())
    assert read.written is not None and read.written[0] == first
    grown = Record("base", read.queries + queries[first:], answers, written=read.written)
    assert grown.parts() == Record("base", queries, answers).parts()
    assert Record.from_parts(*grown.parts()).queries == queries


def _record(
    units: str, raw: bytes = b"", queries: str = '"item\\tpeople\\ta"', answers: str = '"x"', digest: str | None = None, others: str = "[]"
) -> tuple[str, bytes]:
    import hashlib

    digest = digest if digest is not None else hashlib.blake2b(raw, digest_size=16).hexdigest()
    fields = f'"queries": {queries}, "others": {others}, "answers": {answers}, "units": {units}, "inputs": {{}}'
    return f'{{"format": {FORMAT}, "base": "b", "ids": "{digest}", {fields}}}', raw


def _units(*counts: str, keys: str | None = None, contexts: str | None = None) -> str:
    """The units of :meth:`Record.parts`, one per count, named p0, p1..."""
    keys = keys if keys is not None else "[" + ", ".join(f'"p{number}"' for number in range(len(counts))) + "]"
    contexts = contexts if contexts is not None else "[" + ", ".join('"c"' for _ in counts) + "]"
    stamps = "[" + ", ".join('""' for _ in counts) + "]"
    return f'{{"keys": {keys}, "contexts": {contexts}, "counts": [{", ".join(counts)}], "stamps": {stamps}}}'


ONE = bytes([0, 0, 0, 0])
NONE = _units()


def test_the_records_below_are_broken_only_where_they_say() -> None:
    """The record each broken one below is made from, read back: each is refused for its own fault, not for its format."""
    assert Record.from_parts(*_record(NONE)).queries == [("item", "people", "a")]
    assert [tuple(ids) for _, ids, _ in Record.from_parts(*_record(_units("1", "0"), ONE)).units.values()] == [(0,), ()]


@pytest.mark.parametrize(
    "parts",
    [
        ("", b""),
        ("[]", b""),
        ('{"format": 3}', b""),
        _record(NONE, answers='"x,y"'),
        _record(NONE, answers='["x"]'),
        # a query number beyond the table (5); numbers that are not the record's (another digest); not whole numbers
        _record(_units("1"), bytes([5, 0, 0, 0])),
        _record(_units("1"), ONE, digest="0" * 32),
        _record(_units("1"), b"\0\0\0"),
        # more numbers than the units have, or fewer; a count that is not one
        _record(_units("0"), ONE),
        _record(_units("2"), ONE),
        _record(_units("-1"), ONE),
        _record(_units('"1"'), ONE),
        _record(_units("[0]"), ONE),
        # a unit named twice, a name or a context that is not a text, columns of different lengths, units as a mapping
        _record(_units("1", "0", keys='["p", "p"]'), ONE),
        _record(_units("1", keys="[1]"), ONE),
        _record(_units("1", contexts="[null]"), ONE),
        _record(_units("1", contexts='["c", "d"]'), ONE),
        _record('{"p": ["c", 1, ""]}', ONE),
        _record(NONE, queries='[["item", "people", "a"]]'),
        _record(NONE, queries='"item"'),
        _record("[]", queries='""', answers='""'),
        # a query beside the lines that is not one, or has no line, or no number
        _record(NONE, others='[[0, [{"bad": 1}]]]'),
        _record(NONE, others='[[0, "item"]]'),
        _record(NONE, others='[[1, ["item", "people", "b"]]]'),
        _record(NONE, others='[["0", ["item", "people", "b"]]]'),
        _record(NONE, others="[[0]]"),
        _record(NONE, others='{"0": ["item", "people", "b"]}'),
    ],
)
def test_a_broken_record_is_refused(parts: tuple[str, bytes]) -> None:
    with pytest.raises((ValueError, KeyError, TypeError)):
        Record.from_parts(*parts)


def test_a_record_read_through_a_link_is_refused(tmp_path: Path) -> None:
    record = Record("b", [("item", "people", "a")], ["x"], {"p": ("c", array("I", [0]), "")})
    (tmp_path / "real").mkdir()
    record.write(tmp_path / "real")
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "record.json").write_text((tmp_path / "real" / "record.json").read_text(encoding="utf-8"), encoding="utf-8")
    (linked / "record.ids").symlink_to(tmp_path / "real" / "record.ids")
    with pytest.raises(NotAFile, match="link"):
        Record.read(linked)


def test_the_demo_records_nothing_the_next_build_cannot_ask(tmp_path: Path) -> None:
    """Every helper given to templates that reads the directory is recorded, with arguments that can be asked again."""
    from tests.conftest import REPO

    renderer = Renderer(enrich(validate_directory(load_settings(REPO))[0]), today=date(2026, 12, 4))
    for planned in renderer.plan():
        _, found = renderer.render_reading(planned)
        for query in found:
            Record.from_parts(*Record("b", [query], [renderer.answer(query)]).parts())


def test_a_kept_file_has_a_name_of_its_own_that_no_file_system_refuses() -> None:
    from generator.build.incremental import kept_name

    assert kept_name("people/ana/index.html") == "people%2Fana%2Findex.html"
    long = "skills/" + "é" * 120 + "/index.html"
    assert len(kept_name(long).encode("utf-8")) <= 200 and "/" not in kept_name(long)
    assert kept_name(long) != kept_name(long.replace("skills", "groups"))


def test_the_reads_of_chunks_are_numbered_in_one_table_each_query_once() -> None:
    """What the workers send back: each chunk its own table; summed, a query read by many pages is one entry."""
    from generator.site.reads import UNASKED, QueryTable
    from generator.site.sitepages import Written

    def chunk(reads: dict[str, list[tuple[str, ...]]], answers: dict[tuple[str, ...], str | None]) -> Written:
        table = QueryTable()
        for found in reads.values():
            for query in found:
                table.number(query, answers[query])  # asked where the page was rendered
        return Written(len(reads), 0, {path: table.numbers(found) for path, found in reads.items()}, table)

    lang, ana, bob = ("global", "lang"), ("item", "people", "ana"), ("item", "people", "bob")
    first = chunk({"people/ana.md": [lang, ana], "index.md": [lang]}, {lang: "l", ana: "a"})
    second = chunk({"people/bob.md": [bob, lang, ana]}, {lang: "l", ana: "a", bob: None})
    table = QueryTable()
    export = table.number(("call", "colleagues", "ana"))  # an export's read, not asked yet
    total = Written.summed([first, second], table)
    assert total.pages == 3 and total.table is table
    assert sorted(table.queries) == sorted([lang, ana, bob, ("call", "colleagues", "ana")])
    for path, found in {"people/ana.md": [lang, ana], "index.md": [lang], "people/bob.md": [bob, lang, ana]}.items():
        assert [table.queries[number] for number in total.reads[path]] == found
    answers = dict(zip(table.queries, table.answers, strict=True))
    assert answers[lang] == "l" and answers[ana] == "a" and answers[bob] is None and table.answers[export] == UNASKED
