"""The terminal's search index (Whoosh): folding, stemming, typos, fields, filters, ranking, privacy."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index  # type: ignore[import-untyped]

from generator.directory.enrich import enrich
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.search import index as search_index
from generator.search.index import (
    MemoryWriter,
    _Documents,
    _write_people,
    data_mtime,
    index_path,
    index_status,
    make_schema,
    rebuild_index,
    write_index,
)
from generator.search.query import Filters, SearchIndex
from tests.conftest import REPO, make_directory

SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/person.schema.json\n"
# People added to tests/data/base, each made to tell one behaviour from another.
PEOPLE = {
    "kexpert": """name: Katrin Weber
title: Ingénieure sécurité
team: platform
location: Lyon
languages: [de, fr]
skills: [{name: Kubernetes, level: expert}]
""",
    "knotions": """name: Karl Braun
title: Chef de projet
location: Lyon
languages: [de]
skills: [{name: Kubernetes, level: notions}]
""",
    "bioonly": """name: Bérénice Morel
title: Chargée de communication
location: Paris
languages: [fr]
bio: J'ai écrit un article sur Kubernetes et ses usages.
""",
    "consult": """name: Nora Lindqvist
title: Consultante accessibilité
kind: contractor
location: Paris
languages: [sv, fr]
""",
    "apisec": """name: Marc Petit
title: Architecte
location: Paris
languages: [fr, en]
ask_me_about: [securite des API]
skills: [{name: Terraform, level: advanced}]
""",
    # Names whose letters have no decomposition, and one with an apostrophe: typed as a keyboard allows.
    "pwisniewski": "name: Paweł Wiśniewski\ntitle: Comptable\nlocation: Paris\nlanguages: [pl]\n",
    "bodegard": "name: Bjørn Ødegård\ntitle: Comptable\nlocation: Paris\nlanguages: [no]\n",
    "edalgic": "name: Emre Dalgıç\ntitle: Comptable\nlocation: Paris\nlanguages: [tr]\n",
    "jfridriksson": "name: Jón Friðriksson\ntitle: Comptable\nlocation: Paris\nlanguages: [is]\n",
    "imaetzke": "name: Ida Mætzke\ntitle: Comptable\nlocation: Paris\nlanguages: [da]\n",
    "cobrien": "name: Ciarán O'Brien\ntitle: Comptable\nlocation: Paris\nlanguages: [en]\n",
    "cachee": """name: Zoé Cachée
title: Ingénieure plateforme
location: Lyon
languages: [de]
search: hidden
skills: [{name: Kubernetes, level: expert}]
""",
}


def make_search_directory(target: Path) -> Path:
    root = make_directory(target)
    for handle, text in PEOPLE.items():
        (root / "people" / f"{handle}.yaml").write_text(SCHEMA_LINE + text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_search_directory(tmp_path_factory.mktemp("search") / "directory")
    rebuild_index(load_settings(root))
    return root


@pytest.fixture(scope="module")
def index(root: Path) -> Iterator[SearchIndex]:
    with SearchIndex(index_path(load_settings(root))) as opened:
        yield opened


def handles(index: SearchIndex, text: str, filters: Filters | None = None) -> list[str]:
    return [hit.handle for hit in index.search(text, filters or Filters())]


def test_accents_and_case_are_folded_both_ways(index: SearchIndex) -> None:
    assert "kexpert" in handles(index, "SECURITE")  # text: "sécurité"
    assert "apisec" in handles(index, "sécurité")  # text: "securite"
    assert "lead" in handles(index, "leo")  # name: "Léo Durand"
    assert handles(index, "claire eon") == ["ceo"]


@pytest.mark.parametrize(
    ("typed", "handle"),
    [
        ("pawel", "pwisniewski"), ("wisniewski", "pwisniewski"), ("Paweł", "pwisniewski"),
        ("bjorn", "bodegard"), ("odegard", "bodegard"), ("dalgic", "edalgic"), ("fridriksson", "jfridriksson"),
        ("maetzke", "imaetzke"), ("obrien", "cobrien"), ("o'brien", "cobrien"), ("O’Brien", "cobrien"), ("brien", "cobrien"),
    ],
)  # fmt: skip
def test_names_are_found_as_a_keyboard_types_them(index: SearchIndex, typed: str, handle: str) -> None:
    assert handles(index, typed)[:1] == [handle]


def test_a_level_word_asks_for_the_skill_at_that_level_or_above(index: SearchIndex) -> None:
    experts = handles(index, "", Filters(skills=("Kubernetes",), level="expert"))
    assert experts and set(handles(index, "kubernetes expert")) == set(experts)
    assert set(handles(index, "Experte k8s")) == set(experts)  # either order, an alias, the feminine
    advanced = handles(index, "kube senior")
    assert "knotions" not in advanced and set(experts) <= set(advanced)
    assert "knotions" in handles(index, "kubernetes")  # without a level word, every holder


def test_a_site_in_the_query_is_a_filter(index: SearchIndex) -> None:
    found = index.search("kubernetes lyon")
    assert {hit.handle for hit in found} == {"kexpert", "knotions"}  # Kubernetes at Lyon: not the lead, at Paris
    assert [hit.handle for hit in index.search("lyon")][:1] != []  # a site alone is searched as a word


@pytest.fixture(scope="module")
def demo_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    root = tmp_path_factory.mktemp("demo")
    for name in ("people", "groups"):
        shutil.copytree(REPO / name, root / name)
    for name in ("skills.yaml", "mkdocs.yml"):
        shutil.copyfile(REPO / name, root / name)
    settings = load_settings(root)
    rebuild_index(settings)
    with SearchIndex(index_path(settings)) as opened:
        yield opened


def test_a_quoted_skill_finds_whom_the_skill_option_finds(demo_index: SearchIndex) -> None:
    by_option = handles(demo_index, "", Filters(skills=("Prise de parole en public",)))
    assert len(by_option) >= 3
    assert set(handles(demo_index, 'skill:"Prise de parole en public"')) == set(by_option)
    assert set(handles(demo_index, 'compétence:"prise de parole en public"')) == set(by_option)


def test_french_words_are_stemmed(index: SearchIndex) -> None:
    assert "dev" in handles(index, "développeuses")  # title: "Développeuse"
    assert "dev" in handles(index, "developpeurs")
    assert "kexpert" in handles(index, "ingenieures")


def test_little_words_do_not_get_in_the_way(index: SearchIndex) -> None:
    assert handles(index, "chef de projet")[0] == "knotions"
    assert handles(index, "Chef du projet") == handles(index, "chef projet")


def test_one_typo_is_forgiven_in_long_words(index: SearchIndex) -> None:
    assert {"kexpert", "knotions", "lead"} <= set(handles(index, "kubernets"))
    assert {"kexpert", "knotions", "lead"} <= set(handles(index, "kuberntes"))
    assert handles(index, "rsut") == []  # short words must match exactly


def test_fielded_queries_narrow_a_word_to_one_field(index: SearchIndex) -> None:
    assert set(handles(index, "kubernetes")) >= {"bioonly"}
    assert "bioonly" not in handles(index, "skill:kubernetes")
    assert handles(index, "skill:kubernetes location:lyon lang:de") == ["kexpert", "knotions"]
    assert handles(index, "compétence:k8s site:paris") == ["lead"]  # French field names and aliases
    assert "dev" in handles(index, "langue:portugais")


def test_filters_restrict_the_results(index: SearchIndex) -> None:
    by_level = handles(index, "", Filters(skills=("k8s",)))  # no words: the strongest first
    assert set(by_level[:2]) == {"lead", "kexpert"} and by_level[2:] == ["knotions"]
    assert set(handles(index, "", Filters(skills=("Kubernetes",), level="advanced"))) == {"lead", "kexpert"}
    assert handles(index, "", Filters(skills=("kubernetes",), location="LYON", language="de")) == ["kexpert", "knotions"]
    assert handles(index, "", Filters(language="allemand", team="Équipe Plateforme")) == ["kexpert"]
    assert set(handles(index, "", Filters(team="platform", level="notions"))) == {"dev", "lead", "kexpert"}
    assert handles(index, "kubernetes", Filters(location="Paris")) == ["lead", "bioonly"]


def test_experts_come_first_and_skills_before_bio_mentions(index: SearchIndex) -> None:
    found = handles(index, "kubernetes")
    assert found.index("kexpert") < found.index("knotions") < found.index("bioonly")
    assert found.index("lead") < found.index("knotions")
    hits = index.search("kubernetes")
    expert = next(hit for hit in hits if hit.handle == "kexpert")
    assert expert.skills == [{"name": "Kubernetes", "level": "expert"}]
    assert next(hit for hit in hits if hit.handle == "bioonly").skills == []


def test_hidden_people_and_private_values_are_not_indexed(root: Path, index: SearchIndex) -> None:
    assert "cachee" not in handles(index, "zoe cachee")
    assert "cachee" not in handles(index, "", Filters(skills=("Kubernetes",)))
    assert handles(index, "33 6 11 22 33 44") == []
    assert index.people == len(PEOPLE) + 3 - 1
    stored = b"".join(path.read_bytes() for path in index_path(load_settings(root)).iterdir() if path.is_file())
    assert b"11 22 33 44" not in stored and "Cachée".encode() not in stored


def test_the_index_knows_when_it_is_stale(tmp_path: Path) -> None:
    root = make_search_directory(tmp_path / "directory")
    settings = load_settings(root)
    assert index_status(settings) == "missing"
    directory, _ = validate_directory(settings)
    write_index(enrich(directory), index_path(settings), mtime=data_mtime(settings))
    assert index_status(settings) == "fresh"
    later = time.time() + 5
    os.utime(root / "people" / "dev.yaml", (later, later))
    assert index_status(settings) == "stale"
    (root / "people" / "apisec.yaml").unlink()  # a deletion changes the folder's time
    rebuild_index(settings)
    assert index_status(settings) == "fresh"
    os.utime(root / "people", (later + 5, later + 5))
    assert index_status(settings) == "stale"


# --- writing fast: the same index as whoosh's own writer, in one process or several ---------


def documents_of(root: Path) -> list[dict[str, Any]]:
    org = enrich(validate_directory(load_settings(root))[0])
    documents = _Documents(org)
    return [documents(handle) for handle in org.sorted_people if org.people[handle].search == "visible"]


def index_contents(folder: Path, *, with_blocks: bool = True) -> dict[str, Any]:
    """Everything a search reads: each term's postings, statistics and blocks, stored fields, lengths.

    Blocks belong to one segment's posting lists: an index of several segments has other blocks.
    """
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        postings = {}
        for fieldname, text in reader.all_terms():
            matcher = reader.postings(fieldname, text)
            found = []
            while matcher.is_active():
                found.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            info = reader.term_info(fieldname, text)
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight(), info.min_id(), info.max_id())
            postings[fieldname, text] = (found, stats, blocks(reader, fieldname, text) if with_blocks else [])
        # An empty field's length reads as None, or as 0 in a segment where no document has the field.
        lengths = {name: [reader.doc_field_length(doc, name) or 0 for doc in range(reader.doc_count_all())] for name in ix.schema.scorable_names()}
        totals = {name: reader.field_length(name) for name in ix.schema.names()}
        return {"postings": postings, "stored": list(reader.all_stored_fields()), "lengths": lengths, "totals": totals}


def blocks(reader: Any, fieldname: str, text: bytes) -> list[tuple[Any, ...]]:
    """The block headers of a posting list (what lets a search skip blocks), read one segment at a time."""
    found = []
    for subreader, _offset in reader.leaf_readers():
        if (fieldname, text) not in subreader:
            continue
        matcher = subreader.postings(fieldname, text)
        while matcher.is_active():
            found.append((matcher._blocklength, matcher._maxid, repr(matcher._maxweight), matcher._minlength, matcher._maxlength))
            matcher._next_block()
    return found


@pytest.fixture(scope="module")
def many_documents(root: Path) -> list[dict[str, Any]]:
    """The test directory's people, each 60 times: words in more than one block of 128 postings."""
    people = documents_of(root)
    return [dict(document, handle=f"{document['handle']}-{copy}") for copy in range(60) for document in people]


def test_the_index_written_is_the_one_whoosh_writes(tmp_path: Path, many_documents: list[dict[str, Any]]) -> None:
    schema = make_schema("fr")
    for name, make_writer in (("whoosh", lambda ix: ix.writer()), ("fast", MemoryWriter)):
        (tmp_path / name).mkdir()
        writer = make_writer(whoosh_index.create_in(str(tmp_path / name), schema))
        for document in many_documents:
            writer.add_document(**document)
        writer.commit()
    whoosh, fast = index_contents(tmp_path / "whoosh"), index_contents(tmp_path / "fast")
    assert max(len(found) for found, _, _ in fast["postings"].values()) > 2 * 128
    assert max(len(block_list) for _, _, block_list in fast["postings"].values()) >= 3
    assert fast == whoosh


def test_several_processes_write_the_same_index(root: Path, tmp_path: Path) -> None:
    org = enrich(validate_directory(load_settings(root))[0])
    assert write_index(org, tmp_path / "one", processes=1) == write_index(org, tmp_path / "three", processes=3) == len(PEOPLE) + 3 - 1
    assert len(list((tmp_path / "three").glob("*.seg"))) == 3
    assert sorted(path.name for path in tmp_path.iterdir()) == ["one", "three"]  # no leftover folder
    assert index_contents(tmp_path / "three", with_blocks=False) == index_contents(tmp_path / "one", with_blocks=False)
    with SearchIndex(tmp_path / "one") as one, SearchIndex(tmp_path / "three") as three:
        for text in ("kubernetes", "securite", "kubernets", "chef de projet", "skill:kubernetes location:lyon lang:de", ""):
            assert [hit.as_dict() for hit in three.search(text)] == [hit.as_dict() for hit in one.search(text)]
    (tmp_path / "nobody").mkdir()
    _write_people(whoosh_index.create_in(str(tmp_path / "nobody"), make_schema("fr")), _Documents(org), [], processes=2)
    assert whoosh_index.open_dir(str(tmp_path / "nobody")).doc_count() == 0


def test_a_slice_larger_than_a_segment_is_written_one_segment_after_another(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process keeps one segment's postings in memory at a time; the index answers as one segment does."""
    org = enrich(validate_directory(load_settings(root))[0])
    people = write_index(org, tmp_path / "one", processes=1)
    monkeypatch.setattr(search_index, "SEGMENT_PEOPLE", 2)
    assert write_index(org, tmp_path / "pieces", processes=1) == write_index(org, tmp_path / "mixed", processes=2) == people
    assert len(list((tmp_path / "pieces").glob("*.seg"))) == -(-people // 2)
    assert len(list((tmp_path / "mixed").glob("*.seg"))) == 1 + -(-(people // 2) // 2)  # the child's slice, then this process's in pieces
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mixed", "one", "pieces"]  # no folder of a piece left
    for written in ("pieces", "mixed"):
        assert index_contents(tmp_path / written, with_blocks=False) == index_contents(tmp_path / "one", with_blocks=False)
        with SearchIndex(tmp_path / "one") as one, SearchIndex(tmp_path / written) as other:
            for text in ("kubernetes", "securite", "kubernets", "chef de projet", "skill:kubernetes location:lyon lang:de", ""):
                assert [hit.as_dict() for hit in other.search(text)] == [hit.as_dict() for hit in one.search(text)]


def test_a_failing_process_fails_the_index_and_leaves_nothing(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    org = enrich(validate_directory(load_settings(root))[0])
    first = next(handle for handle in org.sorted_people if org.people[handle].search == "visible")
    add_document = MemoryWriter.add_document

    def failing(self: MemoryWriter, **fields: Any) -> None:
        if fields["handle"] == first:  # in the first half: indexed by the forked child
            raise OSError(28, "No space left on device")
        add_document(self, **fields)

    monkeypatch.setattr(MemoryWriter, "add_document", failing)
    with pytest.raises(OSError, match="No space left"):
        write_index(org, tmp_path / "index", processes=2)
    assert list(tmp_path.iterdir()) == []


def test_builds_that_index_at_once_wait_for_each_other(root: Path, tmp_path: Path) -> None:
    # `trombi serve` rebuilding while `trombi build` runs: both write .trombi/index.
    from concurrent.futures import ThreadPoolExecutor

    org = enrich(validate_directory(load_settings(root))[0])
    target = tmp_path / ".trombi" / "index"
    write_index(org, target, processes=1)

    def write(_: int) -> int:
        return write_index(org, target, processes=1)

    def read(_: int) -> int:
        with SearchIndex(target) as index:
            return len(index.search("kubernetes"))

    with ThreadPoolExecutor(max_workers=6) as pool:
        writes = [pool.submit(write, n) for n in range(8)]
        reads = [pool.submit(read, n) for n in range(8)]
        counts = {future.result() for future in writes}
        found = {future.result() for future in reads}
    assert counts == {len(PEOPLE) + 3 - 1} and len(found) == 1 and found != {0}
    assert sorted(path.name for path in target.parent.iterdir()) == ["index"]  # no staging folder, no lock left


@pytest.mark.parametrize(
    ("query", "experts"),
    [
        ("python", {"elemaire"}),
        ("excel", {"pgarnier", "dlefebvre", "ymaillard"}),
        ("kotlin", {"bchevalier", "jschneider"}),
        ("sql", {"rachid-amrani"}),
        ("kubernetes", {"kbenali", "jdupont"}),
        ("kubernets", {"kbenali", "jdupont"}),
    ],
)
def test_a_skill_s_experts_come_first_as_in_the_browser(demo_index: SearchIndex, query: str, experts: set[str]) -> None:
    """The demo's experts, whose skill lists are longer than those of the advanced holders who also mention the skill."""
    assert set(handles(demo_index, query)[: len(experts)]) == experts


def test_a_project_manager_is_found_by_the_role_s_name(demo_index: SearchIndex) -> None:
    assert handles(demo_index, "chef de projet")[0] == "vlegall"  # "chef de projet" is an alias of Gestion de projet


def test_an_index_opened_while_a_build_replaces_it_is_whole(root: Path, tmp_path: Path) -> None:
    # `trombi search` opening the index while `trombi serve` swaps in a new one: opening reads
    # several files in turn, and must not mix the old index's with the new one's, nor fail.
    import threading

    org = enrich(validate_directory(load_settings(root))[0])
    target = tmp_path / "index"
    write_index(org, target, processes=1)
    done = threading.Event()
    opened: list[int] = []
    failures: list[BaseException] = []

    def read() -> None:
        while not done.is_set():
            try:
                with SearchIndex(target) as index:
                    opened.append(len(index.search("kubernetes")) + len(index.pages("kubernetes")))
            except BaseException as failure:  # the test reports every failure
                failures.append(failure)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for _ in range(6):
            write_index(org, target, processes=1)
    finally:
        done.set()
        for reader in readers:
            reader.join()
    assert failures == [] and len(opened) > 6 and len(set(opened)) == 1
