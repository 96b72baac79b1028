"""People's text as people write it (tests/data/bios.yaml): what a person page shows of each bio.

Each bio is rendered as the person page renders it (``|markdown(3)``: under the page's "About"
heading) and checked against its case's expectations, then against what holds for every text: no
tag shown as text, no script or event handler, links only to http(s) and mailto, only the tags
and attributes the renderer makes, well nested; the whole corpus is valid HTML for the Nu HTML
Checker.
"""

from __future__ import annotations

import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.site.markup import render_markdown

CORPUS = yaml.safe_load((Path(__file__).parent / "data" / "bios.yaml").read_text(encoding="utf-8"))
TOP = 3  # person.html.j2: the bio is under an <h2>

ALLOWED = {
    "p": set(),
    "br": set(),
    "strong": set(),
    "em": set(),
    "code": set(),
    "pre": set(),
    "blockquote": set(),
    "ul": set(),
    "ol": {"start"},
    "li": set(),
    "a": {"href", "rel", "title"},
    "span": set(),
    "hr": set(),
    **{f"h{level}": set() for level in range(TOP, 7)},
}
VOID = {"br", "hr"}
PHRASING = {"strong", "em", "code", "a", "span", "br"}
SAFE_HREF = re.compile(r"^(https?://|mailto:)", re.I)
SHOWN_TAG = re.compile(r"</?(?:p|br|div|span|strong|b|em|i|u|ul|ol|li|a|h[1-6]|blockquote|pre|code|script|style|img)(?:\s[^<>]*)?/?>", re.I)


class Reading(HTMLParser):
    """The rendered HTML as a reader gets it: its text, the text outside code, its headings, and what breaks the rules."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.prose: list[str] = []  # outside <code> and <pre>
        self.headings: list[str] = []
        self.broken: list[str] = []
        self.open: list[str] = []
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.broken.append(f"<{tag}> is not a tag people's text makes")
        unexpected = {name for name, _ in attrs} - ALLOWED.get(tag, set())
        if unexpected:
            self.broken.append(f"<{tag}> has {sorted(unexpected)}")
        if self.open and self.open[-1] in PHRASING | {"p"} | {f"h{n}" for n in range(1, 7)} and tag not in PHRASING:
            self.broken.append(f"<{tag}> inside <{self.open[-1]}>")
        if tag == "a":
            if "a" in self.open:
                self.broken.append("a link inside a link")
            self.links.append(dict(attrs))
        if tag.startswith("h") and tag[1:].isdigit():
            self.headings.append(tag + ":")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.broken.append(f"<{tag}/>: HTML, not XHTML")

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.broken.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if not {"code", "pre"} & set(self.open):
            self.prose.append(data)
        if self.headings and any(t.startswith("h") and t[1:].isdigit() for t in self.open[-1:]):
            self.headings[-1] += data


def read(rendered: str) -> Reading:
    reading = Reading()
    reading.feed(rendered)
    reading.close()
    if reading.open:
        reading.broken.append(f"left open: {reading.open}")
    return reading


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_corpus_is_large_and_in_both_languages() -> None:
    assert len(CORPUS) >= 20
    assert len({case["name"] for case in CORPUS}) == len(CORPUS)
    assert any("Staff engineer" in case["bio"] for case in CORPUS) and any("Bonjour" in case["bio"] for case in CORPUS)


@pytest.mark.parametrize("case", CORPUS, ids=[case["name"] for case in CORPUS])
def test_a_bio_is_shown_as_its_author_meant(case: dict[str, Any]) -> None:
    rendered = render_markdown(case["bio"], TOP)
    reading = read(rendered)
    text = _flat("".join(reading.text))
    for shown in case.get("shows", []):
        assert _flat(shown) in text, f"{shown!r} not in {text!r}"
    for piece in case.get("html", []):
        assert piece in rendered, f"{piece!r} not in {rendered}"
    for piece in case.get("absent", []):
        assert piece not in rendered, f"{piece!r} in {rendered}"
    assert reading.headings == case.get("headings", []), "a heading only where its author wrote one, under the page's own"


@pytest.mark.parametrize("case", CORPUS, ids=[case["name"] for case in CORPUS])
def test_no_bio_shows_tags_runs_anything_or_links_anywhere(case: dict[str, Any]) -> None:
    rendered = render_markdown(case["bio"], TOP)
    reading = read(rendered)
    assert reading.broken == [], rendered
    prose = "".join(reading.prose)
    assert not SHOWN_TAG.search(prose), f"a tag shown as text: {SHOWN_TAG.search(prose)}"
    assert "<script" not in rendered.lower() and "javascript:" not in rendered.lower()
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", rendered), "a control character (Markdown's placeholders) left in the page"
    assert not re.search(r"\son\w+\s*=", re.sub(r">[^<]*<", "><", rendered)), "an event handler in a tag"
    for link in reading.links:
        assert SAFE_HREF.match(link.get("href") or ""), link
        assert link.get("rel") == "nofollow noopener noreferrer", link
    if case["bio"].strip():
        assert rendered.startswith("<") and text_of(rendered), "something is shown"


def text_of(rendered: str) -> str:
    return _flat(html.unescape(re.sub(r"<[^>]+>", " ", rendered)))


def test_the_whole_corpus_is_valid_html(tmp_path: Path) -> None:
    """The Nu HTML Checker, as the accessibility suite runs it, on one page holding every bio."""
    from tests.browser.accessibility import missing_tools, vnu

    reason = missing_tools()
    if reason is not None:
        if os.environ.get("TROMBI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"TROMBI_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    sections = "".join(f"<section><h2>{html.escape(case['name'])}</h2>\n{render_markdown(case['bio'], TOP)}\n</section>\n" for case in CORPUS)
    page = tmp_path / "bios.html"
    head = '<!doctype html>\n<html lang="fr"><head><meta charset="utf-8"><title>Bios</title></head>\n'
    page.write_text(f"{head}<body><main><h1>Bios</h1>\n{sections}</main></body></html>\n", encoding="utf-8")
    assert vnu([page]) == []


@pytest.mark.parametrize("text", ["https://" + "(a" * 20_000, "https://" + "." * 40_000 + "a", "x@" + "a-" * 20_000, "- a\n" * 5_000 + "# b\n" * 2_000])
def test_a_long_hostile_text_renders_at_once(text: str) -> None:
    """No pattern of the renderer backtracks without end on a text made to make it (a bio is at most a few kB, but is anyone's)."""
    import time

    start = time.perf_counter()
    render_markdown(text, TOP)
    assert time.perf_counter() - start < 5
