"""Page weight: at 100,000 people every byte of a card or of the theme's chrome is paid millions of times."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote

import material
import pytest
from pagefind.service import get_executable

from generator.engine.publish import build_site
from generator.search.pagefind import DOCUMENTS_DIR, for_search
from tests.conftest import make_directory, quoted, write_config

# The theme options of a real directory: tabs, back-to-top, a palette toggle, Material's search features.
THEME = """  features: [navigation.tabs, navigation.top, search.suggest, search.highlight]
  palette:
    - scheme: default
      toggle: {icon: material/weather-night, name: Dark}
    - scheme: slate
      toggle: {icon: material/weather-sunny, name: Light}
"""
CARD = re.compile(r"<li><(?:i|img)\b.*?(?=<li>|</ul>)")  # as published: minified, no </li>
CARD_MARKUP_MAX = 80  # bytes of a card that are neither its text nor its link (249 before cards were slimmed, 130 before minified)
CHROME_MAX = 3_800  # bytes of a generated person page outside its article, with THEME (12,454 before it was slimmed, then 10,500, 9,400, 4,400)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_directory(tmp_path_factory.mktemp("weight") / "d")
    config = write_config(root) / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  font: false\n", "  font: false\n" + THEME), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(root, tmp_path_factory.mktemp("weight") / "site")


def _page(site: Path, path: str) -> str:
    """A page as published (minified): what its weight is measured on."""
    return (site / path / "index.html").read_text(encoding="utf-8")


def _chrome(html: str) -> str:
    start, end = html.index("<article"), html.index("</article>")
    return html[:start] + html[end:]


@pytest.mark.parametrize("path", ["people", "skills/python", "groups/platform"])
def test_a_card_is_its_information_and_little_markup(site: Path, path: str) -> None:
    cards = CARD.findall(_page(site, path))
    assert cards
    for card in cards:
        text = re.sub(r"<[^>]+>", "", card)
        href = re.search(r"href=([^\s>]+)", card)
        assert href, card
        markup = len(card.encode()) - len(text.encode()) - len(href.group(1).encode())
        assert markup <= CARD_MARKUP_MAX, card
        # Same information as before: avatar (initials drawn by the stylesheet, silent for screen
        # readers), linked name, title.
        assert re.match(r"<li>(<i (?=[^>]*\bstyle=--h:\d+[ >])(?=[^>]*\bdata-i=\w+[ >])[^>]*></i>|<img alt=\"\" )<a href=", card), card
        assert "<small>" in card


def test_the_chrome_of_a_generated_page_is_light_and_keeps_its_functions(site: Path) -> None:
    chrome = _chrome(_page(site, "people/lead"))
    assert len(chrome.encode()) <= CHROME_MAX
    assert not re.search(r">\s*\n\s*<", chrome), "line breaks between tags are dropped"
    page = quoted(_page(site, "people/lead"))
    assert "Made with" not in page and 'class="md-footer' not in page
    assert 'name="generator"' not in page and "http://www.w3.org/2000/svg" not in chrome
    # What the theme's script and the header search still need: drawer, back-to-top (its script), search box, tabs.
    for mark in ('id="__drawer"', 'id="__search"', "assets/top.js", "data-trombi-header-search", 'class="md-tabs"'):
        assert mark in page, mark
    # What is the same on every page is in files loaded once: no script is written in the page itself.
    scripts = re.findall(r"<script\b([^>]*)>([^<]*)</script>", page)
    assert all(body == "" for _, body in scripts), scripts
    sources = [re.sub(r"bundle\.\w+\.min", "bundle", attributes) for attributes, _ in scripts]
    assert sources == [
        ' src="../../assets/scope.js"',
        ' src="../../assets/palette.js"',
        ' src="../../assets/drawer.js"',  # the drawer's menu and its name (Navigation), in the site's language
        ' src="../../assets/top.js"',
        ' src="../../assets/javascripts/bundle.js"',
        ' src="../../assets/trombi.js"',  # the directory's own scripts, in one file loaded once
    ]
    # The drawer's menu is written from the tabs (assets/drawer.js): the page does not list them twice.
    assert page.count('href="../../skills/"') == 1 and 'class="md-nav' not in page
    # The hidden table of contents is left out; the primary sidebar, hidden, is written by assets/drawer.js with the drawer's menu.
    assert "md-sidebar" not in page
    assert 'nav.setAttribute("aria-label", "Navigation");' in (site / "assets" / "drawer.js").read_text(encoding="utf-8")
    # Nor Material's dialog, which only says "Copied" after its copy buttons: a generated page has none.
    assert "md-dialog" not in page and "data-clipboard" not in page
    # Neither the site's description (the home page alone has it: every page is kept out of search
    # engines) nor a title on the logo repeating the site's name, which the header shows beside it.
    assert 'name="description"' not in page
    assert re.search(r'<a aria-label="[^"]+" class="md-header__button md-logo" data-md-component="logo"', page)
    # The tabs' items and links carry no class; the current one does (overrides/partials/tabs-item.html).
    assert '<ul class="md-tabs__list"><li><a href="../..">' in page and '<li class="md-tabs__item--active"><a href="../">' in page


def test_the_theme_s_configuration_and_scope_are_written_once_for_the_site(site: Path) -> None:
    """assets/scope.js is Material's first script, scoped from its own address, and the configuration its bundle reads."""
    script = (site / "assets" / "scope.js").read_text(encoding="utf-8")
    partial = (Path(material.__file__).parent / "templates" / "partials" / "javascripts" / "base.html").read_text(encoding="utf-8")
    material_script = re.search(r'<script>__md_scope=new URL\("\{\{[^}]*\}\}",location\),(.*)</script>', partial)
    assert material_script, "Material's first script changed: bring overrides/assets/scope.js in step"
    assert script.startswith('__md_scope=new URL("..",document.currentScript.src),' + material_script.group(1))
    config = json.loads(re.search(r"var config = (\{.*\});", script).group(1))  # type: ignore[union-attr]
    assert config["features"] == ["navigation.tabs", "navigation.top"], "Material's own search is not used"
    assert config["translations"]["clipboard.copy"] == "Copier dans le presse-papier"  # the site's language
    assert 'config.base = new URL("..", script.src).href;' in script and 'element.id = "__config";' in script


def _written_in_place(site: Path, script: str) -> str:
    """The HTML that ``assets/<script>`` writes where it is loaded."""
    text = (site / "assets" / script).read_text(encoding="utf-8")
    literal = re.search(r'insertAdjacentHTML\("beforebegin", (".*?")\);', text)
    assert literal, text
    return str(json.loads(literal.group(1)))


def _palette_toggle(site: Path) -> str:
    """The HTML that assets/palette.js writes where it is loaded, its white space squeezed."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", _written_in_place(site, "palette.js")))


def _material_icon(name: str) -> str:
    return (Path(material.__file__).parent / "templates" / ".icons" / f"{name}.svg").read_text(encoding="utf-8").strip()


def test_the_chrome_draws_its_icons_from_the_stylesheet(site: Path) -> None:
    page = quoted(_page(site, "people/lead"))
    assert "<svg" not in _chrome(page)
    for name in ("logo", "menu", "repo"):
        assert page.count(f'<i class="trombi-icon trombi-icon--{name}"></i>') == 1, name
    # The back-to-top button is written by its script, where the script is loaded.
    assert '<script src="../../assets/top.js"></script>' in page and 'data-md-component="top"' not in page
    assert _written_in_place(site, "top.js") == (
        '<button type="button" class="md-top md-icon" data-md-component="top" hidden>'
        '<i class="trombi-icon trombi-icon--top"></i> Retour en haut de la page</button>'
    )
    switch = (
        r'<button type="button" class="md-header__button md-icon trombi-palette" role="switch" aria-checked="(\w+)" aria-label="Dark" '
        r'title="(\w+)" data-trombi-option="(\d)" data-trombi-next="(\d)" hidden></button>'
    )
    switches = re.findall(switch, _palette_toggle(site))
    assert switches == [("false", "Dark", "0", "1"), ("true", "Light", "1", "0")]
    css = (site / "assets" / "trombi.css").read_text(encoding="utf-8")
    rule = r'(\.trombi-icon--\w+|\.trombi-palette\[data-trombi-option="\d"\]) \{ --trombi-icon: url\("data:image/svg\+xml;charset=utf-8,([^"]+)"\); \}'
    icons = dict(re.findall(rule, css))
    # The theme's default icons; the switch shown while option 0 is in force shows option 0's icon, as Material's own partial does.
    expected = {
        ".trombi-icon--logo": "material/library",
        ".trombi-icon--menu": "material/menu",
        ".trombi-icon--top": "material/arrow-up",
        ".trombi-icon--repo": "fontawesome/brands/git-alt",
        '.trombi-palette[data-trombi-option="0"]': "material/weather-night",
        '.trombi-palette[data-trombi-option="1"]': "material/weather-sunny",
    }
    assert {selector: unquote(svg) for selector, svg in icons.items()} == {selector: _material_icon(name) for selector, name in expected.items()}


def test_the_palette_toggle_and_its_script_are_a_file_of_their_own(site: Path) -> None:
    """The toggle (it only works with a script) and Material's script that applies the reader's palette, loaded once and cached."""
    page = quoted(_page(site, "people/lead"))
    assert '<script src="../../assets/palette.js"></script>' in page and "__palette" not in page
    toggle = _palette_toggle(site)
    assert toggle.startswith('<form class="md-header__option" data-md-component="palette">') and toggle.count('type="radio" name="__palette"') == 2
    partial = (Path(material.__file__).parent / "templates" / "partials" / "javascripts" / "palette.html").read_text(encoding="utf-8")
    applies = re.search(r"<script>(.*)</script>", partial, re.S)
    assert applies and applies.group(1).strip() in (site / "assets" / "palette.js").read_text(encoding="utf-8")


def test_a_profile_level_badge_stays_out_of_the_search_index(root: Path, site: Path) -> None:
    badges = re.findall(r'<b class="trombi-\w+"([^>]*)>', _page(root / DOCUMENTS_DIR, "people/lead"))
    assert badges and all(attrs == ' data-pagefind-ignore="index"' for attrs in badges)


def test_the_published_profile_carries_none_of_the_search_markup(root: Path, site: Path) -> None:
    """What only Pagefind reads (2 kB a profile) is in its own document, beside the site, not in the page."""
    page, document = _page(site, "people/lead"), _page(root / DOCUMENTS_DIR, "people/lead")
    assert "data-pagefind" not in page and "trombi-search-data" not in page and "k8s kube" not in page
    # Neither the element that held what is indexed nor the spans that only carried a facet.
    assert "<a href=../../skills/kubernetes/>Kubernetes</a>" in page and "data-pagefind-body" not in page
    assert re.search(r"<article [^>]*><p class=trombi-breadcrumb><a href=../>[^<]*</a> ›<div class=trombi-profile>", page)
    assert "search-only" not in page and "<!--/indexed" not in page
    assert "data-pagefind-body" in document and "k8s kube" in document
    assert 'class="md-header' not in document and 'class="md-tabs' not in document  # the document is the profile alone
    assert not any("data-pagefind" in path.read_text(encoding="utf-8") for path in site.rglob("*.html"))


def test_each_search_value_is_written_once_and_indexed_as_before(root: Path, site: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Facets and result fields are read from the elements that show them; Pagefind sees the same values."""
    page = _page(root / DOCUMENTS_DIR, "people/lead")
    assert page.count(">Équipe Plateforme<") == 1 and page.count(">Kubernetes<") == 1
    pagefind = get_executable()
    assert pagefind
    out = tmp_path_factory.mktemp("pagefind")
    documents = str(root / DOCUMENTS_DIR)
    subprocess.run([str(pagefind), "--site", documents, "--output-path", str(out), "--glob", "people/lead/index.html"], check=True, capture_output=True)
    [fragment] = [json.loads(gzip.decompress(p.read_bytes())[len(b"pagefind_dcd") :]) for p in (out / "fragment").iterdir()]
    assert fragment["meta"] == {
        "name": "Léo Durand",
        "title": "Responsable plateforme",
        "team": "Équipe Plateforme",
        "location": "Paris",
        "initials": "LD",
        "hue": "19",
    }
    assert {facet: sorted(values) for facet, values in fragment["filters"].items()} == {
        "team": ["Équipe Plateforme"],
        "location": ["Paris"],
        "kind": ["Salarié·e"],
        "skill": ["Kubernetes", "Python"],
        "expert": ["Kubernetes"],
        "intermediate": ["Python"],
        "language": ["Français"],
        "group": ["Guilde Python", "Projet secret"],
    }


def test_only_the_search_markup_is_left_out_of_a_published_page() -> None:
    """Attributes are read in order, so text that looks like Pagefind's markup stays as the person wrote it."""
    lookalike = "&#34; data-pagefind-body data-pagefind-meta=&#34;name:x"
    html = (
        f'<div class="a" data-pagefind-body>\n<h1 data-pagefind-weight="10" id="x">X</h1>\n<p title="{lookalike}">{lookalike} data-pagefind-body</p>\n'
        '<!--search-only--><span hidden data-pagefind-meta="hue">3</span><!--/search-only-->\n</div><!--/indexed-->\n<p data-pagefind-ignore="index">after</p>'
    )
    published, document = for_search(html, "fr")
    assert published == (f'<div class="a">\n<h1 id="x">X</h1>\n<p title="{lookalike}">{lookalike} data-pagefind-body</p>\n\n</div>\n<p>after</p>')
    assert document is not None and document.startswith('<!doctype html><html lang="fr">')
    assert '<span hidden data-pagefind-meta="hue">3</span>' in document and "after" not in document
    # Text alone never makes a page searched: the body must be an attribute of a tag.
    assert for_search(f"<p>{lookalike}</p>", "fr") == (f"<p>{lookalike}</p>", None)
