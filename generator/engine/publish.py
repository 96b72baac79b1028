"""Publishing through MkDocs: with its server (:mod:`generator.engine.serve`), the only module that imports MkDocs.

``hooks/trombi.py`` forwards MkDocs events here; ``trombi build`` calls :func:`build_site`, and
``trombi serve`` runs MkDocs' server over the same events. Everything before (load, validate,
enrich, render) knows nothing of MkDocs, so the generator could move to another engine.
"""

from __future__ import annotations

import gzip
import logging
import os
import posixpath
import re
import shutil
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import TemplateNotFound
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc

from generator import PACKAGE
from generator.directory.enrich import Org, enrich
from generator.directory.rules.logins import MISSING as MISSING_LOGIN
from generator.directory.safefs import check_path, refused
from generator.directory.settings import CONFIG_FILE, Settings, settings_from_config, site_words
from generator.directory.validate import validate_directory
from generator.history.git import History, read_history
from generator.history.news import FEED_PATH, NEWS_URL, atom_feed, news_items
from generator.i18n import load_language
from generator.interop.exports import site_exports
from generator.network.intro import GRAPH_PATH, intro_graph, intro_script
from generator.network.intro import SCRIPT_PATH as INTRO_SCRIPT
from generator.network.pairing import MonthPairing, pairings_path, read_pairings, site_months
from generator.problems import AS_WRITTEN, Level, Message, Problem, TrombiError, Words, format_text, has_errors, said
from generator.progress import Reporter, reporter_for
from generator.search.pagefind import DOCUMENTS_DIR, Documents, PagefindError, search_files, write_pagefind_index
from generator.site.audit import Count, count_pages, describe, searchable
from generator.site.render import GENERATOR, Page, Planned, Renderer, front_matter, page_file
from generator.site.sitedir import hold, release, staged, swap, unsafe_target
from generator.site.sitepages import ANCHOR, CONTENT, SHELL_NAME, TITLE, Shell, ShellKey, compact, headings, shell_key, shell_path, write_pages

log = logging.getLogger("mkdocs.plugins.trombi")

ASSETS = PACKAGE / "assets"
OVERRIDES = PACKAGE / "overrides"
SEARCH_SCRIPT = "assets/search.js"
# Scripts of the theme rendered by MkDocs from overrides/assets/: what every page needs, once for the site.
SCOPE_SCRIPT = "assets/scope.js"  # see overrides/partials/javascripts/base.html
PALETTE_SCRIPT = "assets/palette.js"  # see overrides/partials/header.html
TOP_SCRIPT = "assets/top.js"  # see overrides/partials/top.html
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "admonition", "toc")
_NOINDEX = '<meta name="robots" content="noindex, nofollow">'


# What MkDocs raises when it stops a build (its strict mode, a configuration error, a plugin's):
# its message says why, for the command to print.
BuildStopped = MkDocsException


NOTHING_BUILT = Message("The directory has errors; nothing was built.")
STRICT_STOP = Message("The directory has warnings and the build is strict (--strict); nothing was built.")


class ValidationFailed(Abort):
    """The directory has errors (or warnings, in a build that fails on them): nothing is built, the problems say where."""

    def __init__(self, problems: list[Problem], reason: Message = NOTHING_BUILT, words: Words = AS_WRITTEN) -> None:
        self.problems = problems
        self.reason = reason
        super().__init__(said(reason, words) + "\n" + format_text(problems, words))


class TrombiEvents:
    """State of one build: MkDocs calls the hook's functions, which call these methods."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.org: Org | None = None
        self.history = History()
        self.pairings: dict[str, list[tuple[str, ...]]] = {}
        self.data_mtime: float | None = None
        self.reporter = Reporter()  # silent under a plain `mkdocs build`; build_site passes a visible one
        # The directory's warnings, from the last on_config. MkDocs' log tells them, where a strict
        # `mkdocs build` stops on them; `trombi build` and `trombi serve` print them themselves
        # (log_warnings off), so that a warning fails only `trombi build --strict` (warnings_fail).
        self.warnings: list[Problem] = []
        self.log_warnings = True
        self.warnings_fail = False
        # Set by on_files: what is rendered and how (see generator.site.sitepages).
        self.renderer: Renderer | None = None
        self.directory_urls = True
        self.plan: list[Planned] = []  # the pages written in on_post_build
        self.pages: dict[str, Page] = {}  # the pages MkDocs builds, by docs path
        self.shell_paths: dict[str, ShellKey] = {}  # docs path of each shell page -> the pages it serves
        self.shells: dict[ShellKey, Shell] = {}
        self.documents: Documents | None = None  # what Pagefind reads, written with the pages
        self.held: tuple[Path, int] | None = None  # the repository's .trombi/, from on_files to the end of the build

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        settings = settings_from_config(root, dict(config))
        from generator.search.index import data_mtime

        # Taken before reading: a file saved during the build leaves the search index stale, not wrong.
        self.data_mtime = data_mtime(settings)
        directory, problems = validate_directory(settings, reporter=self.reporter)
        self.warnings = [p for p in problems if p.level is Level.WARNING]
        if has_errors(problems):
            raise ValidationFailed(problems, words=settings.words)  # the warnings too: the whole list, as `trombi validate` gives it
        if self.warnings and self.warnings_fail:
            raise ValidationFailed(self.warnings, STRICT_STOP, settings.words)
        if self.log_warnings:
            for problem in self.warnings:
                # A profile without a login is published all the same: who may approve its changes
                # concerns pull requests (trombi validate), and MkDocs in strict mode would stop on a
                # warning that a person without a GitHub account cannot fix.
                (log.info if problem.rule == MISSING_LOGIN else log.warning)(problem.as_text(settings.words))
        self.settings = settings
        with self.reporter.stage("enrich"):
            self.org = enrich(directory)
        with self.reporter.stage("history"):
            # Cached next to the search index: a rebuild (serve, the next CI run) reads only new commits.
            self.history = read_history(settings, days=settings.news_days, cache_dir=settings.root / ".trombi")
        # --- networking: the lunch history of pairings/; a broken file stops the build like a broken profile.
        try:
            self.pairings = read_pairings(settings)
        except TrombiError as error:
            raise ValidationFailed(error.problems, words=settings.words) from None
        if pairings_path(settings).is_dir() and str(pairings_path(settings)) not in config.watch:
            config.watch.append(str(pairings_path(settings)))
        # --- end networking
        for note in self.history.notes:
            # Info, not a warning: a build outside git (an export, a tarball) is legitimate and strict builds must pass.
            log.info(f"history: {note}")
        for extension in REQUIRED_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        config.extra_css.insert(0, "assets/trombi.css")
        # --- search: Pagefind (on_post_build) and the header box of overrides/ replace Material's search.
        _drop_material_search(config)
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
        config.theme.static_templates.add(SCOPE_SCRIPT)
        if isinstance(config.theme.get("palette"), list):
            config.theme.static_templates.add(PALETTE_SCRIPT)
        if "navigation.top" in (config.theme.get("features") or []):
            config.theme.static_templates.add(TOP_SCRIPT)
        config.extra_javascript.append(SEARCH_SCRIPT)
        # --- end search
        config.extra_javascript.append(INTRO_SCRIPT)  # person pages: who can introduce you (written in _network_files)
        if not config.nav:
            config.nav = self._nav(Path(config.docs_dir))
        for path in (settings.people_path, settings.groups_path, settings.skills_path, settings.photos_path):
            if path.exists() and str(path) not in config.watch:
                config.watch.append(str(path))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Every generated page is planned here; a few go through MkDocs, the rest is written in on_post_build.

        Through MkDocs go the pages of the navigation and those hand-written pages link to (so
        that MkDocs checks and rewrites those links), and one shell page per section and folder
        depth, which the other pages are poured into (:mod:`generator.site.sitepages`).
        """
        assert self.org is not None and self.settings is not None
        refused = _unsafe_docs(files, Path(config.docs_dir))
        if refused:
            raise ValidationFailed(refused, words=self.settings.words)
        self._hold_cache()
        self.reporter.begin("exports")  # ended by the next stage, MkDocs' own pages
        home = files.get_file_from_path("index.md")
        intro = _strip_front_matter(home.content_string) if home is not None else ""
        if home is not None:
            files.remove(home)
        # One date and one draw of this month's lunch pairs, for the lunch pages and their invitations.
        today = date.today()
        lunches = site_months(self.org, self.pairings, today)
        self.renderer = Renderer(self.org, today=today, history=self.history, lunches=lunches)
        self.directory_urls = bool(config.use_directory_urls)
        # Written over by this build; what is left of people who have gone is removed before indexing.
        self.documents = Documents(self.settings.root / DOCUMENTS_DIR, self.settings.language)
        through_mkdocs = {path for entry in config.nav or [] for path in _nav_paths(entry)} | _linked_from(files)
        self.plan = []
        self.pages = {}
        for planned in self.renderer.plan():
            if planned.path not in through_mkdocs:
                self.plan.append(planned)
                continue
            page = self.renderer.render(planned)
            self.pages[page.path] = page
            body = intro if page.path == "index.md" else ""  # the hand-written home goes under the generated one's title
            files.append(self._generated(config, page.path, front_matter(page.title, toc=page.toc) + body, edit=page.source is None))
        self.shells = {}
        keys = {shell_key(p.path, directory_urls=self.directory_urls) for p in self.plan}
        self.shell_paths = {shell_path(key, directory_urls=self.directory_urls): key for key in sorted(keys)}
        for path in self.shell_paths:
            files.append(self._generated(config, path, front_matter(TITLE, toc=False)))
        for relative in sorted({p.photo for p in self.org.people.values() if p.photo and not p.photo.startswith("https://")}):
            source = self.settings.root / relative
            # Copied by MkDocs, which follows links: validation refused any link under photos/, this refuses one made since.
            if source.is_file() and not check_path(self.settings.root, relative, relative):
                files.append(self._generated(config, relative, abs_src_path=str(source)))
        files.append(self._feed(config))
        # --- networking: calendars (.ics) of groups and lunches, the silo map picture; copied as they are.
        for path, content in self._network_files(config, lunches, today):
            files.append(self._generated(config, path, content))
        # --- end networking
        # One stylesheet: the directory's look, the search box's (on every page too), the chrome's icons.
        style = "\n".join((ASSETS / name).read_text(encoding="utf-8") for name in ("trombi.css", "search.css")) + icon_css(config)
        files.append(self._generated(config, "assets/trombi.css", style))
        # --- search: the script and the vocabulary it suggests from.
        files.append(self._generated(config, SEARCH_SCRIPT, abs_src_path=str(ASSETS / Path(SEARCH_SCRIPT).name)))
        for relative, text in search_files(self.org, load_language(self.settings.language), directory_urls=self.directory_urls).items():
            files.append(self._generated(config, relative, text))
        # --- end search
        # From here MkDocs turns its pages into HTML; the bar moves as pages are written.
        self.reporter.begin("mkdocs", total=len(files.documentation_pages()))
        return files

    def on_page_content(self, html: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """A generated page's own HTML replaces what MkDocs made of its (empty) Markdown."""
        generated = self.pages.get(page.file.src_uri)
        if generated is not None:
            # The table of contents Markdown would have made: the title, with the sections under it
            # when the page shows them (the theme's skip link goes to the first entry).
            found = headings(generated.html)
            sections: list[Any] = [{"level": 2, "id": anchor, "name": text, "children": []} for level, anchor, text in found if level == 2 and generated.toc]
            tokens: list[Any] = [{"level": 1, "id": anchor, "name": text, "children": sections} for level, anchor, text in found[:1] if level == 1]
            page.toc = get_toc(tokens or sections)
            assert self.documents is not None
            published = self.documents.publish(page.file.dest_uri, generated.html)
            return _merge_home(html, published) if page.file.src_uri == "index.md" and html.strip() else published
        if page.file.src_uri in self.shell_paths:
            # One entry, the page's own title: the skip link and the table of contents of the page poured in.
            shell_toc: list[Any] = [{"level": 1, "id": ANCHOR, "name": TITLE, "children": []}]
            page.toc = get_toc(shell_toc)
            return CONTENT
        return html

    def _hold_cache(self) -> None:
        """Take the repository's ``.trombi/`` for this build, waiting for another build of it to end.

        What Pagefind reads is written there page by page over the last build's: `trombi serve`
        and `trombi build` at once would each index the other's half-written documents.
        """
        assert self.settings is not None
        if self.held is not None:
            return
        words = self.settings.words
        cache = self.settings.root / ".trombi"
        cache.mkdir(exist_ok=True)
        lock = cache / ".build.lock"
        # Not MkDocs' log: a strict build would count waiting as a warning and stop.
        self.held = (lock, hold(lock, cache, lambda message: logging.getLogger("trombi").warning(said(message, words))))

    def release_cache(self) -> None:
        """Let the next build of the repository have ``.trombi/`` (the build ended, or failed)."""
        if self.held is not None:
            release(*self.held)
            self.held = None

    def on_build_error(self, error: Exception) -> None:
        self.release_cache()

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Search indexes: Pagefind's inside the site, Whoosh's (for ``trombi search``) next to it."""
        try:
            self._post_build(config)
        finally:
            self.release_cache()

    def _post_build(self, config: MkDocsConfig) -> None:
        assert self.org is not None and self.settings is not None and self.renderer is not None and self.documents is not None
        from generator.search.index import index_path, write_index

        org, settings, site_dir = self.org, self.settings, Path(config.site_dir)
        for section in {section for section, _ in self.shell_paths.values()}:
            # The shells have been read; they are not pages of the site.
            shutil.rmtree(site_dir / section / SHELL_NAME, ignore_errors=True)
            (site_dir / section / f"{SHELL_NAME}.html").unlink(missing_ok=True)
        _drop_shells_from_sitemap(site_dir)
        self.reporter.begin("render", total=len(self.plan))

        def meanwhile() -> tuple[int, float]:
            # While workers write the pages, this process writes the exports (each person's JSON and
            # vCard, the JSON listing), then Whoosh's index for `trombi search`: in one process, as
            # the workers hold the cores and every process more is memory (the build's peak at
            # 100,000 people).
            folders: set[Path] = set()
            for path, text in site_exports(org, config.site_url):
                target = site_dir / path
                if target.parent not in folders:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    folders.add(target.parent)
                target.write_text(text, encoding="utf-8")
            started = time.perf_counter()
            return write_index(org, index_path(settings), mtime=self.data_mtime, processes=1), time.perf_counter() - started

        _, (count, seconds) = write_pages(
            self.renderer,
            self.plan,
            self.shells,
            site_dir,
            directory_urls=self.directory_urls,
            documents=self.documents,
            progress=self.reporter.advance,
            meanwhile=meanwhile,
        )
        log.info(f"search: {count} people in the terminal's index ({index_path(settings)}) in {seconds:.1f} s")
        self.reporter.begin("search indexes")
        try:
            searched = [page_file(f"people/{handle}.md", directory_urls=self.directory_urls) for handle in org.listed(list(org.people))]
            self.documents.keep_only(searched)
            stats = write_pagefind_index(self.documents.folder, site_dir, searched)
        except PagefindError as error:
            raise Abort(f"Search index: {error}") from None
        log.info(f"search: Pagefind indexed {stats.pages} pages in {stats.bundles} bundle(s) in {stats.seconds:.1f} s")
        # Nothing lost: N people, groups and skills in means N pages and N search records out.
        written = (p.relative_to(site_dir).as_posix() for section in ("people", "groups", "skills") for p in (site_dir / section).rglob("*.html"))
        records = searchable(self.org)
        pages = count_pages(self.org, written, directory_urls=self.directory_urls)
        lost = describe([*pages, Count("Pagefind records", records, stats.pages), Count("terminal search records", records, count)])
        if lost:
            raise Abort("The built site is incomplete, so it was not published:\n" + "\n".join(lost))
        self.reporter.end()

    def on_post_page(self, output: str, page: MkDocsPage, config: MkDocsConfig) -> str:
        self.reporter.advance()
        # Intranet pages stay out of search engines even if the site is exposed by mistake.
        output = _EMPTY_ANNOUNCEMENT.sub("", _noindex(output), count=1)  # the theme's bar, when there is nothing to announce
        if page.is_homepage or page.url.startswith(NEWS_URL):
            # Feed readers find the what's-new feed from the home page and the news.
            feed = f'<link rel="alternate" type="application/atom+xml" href="{"../" * page.url.count("/")}{FEED_PATH}">'
            output = output.replace("</head>", f"  {feed}\n  </head>", 1)
        key = self.shell_paths.get(page.file.src_uri)
        if key is not None:
            self.shells[key] = Shell.parse(output, page.url)
            return output  # read, then removed from the site
        return compact(output)

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        return compact(_noindex(output)) if template_name.endswith(".html") else output

    def _network_files(self, config: MkDocsConfig, months: list[MonthPairing], today: date) -> list[tuple[str, str | bytes]]:
        from generator.network.silo import SILO_SVG_PATH, silo_picture
        from generator.site.ics import site_calendars

        assert self.org is not None and self.settings is not None
        language = load_language(self.settings.language)
        found: list[tuple[str, str | bytes]] = list(site_calendars(self.org, months, today=today, language=language, site_url=config.site_url))
        found.append((SILO_SVG_PATH, silo_picture(self.org, months, language)))
        found.append((GRAPH_PATH, intro_graph(self.org, language)))
        found.append((INTRO_SCRIPT, intro_script(language)))
        return found

    def _generated(self, config: MkDocsConfig, path: str, content: str | bytes | None = None, *, abs_src_path: str | None = None, edit: bool = True) -> File:
        """A file of the site that comes from the directory, not from docs/."""
        if abs_src_path is not None:
            file = File.generated(config, path, abs_src_path=abs_src_path)
        else:
            inclusion = InclusionLevel.NOT_IN_NAV if path.endswith(".md") else InclusionLevel.UNDEFINED
            file = File.generated(config, path, content=content or "", inclusion=inclusion)
        file.generated_by = GENERATOR
        if not edit:
            file.edit_uri = None  # pages link to their YAML file themselves
        return file

    def _feed(self, config: MkDocsConfig) -> File:
        """The Atom feed of what's new, a static file next to the pages."""
        assert self.org is not None and self.settings is not None
        language = load_language(self.settings.language)
        if not config.site_url and self.history.events:
            log.info("history: site_url is not set in mkdocs.yml, so the Atom feed has relative links and tag: ids")
        title = self.settings.site_name + " — " + language.gettext("What's new")
        authority = urlsplit(self.settings.repo_url or "").hostname
        items = news_items(self.history, self.org, language)
        text = atom_feed(items, title=title, site_url=config.site_url, language=language, authority=authority)
        return self._generated(config, FEED_PATH, text)

    def _nav(self, docs_dir: Path) -> list[str | dict[str, str]]:
        """The sections' index pages, then the hand-written pages of docs/ (not the generated ones)."""
        assert self.settings is not None
        words = load_language(self.settings.language)
        nav: list[str | dict[str, str]] = [
            {words.gettext("Home"): "index.md"},
            {words.gettext("People"): "people/index.md"},
            {words.gettext("Skills"): "skills/index.md"},
            {words.gettext("Groups"): "groups/index.md"},
            {words.gettext("Organisation"): "org/index.md"},
            {words.gettext("What's new"): "news/index.md"},
            {words.gettext("Lunches"): "lunch/index.md"},
        ]
        generated = {"index.md", "people", "skills", "groups", "org", "news", "lunch", "network", "search.md", "assets"}
        if docs_dir.is_dir():
            nav += sorted(p.name for p in docs_dir.glob("*.md") if p.name not in generated)
        return nav


def build_site(
    root: Path,
    site_dir: Path | None = None,
    *,
    strict: bool = True,
    reporter: Reporter | None = None,
    warnings: list[Problem] | None = None,
    warnings_fail: bool = False,
) -> Path:
    """Build the site of the directory at ``root``; replace ``site_dir`` only if all went well.

    The site is built beside ``site_dir`` and swapped in at once, one build at a time
    (:mod:`generator.site.sitedir`): at every instant ``site_dir`` holds a whole site, the old or the
    new. A folder that cannot be written (read-only, full) raises :class:`TrombiError` saying
    so, and leaves nothing behind.

    Progress goes to ``reporter``, by default bars on a terminal and one line per stage elsewhere
    (:func:`generator.progress.reporter_for`); its ``timings`` hold every stage's time afterwards.
    ``strict`` is MkDocs' own (a broken link fails the build). The directory's warnings go into
    ``warnings`` when it is given, else into MkDocs' log; they fail the build with ``warnings_fail``.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    reporter = reporter if reporter is not None else reporter_for()
    target = Path(site_dir).resolve() if site_dir else None
    try:
        with reporter.stage("config"):
            # MkDocs reads the configuration before any hook can look at it: it must not be a link.
            refused = check_path(Path(root), CONFIG_FILE, CONFIG_FILE)
            if refused:
                raise ValidationFailed(refused)
            config = load_config(str(Path(root) / CONFIG_FILE), strict=strict)
        for events in _events_of(config):
            events.reporter = reporter
            events.log_warnings, events.warnings_fail = warnings is None, warnings_fail
        target = target or Path(config.site_dir)
        unsafe = unsafe_target(Path(root), target)
        if unsafe:
            raise TrombiError([Problem(str(target), 1, 1, unsafe, "publish")])
        # The language is read only if there is something to say: most builds wait for nobody.
        with staged(target, say=lambda message: log.warning(said(message, site_words(Path(root))))) as staging:
            config.site_dir = str(staging)
            try:
                build(config)
            finally:
                if warnings is not None:
                    warnings.extend(w for events in _events_of(config) for w in events.warnings)
            with reporter.stage("write"):
                swap(staging, target)
    except OSError as error:
        where = error.filename or target or root
        message = f"the site was not published: {where}: {error.strerror}; the previous site is unchanged"
        raise TrombiError([Problem(str(target or root), 1, 1, message, "publish")]) from None
    finally:
        reporter.close()
    return target


def _events_of(config: MkDocsConfig) -> list[TrombiEvents]:
    """The hook's event handlers in a loaded configuration (MkDocs keeps hook modules among its plugins)."""
    found = (getattr(plugin, "_events", None) for plugin in config.plugins.values())
    return [events for events in found if isinstance(events, TrombiEvents)]


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
        # The label of option N switches to option N + 1: it is found by what it points to.
        if icon and (rule := _icon_rule(config, f'.trombi-palette[for="__palette_{(index + 1) % len(options)}"]', icon)):
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


def _unsafe_docs(files: Files, docs_dir: Path) -> list[Problem]:
    """Links and special files among the pages MkDocs collected from docs/, which it would copy or read through.

    Validation refused them already (``generator.directory.validate``); this is the list MkDocs will
    actually read, checked again as it stands, so a link made since is not followed either.
    """
    problems = []
    for file in files:
        if file.generated_by is not None or file.abs_src_path is None:
            continue
        try:
            mode = os.lstat(file.abs_src_path).st_mode
            relative = Path(file.abs_src_path).relative_to(docs_dir)
        except (OSError, ValueError):
            continue  # not one of docs/ (the theme's own files)
        shown = f"{docs_dir.name}/{relative.as_posix()}"
        why = refused(shown, mode)
        if why is not None:
            problems.append(Problem(shown, 1, 1, *why))
    return problems


def _drop_material_search(config: MkDocsConfig) -> None:
    """Turn Material's search off, even when MkDocs adds it by default: its one JSON file of every page grows with the company."""
    for name in ("material/search", "search"):
        plugin = config.plugins.pop(name, None)
        if plugin is None:
            continue
        for event, methods in config.plugins.events.items():
            config.plugins.events[event] = [m for m in methods if getattr(m, "__self__", None) is not plugin]


def _nav_paths(entry: object) -> Iterator[str]:
    """The docs paths of a navigation entry and its children."""
    if isinstance(entry, str):
        yield entry
    elif isinstance(entry, dict):
        for value in entry.values():
            yield from _nav_paths(value)
    elif isinstance(entry, list):
        for item in entry:
            yield from _nav_paths(item)


_MD_LINK = re.compile(r"""\]\(\s*<?([^)\s>#]+\.md)\b|href=["']([^"'#]+\.md)\b""")


def _linked_from(files: Files) -> set[str]:
    """Docs paths that hand-written pages link to, so that those pages go through MkDocs' link checks."""
    found: set[str] = set()
    for file in files.documentation_pages():
        if file.generated_by is not None or file.abs_src_path is None:
            continue
        here = posixpath.dirname(file.src_uri)
        for match in _MD_LINK.finditer(file.content_string):
            target = match.group(1) or match.group(2)
            if "://" not in target:
                # "/x.md" is from the docs folder, "x.md" from the page's own folder.
                found.add(posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(here, target)))
    return found


def _drop_shells_from_sitemap(site_dir: Path) -> None:
    """MkDocs listed the shell pages in its sitemap; they are not pages of the site."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = re.sub(r"\s*<url>(?:(?!</url>).)*" + SHELL_NAME + r".*?</url>", "", sitemap.read_text(encoding="utf-8"), flags=re.DOTALL)
    sitemap.write_text(text, encoding="utf-8")
    with gzip.GzipFile(site_dir / "sitemap.xml.gz", "wb", mtime=0) as packed:
        packed.write(text.encode("utf-8"))


_EMPTY_ANNOUNCEMENT = re.compile(r'<div data-md-component="announce">\s*</div>')


def _noindex(html: str) -> str:
    return html.replace("<head>", f"<head>\n    {_NOINDEX}", 1)


def _merge_home(intro: str, generated: str) -> str:
    """The HTML of a hand-written docs/index.md goes right under the generated home's title."""
    end = generated.find("</h1>")
    if end < 0:
        return f"{intro}\n{generated}"
    end += len("</h1>")
    return f"{generated[:end]}\n{intro}\n{generated[end:]}"


def _strip_front_matter(text: str) -> str:
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end >= 0:
            return text[end + 4 :].lstrip("\n")
    return text
