"""Search in a real browser: the header box, the full search page with its facets, suggestions.

The demo site is served on 127.0.0.1; every test ends by checking that no request left it and
that the page logged no error.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

HEADER_INPUT = "[data-trombi-header-search] input[name=q]"
HEADER_RESULTS = "[data-trombi-dropdown] [role=option]:not(.trombi-result--page)"  # the people
HEADER_PAGES = "[data-trombi-dropdown] [role=option].trombi-result--page"  # the pages the query names, above them
PAGE = "[data-trombi-search-page]"


def header_search(tab: Any, text: str, shown: str = HEADER_RESULTS) -> list[str]:
    """Type ``text`` in the header box; the texts of the people found (or of what ``shown`` selects) once they show."""
    box = tab.locator(HEADER_INPUT)
    box.fill("")
    box.press_sequentially(text, delay=10)
    tab.wait_for_function("t => document.querySelector('[data-trombi-header-search]').dataset.trombiAnswered === t", arg=text)
    return [" ".join(item.split()) for item in tab.locator(shown).all_inner_texts()]


def page_state(tab: Any) -> tuple[int, dict[str, list[str]]]:
    tab.wait_for_selector(f"{PAGE}[data-trombi-ready]")
    count = int(tab.get_attribute(PAGE, "data-trombi-count"))
    return count, parse_qs(urlsplit(tab.url).query)


def facet_counts(tab: Any, facet: str) -> dict[str, int]:
    rows = tab.locator(f"[data-trombi-facet={facet}] label.trombi-facet__value").all()
    return {row.locator(".trombi-facet__name").inner_text(): int(row.locator(".trombi-facet__count").inner_text()) for row in rows}


def test_the_header_box_shows_people_as_you_type(tab: Any, base: str) -> None:
    tab.goto(base + "people/")
    results = header_search(tab, "kubernetes")
    assert 2 <= len(results) <= 6
    assert any("Jeanne Dupont" in r and "Ingénieure plateforme senior" in r and "Équipe Plateforme" in r for r in results), results
    for _ in range(tab.locator(HEADER_PAGES).count() + 1):  # past the Kubernetes skill's page, to the first person
        tab.locator(HEADER_INPUT).press("ArrowDown")
    first = tab.locator(HEADER_RESULTS).first
    assert first.get_attribute("aria-selected") == "true"
    name = first.locator(".trombi-result__name").inner_text()
    tab.locator(HEADER_INPUT).press("Enter")
    tab.wait_for_url("**/people/*/")
    assert tab.locator("h1").first.inner_text().startswith(name)


def test_enter_opens_the_full_search_page(tab: Any, base: str) -> None:
    tab.goto(base)
    header_search(tab, "python")
    tab.locator(HEADER_INPUT).press("Enter")
    tab.wait_for_url("**/search/?q=python")
    count, _ = page_state(tab)
    assert count >= 5
    assert tab.input_value("[data-trombi-page-query]") == "python"


def test_accents_and_case_do_not_matter(tab: Any, base: str) -> None:
    tab.goto(base)
    for query in ("developpeuse", "DÉVELOPPEUSE", "Développeuse"):
        results = header_search(tab, query)
        assert any("Zoé Belkacem" in r and "Développeuse Android" in r for r in results), (query, results)
    results = header_search(tab, "securite")
    assert any("Ingénieur sécurité applicative" in r for r in results), results


def test_facets_narrow_the_list_and_the_state_is_in_the_address(tab: Any, base: str) -> None:
    tab.goto(base + "search/?q=python")
    everyone, _ = page_state(tab)
    languages = facet_counts(tab, "language")
    assert languages and max(languages.values()) <= everyone
    tab.locator("[data-trombi-facet=location] input[data-trombi-facet-value=Lyon]").check()
    in_lyon, params = page_state(tab)
    assert 0 < in_lyon < everyone
    assert params == {"q": ["python"], "location": ["Lyon"]}
    assert facet_counts(tab, "language") != languages
    locations = facet_counts(tab, "location")  # one site per person: the others stay offered
    assert locations["Lyon"] == in_lyon and locations.get("Paris", 0) > 0
    tab.locator("[data-trombi-facet=location] input[data-trombi-facet-value=Paris]").check()
    either, params = page_state(tab)
    assert either == in_lyon + locations["Paris"] and params["location"] == ["Lyon", "Paris"]
    tab.locator("[data-trombi-facet=location] input[data-trombi-facet-value=Paris]").uncheck()
    assert page_state(tab)[0] == in_lyon
    assert sum(1 for _ in tab.locator("[data-trombi-results] > li").all()) == min(in_lyon, 20)
    tab.locator("[data-trombi-facet=skill] input").first.check()
    narrower, params = page_state(tab)
    assert narrower <= in_lyon and "skill" in params
    # The address is the search: opening it again gives the same state.
    shared = tab.url
    tab.goto(shared)
    again, params_again = page_state(tab)
    assert (again, params_again) == (narrower, params)
    assert tab.input_value("[data-trombi-page-query]") == "python"
    assert tab.locator("[data-trombi-facet=location] input[data-trombi-facet-value=Lyon]").is_checked()


def test_a_result_leads_to_the_person(tab: Any, base: str) -> None:
    tab.goto(base + "search/?q=kubernetes&expert=Kubernetes")
    count, _ = page_state(tab)
    assert count >= 2
    first = tab.locator("[data-trombi-results] .trombi-result__link").first
    name = first.locator(".trombi-result__name").inner_text()
    first.click()
    tab.wait_for_url("**/people/*/")
    assert tab.locator("h1").first.inner_text().startswith(name)
    assert "Kubernetes" in tab.locator(".trombi-skills").inner_text()


def test_a_typo_gets_a_suggestion_that_searches_it(tab: Any, base: str) -> None:
    tab.goto(base)
    header_search(tab, "kubernets")
    suggestion = tab.locator("[data-trombi-footer] [data-trombi-suggestion=Kubernetes]")
    assert suggestion.inner_text() == "Kubernetes"
    suggestion.click()
    tab.wait_for_url("**/search/?q=Kubernetes")
    count, _ = page_state(tab)
    assert count >= 2
    tab.goto(base + "search/?q=terrafrom%20ansibel")  # nobody: suggestions for each word
    count, _ = page_state(tab)
    if count == 0:
        assert "Terraform" in tab.locator("[data-trombi-suggestions]").inner_text()


def test_nobody_found_says_so(tab: Any, base: str) -> None:
    tab.goto(base + "search/?q=zzqxw")
    count, _ = page_state(tab)
    assert count == 0
    assert tab.locator("[data-trombi-status]").inner_text() == "Personne n’a été trouvé."


def test_nobody_found_in_the_header_suggests_names(tab: Any, base: str) -> None:
    tab.goto(base)
    assert header_search(tab, "escalde") == []
    footer = tab.locator("[data-trombi-footer]")
    assert "Personne n’a été trouvé." in footer.inner_text()
    assert footer.locator("[data-trombi-suggestion]").all_inner_texts() == ["Club escalade"]
    assert any(url.endswith("assets/search-teams.json") for url in tab.requests)  # team names too, only now


def test_a_site_or_a_language_in_the_query_is_searched_as_its_facet(tab: Any, base: str) -> None:
    for typed, chosen in (("python de LYON", "location=Lyon"), ("Python allemand", "language=Allemand")):
        tab.goto(base + "search/?q=python&" + chosen)
        expected, _ = page_state(tab)
        tab.goto(base + "search/?q=" + typed)
        count, params = page_state(tab)
        assert count == expected > 0, typed
        assert params == {"q": [typed]}  # the address keeps what was typed
    tab.goto(base + "search/?q=python de lyon")
    page_state(tab)
    lyon = tab.locator("[data-trombi-facet=location] input[data-trombi-facet-value=Lyon]")
    assert lyon.is_checked() and lyon.is_disabled()
    assert facet_counts(tab, "location").get("Paris", 0) > 0  # another site can still be added


def test_a_query_naming_only_a_site_offers_its_page(tab: Any, base: str) -> None:
    tab.goto(base + "people/")
    results = header_search(tab, "LYON", HEADER_PAGES)
    assert re.fullmatch(r"Lyon Site · \d+ personnes", results[0]), results
    assert tab.locator(HEADER_RESULTS).count() == 0  # a quarter of the company: its page, not a list
    tab.locator(HEADER_INPUT).press("ArrowDown")
    tab.locator(HEADER_INPUT).press("Enter")
    tab.wait_for_url("**/org/locations/lyon/")
    assert header_search(tab, "allemand", HEADER_PAGES)[0].startswith("Allemand Langue · ")


@pytest.mark.parametrize(
    ("query", "experts"),
    [
        ("python", {"Élodie Lemaire"}),
        ("excel", {"Philippe Garnier", "Delphine Lefebvre", "Yann Maillard"}),
        ("kotlin", {"Benoît Chevalier", "Julia Schneider"}),
        ("sql", {"Rachid Amrani"}),
        ("kubernetes", {"Karim Benali", "Jeanne Dupont"}),
    ],
)
def test_a_skill_s_experts_come_first(tab: Any, base: str, query: str, experts: set[str]) -> None:
    """The weights of generator/weights.py: an expert before an advanced holder who also offers the skill and mentions it."""
    tab.goto(base)
    results = header_search(tab, query)
    first = results[: len(experts)]
    assert all(any(name in result for name in experts) for result in first), (query, results)


def test_a_result_says_why_it_was_found_and_marks_external_people(tab: Any, base: str) -> None:
    tab.goto(base)
    results = header_search(tab, "python")
    assert "Python · Expert" in results[0], results
    assert all("Python · " in result for result in results[:7]), results  # the seven who hold it, each with their level
    tab.goto(f"{base}search/?q=kotlin")
    tab.wait_for_selector(f"{PAGE}[data-trombi-ready]")
    texts = [" ".join(t.split()) for t in tab.locator(f"{PAGE} .trombi-result").all_inner_texts()]
    assert any("Kotlin · Expert" in text for text in texts[:2]), texts


def test_an_external_person_carries_the_badge_in_results(tab: Any, base: str) -> None:
    tab.goto(base)
    contractor = header_search(tab, "Margaux Vidal")
    assert contractor and "Margaux Vidal" in contractor[0] and "Prestataire" in contractor[0], contractor
    partner = header_search(tab, "Valérie Le Gall")
    assert partner and "Partenaire" in partner[0], partner
    employee = header_search(tab, "Élodie Lemaire")
    assert "Prestataire" not in employee[0] and "Partenaire" not in employee[0] and "Salarié" not in employee[0], employee


def test_a_level_word_asks_for_the_skill_at_that_level_or_above(tab: Any, base: str) -> None:
    """As the terminal reads it (generator/search/ranking.py): the level word and the skill it names are filters."""
    tab.goto(base)
    only = header_search(tab, "python expert")
    assert len(only) == 1 and "Élodie Lemaire" in only[0], only
    senior = header_search(tab, "kotlin senior")
    names = {name for name in ("Benoît Chevalier", "Julia Schneider", "Amine Benaïssa", "Zoé Belkacem", "Tom Harper") if any(name in r for r in senior)}
    assert names == {"Benoît Chevalier", "Julia Schneider", "Amine Benaïssa"}, senior
    assert len(header_search(tab, "Experte excel")) == 3
    tab.goto(f"{base}search/?q=python+expert")
    count, _ = page_state(tab)
    assert count == 1
