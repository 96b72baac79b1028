"""The search page's filters in a real browser: one level control, "show more", chips, Back, everyone, phones.

The expected people are read from the demo's YAML files, not written here.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from tests.browser.test_search import PAGE, facet_counts, page_state
from tests.conftest import REPO

LEVELS = ("notions", "intermediate", "advanced", "expert")


def profiles() -> dict[str, dict[str, Any]]:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((REPO / "people").glob("*.yaml"))}


def visible_people() -> set[str]:
    """The people search lists: everyone but those whose profile keeps them out of it."""
    return {handle for handle, person in profiles().items() if person.get("search", "visible") == "visible"}


def holders(skill: str, at_least: str) -> set[str]:
    """Who holds ``skill`` at ``at_least`` or above, among the people search lists."""
    found = set()
    people = profiles()
    for handle in visible_people():
        for entry in people[handle].get("skills", []):
            name, level = (entry, "intermediate") if isinstance(entry, str) else (entry["name"], entry.get("level", "intermediate"))
            if name == skill and LEVELS.index(level) >= LEVELS.index(at_least):
                found.add(handle)
    return found


def shown_handles(tab: Any) -> set[str]:
    while tab.locator("[data-trombi-more]").is_visible():
        shown = tab.locator("[data-trombi-results] > li").count()
        tab.locator("[data-trombi-more]").click()
        tab.wait_for_function("n => document.querySelectorAll('[data-trombi-results] > li').length > n", arg=shown)
    hrefs = [link.get_attribute("href") for link in tab.locator("[data-trombi-results] a.trombi-result__link").all()]
    return {href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs}


def test_one_level_control_asks_each_chosen_skill_at_that_level_or_above(tab: Any, base: str) -> None:
    tab.goto(base + "search/?q=python")
    page_state(tab)
    assert tab.locator("[data-trombi-facet=expert], [data-trombi-facet=advanced]").count() == 0  # no facet per level
    level = tab.locator("[data-trombi-level]")
    assert level.is_disabled() and level.get_attribute("aria-describedby") == "trombi-level-hint"
    assert tab.locator("#trombi-level-hint").inner_text() == "Choisissez d’abord une compétence."
    assert tab.locator("label[for=trombi-level]").inner_text() == "Au moins\u202f:"
    tab.locator("[data-trombi-facet=skill] input[data-trombi-facet-value=Python]").check()
    page_state(tab)
    tab.locator("[data-trombi-level]").select_option("advanced")
    count, params = page_state(tab)
    assert params["level"] == ["advanced"] and params["skill"] == ["Python"]
    assert count == len(holders("Python", "advanced")) and shown_handles(tab) == holders("Python", "advanced")
    tab.locator("[data-trombi-level]").select_option("expert")
    page_state(tab)
    assert shown_handles(tab) == holders("Python", "expert")


def test_a_level_asked_by_the_query_shows_in_the_control_fixed(tab: Any, base: str) -> None:
    tab.goto(base + "search/?q=python+expert")
    page_state(tab)
    level = tab.locator("[data-trombi-level]")
    assert level.input_value() == "expert" and level.is_disabled()
    assert tab.locator(".trombi-chip--fixed").inner_text() == "Python · Au moins\u202f: Expert"
    python = tab.locator("[data-trombi-facet=skill] input[data-trombi-facet-value=Python]")
    assert python.is_checked() and python.is_disabled()  # the skill the level goes with, fixed as well


def test_several_skills_at_a_level_each_hold_it(tab: Any, base: str) -> None:
    tab.goto(base + "search/?skill=Python&skill=SQL&level=advanced")
    count, _ = page_state(tab)
    both = holders("Python", "advanced") & holders("SQL", "advanced")
    assert both and count == len(both) and shown_handles(tab) == both
    assert len(holders("Python", "notions") & holders("SQL", "notions")) > len(both)  # the level narrowed it


def test_the_level_goes_with_the_last_skill_and_with_its_chip(tab: Any, base: str) -> None:
    tab.goto(base + "search/?skill=Python&level=advanced")
    page_state(tab)
    tab.get_by_role("button", name="Retirer le filtre : Au moins : Avancé").click()
    count, params = page_state(tab)
    assert params == {"skill": ["Python"]} and count == len(holders("Python", "notions"))
    tab.locator("[data-trombi-level]").select_option("expert")
    page_state(tab)
    tab.locator("[data-trombi-facet=skill] input[data-trombi-facet-value=Python]").uncheck()
    _, params = page_state(tab)
    level = tab.locator("[data-trombi-level]")
    assert params == {} and level.input_value() == "" and level.is_disabled()
    assert tab.locator("[data-trombi-chips]").is_hidden()
    tab.goto(base + "search/?level=advanced")  # a level with no skill to ask it of is no filter
    count, params = page_state(tab)
    assert count == len(visible_people()) and tab.locator("[data-trombi-chips]").is_hidden()


def test_a_long_facet_shows_more_on_demand_and_keeps_the_focus(tab: Any, base: str) -> None:
    tab.goto(base + "search/")
    page_state(tab)
    skills = tab.locator("[data-trombi-facet=skill] input[type=checkbox]")
    assert skills.count() == 8
    more = tab.locator("[data-trombi-facet-more=skill]")
    hidden = int(re.fullmatch(r"Afficher plus \((\d+)\)", more.inner_text()).group(1))
    more.focus()
    tab.keyboard.press("Enter")
    assert skills.count() == 8 + hidden
    assert tab.locator("[data-trombi-facet-more=skill]").count() == 0
    assert tab.evaluate("document.activeElement === document.querySelectorAll('[data-trombi-facet=skill] input[type=checkbox]')[8]")
    tab.locator("[data-trombi-facet=location] input[data-trombi-facet-value=Lyon]").check()
    page_state(tab)
    assert skills.count() > 8 and tab.locator("[data-trombi-facet-more=skill]").count() == 0  # still unfolded
    assert tab.locator("[data-trombi-facet-more=group]").count() == 1  # the others as they were


def test_the_filters_in_force_are_chips_that_remove_them(tab: Any, base: str) -> None:
    tab.goto(base + "search/?q=python&location=Lyon&location=Paris")
    before, _ = page_state(tab)
    chips = tab.locator("[data-trombi-chips] button")
    assert [chip.get_attribute("data-trombi-chip") for chip in chips.all()] == ["Lyon", "Paris"]
    paris = tab.get_by_role("button", name="Retirer le filtre : Paris")
    paris.click()
    after, params = page_state(tab)
    assert params == {"q": ["python"], "location": ["Lyon"]} and after < before
    assert not tab.locator("[data-trombi-facet=location] input[data-trombi-facet-value=Paris]").is_checked()
    assert tab.evaluate("document.activeElement.dataset.trombiChip") == "Lyon"  # the focus stays among the chips


def test_values_named_by_the_query_are_chips_that_go_with_its_words(tab: Any, base: str) -> None:
    tab.goto(base + "search/?q=python+de+lyon&location=Paris")
    page_state(tab)
    assert tab.locator("[data-trombi-chips]").get_attribute("aria-label") == "Filtres actifs"
    assert [chip.inner_text() for chip in tab.locator("[data-trombi-chips] .trombi-chip--fixed").all()] == ["Lyon"]
    assert [chip.get_attribute("data-trombi-chip") for chip in tab.locator("[data-trombi-chips] button").all()] == ["Paris"]
    assert tab.get_by_role("button", name="Retirer le filtre : Lyon").count() == 0
    assert " ".join(tab.locator("[data-trombi-facets-count]").inner_text().split()) == "(2)"


def test_back_undoes_the_last_filter(tab: Any, base: str) -> None:
    tab.goto(base + "search/?q=python")
    everyone, _ = page_state(tab)
    tab.locator("[data-trombi-facet=location] input[data-trombi-facet-value=Lyon]").check()
    in_lyon, _ = page_state(tab)
    tab.locator("[data-trombi-facet=language] input").first.check()
    _, params = page_state(tab)
    assert "language" in params
    tab.go_back()
    count, params = page_state(tab)
    assert (count, params) == (in_lyon, {"q": ["python"], "location": ["Lyon"]})
    assert not tab.locator("[data-trombi-facet=language] input:checked").count()
    tab.go_back()
    count, params = page_state(tab)
    assert (count, params) == (everyone, {"q": ["python"]})
    assert tab.locator("[data-trombi-facets] input:checked").count() == 0
    tab.go_forward()
    assert page_state(tab)[0] == in_lyon


def test_back_undoes_the_level_and_the_words_are_one_entry(tab: Any, base: str) -> None:
    tab.goto(base + "search/")
    page_state(tab)
    tab.locator("[data-trombi-facet=skill] input[data-trombi-facet-value=Python]").check()
    page_state(tab)
    tab.locator("[data-trombi-level]").select_option("expert")
    assert page_state(tab)[0] == len(holders("Python", "expert"))
    query = tab.locator("[data-trombi-page-query]")
    query.press_sequentially("lyon", delay=20)
    tab.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'lyon'")
    page_state(tab)
    tab.go_back()  # typing replaced the entry: Back leaves the level, not the words
    count, params = page_state(tab)
    assert params == {"skill": ["Python"]} and count == len(holders("Python", "notions"))
    level = tab.locator("[data-trombi-level]")
    assert level.input_value() == "" and level.is_enabled() and query.input_value() == ""
    assert tab.locator("[data-trombi-facet=skill] input[data-trombi-facet-value=Python]").is_checked()


def test_an_empty_search_lists_everyone_to_filter(tab: Any, base: str) -> None:
    visible = visible_people()
    tab.goto(base + "search/")
    count, params = page_state(tab)
    assert params == {} and count == len(visible)
    assert shown_handles(tab) == visible
    assert tab.locator(f"{PAGE} [data-trombi-status]").inner_text() == f"{len(visible)} personnes trouvées"
    lyon = facet_counts(tab, "location")["Lyon"]
    tab.locator("[data-trombi-facet=location] input[data-trombi-facet-value=Lyon]").check()
    assert page_state(tab)[0] == lyon == sum(1 for h in visible if profiles()[h].get("location") == "Lyon")


@pytest.mark.parametrize("width", [320, 360, 390])
def test_on_a_phone_the_filters_fold_and_nothing_scrolls_sideways(tab: Any, base: str, width: int) -> None:
    tab.set_viewport_size({"width": width, "height": 800})
    tab.goto(base + "search/?q=python&location=Lyon")
    page_state(tab)
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    toggle = tab.locator("[data-trombi-facets-panel] > summary")
    assert " ".join(toggle.inner_text().split()) == "Filtres (1)"
    assert not tab.locator("[data-trombi-facets]").is_visible()
    button = tab.locator("[data-trombi-page-form] button").bounding_box()
    assert button is not None and button["x"] + button["width"] <= width
    results = tab.locator("[data-trombi-results]").bounding_box()
    assert results is not None and results["y"] < 1000  # the people come before the filters' values
    toggle.click()
    assert tab.locator("[data-trombi-facet=location]").is_visible()
    assert tab.evaluate("document.documentElement.scrollWidth") <= width


def test_on_a_wide_screen_the_filters_stay_open_beside_the_results(tab: Any, base: str) -> None:
    tab.set_viewport_size({"width": 1280, "height": 800})
    tab.goto(base + "search/?q=python")
    page_state(tab)
    assert tab.locator("[data-trombi-facets]").is_visible()
    assert not tab.locator("[data-trombi-facets-panel] > summary").is_visible()
    facets, results = (tab.locator(s).bounding_box() for s in ("[data-trombi-facets]", "[data-trombi-results]"))
    assert facets is not None and results is not None and facets["x"] + facets["width"] <= results["x"]
    assert parse_qs(urlsplit(tab.url).query) == {"q": ["python"]}


def test_the_keyboard_stays_on_the_control_it_used(tab: Any, base: str) -> None:
    tab.goto(base + "search/?q=python")
    page_state(tab)
    python = tab.locator("[data-trombi-facet=skill] input[data-trombi-facet-value=Python]")
    python.focus()
    tab.keyboard.press("Space")
    page_state(tab)
    assert python.is_checked() and tab.evaluate("document.activeElement.dataset.trombiFacetValue") == "Python"
    assert outlined(tab)  # the focus shows
    tab.keyboard.press("Shift+Tab")
    assert tab.evaluate("document.activeElement.hasAttribute('data-trombi-level')")  # the level, now open to the keyboard
    tab.keyboard.press("ArrowDown")
    _, params = page_state(tab)
    assert params["level"] == ["notions"] and tab.evaluate("document.activeElement.hasAttribute('data-trombi-level')")
    tab.locator(".trombi-facets__clear").focus()
    tab.keyboard.press("Enter")
    _, params = page_state(tab)
    assert params == {"q": ["python"]}
    assert tab.evaluate("document.activeElement.closest('[data-trombi-facets]') !== null")  # not lost to the page's top
    tab.locator("[data-trombi-facet=location] input[data-trombi-facet-value=Lyon]").check()
    page_state(tab)
    tab.locator("[data-trombi-results] a").first.focus()
    tab.keyboard.press("Shift+Tab")  # the chips come just before the people they filter
    assert tab.evaluate("document.activeElement.dataset.trombiChip") == "Lyon" and outlined(tab)
    tab.keyboard.press("Enter")
    assert page_state(tab)[1] == {"q": ["python"]}


def outlined(tab: Any) -> bool:
    """Whether the focused control draws its outline."""
    style = tab.evaluate("(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()")
    return style[0] != "none" and float(style[1].removesuffix("px")) > 0


def test_the_header_box_still_answers_on_the_search_page(tab: Any, base: str) -> None:
    """The page's filters panel and the header box's results panel are two elements, not one name."""
    tab.goto(base + "search/?q=python")
    page_state(tab)
    box = tab.locator("[data-trombi-header-search] input[name=q]")
    box.press_sequentially("kubernetes", delay=10)
    tab.wait_for_function("() => document.querySelector('[data-trombi-header-search]').dataset.trombiAnswered === 'kubernetes'")
    assert tab.locator("[data-trombi-dropdown]").is_visible()
    box.press("Escape")
    assert not tab.locator("[data-trombi-dropdown]").is_visible()
    assert tab.locator("[data-trombi-facets]").is_visible()
