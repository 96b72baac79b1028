"""Golden HTML: one person, one skill, one group page and the home page of tests/data/base, side by side.

Set TROMBI_UPDATE_GOLDEN=1 to rewrite tests/golden/ after an intended change, then review the diff.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

import generator.site.render
from generator.directory.enrich import enrich, slugify, unique_slugs
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.problems import has_errors
from generator.site.jinja import Pager
from generator.site.markup import escape_md, render_markdown
from generator.site.render import render_site
from tests.conftest import make_directory, write_config

GOLDEN = Path(__file__).parent / "golden"
PAGES = {"people/lead.md": "person.html", "skills/kubernetes.md": "skill.html", "groups/secret-project.md": "group.html", "index.md": "home.html"}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = make_directory(tmp_path_factory.mktemp("golden") / "d")
    write_config(root)
    directory, problems = validate_directory(load_settings(root))
    assert not problems
    return {page.path: page.html for page in render_site(enrich(directory), today=date(2026, 1, 15))}


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
    html = render_markdown("<script>steal()</script> [a](javascript:alert(1)) [b](https://ok.example) ![c](https://x.example/i.png)")
    assert "script" not in html and "steal" not in html  # neither run nor shown
    assert "javascript:" not in html
    assert '<a href="https://ok.example"' in html
    assert "<img" not in html


def test_a_hashtag_is_not_a_heading() -> None:
    # CommonMark: a heading is one to six '#' and then a space (or nothing); Python-Markdown needs none.
    assert render_markdown("#equipe-plateforme. On recrute !") == "<p>#equipe-plateforme. On recrute !</p>"
    assert render_markdown("#5 au classement\n\n# Titre\n\n## Deux ##\n\n#") == "<p>#5 au classement</p>\n<h1>Titre</h1>\n<h2>Deux</h2>"
    # Under a page's own headings: the text's first level becomes the one asked for, no level is skipped, an empty heading goes.
    assert render_markdown("## Parcours\n\n#### Avant\n\n##\n\n###### Fin", top=3) == "<h3>Parcours</h3>\n<h4>Avant</h4>\n<h5>Fin</h5>"


@pytest.mark.parametrize(
    ("bio", "shown"),
    [
        # Pasted from an intranet page: its text, its paragraphs kept, no tag shown.
        ("<p>Bonjour</p>\n<p>Je fais <b>du</b> Python &amp; Rust</p>", "<p>Bonjour</p>\n<p>Je fais du Python &amp; Rust</p>"),
        ("<div>Lyon,\n   équipe <i>Plateforme</i></div><div>Ligne<br>suivante</div>", "<p>Lyon, équipe Plateforme</p>\n<p>Ligne<br>\nsuivante</p>"),
        ("<ul><li>escalade</li><li>photo</li></ul>", "<ul>\n<li>escalade</li>\n<li>photo</li>\n</ul>"),
        # What the HTML says is text, not Markdown, and nothing of a script is kept.
        ("<p>1. pas une liste, *pas* d'emphase</p><script>alert(1)</script>", "<p>1. pas une liste, *pas* d'emphase</p>"),
        ("<p>&lt;script&gt;x&lt;/script&gt;</p>", "<p>&lt;script&gt;x&lt;/script&gt;</p>"),
        # Its links stay links, if they go where a Markdown link may.
        (
            '<a href="javascript:alert(1)">lien</a> <a href="https://ok.example">ok</a>',
            '<p>lien <a href="https://ok.example" rel="nofollow noopener noreferrer">ok</a></p>',
        ),
        # Markdown that shows HTML on purpose, in code, stays as written; so does text with a '<'.
        ("J'écris du `<div>` et du <b>HTML</b>", "<p>J'écris du <code>&lt;div&gt;</code> et du &lt;b&gt;HTML&lt;/b&gt;</p>"),
        ("Python <3 et 2 < 5", "<p>Python &lt;3 et 2 &lt; 5</p>"),
    ],
)
def test_a_bio_written_in_html_is_read_as_its_text(bio: str, shown: str) -> None:
    assert render_markdown(bio) == shown


def test_slugs_are_unique_and_stable() -> None:
    assert slugify("C++") == "c-plus-plus"
    assert slugify("Sécurité réseau") == "securite-reseau"
    assert unique_slugs(["C", "c", "C#"]) == {"C": "c", "C#": "c-sharp", "c": "c-2"}


def test_pager_window() -> None:
    pager = Pager(number=10, count=20, paths=[f"p{n}" for n in range(20)], total=4000)
    assert pager.window(2) == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert (pager.first, pager.last) == (1801, 2000)


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [value or "" for name, value in attrs if name == "id"]


def test_every_heading_has_an_id_unique_within_its_page(pages: dict[str, str]) -> None:
    for path, html in pages.items():
        parser = _Ids()
        parser.feed(html)
        headings = re.findall(r"<h[1-6][ >][^>]*", html)
        assert all(' id="' in heading for heading in headings), path
        assert not [i for i, n in Counter(parser.ids).items() if n > 1], path
    # Made from the heading's text as the Markdown pages made them, so that old anchors still work.
    assert '<h2 data-pagefind-ignore="index" id="competences">Compétences</h2>' in pages["people/lead.md"]


def test_same_heading_text_twice_gets_two_ids(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "d")
    write_config(root)
    skills = root / "skills.yaml"
    # A skill category named like a section of the profile: two headings with the same text.
    skills.write_text(skills.read_text(encoding="utf-8").replace("Langages", "Groupes"), encoding="utf-8")
    directory, problems = validate_directory(load_settings(root))
    assert not problems
    html = next(p.html for p in render_site(enrich(directory), today=date(2026, 1, 15)) if p.path == "people/lead.md")
    assert 'id="groupes">Groupes</h3>' in html and 'id="groupes_1">Groupes</h2>' in html


def test_values_show_as_typed_and_unsafe_links_are_not_made(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "d")
    write_config(root)
    dev = root / "people" / "dev.yaml"
    text = dev.read_text(encoding="utf-8").replace("name: Ana Silva", 'name: "Ana *x* [a](b) <b>\\"o\\" & #1"')
    text = text.replace("  github: ana-gh", '  github: ana-gh\n  website: "javascript:alert(1)"\n  email: "o\'brien+a&b@b.example"')
    dev.write_text(text, encoding="utf-8")
    directory, problems = validate_directory(load_settings(root))
    assert not has_errors(problems), problems
    html = {p.path: p.html for p in render_site(enrich(directory), today=date(2026, 1, 15))}["people/dev.md"]
    assert '<h1 data-pagefind-weight="10" id="ana-x-ab-bo-1">Ana *x* [a](b) &lt;b&gt;&#34;o&#34; &amp; #1</h1>' in html
    assert "<b>" not in html and 'href="javascript' not in html
    assert '<span class="trombi-contact__text">Site web · javascript:alert(1)</span>' in html
    assert 'href="mailto:o&#39;brien+a&amp;b@b.example"' in html


@pytest.mark.parametrize("chat_url", [None, "https://chat.example/u/{handle}?from=trombi"])
def test_contacts_are_links_to_what_opens_them(tmp_path: Path, chat_url: str | None) -> None:
    root = make_directory(tmp_path / "d")
    write_config(root, extra=f'    chat_url: "{chat_url}"\n' if chat_url else "")
    dev = root / "people" / "dev.yaml"
    contact = '  github: ana-gh\n  chat: "@ana/../x?y=1 #z"\n  phone: "+33 (0)6 12-34.56 78"\n  email: ana@example.com'
    dev.write_text(dev.read_text(encoding="utf-8").replace("  github: ana-gh", contact), encoding="utf-8")
    lead = root / "people" / "lead.yaml"
    lead.write_text(lead.read_text(encoding="utf-8") + "  chat: {value: '@secret-chat', visibility: private}\n", encoding="utf-8")
    directory, problems = validate_directory(load_settings(root))
    assert not has_errors(problems), problems
    pages = {p.path: p.html for p in render_site(enrich(directory), today=date(2026, 1, 15))}
    html = pages["people/dev.md"]
    assert '<a class="md-button" href="mailto:ana@example.com" title="E-mail">ana@example.com</a>' in html
    assert 'href="tel:+330612345678" title="Téléphone">+33 (0)6 12-34.56 78</a>' in html
    if chat_url:
        # The handle without its "@", quoted whole: it cannot climb the path or add to the query.
        link = "https://chat.example/u/ana%2F..%2Fx%3Fy%3D1%20%23z?from=trombi"
        assert f'<a class="md-button" href="{link}" title="Messagerie">@ana/../x?y=1 #z</a>' in html
    else:
        assert '<span class="trombi-contact__text">Messagerie · @ana/../x?y=1 #z</span>' in html
        assert "chat.example" not in html
    assert not any("secret-chat" in page for page in pages.values())


def test_long_lists_are_paged_with_links_between_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator.site.render, "PAGE_SIZE", 1)
    root = make_directory(tmp_path / "d")
    write_config(root)
    directory, _ = validate_directory(load_settings(root))
    pages = {p.path: p for p in render_site(enrich(directory), today=date(2026, 1, 15))}
    second = pages["people/page-2.md"]
    assert second.title == pages["people/index.md"].title == "Personnes"
    assert '<p class="trombi-pager__note">' in second.html
    nav = second.html[second.html.index('<nav class="trombi-pager" aria-label="Pages">') :]
    assert '<a class="trombi-pager__step" href="../">‹ Précédente</a>' in nav
    assert '<span class="trombi-pager__current" aria-current="page">2</span>' in nav
    assert '<a class="trombi-pager__step" href="../page-3/">Suivante ›</a>' in nav
