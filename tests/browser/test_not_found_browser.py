"""The 404 page in a real browser: its labelled search box leads to the site's search, with no script error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def test_the_404_page_searches_the_directory_without_a_script_error(demo_site: Path, serve: Callable[[Path], str], page: Any) -> None:
    base = serve(demo_site)
    page.goto(f"{base}404.html")
    assert page.locator("h1").first.text_content() == "Page introuvable"
    assert page.title() == "Page introuvable - Hélios Mobilité — Trombi"
    assert "quitté l’entreprise" in str(page.locator("#trombi-not-found-help").text_content())
    box = page.get_by_role("searchbox", name="Chercher dans l’annuaire", exact=True)  # the visible label names the box
    assert box.get_attribute("name") == "q" and page.locator("label[for=trombi-not-found-q]").is_visible()
    box.fill("Kubernetes")
    box.press("Enter")
    page.wait_for_url(f"{base}search/?q=Kubernetes")
    page.locator("h1").first.wait_for(state="visible")
    assert page.errors == []
