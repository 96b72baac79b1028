"""Where a reader is, in a real browser: the tab of the page's section is highlighted, alone, and the
page's breadcrumb starts with that same section, on every kind of page (generator/site/sections.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.accessibility import DESKTOP, PAGE_KINDS

# The tab of each page kind, by the URL of its section's index page; None: a page of no section.
SECTION_OF_KIND = {
    "home": "",
    "person": "people/",
    "external person": "people/",
    "skill": "skills/",
    "skills index": "skills/",
    "team": "groups/",
    "department": "groups/",
    "company": "groups/",
    "project": "groups/",
    "site": "groups/",
    "community": "groups/",
    "interest": "groups/",
    "groups index": "groups/",
    "org by team": "org/",
    "org by manager": "org/",
    "org by site": "org/",
    "org by language": "org/",
    "people index": "people/",
    "search": None,
    "search with facets": None,
    "lunch": "lunch/",
    "lunch month": "lunch/",
    "lunch proposal": "lunch/",
    "offers and seeks": "lunch/",
    "my network": "lunch/",  # under network/, a networking page beside the lunches
    "silo map": "org/",  # under network/, a view of the organisation beside its teams and sites
    "what's new": "news/",
    "stale": "org/",  # under news/, likewise
    "contribute": "contribuer/",
    "profile form": "people/",  # edit/: adding or changing a person
    "profile form, a profile": "people/",
    "not found": None,
}

# Pages below a section's own pages, which say where they are with a breadcrumb; the others are the
# section's own pages (the Organisation's are reached through its row of tabs), or of no section.
WITH_BREADCRUMB = {"person", "external person", "skill", "team", "department", "company", "project", "site", "community", "interest"}
WITH_BREADCRUMB |= {"lunch month", "lunch proposal", "offers and seeks", "my network", "a site's people", "a language's people"}
ORG_TABS = {"org by team", "org by manager", "org by site", "org by language", "silo map", "stale"}

# Page kinds the accessibility checks do not need, each in a shell of its own.
MORE_KINDS = {"a site's people": ("org/locations/lyon/", "org/"), "a language's people": ("org/languages/de/", "org/")}


def test_every_page_kind_is_named() -> None:
    assert set(SECTION_OF_KIND) == set(PAGE_KINDS)


def _where(page: Any, url: str) -> dict[str, Any]:
    page.goto(url)
    return dict(
        page.evaluate(
            """() => {
                const link = a => a && {href: a.href, text: a.textContent.trim()};
                return {
                    active: [...document.querySelectorAll('.md-tabs__item--active')].map(li => link(li.querySelector('a'))),
                    visible: [...document.querySelectorAll('.md-tabs__list > li')].every(li => li.offsetParent !== null),
                    crumb: link(document.querySelector('.trombi-breadcrumb a')),
                    subtab: (document.querySelector('.trombi-tabs__current') || {}).textContent || null,
                };
            }"""
        )
    )


@pytest.mark.parametrize("kind", [*SECTION_OF_KIND, *MORE_KINDS])
def test_the_tab_of_the_page_s_section_alone_is_highlighted_and_the_breadcrumb_starts_there(tab: Any, base: str, kind: str) -> None:
    path, section = MORE_KINDS[kind] if kind in MORE_KINDS else (PAGE_KINDS[kind], SECTION_OF_KIND[kind])
    tab.set_viewport_size(DESKTOP)
    where = _where(tab, base + path)
    assert where["visible"], "the row of tabs shows on a desktop"
    if section is None:
        assert where["active"] == [], f"{kind}: a page of no section highlights no tab"
    else:
        assert [active["href"] for active in where["active"]] == [base + section], kind
    crumb = where["crumb"]
    if kind in WITH_BREADCRUMB:
        assert crumb is not None, f"{kind} has no breadcrumb"
    if crumb is not None:
        assert where["active"] == [crumb], f"{kind}: the breadcrumb starts at {crumb}, the tab is {where['active']}"
    if kind in ORG_TABS:
        assert where["subtab"], f"{kind}: the Organisation's row of tabs marks the page"


def test_a_phone_s_drawer_marks_the_section_of_a_generated_page(tab: Any, base: str) -> None:
    """On a small screen the tabs are the drawer's menu (overrides/assets/drawer.js): its current item is the section's."""
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto(base + "network/silos/")
    tab.click("label.md-header__button[for=__drawer]")
    active = tab.locator(".md-sidebar--primary .md-nav__link--active")
    active.wait_for(state="visible")
    assert active.count() == 1
    assert active.get_attribute("href") == "../../org/"
    assert active.text_content() == "Organisation"
