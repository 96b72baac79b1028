"""The browser's index: split in bundles (even, in path order, each page once) of small chunks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.pagefind import INDEX_CHUNK_SIZE, OUTPUT_DIR, PARTS_FILE, Documents, _read, bundle_folders, split_pages, worker_groups, write_pagefind_index

SPLITS = [(0, 10, [0]), (10, 10, [10]), (11, 10, [6, 5]), (100_000, 10_000, [10_000] * 10), (25, 7, [6, 6, 7, 6])]


@pytest.mark.parametrize(("pages", "size", "expected"), SPLITS)
def test_pages_are_split_in_the_fewest_even_bundles(pages: int, size: int, expected: list[int]) -> None:
    names = [f"people/p{index:06d}/index.html" for index in reversed(range(pages))]
    bundles = split_pages(names, size)
    assert [len(bundle) for bundle in bundles] == expected
    assert [name for bundle in bundles for name in bundle] == sorted(names)


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


def _postings(word: list[Any]) -> int:
    """A word's share of a chunk as Pagefind 1.5.2 counts it: each page's entry and positions, and each variant."""
    _, pages, variants = word
    every_page = [*pages, *(page for _, variant_pages in variants for page in variant_pages)]
    return sum(len(locations) + len(meta_locations) + 1 for _, locations, meta_locations in every_page) + len(variants)


def test_index_chunks_stay_small_so_a_query_downloads_little_from_each_bundle(tmp_path: Path) -> None:
    site = tmp_path / "site"
    pages = [f"people/p{number:03d}/index.html" for number in range(120)]
    for number, page in enumerate(pages):
        (site / page).parent.mkdir(parents=True)
        (site / page).write_text(_page(number), encoding="utf-8")
    stats = write_pagefind_index(site, site, pages, bundle_pages=60)
    assert (stats.pages, stats.bundles) == (120, 2)
    for folder in bundle_folders(2):
        chunks = [_read(path)[0] for path in (site / OUTPUT_DIR / folder / "index").glob("*.pf_index")]
        # 60 pages of 40 words a bundle, thousands of postings: several chunks, each closed once it reaches the budget.
        assert len(chunks) > 2
        for words in chunks:
            assert sum(_postings(word) for word in words[:-1]) < INDEX_CHUNK_SIZE


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
