"""The browser's index: split in bundles (each page once, in a bundle chosen by its path alone) of small chunks."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import cbor2
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.search import pagefindfiles
from generator.search.pagefind import (
    BUNDLE_PAGES,
    OUTPUT_DIR,
    PARTS_FILE,
    Documents,
    bundle_count,
    bundle_folders,
    split_pages,
    worker_groups,
    write_pagefind_index,
)
from generator.search.pagefindfiles import INDEX_CHUNK_SIZE, _array, _array_header, _just_before, _read, postings

# Pages, pages a bundle, bundles: one while they fit, then bundles planned 19/20 full.
COUNTS = [(0, 10, 0), (1, 10, 1), (10, 10, 1), (11, 10, 2), (19, 10, 2), (20, 10, 3), (100_000, 10_000, 11), (104_500, 10_000, 11), (104_501, 10_000, 12)]


@pytest.mark.parametrize(("pages", "size", "expected"), COUNTS)
def test_pages_are_indexed_in_bundles_planned_with_room_to_spare(pages: int, size: int, expected: int) -> None:
    assert bundle_count(pages, size) == expected


def _names(count: int, start: int = 0) -> list[str]:
    return [f"people/p{index:06d}/index.html" for index in reversed(range(start, start + count))]


@pytest.mark.parametrize("pages", [BUNDLE_PAGES, BUNDLE_PAGES + 1, 57_000, 100_000, 104_500])
def test_bundles_of_a_large_company_stay_within_their_size(pages: int) -> None:
    names = _names(pages)
    bundles = split_pages(names, BUNDLE_PAGES)
    assert len(bundles) == bundle_count(pages)
    assert max(len(bundle) for bundle in bundles) <= BUNDLE_PAGES
    assert sorted(name for bundle in bundles for name in bundle) == sorted(names)
    assert all(bundle == sorted(bundle) for bundle in bundles)


@settings(max_examples=60, deadline=None)
@given(st.sets(st.from_regex(r"people/[a-z0-9-]{2,12}/index\.html", fullmatch=True), min_size=1, max_size=80), st.integers(3, 12), st.data())
def test_a_page_added_or_removed_changes_its_own_bundle_only(pages: set[str], size: int, data: st.DataObject) -> None:
    before = split_pages(sorted(pages), size)
    assert sorted(page for bundle in before for page in bundle) == sorted(pages)
    assert all(bundle == sorted(bundle) for bundle in before)
    changed = data.draw(st.sampled_from(sorted(pages)) | st.from_regex(r"people/[a-z0-9-]{2,12}/index\.html", fullmatch=True))
    after = split_pages(sorted(pages ^ {changed}), size)
    assume(bundle_count(len(pages), size) == bundle_count(len(pages ^ {changed}), size))

    # Every other page is with the same pages as before, in the same order: only the changed page's bundle differs.
    def neighbours(bundles: list[list[str]]) -> dict[str, list[str]]:
        return {page: [other for other in bundle if other != changed] for bundle in bundles for page in bundle if page != changed}

    assert neighbours(after) == neighbours(before)
    assert len([bundle for bundle in after if bundle not in before]) <= 1
    assert len([bundle for bundle in before if bundle not in after]) <= 1
    # Nor does the order in which pages are given matter.
    assert split_pages(sorted(pages, reverse=True), size) == before


def test_the_first_bundle_is_the_index_folder_itself() -> None:
    assert bundle_folders(0) == []
    assert bundle_folders(1) == [""]
    assert bundle_folders(3) == ["", "part-2", "part-3"]


def test_bundles_are_shared_between_the_web_workers_in_order() -> None:
    assert worker_groups([]) == []
    assert worker_groups([""]) == [[""]]
    assert worker_groups(bundle_folders(3)) == [["", "part-2"], ["part-3"]]
    assert worker_groups(bundle_folders(10)) == [["", "part-2", "part-3", "part-4", "part-5"], ["part-6", "part-7", "part-8", "part-9", "part-10"]]


def _page(number: int) -> str:
    words = " ".join(f"mot{(number * 7 + index) % 300:03d}" for index in range(40))
    return f'<html lang="fr"><body><main data-pagefind-body><h1>Personne {number}</h1><p>{words}</p></main></body></html>'


def test_index_chunks_stay_small_so_a_query_downloads_little_from_each_bundle(tmp_path: Path) -> None:
    site = tmp_path / "site"
    pages = [f"people/p{number:03d}/index.html" for number in range(120)]
    for number, page in enumerate(pages):
        (site / page).parent.mkdir(parents=True)
        (site / page).write_text(_page(number), encoding="utf-8")
    stats = write_pagefind_index(site, site, pages, bundle_pages=60)
    assert (stats.pages, stats.bundles) == (120, 3)
    for folder in bundle_folders(3):
        chunks = [_read(path)[0] for path in (site / OUTPUT_DIR / folder / "index").glob("*.pf_index")]
        # About 40 pages of 40 words a bundle, thousands of postings: several chunks, each closed once it reaches the budget.
        assert len(chunks) > 2
        for words in chunks:
            assert sum(postings(word) for word in words[:-1]) < INDEX_CHUNK_SIZE


def test_nobody_to_index_writes_no_bundle(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    stats = write_pagefind_index(tmp_path / "site", tmp_path / "site", [])
    assert (stats.pages, stats.bundles) == (0, 0)
    assert json.loads((tmp_path / "site" / OUTPUT_DIR / PARTS_FILE).read_text(encoding="utf-8")) == []


def test_documents_are_moved_back_once_indexed(tmp_path: Path) -> None:
    documents = tmp_path / "documents"
    pages = [f"people/p{number:03d}/index.html" for number in range(30)] + ["people/flat.html"]
    for number, page in enumerate(pages):
        (documents / page).parent.mkdir(parents=True, exist_ok=True)
        (documents / page).write_text(_page(number), encoding="utf-8")
    stats = write_pagefind_index(documents, tmp_path / "site", pages, bundle_pages=10)
    assert (stats.pages, stats.bundles) == (31, 4)
    assert sorted(p.relative_to(documents).as_posix() for p in documents.rglob("*.html")) == sorted(pages)
    assert not any(p.name.startswith(".pagefind-") for p in tmp_path.iterdir())  # the scratch folder is gone


def test_documents_of_people_no_longer_searched_are_removed(tmp_path: Path) -> None:
    documents = Documents(tmp_path / "documents", "fr")
    for handle in ("ana", "bob", "gone"):
        assert documents.publish(f"people/{handle}/index.html", f"<div data-pagefind-body><h1>{handle}</h1></div>") == "<div><h1>" + handle + "</h1></div>"
    (documents.folder / "people" / "old.html").write_text("<p>from a build without folder URLs</p>", encoding="utf-8")
    documents.keep_only(["people/ana/index.html", "people/bob/index.html"])
    assert sorted(p.relative_to(documents.folder).as_posix() for p in documents.folder.rglob("*")) == [
        "people",
        "people/ana",
        "people/ana/index.html",
        "people/bob",
        "people/bob/index.html",
    ]
    documents.keep_only([])
    assert not documents.folder.exists()


# --- common words alone, bounds without gaps ------------------------------------------------------

COMMON = 50  # postings that make a word common, small enough for a few pages


def _words_page(number: int) -> str:
    """A page whose rare words (one page each) sort before and after its common ones ("rb", "rbx", "rd")."""
    words = f"ra{number:03d} rb rbx rc{number:03d} rd{number % 7}"
    return f'<html lang="fr"><body><main data-pagefind-body><h1>Personne {number}</h1><p>{words}</p></main></body></html>'


def _index(site: Path) -> list[tuple[str, str, list[Any]]]:
    """The bundle's chunks in the order its meta file lists them: their bounds and their words."""
    meta = _read(next((site / OUTPUT_DIR).glob("pagefind.*.pf_meta")))
    return [(start, end, _read(site / OUTPUT_DIR / "index" / f"{name}.pf_index")[0]) for start, end, name in meta[2]]


def _holding(chunks: list[tuple[str, str, list[Any]]], term: str) -> list[list[str]]:
    """The words of the chunks the browser loads for ``term``: Pagefind's rule, ``from <= term <= to``."""
    return [[word[0] for word in words] for start, end, words in chunks if start <= term <= end]


@pytest.fixture
def common_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(pagefindfiles, "INDEX_CHUNK_SIZE", COMMON)
    site = tmp_path / "site"
    pages = [f"people/p{number:03d}/index.html" for number in range(60)]
    for number, page in enumerate(pages):
        (site / page).parent.mkdir(parents=True)
        (site / page).write_text(_words_page(number), encoding="utf-8")
    write_pagefind_index(site, site, pages)
    return site


def test_a_common_word_has_a_chunk_of_its_own(common_words: Path) -> None:
    chunks = _index(common_words)
    for common in ("rb", "rbx", "rd"):
        assert _holding(chunks, common) == [[common]]
    # Pagefind closed a chunk with "rb", after rarer words; they are a chunk of their own.
    assert _holding(chunks, "ra059") == [[f"ra{number:03d}" for number in range(51, 60)]]
    for _, _, words in chunks:
        assert len(words) == 1 or all(postings(word) < COMMON for word in words)


def test_every_term_falls_in_one_chunk_the_one_that_holds_its_word(common_words: Path) -> None:
    chunks = _index(common_words)
    assert (chunks[0][0], chunks[-1][1]) == ("", "\U0010ffff")
    for (_, end, _), (start, _, _) in itertools.pairwise(chunks):
        assert end == _just_before(start) < start
    words = [word[0] for _, _, chunk in chunks for word in chunk]
    assert words == sorted(words)
    for word in words:
        assert [word in holding for holding in _holding(chunks, word)] == [True]
        # A term between two words falls in the chunk of the word before it, where Pagefind
        # finds the longest word the term begins with ("rbxy" finds "rbx").
        term = word + "y"
        before = max(other for other in words if other <= term)
        assert [before in holding for holding in _holding(chunks, term)] == [True]
    assert [holding[0] for holding in _holding(chunks, "!")] == [words[0]]  # before the first word


def test_the_chunks_hold_what_pagefind_wrote(common_words: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagefindfiles, "_common_words_alone", lambda bundle, chunks: chunks)
    as_written = tmp_path / "as-written"
    pages = [p.relative_to(common_words).as_posix() for p in sorted(common_words.glob("people/*/index.html"))]
    write_pagefind_index(common_words, as_written, pages, cache=tmp_path / "no-bundles-yet")  # not the bundle cut as usual
    written, cut = _index(as_written), _index(common_words)
    assert len(cut) > len(written)
    assert [word for _, _, words in cut for word in words] == [word for _, _, words in written for word in words]
    # Pagefind's bounds leave gaps: a term there is looked up in every chunk its prefixes match.
    assert _holding(written, "rbxy") == []


@pytest.mark.parametrize(("bound", "before"), [("pris", "prir\U0010ffff"), ("b", "a\U0010ffff"), ("a\x00", "a"), ("x\ue000", "x\ud7ff\U0010ffff")])
def test_a_chunk_ends_just_before_the_next_begins(bound: str, before: str) -> None:
    assert _just_before(bound) == before
    assert before < bound
    for term in ("", "a", "prio", "pri", "prir", "prirzzz", "pris", "prise", "x", "x\ud7ff", "a\x00"):
        assert (term < bound) == (term <= before)


@pytest.mark.parametrize("length", [0, 1, 23, 24, 255, 256, 65_535, 65_536])
def test_array_headers_are_cbor(length: int) -> None:
    encoded = cbor2.dumps([0] * length)
    assert encoded == _array(length) + bytes(length)
    assert _array_header(encoded, 0) == (length, len(encoded) - length)
