"""The chrome written once for the site, in a real browser: the theme's configuration and the drawer's menu."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def test_a_generated_page_s_drawer_lists_the_tabs_on_a_small_screen(demo_site: Path, serve: Callable[[Path], str], page: Any) -> None:
    base = serve(demo_site)
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(f"{base}people/aboyer/")
    assert page.locator(".md-tabs").is_hidden()  # small screens have no tabs: the drawer is the menu
    page.click("label.md-header__button[for=__drawer]")
    drawer = page.locator(".md-sidebar--primary nav.md-nav--primary")
    drawer.locator(".md-nav__link").first.wait_for(state="visible")
    tabs = page.eval_on_selector_all(".md-tabs__list > li > a", "links => links.map(a => [a.getAttribute('href'), a.textContent.trim()])")
    items = drawer.locator(".md-nav__link").evaluate_all("links => links.map(a => [a.getAttribute('href'), a.textContent.trim()])")
    assert items == tabs and len(items) >= 5
    # The title and the repository link, as Material's own drawer shows them.
    assert "Hélios Mobilité" in str(drawer.locator(".md-nav__title").text_content())
    assert drawer.locator(".md-nav__source a").get_attribute("href") == "https://github.com/helios-mobilite/trombi"
    drawer.locator(".md-nav__link", has_text="Compétences").click()
    page.wait_for_url(f"{base}skills/")
    assert page.errors == []


def test_the_theme_reads_its_configuration_from_the_site_s_script(demo_site: Path, serve: Callable[[Path], str], page: Any) -> None:
    """assets/scope.js writes the configuration Material's bundle reads: back-to-top, which needs it, works."""
    base = serve(demo_site)
    page.goto(f"{base}skills/python/")
    config = page.evaluate("JSON.parse(document.getElementById('__config').textContent)")
    assert config["base"] == base and "navigation.top" in config["features"]
    assert page.evaluate("__md_scope.href") == base
    page.set_viewport_size({"width": 1200, "height": 500})
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -400)  # Material shows "back to top" when the reader scrolls up
    page.locator(".md-top").wait_for(state="visible")
    assert page.errors == []
