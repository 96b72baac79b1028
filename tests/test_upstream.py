"""Material for MkDocs as Trombi copies it and relies on it, checked against the installed theme.

generator/overrides/ holds copies of Material's templates with less in them (a page's chrome is
paid on every page), and Trombi's pages, scripts and stylesheets use Material's markup: its
classes, palette inputs, icons, announcement bar, sitemap and first script. Material is pinned
exactly in pyproject.toml; when a new release is installed, the tests here say which copy or which
piece of markup to look at again. They read the files of the installed packages and build nothing.

Moving the pin: install the new release, run this module, re-check what each failure names, then
write the new hashes in COPIES and the new version in pyproject.toml (and ``make lock``).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points, version
from pathlib import Path

import jinja2
import material
import mkdocs
import pytest

from generator.engine.publish import _EMPTY_ANNOUNCEMENT
from generator.engine.theme import OVERRIDES

REPO = Path(__file__).parent.parent
MATERIAL = Path(material.__file__).parent / "templates"
THEME = REPO / "generator" / "engine" / "theme.py"


@dataclass(frozen=True, slots=True)
class Copy:
    """A file of generator/overrides/, the file of Material's templates it was made from, and that file's sha256 at the pin."""

    override: str
    upstream: str
    sha256: str
    recheck: str


COPIES = (
    Copy(
        "404.html",
        "404.html",
        "80c93494b5432b1bcdf292caeb67a0653c45b37372f49e08ad4a70ca695a7495",
        "Material's 404 page: the site's own replaces it whole (in the site's language, with the search); what Material adds there is lost",
    ),
    Copy(
        "main.html",
        "main.html",
        "9948b55a7bc979c35825df99baba9e6971fca4eb298dea3cdde61e990a2de5e0",
        "Material's main.html only extends base.html; whatever it adds is lost under the override",
    ),
    Copy(
        "main.html",
        "base.html",
        "a919e32d2225e09ecbdeb8076ca6ce9ca0836329760bf7871a04172569b77842",
        "the blocks htmltitle, site_nav, footer and config that main.html rewrites; the announcement bar that generator/engine/publish.py "
        "drops when empty; where partials/javascripts/base.html, content.html and top.html are included; the keys of the "
        "configuration that assets/scope.js writes instead of the config block",
    ),
    Copy(
        "partials/header.html",
        "partials/header.html",
        "8cf3fb15bcf969ff596649616fd99366b3c31c08d57a86d05308efc16d8fa75f",
        "everything but Material's search (partials/trombi-search.html), the palette (assets/palette.js) and the menu's "
        "icon (icon_css in generator/engine/theme.py, with the same default)",
    ),
    Copy(
        "partials/javascripts/content.html",
        "partials/javascripts/content.html",
        "3722e156f0f6339de39fbbfc178b6e401d1a4fb890f189ac5b80c2504bda7dcf",
        "the scripts after the content, kept verbatim under the pymdownx.tabbed condition",
    ),
    Copy(
        "partials/javascripts/base.html",
        "partials/javascripts/base.html",
        "d6113712bc4deb30b4bd810ee0dfc28b6f04d2f88cc0016c0f1766eac7b762b6",
        "the first script, carried by assets/scope.js (scoped from that file's address, not the page's)",
    ),
    Copy(
        "assets/scope.js",
        "partials/javascripts/base.html",
        "d6113712bc4deb30b4bd810ee0dfc28b6f04d2f88cc0016c0f1766eac7b762b6",
        "the script after __md_scope's URL, copied verbatim into assets/scope.js",
    ),
    Copy(
        "partials/top.html",
        "partials/top.html",
        "98f6f9ac2ebf6ef943b62c0b0781a373cc03ca7e0959cfc60d9c3c7060157227",
        "the back-to-top button, written by assets/top.js; its icon's default in icon_css (generator/engine/theme.py)",
    ),
    Copy(
        "assets/top.js",
        "partials/top.html",
        "98f6f9ac2ebf6ef943b62c0b0781a373cc03ca7e0959cfc60d9c3c7060157227",
        "the button's tag and its words, copied into assets/top.js",
    ),
    Copy(
        "partials/palette.html",
        "partials/palette.html",
        "fb935107ae7d3d7475965019eec36c1ad72bf1d154254dab2474921fcd2710e3",
        "the inputs and labels; each label's for= names the next option, which icon_css (generator/engine/theme.py) selects to draw the toggle's icon",
    ),
    Copy(
        "assets/palette.js",
        "partials/javascripts/palette.html",
        "8790389765ea6036effddba548b15093bb05bdc75624eaeaf8b13f3c24be4ab5",
        "the script that applies the reader's palette, included by assets/palette.js without its <script> tags",
    ),
    Copy(
        "partials/source.html",
        "partials/source.html",
        "6847616d67be4920d39c278c2799bf20222bbc02ee2a8393aca85e3eaa518752",
        'the repository link, without data-md-component="source" (no request to api.github.com); its icon\'s default in icon_css',
    ),
    Copy(
        "partials/logo.html",
        "partials/logo.html",
        "e0925ef6c190174a5162ed1ecc55295016dd8a7beec3018db3e04aac283a2dd9",
        "the logo's image or icon; the icon's default in icon_css (generator/engine/theme.py)",
    ),
    Copy(
        "partials/copyright.html",
        "partials/copyright.html",
        "bc86bca3bf75070fe5d72e2a3463bdddf87c10f4d6459c945fe81c5d384e35ea",
        'the copyright line, without the "Made with Material for MkDocs" notice',
    ),
    Copy(
        "partials/tabs-item.html",
        "partials/tabs-item.html",
        "52fe1f551aa2dbfc9e15a19718a4cadd1f1e728d567ca21fea493ebfccaf3fe2",
        "the tab's item and link, written without the classes md-tabs__item and md-tabs__link (trombi.css gives the list's items "
        "and links their rules, checked below) and without the white space around the title",
    ),
    Copy(
        "assets/drawer.js",
        "partials/nav.html",
        "af33f6e032f632eb055c365eb5f1a975bf8456152fa768e69a1aad6d470b843f",
        "the drawer's menu that assets/drawer.js writes as partials/nav.html would (title, logo, source, list of links)",
    ),
)
# Trombi's own, made from nothing of Material's.
OWN = {"partials/trombi-search.html"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pinned() -> str:
    """The version of mkdocs-material that pyproject.toml names, exactly."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    [requirement] = [r for r in project["dependencies"] if re.match(r"mkdocs-material\b", r)]
    exact = re.fullmatch(r"mkdocs-material==([\w.]+)", requirement)
    assert exact, f"pyproject.toml asks for {requirement!r}: pin mkdocs-material to one release (==), the one COPIES was hashed at"
    return exact.group(1)


def upstream(name: str) -> str:
    return (MATERIAL / name).read_text(encoding="utf-8")


def override(name: str) -> str:
    return (OVERRIDES / name).read_text(encoding="utf-8")


# --- the pin -----------------------------------------------------------------------------------


def test_the_installed_material_is_the_pinned_release() -> None:
    installed, pin = version("mkdocs-material"), pinned()
    assert installed == pin, (
        f"mkdocs-material {installed} is installed, pyproject.toml pins {pin}: run tests/test_upstream.py, re-check what "
        "it names, update COPIES' hashes, then move the pin"
    )
    locked = re.search(r"^mkdocs-material==([\w.]+) ", (REPO / "requirements.lock").read_text(encoding="utf-8"), re.MULTILINE)
    assert locked and locked.group(1) == pin, "requirements.lock is not pyproject.toml's pin: run make lock"


# --- the copies --------------------------------------------------------------------------------


def test_every_override_has_its_upstream_in_the_table() -> None:
    overrides = {path.relative_to(OVERRIDES).as_posix() for path in OVERRIDES.rglob("*") if path.is_file()}
    listed = {copy.override for copy in COPIES}
    assert overrides - OWN - listed == set(), "add each file copied from Material to COPIES, or to OWN if it is Trombi's own"
    assert listed | OWN <= overrides, "COPIES or OWN names a file that generator/overrides/ no longer has"


@pytest.mark.parametrize("copy", COPIES, ids=lambda copy: f"{copy.override}<-{copy.upstream}")
def test_a_copied_file_is_as_it_was_when_copied(copy: Copy) -> None:
    source = MATERIAL / copy.upstream
    where = f"generator/overrides/{copy.override} (made from Material's {copy.upstream})"
    assert source.is_file(), f"mkdocs-material {version('mkdocs-material')} has no templates/{copy.upstream}: re-check {where}: {copy.recheck}"
    found = sha256(source)
    assert found == copy.sha256, (
        f"Material's templates/{copy.upstream} changed in mkdocs-material {version('mkdocs-material')} (sha256 {found}): "
        f"re-check {where}: {copy.recheck}; then write its new sha256 in tests/test_upstream.py"
    )


def test_each_overridden_partial_is_still_included_by_material() -> None:
    """An override that Material no longer includes is silently unused: the page gets Material's new markup, whole."""
    templates = "\n".join(path.read_text(encoding="utf-8") for path in MATERIAL.rglob("*.html") if ".icons" not in path.parts)
    partials = sorted({copy.override for copy in COPIES if copy.override.startswith("partials/")})
    unused = [name for name in partials if f'{{% include "{name}" %}}' not in templates and f'{{% import "{name}" as' not in templates]
    assert unused == [], f"Material's templates no longer include {unused}: re-check where their markup went"


def test_main_html_rewrites_blocks_of_material_s_base_html() -> None:
    ours = set(re.findall(r"{%-? block (\w+)", override("main.html")))
    theirs = set(re.findall(r"{%-? block (\w+)", upstream("base.html")))
    assert ours <= theirs, f"base.html has no block {sorted(ours - theirs)}: re-check generator/overrides/main.html against it"
    assert '{% extends "base.html" %}' in upstream("main.html") and '{% extends "base.html" %}' in override("main.html")


# --- the markup Trombi's own files use ---------------------------------------------------------

# A class (md-...) or a custom property (--md-...) of Material's.
_MD_NAME = re.compile(r"(?<![\w-])(?:--)?md-[\w-]*\w")
# Read by Trombi with a fallback, and defined by no Material up to the pin: the fallback is what shows.
_NOT_MATERIALS = {"--md-primary-fg-color--transparent"}


@cache
def material_markup() -> frozenset[str]:
    """Every md- class and --md- property that Material's templates, stylesheets and script name."""
    texts = [path.read_text(encoding="utf-8") for path in MATERIAL.rglob("*.html") if ".icons" not in path.parts]
    texts += [path.read_text(encoding="utf-8") for path in (MATERIAL / "assets" / "stylesheets").glob("*.min.css")]
    texts += [path.read_text(encoding="utf-8") for path in (MATERIAL / "assets" / "javascripts").glob("bundle.*.min.js")]
    return frozenset(name for text in texts for name in _MD_NAME.findall(text))


def test_the_classes_and_properties_trombi_uses_are_still_material_s() -> None:
    files = sorted(path for path in (REPO / "generator").rglob("*") if path.suffix in {".html", ".js", ".css", ".j2"})
    gone = [
        f"{path.relative_to(REPO)}: {name}"
        for path in files
        for name in sorted(set(_MD_NAME.findall(path.read_text(encoding="utf-8"))) - _NOT_MATERIALS)
        if name not in material_markup()
    ]
    assert gone == [], "Material no longer writes, styles or reads these; re-check each file for what replaced them:\n" + "\n".join(gone)
    assert not _NOT_MATERIALS & material_markup(), "Material now defines a property Trombi read with a fallback: take it off _NOT_MATERIALS"


def _declarations(css: str) -> dict[str, set[str]]:
    """Each selector of a stylesheet and its declarations, white space left out (rules inside @media included, as they are)."""
    found: dict[str, set[str]] = {}
    for selectors, body in re.findall(r"([^{}]*)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)):
        for selector in selectors.split(","):
            declarations = {re.sub(r"\s+", "", d) for d in body.split(";") if d.strip()}
            found.setdefault(re.sub(r"\s+", " ", selector).strip(), set()).update(declarations)
    return found


def _classless(selector: str) -> str:
    """Material's selector of a tab's item or link, as trombi.css writes it for the list's items and links, which carry no class."""
    selector = selector.replace(".md-tabs__item--active .md-tabs__link", ".md-tabs__list > .md-tabs__item--active > a")
    selector = re.sub(r"\.md-tabs__item(:nth-child\(\d+\)) \.md-tabs__link", r".md-tabs__list > li\1 > a", selector)
    return re.sub(r"\.md-tabs__item(?!--)", ".md-tabs__list > li", selector).replace(".md-tabs__link", ".md-tabs__list > li > a")


def test_the_tabs_have_material_s_rules_without_their_classes() -> None:
    """overrides/partials/tabs-item.html writes no md-tabs__item or md-tabs__link: trombi.css gives the list's items and links Material's rules for them."""
    assert 'class="md-tabs__link' not in override("partials/tabs-item.html") and 'class="md-tabs__item--active"' in override("partials/tabs-item.html")
    [stylesheet] = (MATERIAL / "assets" / "stylesheets").glob("main.*.min.css")
    material_rules = {s: d for s, d in _declarations(stylesheet.read_text(encoding="utf-8")).items() if re.search(r"md-tabs__(item|link)\b", s)}
    assert len(material_rules) > 10, "Material's tab rules were not found: re-check this test's reading of its stylesheet"
    trombi = _declarations((REPO / "generator" / "assets" / "trombi.css").read_text(encoding="utf-8"))
    missing = {selector: sorted(declarations - trombi.get(_classless(selector), set())) for selector, declarations in material_rules.items()}
    assert {s: d for s, d in missing.items() if d} == {}, "Material's tab rules changed: bring trombi.css's rules for .md-tabs__list > li in step"


def test_the_theme_s_words_the_overrides_use_are_still_in_its_languages() -> None:
    english = upstream("partials/languages/en.html")
    used = {key for path in OVERRIDES.rglob("*") if path.is_file() for key in re.findall(r"lang\.t\(['\"]([\w.]+)['\"]\)", path.read_text(encoding="utf-8"))}
    assert used, "no lang.t(...) found in generator/overrides/: bring this test's pattern in step with the overrides"
    missing = sorted(key for key in used if f'"{key}":' not in english)
    assert missing == [], f"Material's languages no longer have {missing}: the overrides would show the key itself"


# --- palette, icons, announcement bar, sitemap, search ----------------------------------------


def test_palette_inputs_are_numbered_and_labelled_as_the_stylesheet_expects() -> None:
    """Material's script shows the control that follows the input in force, and switches with the inputs' change: the switches of palette.html rely on both."""
    partial = upstream("partials/palette.html")
    assert 'type="radio" name="__palette" id="__palette_{{ loop.index0 }}"' in partial, (
        "Material's palette inputs are no longer __palette_N: re-check generator/overrides/partials/palette.html and "
        "icon_css (generator/engine/theme.py), which select the labels by it"
    )
    assert 'for="__palette_{{ loop.index % loop.length }}"' in partial, (
        "Material's palette label no longer switches to the next option: re-check the switches of generator/overrides/partials/palette.html, "
        "which turn option N + 1 on while option N is in force"
    )
    bundle = next((Path(material.__file__).parent / "templates" / "assets" / "javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
    assert "nextElementSibling" in bundle and "data-md-color-switching" in bundle, (
        "Material's palette script may no longer show the control after the input in force: re-check generator/overrides/partials/palette.html"
    )
    assert '.trombi-palette[data-trombi-option="{' in THEME.read_text(encoding="utf-8"), (
        "icon_css no longer selects switches by their option: bring this test in step"
    )
    # assets/palette.js includes Material's script without its tags: it must stay one inline script.
    script = upstream("partials/javascripts/palette.html")
    assert len(re.findall(r"<script\b", script)) == 1 and "<script>" in script and '__md_get("__palette")' in script, (
        "Material's partials/javascripts/palette.html is no longer one inline script reading __palette: re-check generator/overrides/assets/palette.js"
    )


def test_the_chrome_s_default_icons_are_material_s_and_in_its_icons_folder() -> None:
    defaults = dict(re.findall(r'icons\.get\("(\w+)"\) or "([\w/-]+)"', THEME.read_text(encoding="utf-8")))
    assert set(defaults) == {"logo", "menu", "top", "repo"}, "icon_css (generator/engine/theme.py) changed: bring this test in step"
    templates = "\n".join(upstream(f"partials/{name}.html") for name in ("logo", "header", "top", "source"))
    for name, icon in defaults.items():
        assert f'config.theme.icon.{name} or "{icon}"' in templates, (
            f"Material's default {name} icon is no longer {icon}: re-check icon_css (generator/engine/theme.py) and partials/{name}.html"
        )
        assert (MATERIAL / ".icons" / f"{icon}.svg").is_file(), f"Material's .icons/ has no {icon}.svg: icon_css reads icons from that folder"


def test_the_announcement_bar_is_an_empty_element_without_an_announcement() -> None:
    """generator/engine/publish.py drops the bar Material writes on every page when it has nothing to announce."""
    base = upstream("base.html")
    opening = '<div data-md-component="announce">'
    start = base.find(opening)
    assert start >= 0, "Material's base.html has no announcement bar: re-check _EMPTY_ANNOUNCEMENT in generator/engine/publish.py"
    inside = base[start + len(opening) :]
    assert inside.lstrip().startswith("{% if self.announce() %}"), "the bar holds more than its announcement: re-check _EMPTY_ANNOUNCEMENT"
    after = _after_endif(inside)
    closing = re.match(r"\s*</div>", after)
    assert closing, "the bar holds more than its announcement: re-check _EMPTY_ANNOUNCEMENT in generator/engine/publish.py"
    # The bar as Jinja renders it when no page announces anything.
    bar = base[start : len(base) - len(after) + closing.end()]
    rendered = jinja2.Environment().from_string(bar.replace("self.announce()", "false", 1)).render()
    assert _EMPTY_ANNOUNCEMENT.fullmatch(rendered), f"_EMPTY_ANNOUNCEMENT (generator/engine/publish.py) no longer matches Material's empty bar: {rendered!r}"


def _after_endif(body: str) -> str:
    """The template after the {% endif %} that closes the {% if %} that ``body`` starts with."""
    depth = 0
    for tag in re.finditer(r"{%-?\s*(if|endif)\b[^%]*%}", body):
        depth += 1 if tag.group(1) == "if" else -1
        if depth == 0:
            return body[tag.end() :]
    raise AssertionError("unbalanced {% if %} in Material's announcement bar")


def test_the_sitemap_lists_each_page_in_an_element_of_its_own() -> None:
    """The shells are dropped from sitemap.xml by the <url> element that holds their address; it is the engine's template."""
    assert not (MATERIAL / "sitemap.xml").exists(), "Material now writes its own sitemap.xml: re-check _drop_shells_from_sitemap (generator/engine/publish.py)"
    sitemap = (Path(mkdocs.__file__).parent / "templates" / "sitemap.xml").read_text(encoding="utf-8")
    assert re.search(r"{%-? for file in pages -?%}.*<url>\s*<loc>.*</loc>.*</url>.*{%-? endfor", sitemap, re.DOTALL), (
        "the engine's sitemap no longer writes one <url><loc> per page: re-check _drop_shells_from_sitemap (generator/engine/publish.py)"
    )


def test_material_s_search_is_the_plugin_trombi_turns_off() -> None:
    plugins = {point.name for point in entry_points(group="mkdocs.plugins")}
    assert "material/search" in plugins, "Material's search plugin has another name: re-check _drop_material_search (generator/engine/publish.py)"


# --- the scripts -------------------------------------------------------------------------------

_SCOPE = re.compile(r"__md_scope=new URL\(.*?,(?:location|document\.currentScript\.src)\),(?P<rest>.*?)(?:</script>|;?\n)")


def test_scope_js_carries_material_s_first_script() -> None:
    theirs = _SCOPE.search(upstream("partials/javascripts/base.html"))
    ours = _SCOPE.search(override("assets/scope.js"))
    assert theirs and ours, "Material's first script no longer starts with __md_scope: re-check generator/overrides/assets/scope.js"
    assert ours.group("rest").rstrip(";") == theirs.group("rest"), "Material's first script changed: copy it into generator/overrides/assets/scope.js"
    # Trombi's scripts call the helpers it defines.
    defined = set(re.findall(r"(__md_\w+)=", theirs.group(0)))
    called = {name for path in (REPO / "generator" / "assets").glob("*.js") for name in re.findall(r"__md_\w+", path.read_text(encoding="utf-8"))}
    assert called <= defined, f"Material's first script no longer defines {sorted(called - defined)}, which generator/assets/ calls"


def test_the_configuration_scope_js_writes_is_the_one_material_s_bundle_reads() -> None:
    """main.html empties Material's config block; assets/scope.js writes the same element, before the bundle reads it."""
    base = upstream("base.html")
    block = re.search(r"{% block config %}(.*?){% endblock %}", base, re.DOTALL)
    assert block and '<script id="__config" type="application/json">' in block.group(1), (
        "Material's configuration element changed: re-check generator/overrides/assets/scope.js"
    )
    scope = override("assets/scope.js")
    for key in re.findall(r'"([\w.]+)": lang\.t\(', scope) + re.findall(r'app\.update\(\{"(\w+)"', scope) + ["base", "features", "translations"]:
        assert f'"{key}"' in block.group(1), f"Material's configuration has no {key!r} any more: re-check generator/overrides/assets/scope.js"
    head, _, _ = base.partition("</head>")
    assert '{% include "partials/javascripts/base.html" %}' in head, "Material's first script left the <head>: assets/scope.js must run before the bundle"
    [bundle] = (MATERIAL / "assets" / "javascripts").glob("bundle.*.min.js")
    assert "__config" in bundle.read_text(encoding="utf-8"), "Material's bundle no longer reads #__config: re-check generator/overrides/assets/scope.js"
    assert base.index("{% block config %}") < base.index("bundle."), "Material's bundle now loads before its configuration"


def test_top_js_writes_material_s_button() -> None:
    button = re.search(r"<button [^>]*>", upstream("partials/top.html"))
    assert button and button.group() in override("assets/top.js"), "Material's back-to-top button changed: re-check generator/overrides/assets/top.js"
    assert '{{ lang.t("top") }}' in upstream("partials/top.html")


@pytest.mark.parametrize(
    ("package", "module", "constant", "what"),
    [
        ("pagefind", "generator.search.pagefindfiles", "PAGEFIND_FORMAT", "the CBOR files make_reproducible and _common_words_alone rewrite"),
        ("whoosh", "generator.search.whooshio", "WHOOSH_RELEASE", "MemoryWriter, fill_blocks and what updates read (deletions, collector)"),
    ],
)
def test_another_tools_private_format_is_read_at_the_release_it_was_written_for(package: str, module: str, constant: str, what: str) -> None:
    import importlib
    from importlib.metadata import version

    known = getattr(importlib.import_module(module), constant)
    assert version(package) == known, f"{package} {version(package)} is installed, {module} knows {known}: re-check {what}, then move {constant}"
