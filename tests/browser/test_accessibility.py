"""Every kind of page of the demo meets WCAG 2.2 AA: axe-core in real Chromium, light and dark, desktop and phone.

And no sideways scroll at 320, 360 and 390 px, and valid HTML (the Nu HTML Checker).

The same axe checks on a palette that fails contrast as written: test_accessibility_palette.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.accessibility import (
    DESKTOP,
    FOCUS_RING,
    PAGE_KINDS,
    axe_failures,
    dark,
    open_page,
    page_files,
    ring_contrast,
    scroll_failures,
    tools,
    vnu,
)

__all__ = ["tools"]  # the module's fixture: the checks' tools are there, or the tests fail (CI) or skip


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_every_page_kind_passes_axe_in_light_and_dark_on_desktop_and_phone(browser: Any, base: str, kind: str) -> None:
    failures = axe_failures(browser, base + PAGE_KINDS[kind])
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_no_page_kind_scrolls_sideways_on_a_phone(browser: Any, base: str, kind: str) -> None:
    assert scroll_failures(browser, base + PAGE_KINDS[kind]) == []


def test_every_page_kind_is_valid_html(demo_site: Path) -> None:
    files = dict(page_files(demo_site))
    assert all(file.is_file() for file in files.values()), [kind for kind, file in files.items() if not file.is_file()]
    assert vnu(sorted(set(files.values()))) == []


@pytest.mark.parametrize("kind", ["home", "person", "search with facets"])
def test_the_keyboard_s_focus_shows_a_ring_of_3_to_1_on_every_background(browser: Any, base: str, kind: str) -> None:
    page = open_page(browser, base + PAGE_KINDS[kind], DESKTOP)
    weak = []
    try:
        for mode in ("light", "dark"):
            if mode == "dark":
                dark(page)
                page.evaluate("document.activeElement && document.activeElement.blur()")
            seen = 0
            for _ in range(60):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement === document.body"):
                    break
                ring = page.evaluate(FOCUS_RING)
                seen += 1
                if ring["style"] == "none" or ring["width"] < 2 or ring_contrast(ring) < 3:
                    weak.append(f"{mode}: {ring['name']!r} {ring['style']} {ring['width']}px {ring_contrast(ring):.2f}:1")
            assert seen > 5, f"{mode}: the keyboard reached {seen} elements"
    finally:
        page.context.close()
    assert weak == [], "\n".join(weak)
