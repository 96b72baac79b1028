"""The palette toggle in a real browser: its icons come from the stylesheet, its script from a file of its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def test_a_reader_s_dark_mode_follows_them_from_page_to_page(demo_site: Path, serve: Callable[[Path], str], page: Any) -> None:
    base = serve(demo_site)
    page.goto(f"{base}people/aboyer/")
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    toggle = page.locator("button.trombi-palette:visible")
    assert toggle.count() == 1 and toggle.get_attribute("title") == "Mode sombre"
    # The icon is drawn by the stylesheet's mask: the label has a size and a mask image.
    box = toggle.bounding_box()
    assert box and box["width"] >= 24 and box["height"] >= 24
    mask = toggle.evaluate("label => getComputedStyle(label, '::before').maskImage || getComputedStyle(label, '::before').webkitMaskImage")
    assert mask.startswith('url("data:image/svg+xml')
    toggle.click()
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    # Another page applies the stored choice before it is shown, with assets/palette.js.
    page.goto(f"{base}skills/")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    assert f"{base}assets/palette.js" in page.requests
    assert page.locator("button.trombi-palette:visible").get_attribute("title") == "Mode clair"
    assert page.errors == []


def test_the_palette_toggle_is_a_switch_the_keyboard_works(demo_site: Path, serve: Callable[[Path], str], page: Any) -> None:
    base = serve(demo_site)
    page.goto(f"{base}people/aboyer/")
    switch = page.get_by_role("switch", name="Mode sombre")
    assert switch.count() == 1 and switch.get_attribute("aria-checked") == "false"
    # Material's radio inputs are out of the keyboard's reach and of what screen readers list.
    assert page.locator('input[name="__palette"]').evaluate_all("inputs => inputs.map(i => [i.tabIndex, i.getAttribute('aria-hidden')])") == [[-1, "true"]] * 2
    switch.focus()
    page.keyboard.press("Space")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    on = page.get_by_role("switch", name="Mode sombre")
    assert on.get_attribute("aria-checked") == "true"
    assert page.evaluate("document.activeElement.getAttribute('role') + ' ' + document.activeElement.getAttribute('aria-checked')") == "switch true"
    page.keyboard.press("Enter")  # once: Material's form no longer turns it a second time
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    assert page.evaluate("document.activeElement.getAttribute('aria-checked')") == "false"
    assert page.errors == []
