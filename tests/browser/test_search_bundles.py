"""A company indexed in several Pagefind bundles searches like one index, in a real browser.

The demo site is indexed again in bundles of a few people each, and in chunks so small that its
common words have chunks of their own, as a large company's do; the same searches, on the site
with one bundle and on the site with many, must find the same people with the same facet counts.
"""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.search import pagefindfiles
from generator.search.pagefind import DOCUMENTS_DIR, OUTPUT_DIR, PARTS_FILE, WORKERS, bundle_count, indexed_pages, write_pagefind_index
from generator.search.pagefindfiles import _read, postings
from generator.site.sitedir import hold, release
from tests.browser.test_search import PAGE, facet_counts, header_search, page_state
from tests.conftest import REPO

BUNDLE_PAGES = 7
CHUNK_SIZE = 12


def person_pages(documents: Path) -> list[str]:
    """The person pages shown by search: those the build wrote a search document for."""
    return [p.relative_to(documents).as_posix() for p in (documents / "people").glob("*/index.html")]


@pytest.fixture(scope="module")
def documents(demo_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the build of the demo site gave Pagefind to read, copied while no other build writes it."""
    copy = tmp_path_factory.mktemp("documents") / "search-pages"
    lock = REPO / ".trombi" / ".build.lock"
    held = hold(lock, lock.parent, lambda message: None)
    try:
        shutil.copytree(REPO / DOCUMENTS_DIR, copy)
    finally:
        release(lock, held)
    return copy


@pytest.fixture(scope="module")
def bundled_site(demo_site: Path, documents: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("bundled") / "site"
    shutil.copytree(demo_site, site)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pagefindfiles, "INDEX_CHUNK_SIZE", CHUNK_SIZE)
        stats = write_pagefind_index(documents, site, person_pages(documents), bundle_pages=BUNDLE_PAGES)
    assert stats.bundles > 3
    return site


@pytest.fixture(scope="module")
def bases(demo_site: Path, bundled_site: Path, serve: Callable[[Path], str]) -> tuple[str, str]:
    return serve(demo_site), serve(bundled_site)


@pytest.fixture
def tab(page: Any, bases: tuple[str, str]) -> Iterator[Any]:
    yield page
    assert all(url.startswith(bases) for url in page.requests), page.requests
    assert page.errors == []


def test_bundles_hold_every_person_once(demo_site: Path, documents: Path, bundled_site: Path) -> None:
    groups = json.loads((bundled_site / OUTPUT_DIR / PARTS_FILE).read_text(encoding="utf-8"))
    pages = len(person_pages(documents))
    # Two web workers, each with its share of the bundles; each group's first bundle carries Pagefind's runtime.
    assert len(groups) == WORKERS
    assert [part for group in groups for part in group] == ["", *(f"part-{n}/" for n in range(2, bundle_count(pages, BUNDLE_PAGES) + 1))]
    assert abs(len(groups[0]) - len(groups[1])) <= 1
    for group in groups:
        for index, part in enumerate(group):
            files = [path for path in (bundled_site / OUTPUT_DIR / part).iterdir() if path.name != PARTS_FILE and not path.name.startswith("part-")]
            names = {path.suffix if path.suffix in (".pf_meta", ".pagefind") else path.name for path in files}
            index_only = {"pagefind-entry.json", ".pf_meta", "index", "fragment", "filter"}
            assert names == (index_only | {"pagefind.js", "pagefind-worker.js", ".pagefind"} if index == 0 else index_only), part
    assert not list((bundled_site / OUTPUT_DIR).rglob("pagefind-*ui*"))
    assert indexed_pages(bundled_site) == indexed_pages(demo_site) == pages
    assert json.loads((demo_site / OUTPUT_DIR / PARTS_FILE).read_text(encoding="utf-8")) == [[""]]


def test_common_words_have_chunks_of_their_own(bundled_site: Path) -> None:
    alone = 0
    for meta in (bundled_site / OUTPUT_DIR).rglob("pagefind.*.pf_meta"):
        for _, _, name in _read(meta)[2]:
            words = _read(meta.parent / "index" / f"{name}.pf_index")[0]
            for one, two in itertools.pairwise(words):
                # A common word is next to another in its chunk only when one begins the other.
                if max(postings(one), postings(two)) >= CHUNK_SIZE:
                    assert two[0].startswith(one[0]), (one[0], two[0])
            alone += len(words) == 1 and postings(words[0]) >= CHUNK_SIZE
    assert alone > 20


@pytest.mark.parametrize("address", ["search/?q=python", "search/?q=lyon", "search/?q=python&location=Lyon", "search/?q=kubernetes&expert=Kubernetes"])
def test_a_search_over_bundles_finds_what_one_index_finds(tab: Any, bases: tuple[str, str], address: str) -> None:
    seen = []
    for base in bases:
        tab.goto(base + address)
        count, _ = page_state(tab)
        # Each bundle ranks its own pages: compare everyone found, not the first page of results.
        while tab.locator("[data-trombi-more]").is_visible():
            shown = tab.locator(f"{PAGE} [data-trombi-results] .trombi-result__name").count()
            tab.click("[data-trombi-more]")
            tab.wait_for_function("n => document.querySelectorAll('[data-trombi-results] .trombi-result__name').length > n", arg=shown)
        names = sorted(tab.locator(f"{PAGE} [data-trombi-results] .trombi-result__name").all_inner_texts())
        assert len(names) == count
        seen.append((count, names, {facet: facet_counts(tab, facet) for facet in ("skill", "location", "language", "group")}))
    assert seen[0][0] > 0
    assert seen[0] == seen[1]


def test_the_header_box_reads_every_bundle(tab: Any, bases: tuple[str, str]) -> None:
    found = []
    for base in bases:
        tab.goto(base + "people/")
        found.append(header_search(tab, "android"))
    single, bundled = found
    assert single
    # A bundle without the word gives Pagefind's weaker near matches (a word it starts with); they rank after.
    assert sorted(bundled[: len(single)]) == sorted(single)
