"""The terminal's index updated in place: the same answers as an index written whole, or written whole when it cannot be updated."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from whoosh import index as whoosh_index  # type: ignore[import-untyped]

from generator.cli.main import main
from generator.directory.enrich import Org, enrich
from generator.directory.settings import load_settings
from generator.directory.synth import write_synthetic_directory
from generator.directory.validate import validate_directory
from generator.problems import has_errors
from generator.search import incremental
from generator.search.incremental import ORDER, RECORD, Record, read_record
from generator.search.index import index_path, index_status, rebuild_index, write_index
from generator.search.query import Filters, Presence, SearchIndex
from generator.search.whooshio import live_doc_frequency, live_terms_within
from tests.test_index import SCHEMA_LINE, make_search_directory

# --- the directory and what changes in it -------------------------------------------------------


def load(root: Path) -> Org:
    directory, problems = validate_directory(load_settings(root))
    assert not has_errors(problems), [problem.as_text(load_settings(root).words) for problem in problems]
    return enrich(directory)


def copy_directory(root: Path, target: Path) -> Path:
    """The directory's files without its index: the same people, for an index written whole."""
    shutil.copytree(root, target, ignore=shutil.ignore_patterns(".trombi"))
    return target


def touch(path: Path) -> None:
    """A file changed later than the index was written, whatever the clock's resolution."""
    later = time.time() + 5
    os.utime(path, (later, later))
    os.utime(path.parent, (later, later))


def edit(root: Path, handle: str, change: Callable[[str], str]) -> None:
    path = root / "people" / f"{handle}.yaml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    touch(path)


def set_field(field: str, value: str) -> Callable[[str], str]:
    return lambda text: re.sub(rf"(?m)^{field}: .*$", f"{field}: {json.dumps(value, ensure_ascii=False)}", text)


def set_skills(skills: list[str]) -> Callable[[str], str]:
    """The person's skills replaced by ``skills``, all at expert level."""

    def change(text: str) -> str:
        lines = text.splitlines()
        start = lines.index("skills:")
        end = next((n for n in range(start + 1, len(lines)) if not lines[n].startswith("  - ")), len(lines))
        return "\n".join([*lines[: start + 1], *(f'  - {{name: "{name}", level: expert}}' for name in skills), *lines[end:]]) + "\n"

    return change


def unreferenced(root: Path) -> list[str]:
    """Handles no other file names (no one's manager, no group's owner or member): people that may leave."""
    texts = {path: path.read_text(encoding="utf-8") for folder in ("people", "groups") for path in sorted((root / folder).glob("*.yaml"))}
    words = {path: set(re.findall(r"[\w-]+", text)) for path, text in texts.items()}
    return [path.stem for path in sorted((root / "people").glob("*.yaml")) if not any(path.stem in found for other, found in words.items() if other != path)]


# --- the answers of `trombi search` -------------------------------------------------------------


def search(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> dict[str, Any]:
    """``trombi search --json`` through its entry point, in this process."""
    assert main(["search", "--root", str(root), "--json", "--limit", "40", *args]) == 0
    captured = capsys.readouterr()
    answer: dict[str, Any] = json.loads(captured.out)
    return answer


def questions(org: Org) -> list[list[str]]:
    """Names, skills (one with a typo), sites, titles, and the options: what `trombi search` is asked."""
    people = [org.people[handle] for handle in org.sorted_people if org.people[handle].search == "visible"]
    site = next(person.location for person in people if person.location)
    team = next(person.team for person in people if person.team)
    asked = [
        ["python"], ["kubernets"], ["sql", "expert"], [site.lower()], ["python", site], ["chef", "de", "projet"], ["ingenieur"],
        ["developpeuse"], ["securite"], ["donnees"], ["responsable"], ["marie"], ["recrutement"], ["paie"],
        ["--skill", "Python"], ["--skill", "k8s", "--level", "advanced"], ["--location", site], ["--lang", "de"], ["--team", team],
        ["sql", "--lang", "en"], ["--level", "expert", "--location", site], ["skill:python", f"location:{site}"],
    ]  # fmt: skip
    asked += [person.name.split() for person in people[:: max(1, len(people) // 6)]]
    return asked


def answers(capsys: pytest.CaptureFixture[str], root: Path, asked: list[list[str]]) -> dict[str, Any]:
    return {" ".join(args): search(capsys, root, *args) for args in asked}


def assert_same_answers(capsys: pytest.CaptureFixture[str], updated: Path, whole: Path, asked: list[list[str]]) -> None:
    """Both directories answer every question alike: same people, same order, same scores, same pages."""
    assert index_status(load_settings(updated)) == index_status(load_settings(whole)) == "fresh"
    mine, theirs = answers(capsys, updated, asked), answers(capsys, whole, asked)
    assert sum(len(answer["people"]) for answer in theirs.values()) > 3 * len(asked)  # the questions find people
    for question in theirs:
        assert mine[question] == theirs[question], question


def segments(root: Path) -> Record:
    record = read_record(index_path(load_settings(root)))
    assert record is not None
    return record


def added(record: Record) -> set[str]:
    """The people whose documents an update wrote (the added segment's)."""
    return {handle for segment in record.segments if not segment.base for handle in segment.handles if handle is not None}


def test_a_profile_counts_by_its_file_s_digest_when_the_build_took_it(small: Path, tmp_path: Path) -> None:
    """The build gives each profile's digest (digests_read): a document is written again when its file's bytes changed, even if only a comment did."""
    org = load(small)
    target = tmp_path / "index"
    files = {f"Person:{handle}": f"digest of {handle}" for handle in org.people}
    write_index(org, target, processes=1, files=files)
    written = read_record(target)
    write_index(org, target, processes=1, files=files)
    assert read_record(target) == written  # nothing changed: nothing written
    write_index(org, target, processes=1, files=files | {"Person:kexpert": "another digest"})
    updated = read_record(target)
    assert updated is not None and added(updated) == {"kexpert"}


def updated_in_place(record: Record) -> bool:
    """An index that an update changed: an added segment, and documents deleted in the others."""
    return any(not segment.base for segment in record.segments) and any(None in segment.handles for segment in record.segments if segment.base)


# --- an update gives the answers of a full write -----------------------------------------------


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synthetic") / "directory"
    write_synthetic_directory(root, 300, seed=7)
    return root


def test_an_updated_index_answers_as_one_written_whole(synthetic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_directory(synthetic, tmp_path / "updated")
    rebuild_index(load_settings(root))
    first = segments(root)
    assert all(segment.base for segment in first.segments) and not updated_in_place(first)

    leaving = unreferenced(root)
    changed, skilled, removed, hidden, model = leaving[0], leaving[1], leaving[2], leaving[3], leaving[4]
    taxonomy = list(yaml.safe_load((root / "skills.yaml").read_text(encoding="utf-8")))
    edit(root, changed, set_field("title", "Astronome des données"))
    edit(root, skilled, set_skills([taxonomy[0], taxonomy[5]]))
    # Someone new, whose name comes first in the directory's order: numbered last in the updated index.
    text = (root / "people" / f"{model}.yaml").read_text(encoding="utf-8")
    text = set_field("name", "Aaron Abadie")(text).replace(f'"{model}', '"aabadie-neuf').replace(f"@{model}", "@aabadie-neuf")
    (root / "people" / "aabadie-neuf.yaml").write_text(text, encoding="utf-8")
    touch(root / "people" / "aabadie-neuf.yaml")

    # `trombi search` finds the index older than the files and updates it on the way.
    assert index_status(load_settings(root)) == "stale"
    search(capsys, root, "astronome")
    second = segments(root)
    assert updated_in_place(second)
    added = next(segment for segment in second.segments if not segment.base)
    assert set(added.handles) == {changed, skilled, "aabadie-neuf"}
    whole = copy_directory(root, tmp_path / "whole-1")
    rebuild_index(load_settings(whole))
    asked = [*questions(load(whole)), ["astronome"], ["aaron"], [taxonomy[0]], [taxonomy[5]], ["--skill", taxonomy[0]]]
    assert_same_answers(capsys, root, whole, asked)
    assert search(capsys, root, "astronome")["people"][0]["handle"] == changed
    assert search(capsys, root, "aaron", "abadie")["people"][0]["handle"] == "aabadie-neuf"

    # Someone removed, someone hidden from search: the index is written whole, and none of its
    # files keeps what they said (a deleted document's words would stay in its segment).
    names = {handle: yaml.safe_load((root / "people" / f"{handle}.yaml").read_text(encoding="utf-8"))["name"] for handle in (removed, hidden)}
    (root / "people" / f"{removed}.yaml").unlink()
    touch(root / "people")
    edit(root, hidden, lambda text: text + "search: hidden\n")
    write_index(load(root), index_path(load_settings(root)), processes=1)
    third = segments(root)
    assert not updated_in_place(third)
    indexed = {handle for segment in third.segments for handle in segment.handles if handle}
    assert removed not in indexed and hidden not in indexed
    stored = b"".join(path.read_bytes() for path in index_path(load_settings(root)).iterdir() if path.is_file())
    for name in names.values():
        assert name.encode("utf-8") not in stored, f"{name} is still in the index's files"
    whole = copy_directory(root, tmp_path / "whole-2")
    rebuild_index(load_settings(whole))
    assert_same_answers(capsys, root, whole, asked)

    # A third round on the index written whole: changes and someone found again are added in place.
    edit(root, "aabadie-neuf", set_field("title", "Astronome principal"))
    edit(root, changed, set_field("title", "Cartographe"))
    edit(root, hidden, lambda text: text.replace("search: hidden\n", ""))  # found again
    write_index(load(root), index_path(load_settings(root)), processes=1)
    fourth = segments(root)
    added = next(segment for segment in fourth.segments if not segment.base)
    assert updated_in_place(fourth) and len(fourth.segments) == len(third.segments) + 1
    assert set(added.handles) == {changed, hidden, "aabadie-neuf"}
    whole = copy_directory(root, tmp_path / "whole-3")
    rebuild_index(load_settings(whole))
    assert_same_answers(capsys, root, whole, [*asked, ["cartographe"], ["astronome", "principal"]])


def test_a_document_is_made_again_when_what_it_takes_from_others_changed(synthetic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_directory(synthetic, tmp_path / "updated")
    rebuild_index(load_settings(root))
    org = load(root)
    visible = [handle for handle in org.sorted_people if org.people[handle].search == "visible"]
    teams = {org.people[handle].team for handle in visible}

    def members(slug: str) -> set[str]:
        return {handle for handle in visible if slug in org.groups_of.get(handle, [])}

    # A group that is no one's team, and the fewest people: renamed, its members' documents change.
    group = min((slug for slug in org.groups if slug not in teams and members(slug)), key=lambda slug: (len(members(slug)), slug))
    path = root / "groups" / f"{group}.yaml"
    path.write_text(re.sub(r"(?m)^name: .*$", "name: Cercle ornithologique", path.read_text(encoding="utf-8")), encoding="utf-8")
    touch(path)
    write_index(load(root), index_path(load_settings(root)), processes=1)
    record = segments(root)
    assert updated_in_place(record)
    assert {handle for segment in record.segments if not segment.base for handle in segment.handles} == members(group)
    whole = copy_directory(root, tmp_path / "whole-1")
    rebuild_index(load_settings(whole))
    assert_same_answers(capsys, root, whole, [*questions(load(whole)), ["ornithologique"], ["cercle"]])

    # An alias added to the taxonomy: every holder's document takes it, so the index is written whole.
    skills = root / "skills.yaml"
    held = next(name for name in yaml.safe_load(skills.read_text(encoding="utf-8")) if org.skill_people.get(name))
    taxonomy = yaml.safe_load(skills.read_text(encoding="utf-8"))
    taxonomy[held] = {**taxonomy[held], "aliases": [*taxonomy[held].get("aliases", []), "zythologie"]}
    skills.write_text(yaml.safe_dump(taxonomy, allow_unicode=True), encoding="utf-8")
    touch(skills)
    write_index(load(root), index_path(load_settings(root)), processes=1)
    assert not updated_in_place(segments(root))
    assert search(capsys, root, "zythologie")["people"]
    whole = copy_directory(root, tmp_path / "whole-2")
    rebuild_index(load_settings(whole))
    assert_same_answers(capsys, root, whole, [["zythologie"], [held]])


def test_an_index_of_two_segments_is_updated_and_still_answers_as_one(synthetic: Path, tmp_path: Path) -> None:
    """A full write at scale is two segments, written by two processes: updating either keeps the answers."""
    org = load(synthetic)
    target = tmp_path / "index"
    write_index(org, target, processes=2)
    assert [segment.base for segment in read_record(target).segments] == [True, True]  # type: ignore[union-attr]
    first, last = org.sorted_people[3], org.sorted_people[-3]
    root = copy_directory(synthetic, tmp_path / "directory")
    for handle in (first, last):
        edit(root, handle, set_field("title", "Astronome"))
    org = load(root)
    write_index(org, target, processes=2)
    record = read_record(target)
    assert record is not None and [None in segment.handles for segment in record.segments] == [True, True, False]
    write_index(org, tmp_path / "whole", processes=1)
    with SearchIndex(target) as updated, SearchIndex(tmp_path / "whole") as whole:
        for text in ("astronome", "python", "kubernets", "securite", "responsable", ""):
            assert [hit.as_dict() for hit in updated.search(text, limit=60)] == [hit.as_dict() for hit in whole.search(text, limit=60)], text


def test_a_second_build_updates_the_index_the_first_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Through a real `mkdocs build`: the build writes the index beside the pages, the next one updates it."""
    from generator.engine.publish import build_site
    from tests.conftest import write_config

    root = write_config(make_search_directory(tmp_path / "directory"))
    build_site(root, root / "site")
    assert all(segment.base for segment in segments(root).segments)
    edit(root, "kexpert", set_field("title", "Astronome"))
    add_person(root, "aaron", "name: Aaron Adler\ntitle: Comptable\nlocation: Paris\nlanguages: [fr]\n")
    build_site(root, root / "site")
    assert updated_in_place(segments(root))
    assert added(segments(root)) == {"kexpert", "aaron"}
    whole = copy_directory(root, tmp_path / "whole")
    shutil.rmtree(whole / "site")
    rebuild_index(load_settings(whole))
    assert_same_answers(capsys, root, whole, [["astronome"], ["comptable"], ["kubernetes"], ["--location", "Paris"], ["aaron"], ["lyon"]])


# --- what an update must not change: scores, ties, the words a typo reaches ---------------------


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """The test directory of tests/test_index.py, with its index written whole."""
    root = make_search_directory(tmp_path / "directory")
    rebuild_index(load_settings(root))
    return root


def add_person(root: Path, handle: str, text: str) -> None:
    (root / "people" / f"{handle}.yaml").write_text(SCHEMA_LINE + text, encoding="utf-8")
    touch(root / "people" / f"{handle}.yaml")


def updated_and_whole(root: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The index of ``root`` updated, and one written whole for the same files: their folders."""
    write_index(load(root), index_path(load_settings(root)), processes=1)
    assert updated_in_place(segments(root))
    write_index(load(root), tmp_path / "whole", processes=1)
    return index_path(load_settings(root)), tmp_path / "whole"


def test_ties_come_in_the_directory_s_order_not_in_the_order_people_were_indexed(small: Path, tmp_path: Path) -> None:
    # Six accountants at Paris score alike for "comptable"; Aaron, added last, comes first by name.
    add_person(small, "aaron", "name: Aaron Adler\ntitle: Comptable\nlocation: Paris\nlanguages: [fr]\n")
    edit(small, "edalgic", set_field("title", "Comptable principal"))
    updated, whole = updated_and_whole(small, tmp_path)
    with SearchIndex(updated) as mine, SearchIndex(whole) as theirs:
        found = mine.search("comptable")
        assert [hit.as_dict() for hit in found] == [hit.as_dict() for hit in theirs.search("comptable")]
        tied = [hit.handle for hit in found if hit.score == found[0].score]
        assert len(tied) >= 5 and tied[0] == "aaron"
        for limit in (1, 2, 3):  # ties cut off by the limit: the first in the directory's order are kept
            assert [hit.handle for hit in mine.search("comptable", limit=limit)] == tied[:limit]
        everyone = [hit.handle for hit in mine.search("", Filters(location="Paris"), limit=50)]
        assert everyone == [hit.handle for hit in theirs.search("", Filters(location="Paris"), limit=50)]
        assert everyone[0] == "aaron"


def test_deleted_documents_weigh_nothing_in_the_scores(small: Path, tmp_path: Path) -> None:
    edit(small, "kexpert", lambda text: text.replace("Ingénieure sécurité", "Responsable sécurité").replace("level: expert", "level: advanced"))
    edit(small, "knotions", lambda text: text.replace("level: notions", "level: intermediate"))  # deleted, then added again
    updated, whole = updated_and_whole(small, tmp_path)
    with SearchIndex(updated) as mine, SearchIndex(whole) as theirs:
        mine_searcher, their_searcher = mine._searcher, theirs._searcher
        assert mine_searcher.doc_count_all() > their_searcher.doc_count_all()  # the deleted documents are still there
        for fieldname, text in (("title", "ingenieur"), ("skills_expert", "kubernet"), ("skills_notions", "kubernet"), ("location", "lyon"), ("lang", "de")):
            assert live_doc_frequency(mine_searcher.reader(), fieldname, text) == their_searcher.doc_frequency(fieldname, text)
            assert Presence().idf(mine_searcher, fieldname, text) == Presence().idf(their_searcher, fieldname, text)
        for text in ("kubernetes", "ingenieure securite", "lyon", "allemand", "kubernets", "skill:kubernetes"):
            assert [hit.as_dict() for hit in mine.search(text)] == [hit.as_dict() for hit in theirs.search(text)], text


def written_whole_with(root: Path, **people: str) -> None:
    """``people`` (handle -> the start of their profile) added, then the index written whole: in its first segments."""
    for handle, text in people.items():
        add_person(root, handle, text)
    (index_path(load_settings(root)) / RECORD).unlink()
    rebuild_index(load_settings(root))


def test_a_typo_reaches_no_word_that_only_deleted_documents_hold(small: Path, tmp_path: Path) -> None:
    written_whole_with(small, zythologue="name: Ulysse Vernier\ntitle: Zythologue\nlocation: Paris\nlanguages: [fr]\n")  # Zythologue in the first segment
    edit(small, "zythologue", set_field("title", "Brasseur"))
    updated, whole = updated_and_whole(small, tmp_path)
    with SearchIndex(updated) as mine, SearchIndex(whole) as theirs:
        reader = mine._searcher.reader()
        assert ("title", b"zythologu") in reader  # still in the segment, in a deleted document
        assert live_terms_within(reader, "title", "zytologu", 1, 1) == []
        assert live_terms_within(theirs._searcher.reader(), "title", "brasseu", 1, 1) == ["brasseur"]
        for text in ("zytologue", "zythologue", "brasseur", "brasser"):
            assert [hit.as_dict() for hit in mine.search(text)] == [hit.as_dict() for hit in theirs.search(text)], text


def test_a_typo_reaches_the_same_words_however_the_index_is_cut_into_segments(small: Path, tmp_path: Path) -> None:
    # "lorenzi" is one letter from Lorenzo and from Lorenza: in the whole index, two words. Whoosh
    # would look in each segment apart, and find only Lorenzo in the segment the update adds.
    written_whole_with(  # both in the first segment
        small,
        lorenzo="name: Lorenzo Rossi\ntitle: Comptable\nlocation: Paris\nlanguages: [it]\n",
        lorenza="name: Lorenza Bianchi\ntitle: Comptable\nlocation: Paris\nlanguages: [it]\n",
    )
    edit(small, "lorenzo", set_field("title", "Architecte"))
    updated, whole = updated_and_whole(small, tmp_path)
    with SearchIndex(updated) as mine, SearchIndex(whole) as theirs:
        assert live_terms_within(mine._searcher.reader(), "name", "lorenzi", 1, 1) == ["lorenza", "lorenzo"]
        assert {hit.handle for hit in mine.search("lorenzi")} == {"lorenzo", "lorenza"}
        for text in ("lorenzi", "lorenzi architecte", "name:lorenzi", "lorenzi comptable"):
            assert [hit.as_dict() for hit in mine.search(text)] == [hit.as_dict() for hit in theirs.search(text)], text


def test_an_unchanged_directory_keeps_its_segments(small: Path) -> None:
    before = segments(small)
    stamp = json.loads((index_path(load_settings(small)) / "trombi-stamp.json").read_text(encoding="utf-8"))
    write_index(load(small), index_path(load_settings(small)), processes=1)
    after = segments(small)
    assert after == before
    assert json.loads((index_path(load_settings(small)) / "trombi-stamp.json").read_text(encoding="utf-8"))["written"] != stamp["written"]


def test_the_index_being_read_is_never_written_to(small: Path, tmp_path: Path) -> None:
    """The update shares the segments' files with the index in place (hard links): not a byte of them may change."""
    target = index_path(load_settings(small))
    witness = tmp_path / "witness"
    witness.mkdir()
    before = {}
    for path in target.iterdir():
        os.link(path, witness / path.name)  # the same file, whatever the update renames or removes
        before[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    with SearchIndex(target) as reading:
        found = [hit.as_dict() for hit in reading.search("kubernetes")]
        edit(small, "kexpert", set_field("title", "Astronome"))
        write_index(load(small), target, processes=1)
        assert updated_in_place(segments(small))
        assert [hit.as_dict() for hit in reading.search("kubernetes")] == found  # the old index, whole
    assert {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in witness.iterdir()} == before
    assert any(os.stat(path).st_nlink > 1 for path in target.glob("*.seg"))  # its segment is shared, not copied


# --- what cannot be updated is written whole, with the right answers -----------------------------


def rewrite_record(target: Path, change: Callable[[dict[str, Any]], None], *, checked: bool = True) -> None:
    """The record changed by ``change``, under a checksum that fits it (or the old one)."""
    checksum, _, body = (target / RECORD).read_bytes().partition(b"\n")
    record = json.loads(body)
    change(record)
    body = json.dumps(record).encode()
    (target / RECORD).write_bytes((hashlib.blake2b(body, digest_size=16).hexdigest().encode() if checked else checksum) + b"\n" + body)


def cut_short(target: Path) -> None:
    (target / RECORD).write_bytes((target / RECORD).read_bytes()[:-40])


def not_json(target: Path) -> None:
    body = b'{"whole": {}, "segments": [{"id": 3'
    (target / RECORD).write_bytes(hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b"\n" + body)


def wrong_types(target: Path) -> None:
    rewrite_record(target, lambda record: record["segments"][0]["documents"].__setitem__(0, ["dev", 42]))


def wrong_counts(target: Path) -> None:
    rewrite_record(target, lambda record: record["segments"][0]["documents"].pop())


def twice_the_same_handle(target: Path) -> None:
    rewrite_record(target, lambda record: record["segments"][0]["documents"].__setitem__(1, record["segments"][0]["documents"][0]))


def swap(documents: list[Any]) -> None:
    """apisec (changed by the test) where another handle is: a deletion would hit the wrong document."""
    first = next(n for n, entry in enumerate(documents) if entry[0] == "apisec")
    documents[first], documents[first + 1] = documents[first + 1], documents[first]


def changed_since_written(target: Path) -> None:
    rewrite_record(target, lambda record: swap(record["segments"][0]["documents"]), checked=False)


def wrong_handles(target: Path) -> None:
    """A record that is whole but does not say where the index holds each handle: the update finds out as it deletes."""
    rewrite_record(target, lambda record: swap(record["segments"][0]["documents"]))


def no_record(target: Path) -> None:
    (target / RECORD).unlink()


def record_through_a_link(target: Path) -> None:
    elsewhere = target.parents[1] / "elsewhere.json"  # the directory's root, beside .trombi/
    (target / RECORD).rename(elsewhere)
    (target / RECORD).symlink_to(elsewhere)


def no_segment(target: Path) -> None:
    for path in target.glob("*.seg"):
        path.unlink()


def segment_through_a_link(target: Path) -> None:
    for path in target.glob("*.seg"):
        path.rename(target.parents[1] / path.name)
        path.symlink_to(target.parents[1] / path.name)


def no_table_of_contents(target: Path) -> None:
    for path in target.glob("*.toc"):
        path.unlink()


@pytest.mark.parametrize(
    "damage",
    [
        cut_short,
        not_json,
        wrong_types,
        wrong_counts,
        twice_the_same_handle,
        changed_since_written,
        wrong_handles,
        no_record,
        record_through_a_link,
        no_segment,
        segment_through_a_link,
        no_table_of_contents,
    ],
)
def test_an_index_that_cannot_be_updated_is_written_whole(small: Path, tmp_path: Path, damage: Callable[[Path], None]) -> None:
    target = index_path(load_settings(small))
    edit(small, "kexpert", set_field("title", "Astronome"))
    edit(small, "apisec", set_field("title", "Astronome"))  # early in the directory's order: it is in the first documents
    org = load(small)  # before the damage: validation refuses a link anywhere in the repository, .trombi included
    damage(target)
    assert write_index(org, target, processes=1) == 14
    record = segments(small)
    assert all(segment.base for segment in record.segments) and not updated_in_place(record)
    assert not (target / RECORD).is_symlink() and not any(path.is_symlink() for path in target.iterdir())
    write_index(load(small), tmp_path / "whole", processes=1)
    with SearchIndex(target) as mine, SearchIndex(tmp_path / "whole") as theirs:
        for text in ("astronome", "kubernetes", "comptable", "lyon"):
            assert [hit.as_dict() for hit in mine.search(text)] == [hit.as_dict() for hit in theirs.search(text)], text
    assert sorted(path.name for path in target.parent.iterdir()) == ["index"]  # nothing left beside it


def test_another_format_language_or_schema_means_a_full_write(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = index_path(load_settings(small))
    for name, value in (("format", 1), ("language", "en"), ("schema", "0" * 32), ("whoosh", "2.7.3"), ("snowballstemmer", "2.0.0")):
        edit(small, "kexpert", set_field("title", f"Astronome {name}"))
        rewrite_record(target, lambda record: record["whole"].__setitem__(name, value))  # noqa: B023
        write_index(load(small), target, processes=1)
        assert not updated_in_place(segments(small)), name
        assert [hit.handle for hit in SearchIndex(target).search(f"astronome {name}")] == ["kexpert"]


def test_too_much_changed_means_a_full_write(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "REWRITE_FLOOR", 2)
    target = index_path(load_settings(small))
    edit(small, "kexpert", set_field("title", "Astronome"))
    write_index(load(small), target, processes=1)
    assert updated_in_place(segments(small))  # one deleted, one added: within 2
    edit(small, "apisec", set_field("title", "Astronome"))
    write_index(load(small), target, processes=1)  # kexpert again, apisec deleted and added: 3
    assert not updated_in_place(segments(small))
    with SearchIndex(target) as index:
        assert {hit.handle for hit in index.search("astronome")} == {"kexpert", "apisec"}


def test_the_order_of_documents_is_read_only_when_it_fits(small: Path) -> None:
    target = index_path(load_settings(small))
    edit(small, "kexpert", set_field("title", "Comptable"))
    write_index(load(small), target, processes=1)
    ix = whoosh_index.open_dir(str(target))
    documents = ix.doc_count_all()
    ix.close()
    assert incremental.read_order(target, documents) is not None
    assert incremental.read_order(target, documents + 1) is None
    (target / ORDER).write_bytes(b"\x00" * 7)
    assert incremental.read_order(target, documents) is None
    with SearchIndex(target) as index:  # without it, ties go by document number: still an answer
        assert "kexpert" in [hit.handle for hit in index.search("comptable")]
