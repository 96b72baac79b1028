"""The palette toggle in a real browser: its icons come from the stylesheet, its script from a file of its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def test_a_reader_s_dark_mode_follows_them_from_page_to_page(demo_site: Path, serve: Callable[[Path], str], page: Any) -> None:
    base = serve(demo_site)
    page.goto(f"{base}people/aboyer/")
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    toggle = page.locator("label.trombi-palette:visible")
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
    assert page.locator("label.trombi-palette:visible").get_attribute("title") == "Mode clair"
    assert page.errors == []
