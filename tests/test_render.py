"""Golden Markdown: one person, one skill and one group page of tests/data/base, side by side.

Set TROMBI_UPDATE_GOLDEN=1 to rewrite tests/golden/ after an intended change, then review the diff.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from generator.enrich import enrich, slugify, unique_slugs
from generator.markup import escape_md, render_markdown
from generator.render import Pager, render_site
from generator.settings import load_settings
from generator.validate import validate_directory
from tests.conftest import make_directory, write_config

GOLDEN = Path(__file__).parent / "golden"
PAGES = {"people/lead.md": "person.md", "skills/kubernetes.md": "skill.md", "groups/secret-project.md": "group.md", "index.md": "home.md"}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = make_directory(tmp_path_factory.mktemp("golden") / "d")
    write_config(root)
    directory, problems = validate_directory(load_settings(root))
    assert not problems
    return {page.path: page.markdown for page in render_site(enrich(directory), today=date(2026, 1, 15))}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_golden_page(pages: dict[str, str], path: str) -> None:
    golden = GOLDEN / PAGES[path]
    if os.environ.get("TROMBI_UPDATE_GOLDEN"):
        golden.write_text(pages[path], encoding="utf-8")
    assert pages[path] == golden.read_text(encoding="utf-8")


def test_every_entity_has_its_page(pages: dict[str, str]) -> None:
    for expected in ("people/ceo.md", "people/lead.md", "people/dev.md", "groups/acme.md", "groups/guild-python.md", "skills/rust.md"):
        assert expected in pages
    assert "org/locations/teletravail.md" in pages
    assert "org/languages/pt.md" in pages


def test_private_contact_is_not_rendered(pages: dict[str, str]) -> None:
    assert not any("+33 6 11 22 33 44" in text for text in pages.values())


def test_escape_md_shows_text_as_typed() -> None:
    assert escape_md("*a* [b](c) <i>x</i> {: .y} # 1.") == r"\*a\* \[b\]\(c\) &lt;i&gt;x&lt;/i&gt; \{: \.y\} \# 1\."
    assert escape_md("two\nlines") == "two lines"


def test_render_markdown_keeps_links_safe() -> None:
    html = render_markdown("<script>x</script> [a](javascript:alert(1)) [b](https://ok.example) ![c](https://x.example/i.png)")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "javascript:" not in html
    assert '<a href="https://ok.example"' in html
    assert "<img" not in html


def test_slugs_are_unique_and_stable() -> None:
    assert slugify("C++") == "c-plus-plus"
    assert slugify("Sécurité réseau") == "securite-reseau"
    assert unique_slugs(["C", "c", "C#"]) == {"C": "c", "C#": "c-sharp", "c": "c-2"}


def test_pager_window() -> None:
    pager = Pager(number=10, count=20, paths=[f"p{n}" for n in range(20)], total=4000)
    assert pager.window(2) == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert (pager.first, pager.last) == (1801, 2000)
