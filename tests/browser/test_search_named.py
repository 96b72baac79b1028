"""Skills, teams, groups, sites and languages as results, above the people, in a real browser.

The browser reads the rules of generator.search.named from assets/search.js; the terminal reads
them from Python. Both are asked the same queries here and must name the same pages in the same order.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.test_search import HEADER_PAGES, PAGE, header_search

NAMED = "[data-trombi-named-results] [data-trombi-named]"
# Skills, aliases, groups, teams, sites, languages, begun words, accents, little words, nothing.
QUERIES = [
    "python",
    "guilde python",
    "club escalade",
    "escalade",
    "prise de parole",
    "kubernetes",
    "k8s",
    "plateforme",
    "équipe plateforme",
    "lyon",
    "python lyon",
    "allemand",
    "gestion de projet",
    "chef de projet",
    "guilde pyt",
    "GUILDE RUST",
    "data",
    "securite",
    "de la",
    "jeanne dupont",
    "astronomie",
]


@pytest.fixture(scope="module")
def terminal(demo_site: Path) -> Iterator[Any]:
    """The terminal's index of the same directory, which the build wrote beside it."""
    from generator.directory.settings import load_settings
    from generator.search.index import index_path
    from generator.search.query import SearchIndex
    from tests.conftest import REPO

    with SearchIndex(index_path(load_settings(REPO))) as index:
        yield index


def page_results(tab: Any, base: str, query: str) -> tuple[list[str], list[str]]:
    """The ids of the named pages and the URLs of the people the search page shows for ``query``."""
    tab.goto(f"{base}search/?q={quote(query)}")
    tab.wait_for_selector(f"{PAGE}[data-trombi-ready]")
    named = [link.get_attribute("data-trombi-named") for link in tab.locator(NAMED).all()]
    people = [link.get_attribute("href") for link in tab.locator("[data-trombi-results] a").all()]
    return named, people


def test_a_group_named_by_the_query_comes_first_in_the_header_box(tab: Any, base: str) -> None:
    tab.goto(base)
    assert header_search(tab, "python lyon", HEADER_PAGES) == []  # a skill and a site: people, no page above them
    pages = header_search(tab, "guilde python", HEADER_PAGES)
    assert len(pages) == 1 and pages[0].startswith("Guilde Python Communauté · ")
    everything = header_search(tab, "guilde python", "[data-trombi-dropdown] [role=option]")
    assert everything[0] == pages[0] and any("Élodie Lemaire" in r for r in everything[1:])  # the people follow
    tab.locator("[data-trombi-header-search] input[name=q]").press("ArrowDown")
    tab.locator("[data-trombi-header-search] input[name=q]").press("Enter")
    tab.wait_for_url(base + "groups/guild-python/")


def test_the_search_page_shows_the_named_pages_in_their_own_section(tab: Any, base: str) -> None:
    named, _ = page_results(tab, base, "club escalade")
    assert named[0] == "group:club-escalade"
    section = tab.locator("[data-trombi-named-section]")
    assert section.is_visible() and section.get_attribute("aria-labelledby") == "trombi-named-title"
    assert tab.locator("#trombi-named-title").inner_text() == "Compétences, groupes et sites"
    tab.locator(NAMED).first.click()
    tab.wait_for_url(base + "groups/club-escalade/")


def test_a_query_naming_nothing_has_no_section(tab: Any, base: str) -> None:
    named, people = page_results(tab, base, "jeanne dupont")
    assert named == [] and people
    assert tab.locator("[data-trombi-named-section]").is_hidden()


def test_the_browser_names_the_pages_the_terminal_names(tab: Any, base: str, terminal: Any) -> None:
    differences = {}
    for query in QUERIES:
        named, _ = page_results(tab, base, query)
        expected = [found.id for found in terminal.pages(query)]
        if named != expected:
            differences[query] = (named, expected)
    assert differences == {}
    assert sum(bool(terminal.pages(query)) for query in QUERIES) >= len(QUERIES) - 4  # the list tells something
