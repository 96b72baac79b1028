"""'Who can introduce you?' on person pages: the browser finds chains as short as `trombi intro`'s."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.directory.enrich import enrich
from generator.directory.settings import load_settings
from generator.directory.validate import valid_directory
from generator.network.intro import intro_path
from tests.conftest import REPO

PAIRS = [("kbenali", "lmarchand"), ("zbelkacem", "nrousseau"), ("iouattara", "mvidal"), ("cvasseur", "vlegall")]


@pytest.fixture(scope="module")
def demo_org() -> Any:
    return enrich(valid_directory(load_settings(REPO)))


def ask(page: Any, base: str, target: str, text: str) -> str:
    page.goto(f"{base}people/{target}/")
    page.fill("[data-trombi-intro] form input", text)
    page.click("[data-trombi-intro] form button")
    page.wait_for_function("!document.querySelector('[data-trombi-intro-result]').textContent.endsWith('…')")
    return str(page.text_content("[data-trombi-intro-result]"))


@pytest.mark.parametrize(("start", "goal"), PAIRS)
def test_the_page_finds_a_shortest_chain(start: str, goal: str, demo_site: Path, serve: Callable[[Path], str], page: Any, demo_org: Any) -> None:
    base = serve(demo_site)
    expected = intro_path(demo_org, start, goal)
    assert expected  # the demo's people all know someone who knows someone
    shown = ask(page, base, goal, demo_org.people[start].name.upper())  # names match without case
    names = shown.split(" → ")[::2]
    assert names[0] == demo_org.people[start].name and names[-1] == demo_org.people[goal].name, shown
    assert len(names) - 1 == len(expected), (shown, expected)
    links = page.eval_on_selector_all(".trombi-intro__path a", "links => links.map(a => a.getAttribute('href'))")
    assert len(links) == len(names) and all(link.startswith(base + "people/") for link in links), links
    assert all(url.startswith(base) for url in page.requests), page.requests
    assert page.errors == []


def test_unknown_people_and_oneself_get_a_sentence(demo_site: Path, serve: Callable[[Path], str], page: Any) -> None:
    base = serve(demo_site)
    # The script writes the section in the site's language, where the page left it empty.
    page.goto(f"{base}people/kbenali/")
    section = page.locator("#qui-peut-vous-presenter")
    assert section.locator("h2").text_content() == "Qui peut vous présenter ?"
    assert section.locator("label").text_content() == "Votre identifiant ou votre nom "
    assert section.locator("button").text_content() == "Trouver un chemin"
    assert "30 personnes ou moins" in str(section.locator("p.trombi-muted").text_content())
    assert ask(page, base, "kbenali", "personne-inconnue") == "Personne dans l’annuaire n’a cet identifiant ou ce nom."
    assert ask(page, base, "kbenali", "kbenali") == "C’est ce profil-ci."
    assert ask(page, base, "kbenali", "<img src=x onerror=alert(1)>") == "Personne dans l’annuaire n’a cet identifiant ou ce nom."
