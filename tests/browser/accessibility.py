"""What the accessibility checks need: the page kinds of a site, axe-core in the page, the Nu HTML Checker on the files.

axe-core and the Nu HTML Checker (vnu) come from the npm registry, pinned in package-lock.json
and installed by ``make test`` (``npm ci``) into node_modules/: nothing of them is copied into
the repository. vnu runs on the Java the machine has.

Run as a module, it prints the violations of every page kind of a built site, for a report:
``python -m tests.browser.accessibility SITE``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# What axe checks: WCAG 2.0 to 2.2, A and AA, and its best practices (unique landmarks, headings in order, ...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PHONE_WIDTHS = (320, 360, 390)

# Every kind of page of the demo organisation, by a page of that kind (a URL from the site's root).
PAGE_KINDS = {
    "home": "",
    "person": "people/aboyer/",
    "external person": "people/mvidal/",
    "skill": "skills/python/",
    "skills index": "skills/",
    "team": "groups/platform/",
    "department": "groups/engineering/",
    "company": "groups/helios/",
    "project": "groups/projet-migration-kubernetes/",
    "site": "groups/site-lyon/",
    "community": "groups/guild-python/",
    "interest": "groups/club-escalade/",
    "groups index": "groups/",
    "org by team": "org/",
    "org by manager": "org/management/",
    "org by site": "org/locations/",
    "org by language": "org/languages/",
    "people index": "people/",
    "search": "search/",
    "search with facets": "search/?q=python&location=Lyon&level=advanced",
    "lunch": "lunch/",
    "lunch month": "lunch/2026-10/",  # recorded in pairings/: shown for good
    "lunch proposal": f"lunch/{date.today():%Y-%m}/",  # this month's draw, until it is recorded
    "offers and seeks": "network/matches/",
    "silo map": "network/silos/",
    "my network": "network/mine/",  # with a network kept in the browser (settle), an editor open
    "what's new": "news/",
    "stale": "news/stale/",
    "contribute": "contribuer/",
    "profile form": "edit/",
    "profile form, a profile": "edit/?handle=aboyer&skill=Rust",
    "not found": "404.html",
}


def missing_tools() -> str | None:
    """Why the checks cannot run here, or None."""
    if not AXE.is_file() or not VNU.is_file():
        return "axe-core and vnu-jar are not in node_modules/ (make test installs them with npm ci)"
    if shutil.which("java") is None:
        return "the Nu HTML Checker needs Java (Debian: apt-get install default-jre-headless)"
    return None


@pytest.fixture(scope="module", autouse=True)
def tools() -> None:
    """axe-core, vnu and Java are there; without them the tests fail under TROMBI_REQUIRE_BROWSER=1 (CI), and skip elsewhere."""
    reason = missing_tools()
    if reason is None:
        return
    if os.environ.get("TROMBI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"TROMBI_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def open_page(browser: Any, url: str, viewport: dict[str, int]) -> Any:
    """A new page at ``url`` in a context of its own, which records the page's script errors in ``page.errors``."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url)
    settle(page)
    return page


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    targets: tuple[str, ...]
    summary: str

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {', '.join(self.targets[:4])}{' …' if len(self.targets) > 4 else ''} — {self.summary}"


def axe(page: Any) -> list[Violation]:
    """The violations axe-core finds in ``page`` as it is now (its scheme, its width)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
    return [
        Violation(
            item["id"],
            item.get("impact") or "",
            tuple(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"]) for node in item["nodes"]),
            (item["nodes"][0].get("failureSummary") or item["help"]).replace("\n", " ") if item["nodes"] else item["help"],
        )
        for item in found["violations"]
    ]


def count(violations: list[Violation]) -> int:
    """How many elements fail, all rules together (as axe's reports count them)."""
    return sum(len(violation.targets) for violation in violations)


def dark(page: Any) -> None:
    """Turn the page dark with its own switch, as a reader does."""
    page.locator(".trombi-palette:visible").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")


# A network as the page My network keeps it: each circle, someone outside the directory, a next
# action overdue, a relationship going cold.
MY_NETWORK = {
    "format": "trombi-my-network",
    "version": 1,
    "me": "kbenali",
    "relationships": [
        {
            "id": "a1",
            "handle": "jdupont",
            "name": "Jeanne Dupont",
            "circle": "support",
            "frequency": "month",
            "last_contact": "2026-01-05",
            "trust": 5,
            "intensity": 4,
            "next_action": "Lui montrer le dossier",
            "next_date": "2026-02-01",
            "added": "2025-12-01",
        },
        {"id": "a2", "handle": "mvidal", "name": "Marc Vidal", "circle": "operational", "trust": 3, "added": "2026-01-01"},
        {
            "id": "a3",
            "handle": None,
            "name": "Claire Externe",
            "organisation": "Cabinet Conseil",
            "outside": True,
            "circle": "information",
            "frequency": "week",
            "last_contact": "2025-06-02",
            "added": "2025-06-01",
        },
    ],
}


def settle(page: Any) -> None:
    """Wait for what scripts put on the page (search results, the toggle) and for transitions to end."""
    if "search/" in page.url or "edit/" in page.url:
        page.wait_for_load_state("networkidle")  # the results come from the index, the profile form's data from its files
    if "network/mine/" in page.url and not page.evaluate("localStorage.getItem('trombi-my-network')"):
        page.evaluate("data => localStorage.setItem('trombi-my-network', JSON.stringify(data))", MY_NETWORK)
        page.reload()
        page.wait_for_selector("[data-mine-change]")
        page.click('[data-mine-edit="a1"]')
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def axe_failures(browser: Any, url: str) -> list[str]:
    """What axe finds on the page at ``url`` (see :func:`checked`), and any error its scripts raised."""
    page = open_page(browser, url, DESKTOP)
    try:
        return checked(page) + [f"script error: {error}" for error in page.errors]
    finally:
        page.context.close()


def scroll_failures(browser: Any, url: str) -> list[str]:
    """The phone widths (320, 360, 390 px) at which the page at ``url`` scrolls sideways, and by how much."""
    page = open_page(browser, url, {"width": PHONE_WIDTHS[0], "height": 800})
    try:
        found = []
        for width in PHONE_WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            settle(page)
            if scroll := sideways(page):
                found.append(f"{scroll} px sideways at {width} px")
        return found
    finally:
        page.context.close()


def checked(page: Any) -> list[str]:
    """axe's violations on ``page`` in light and dark mode, on a desktop and a phone: the page is
    loaded once, at desktop width, then resized and turned dark as a reader would."""
    # The steady state is what is checked: the header's tabs fade in when the page is widened.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    found = []
    for mode in ("light", "dark"):
        if mode == "dark":
            dark(page)
        for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)) if mode == "light" else (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            settle(page)
            found += [f"{mode}, {width}: {violation}" for violation in axe(page)]
    return found


def sideways(page: Any) -> int:
    """How many pixels the page scrolls sideways (0: none)."""
    return int(page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth"))


def page_files(site: Path) -> Iterator[tuple[str, Path]]:
    """The built file of each page kind."""
    for kind, url in PAGE_KINDS.items():
        path = url.split("?")[0]
        file = site / path if path.endswith(".html") else site / path / "index.html"
        yield kind, file


def vnu(files: list[Path]) -> list[str]:
    """The Nu HTML Checker's errors in ``files``, each as 'file:line:column: message'."""
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        raise RuntimeError(f"vnu did not answer in JSON (exit code {result.returncode}): {result.stderr[:2000]}") from None
    return [
        f"{Path(message.get('url', '')).as_posix().split('/site/')[-1]}:{message.get('lastLine', 0)}:{message.get('firstColumn', 0)}: {message['message']}"
        for message in messages
        if message.get("type") == "error" or message.get("subType") == "fatal"
    ]


def report(site: Path) -> dict[str, dict[str, int]]:  # pragma: no cover - a tool for the notes, run by hand
    """Violations per page kind, in light and dark mode, on a desktop and a phone."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import _QuietHandler  # the browser tests' server, which logs no request

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    counts: dict[str, dict[str, int]] = {}
    rules: Counter[str] = Counter()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("TROMBI_CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox"])
        for kind, url in PAGE_KINDS.items():
            counts[kind] = {}
            for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                context = browser.new_context(viewport=viewport)
                page = context.new_page()
                page.goto(base + url)
                settle(page)
                light = axe(page)
                counts[kind][f"light {width}"] = count(light)
                dark(page)
                settle(page)
                darkened = axe(page)
                counts[kind][f"dark {width}"] = count(darkened)
                rules.update(v.rule for v in light + darkened for _ in v.targets)
                context.close()
        browser.close()
    server.shutdown()
    counts["(rules)"] = dict(rules.most_common())
    return counts


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(report(Path(sys.argv[1])), indent=1, ensure_ascii=False))


# What the keyboard's focus looks like on the focused element: the ring's style, width and colour,
# and the colour behind the ring (the first opaque background among the element's ancestors).
FOCUS_RING = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const rgb = text => (text.match(/[\\d.]+/g) || []).map(Number);
  let behind = element.parentElement, background = [255, 255, 255];
  while (behind) {
    const colour = rgb(getComputedStyle(behind).backgroundColor);
    if (colour.length === 3 || (colour.length === 4 && colour[3] === 1)) { background = colour.slice(0, 3); break; }
    behind = behind.parentElement;
  }
  const name = (element.getAttribute("aria-label") || element.textContent || element.tagName).trim().slice(0, 40);
  return {name, style: style.outlineStyle, width: parseFloat(style.outlineWidth), colour: rgb(style.outlineColor), background};
}"""


def ring_contrast(ring: dict[str, Any]) -> float:
    """The contrast of a focus ring's colour against what is behind it, 1 to 21."""
    from generator.engine.palette import contrast, over

    r, g, b, *alpha = ring["colour"]
    background = (*ring["background"], 1.0)
    return contrast(over((r, g, b, alpha[0] if alpha else 1.0), background), background)
