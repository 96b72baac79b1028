"""Generated pages written around MkDocs' page loop: URLs, shells, and real builds checked link by link."""

from __future__ import annotations

import filecmp
import gc
import re
import weakref
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.engine.publish import build_site
from generator.site import sitepages
from generator.site.reads import QueryTable
from generator.site.render import Page
from generator.site.sitepages import ANCHOR, CONTENT, SHELL_NAME, TITLE, Shell, compact, shell_key, shell_path, shell_top
from generator.site.urls import page_url, relative_url
from tests.conftest import make_directory, read_page, site_files, write_config

HAND_WRITTEN = """# Bienvenue

Voyez [le responsable](people/lead.md), [l'équipe plateforme](groups/platform.md)
et [Python](skills/python.md).
"""


@pytest.mark.parametrize(
    ("path", "directory_urls", "url"),
    [
        ("index.md", True, "./"),
        ("people/index.md", True, "people/"),
        ("people/alice.md", True, "people/alice/"),
        ("people/alice/page-2.md", True, "people/alice/page-2/"),
        ("people/alice.vcf", True, "people/alice.vcf"),
        ("index.md", False, "index.html"),
        ("people/index.md", False, "people/index.html"),
        ("people/alice.md", False, "people/alice.html"),
    ],
)
def test_page_urls_are_named_like_mkdocs_names_them(path: str, directory_urls: bool, url: str) -> None:
    assert page_url(path, directory_urls=directory_urls) == url


@pytest.mark.parametrize(
    ("target", "here", "link"),
    [
        ("people/bob/", "people/alice/", "../bob/"),
        ("./", "people/alice/", "../../"),
        ("skills/", "./", "skills/"),
        ("people/", "people/page-2/", "../"),
        ("people/", "people/", "./"),
        ("people/alice.vcf", "people/alice/", "../alice.vcf"),
        ("assets/x.png", "skills/py/page-2/", "../../../assets/x.png"),
        ("people/bob.html", "people/alice.html", "bob.html"),
        ("index.html", "people/alice.html", "../index.html"),
    ],
)
def test_relative_links(target: str, here: str, link: str) -> None:
    assert relative_url(target, here) == link


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("path", ["search.md", "people/alice.md", "skills/python/page-2.md", "org/locations/lyon/page-3.md", "network/matches/page-2.md"])
def test_each_page_has_a_shell_of_its_section_and_depth(path: str, directory_urls: bool) -> None:
    key = shell_key(path, directory_urls=directory_urls)
    shell = shell_path(key, directory_urls=directory_urls)
    assert SHELL_NAME in shell
    assert shell_key(shell, directory_urls=directory_urls) == key
    assert page_url(shell, directory_urls=directory_urls).count("/") == page_url(path, directory_urls=directory_urls).count("/")


@pytest.mark.parametrize("directory_urls", [True, False])
def test_pages_of_one_folder_in_two_sections_have_two_shells(directory_urls: bool) -> None:
    """The silo map and the offers that meet are both under network/, but not under the same tab:
    each shell stays in the pages' folder (their relative links hold) and carries its section."""
    silos, matches = (shell_key(path, directory_urls=directory_urls) for path in ("network/silos.md", "network/matches.md"))
    assert silos == ("network", matches[1], "org/index.md")
    assert matches == ("network", silos[1], "lunch/index.md")
    shells = {shell_path(key, directory_urls=directory_urls) for key in (silos, matches)}
    assert len(shells) == 2
    assert all(shell.startswith("network/") and page_url(shell, directory_urls=directory_urls).count("/") == silos[1] for shell in shells)
    assert {shell_top(shell, directory_urls=directory_urls).split("/")[0] for shell in shells} == {"network"}


def test_a_shell_is_filled_with_the_page_parts() -> None:
    url = f"people/{SHELL_NAME}/"
    html = (
        f'<title>{TITLE} - Site</title><link rel="canonical" href="https://x.example/{url}">'
        f'<a href="#{ANCHOR}" class="md-skip">{TITLE}</a><main>{CONTENT}</main>'
    )
    page = Page("people/alice.md", "Alice <Ada> & Co", '<h1 id="alice">Alice</h1><p>x</p>')
    filled = Shell.parse(html, url).fill(page, "people/alice/")
    assert filled == (
        '<title>Alice &lt;Ada&gt; &amp; Co - Site</title><link rel="canonical" href="https://x.example/people/alice/">'
        '<a href="#alice" class="md-skip">Alice &lt;Ada&gt; &amp; Co</a><main><h1 id="alice">Alice</h1><p>x</p></main>'
    )


def test_a_shell_that_cannot_be_filled_is_refused() -> None:
    url = f"people/{SHELL_NAME}/"
    with pytest.raises(ValueError, match="content marker"):
        Shell.parse(f"<main>{TITLE}</main>", url)
    with pytest.raises(ValueError, match="names itself"):
        Shell.parse(f'<main>{CONTENT}</main><a href="../{SHELL_NAME}.vcf">', url)


def _directory(root: Path, *, directory_urls: bool = True) -> Path:
    make_directory(root)
    write_config(root)
    if not directory_urls:
        config = root / "mkdocs.yml"
        config.write_text("use_directory_urls: false\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "docs" / "bienvenue.md").write_text(HAND_WRITTEN, encoding="utf-8")
    return root


class _Links:
    """Every internal link of every page of a site, with the page it is on."""

    HREF = re.compile(r'(?:href|src)="([^"]*)"')

    def __init__(self, site: Path) -> None:
        self.site = site
        self.broken: list[tuple[str, str]] = []
        self.count = 0
        for page in site.rglob("*.html"):
            for link in self.HREF.findall(read_page(page)):
                parts = urlsplit(link)
                if parts.scheme or parts.netloc or not parts.path or link.startswith("#"):
                    continue
                self.count += 1
                base = self.site if parts.path.startswith("/") else page.parent  # 404.html links from the root
                target = (base / unquote(parts.path).lstrip("/")).resolve()
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file():
                    self.broken.append((page.relative_to(site).as_posix(), link))


@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_link_of_the_built_site_leads_somewhere(tmp_path: Path, directory_urls: bool) -> None:
    site = build_site(_directory(tmp_path / "d", directory_urls=directory_urls), tmp_path / "site")
    links = _Links(site)
    assert links.count > 500
    assert links.broken == []
    person = site / "people" / ("lead/index.html" if directory_urls else "lead.html")
    assert person.is_file() and "<title>" in person.read_text(encoding="utf-8")
    # A hand-written page's links to generated pages are MkDocs' own, checked and rewritten by it.
    welcome = read_page(site / ("bienvenue/index.html" if directory_urls else "bienvenue.html"))
    assert f'href="{"../people/lead/" if directory_urls else "people/lead.html"}"' in welcome
    # The shells were only moulds: no trace of them in the site.
    assert not [p for p in site_files(site) if SHELL_NAME in p.as_posix()]
    assert SHELL_NAME not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_generated_pages_wear_the_theme_like_hand_written_ones(tmp_path: Path) -> None:
    site = build_site(_directory(tmp_path / "d"), tmp_path / "site")
    person = read_page(site / "people" / "lead" / "index.html")
    welcome = read_page(site / "bienvenue" / "index.html")
    for mark in ('class="md-header', 'data-md-type="navigation"', "assets/scope.js", "assets/trombi.css", 'name="robots"'):
        assert mark in person and mark in welcome
    # Nothing to say in the footer once the theme's own notice is left out: no footer at all.
    assert 'class="md-footer' not in person and 'class="md-footer' not in welcome
    title = re.search(r"<title>(.*?)</title>", person)
    assert title and title.group(1).startswith("Léo Durand")  # the person's name, from the YAML
    skip = re.search(r'<a (?=[^>]*class="md-skip")[^>]*href="#([^"]+)"', person)
    assert skip and f'id="{skip.group(1)}"' in person


def test_pages_written_by_workers_are_those_written_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _directory(tmp_path / "d")
    for number in range(60):
        (root / "people" / f"p{number:03d}.yaml").write_text(
            "# yaml-language-server: $schema=../schemas/person.schema.json\n"
            f"name: Personne {number}\ntitle: Testeuse\nteam: platform\nmanager: lead\nlocation: Lyon\nskills: [Python]\n",
            encoding="utf-8",
        )
    one = build_site(root, tmp_path / "one")
    monkeypatch.setattr(sitepages, "PARALLEL_FROM", 1)
    monkeypatch.setattr(sitepages, "CHUNK_PAGES", 7)
    many = build_site(root, tmp_path / "many")
    names = [p.relative_to(one) for p in site_files(one)]
    assert names == [p.relative_to(many) for p in site_files(many)]
    _, mismatch, errors = filecmp.cmpfiles(one, many, [n.as_posix() for n in names], shallow=False)
    assert (mismatch, errors) == ([], [])


def test_each_chunk_of_pages_is_let_go_once_its_reads_are_folded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers' chunks come back with what their pages read: folded into the build's table as
    each ends, none is kept to the end of the pages (at 100,000 people they were 2 GiB)."""
    root = _directory(tmp_path / "d")
    for number in range(40):
        (root / "people" / f"p{number:03d}.yaml").write_text(
            f"# yaml-language-server: $schema=../schemas/person.schema.json\nname: Personne {number}\ntitle: Testeuse\nteam: platform\nmanager: lead\n",
            encoding="utf-8",
        )
    monkeypatch.setattr(sitepages, "PARALLEL_FROM", 1)
    monkeypatch.setattr(sitepages, "CHUNK_PAGES", 3)
    summed = sitepages.Written.summed.__func__  # type: ignore[attr-defined]
    chunks: list[weakref.ref[array[int]]] = []  # a page's reads of each chunk (a Written has no weak references)
    held: list[int] = []

    def watched(cls: type[sitepages.Written], results: Iterable[sitepages.Written], table: QueryTable | None = None) -> sitepages.Written:
        def each() -> Iterator[sitepages.Written]:
            for chunk in results:
                gc.collect()
                # The one before is still the summing loop's; any earlier one is held by nothing.
                held.append(sum(1 for ref in chunks[:-1] if ref() is not None))
                chunks.append(weakref.ref(next(iter(chunk.reads.values()))))
                yield chunk

        return summed(cls, each(), table)

    monkeypatch.setattr(sitepages.Written, "summed", classmethod(watched))
    build_site(root, tmp_path / "site")
    assert len(held) > 10
    assert set(held) == {0}


def test_pages_rendered_in_one_process_have_their_cycles_collected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without workers (one core, no fork), the pages are rendered in the build's process, whose
    collector is paused for the build: the cycles each page makes (its template's module and its
    macros) are collected all the same, as the workers collect theirs, the heap left out of the walk."""
    monkeypatch.setattr(sitepages, "PARALLEL_FROM", 10**9)
    monkeypatch.setattr(sitepages, "CHUNK_PAGES", 5)
    run = sitepages._Job.run
    collector: list[tuple[bool, int]] = []  # as each chunk of pages is rendered

    def watched(self: sitepages._Job, start: int, stop: int) -> sitepages.Written:
        collector.append((gc.isenabled(), gc.get_freeze_count()))
        return run(self, start, stop)

    monkeypatch.setattr(sitepages._Job, "run", watched)
    build_site(_directory(tmp_path / "d"), tmp_path / "site")
    assert len(collector) > 3
    assert all(enabled and frozen > 0 for enabled, frozen in collector)
    assert gc.get_freeze_count() == 0  # the heap given back to the collector once the build is done


def test_index_pages_list_their_sections_in_the_table_of_contents(tmp_path: Path) -> None:
    site = build_site(_directory(tmp_path / "d"), tmp_path / "site")
    for section in ("skills", "groups"):
        html = read_page(site / section / "index.html")
        sections = re.findall(r'<h2 id="([^"]+)"', html)
        assert sections
        listed = [anchor for anchor in re.findall(r'<a (?=[^>]*class="md-nav__link")[^>]*href="#([^"]+)"', html) if anchor in sections]
        assert list(dict.fromkeys(listed)) == sections  # the theme may show the list twice (sidebar and drawer)


def test_a_page_is_published_minified_with_its_text_and_title_as_typed() -> None:
    """What browsers do not need is left out (quotes, white space between tags, optional end tags);
    text stays text, <pre> keeps its white space, and a title is escaped whatever reads it."""
    html = (
        '<!doctype html><html lang="fr"><head><title>&lt;!-- R&amp;D &lt;script&gt;x&lt;/script&gt;</title></head><body>\n'
        '  <ul>\n    <li><a href="a/" class="x y">A &amp; B</a></li>\n  </ul>\n'
        "<pre>  keep\n  this</pre><p>&lt;b&gt; stays text</p></body></html>"
    )
    assert compact(html) == (
        "<!doctype html><html lang=fr><title>&lt;!-- R&amp;D &lt;script&gt;x&lt;/script&gt;</title><body>"
        '<ul><li><a class="x y" href=a/>A & B</a></ul><pre>  keep\n  this</pre><p>&lt;b> stays text'
    )
