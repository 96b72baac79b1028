"""What the build asks of MkDocs' configuration and of Material, its theme.

The extensions generated pages need, the theme's overrides and the scripts rendered from them,
Material's search turned off (Pagefind replaces it), the default navigation and every other
page's place under its section, and the chrome's icons, found by the theme's own template loader.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from jinja2 import TemplateNotFound
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page as MkDocsPage

from generator import PACKAGE
from generator.build.features import SCRIPT, STYLESHEET
from generator.build.plan import SitePlan
from generator.directory.settings import Settings
from generator.i18n import load_language
from generator.site.sections import SECTIONS, section_of

log = logging.getLogger("mkdocs.plugins.trombi")

OVERRIDES = PACKAGE / "overrides"


# Scripts of the theme rendered by MkDocs from overrides/assets/: what every page needs, once for the site.
SCOPE_SCRIPT = "assets/scope.js"  # see overrides/partials/javascripts/base.html


PALETTE_SCRIPT = "assets/palette.js"  # see overrides/partials/header.html


TOP_SCRIPT = "assets/top.js"  # see overrides/partials/top.html


DRAWER_SCRIPT = "assets/drawer.js"  # see overrides/main.html


REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "admonition", "toc")


def configure(config: MkDocsConfig, plan: SitePlan) -> None:
    """What the plan needs of MkDocs' configuration: extensions, the theme's overrides and scripts, the navigation, the watched files."""
    for extension in REQUIRED_EXTENSIONS:
        if extension not in config.markdown_extensions:
            config.markdown_extensions.append(extension)
    config.extra_css.insert(0, STYLESHEET)
    # Search: Pagefind (on_post_build) and the header box of overrides/ replace Material's search.
    drop_material_search(config)
    config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
    config.theme.static_templates.add(SCOPE_SCRIPT)
    config.theme.static_templates.add(DRAWER_SCRIPT)
    if isinstance(config.theme.get("palette"), list):
        config.theme.static_templates.add(PALETTE_SCRIPT)
    if "navigation.top" in (config.theme.get("features") or []):
        config.theme.static_templates.add(TOP_SCRIPT)
    config.extra_javascript.append(SCRIPT)  # the header search, introductions, what goes by the day, local times
    if not config.nav:
        config.nav = default_nav(plan.settings, Path(config.docs_dir))
    for path in plan.watched:
        if str(path) not in config.watch:
            config.watch.append(str(path))


def default_nav(settings: Settings, docs_dir: Path) -> list[str | dict[str, str]]:
    """The sections' index pages, then the hand-written pages of docs/ (not the generated ones).

    The other generated pages are their section's children, outside the navigation (see :func:`place_pages`).
    """
    words = load_language(settings.language)
    nav: list[str | dict[str, str]] = [{words.gettext(section.label): section.index} for section in SECTIONS]
    generated = {"index.md", "people", "skills", "groups", "org", "news", "lunch", "network", "search.md", "assets"}
    if docs_dir.is_dir():
        nav += sorted(p.name for p in docs_dir.glob("*.md") if p.name not in generated)
    return nav


def icon_css(config: MkDocsConfig) -> str:
    """The icons of every page's chrome as masks in data URLs, one rule each, so that no page carries them inline.

    The logo (unless the site's logo is an image), the menu button, back-to-top and the repository
    (``overrides/partials/logo.html``, ``header.html``, ``top.html``, ``source.html``) and the palette toggles
    (``overrides/partials/palette.html``): each icon is found by the theme's template loader, as
    Material's partials include it. About 1 kB a page.
    """
    icons = config.theme.get("icon") or {}
    chrome = {
        "logo": None if config.theme.get("logo") else icons.get("logo") or "material/library",
        "menu": icons.get("menu") or "material/menu",
        "top": icons.get("top") or "material/arrow-up",
        "repo": (icons.get("repo") or "fontawesome/brands/git-alt") if config.repo_url else None,
    }
    rules = [rule for name, icon in chrome.items() if icon and (rule := _icon_rule(config, f".trombi-icon--{name}", icon))]
    palette = config.theme.get("palette")
    options: list[Any] = palette if isinstance(palette, list) else []
    for index, option in enumerate(options):
        icon = ((option or {}).get("toggle") or {}).get("icon")
        # The switch shown while option N is in force (it turns option N + 1 on) bears option N's icon.
        if icon and (rule := _icon_rule(config, f'.trombi-palette[data-trombi-option="{index}"]', icon)):
            rules.append(rule)
    return "\n/* The chrome's icons, written by the build from the site's configuration. */\n" + "\n".join(rules) + "\n" if rules else ""


def _icon_rule(config: MkDocsConfig, selector: str, icon: str) -> str | None:
    try:
        svg = _theme_source(config, f".icons/{icon}.svg").strip()
    except TemplateNotFound:
        log.warning(f"no icon '{icon}' in the theme: {selector} is drawn without one")
        return None
    return f'{selector} {{ --trombi-icon: url("data:image/svg+xml;charset=utf-8,{quote(svg)}"); }}'


def _theme_source(config: MkDocsConfig, name: str) -> str:
    """A file of the theme (``name`` as its templates include it), found by the theme's own template loader."""
    environment = config.theme.get_env()
    assert environment.loader is not None  # MkDocs' theme always loads from its folders
    return environment.loader.get_source(environment, name)[0]


def drop_material_search(config: MkDocsConfig) -> None:
    """Turn Material's search off, even when MkDocs adds it by default: its one JSON file of every page grows with the company."""
    for name in ("material/search", "search"):
        plugin = config.plugins.pop(name, None)
        if plugin is None:
            continue
        for event, methods in config.plugins.events.items():
            config.plugins.events[event] = [m for m in methods if getattr(m, "__self__", None) is not plugin]


# Material's files that nothing in the site reads: lunr and the worker of its own search (turned off,
# see drop_material_search), and the source maps of its minified script and stylesheets, read only
# by a browser's developer tools to show Material's own sources. 2.3 MB of every site.
_UNREAD_THEME_FILES = re.compile(r"assets/javascripts/(?:lunr|workers)/|assets/(?:javascripts|stylesheets)/[^/]+\.map$")


def drop_unread_theme_files(files: Files, config: MkDocsConfig) -> None:
    """Leave out of the site the theme's files that nothing reads (a file of the docs folder stays, whatever its name)."""
    docs = Path(config.docs_dir).resolve()
    for file in list(files):
        if file.abs_src_path and _UNREAD_THEME_FILES.match(file.src_uri) and not Path(file.abs_src_path).resolve().is_relative_to(docs):
            files.remove(file)


def place_pages(pages: list[MkDocsPage], nav: Navigation, shells: dict[str, str]) -> None:
    """Make each page that is not in the navigation a child of its section's index page.

    Material highlights the tab of the navigation's item that is ``active``, and MkDocs makes a
    page's parents active with it while the page is rendered: so the tab over a person's page (or
    over the shell it is poured into) is People, without the navigation listing a page per person.
    A section whose index page is not in the navigation (a site's own ``nav``) leaves its pages
    without a tab. ``shells`` gives the index page of the section of each shell page (by docs path),
    which is its pages' (:func:`generator.site.sitepages.shell_path`).
    """
    indexes = {page.file.src_uri: page for page in nav.pages}
    for page in pages:
        if page.file.src_uri in indexes:
            continue
        path = page.file.src_uri
        section = shells[path] if path in shells else (found.index if (found := section_of(path)) is not None else "")
        index = indexes.get(section)
        if index is not None:
            # MkDocs types a parent as a Section; an index page is its section's head (what
            # Material's navigation.indexes makes of it), and Page has what ``active`` and
            # ``ancestors`` need of a parent.
            page.parent = cast(Section, index)
