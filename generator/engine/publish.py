"""Publishing through MkDocs: with its server (:mod:`generator.engine.serve`), the only module that imports MkDocs.

``hooks/trombi.py`` forwards MkDocs events here; ``trombi build`` calls :func:`build_site`, and
``trombi serve`` runs MkDocs' server over the same events. Everything before (load, validate,
enrich, render) knows nothing of MkDocs, so the generator could move to another engine.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc

from generator.build.features import STYLESHEET
from generator.build.incremental import FILES_DIR, RENDER_DIR, Looked, looking_ahead
from generator.build.plan import SitePlan, plan_site, read_directory
from generator.build.spare import Cleared, clearing, take_in
from generator.build.state import SPARE, STATE_DIR, check_state, stamp
from generator.build.write import SiteNotWritten, ahead_of_mkdocs, bring_ahead, person_folders_ahead, write_site
from generator.directory.perfile import CHECKED_FILE, stop_storing, store_checks
from generator.directory.rules.logins import MISSING as MISSING_LOGIN
from generator.directory.safefs import check_path
from generator.directory.settings import CONFIG_FILE, settings_from_config, site_words
from generator.engine.docsfiles import drop_shells_from_sitemap, generated_file, linked_from, merge_home, nav_paths, strip_front_matter, unsafe_docs
from generator.engine.palette import accessible
from generator.engine.theme import configure, drop_unread_theme_files, icon_css, place_pages
from generator.history.news import FEED_PATH, NEWS_URL
from generator.parallel import InChild, collector_paused
from generator.problems import AS_WRITTEN, N_, Level, Message, Problem, TrombiError, Words, format_text, said
from generator.progress import Reporter, reporter_for
from generator.search.pagefind import DOCUMENTS_DIR
from generator.site.render import Page, Planned, front_matter
from generator.site.sitedir import hold, release, staged, swap, unsafe_target
from generator.site.sitepages import ANCHOR, CONTENT, TITLE, Shell, ShellKey, compact, headings, shell_key, shell_path, shell_top

log = logging.getLogger("mkdocs.plugins.trombi")
# What a person building should hear though it is no warning (why a build starts from nothing): outside
# MkDocs' loggers, so that a strict build does not count it; `trombi build` and `trombi serve` say it.
said_anyway = logging.getLogger("trombi")

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


@dataclass(frozen=True)
class Rendering:
    """MkDocs' part of one build, decided in on_files: the pages it renders, and the shells the others are poured into."""

    pages: dict[str, Page]  # the generated pages MkDocs renders, by docs path
    shell_paths: dict[str, ShellKey]  # docs path of each shell page -> the pages it serves
    to_write: tuple[Planned, ...]  # the pages written in on_post_build, into the shells
    shells: dict[ShellKey, Shell] = field(default_factory=dict)  # each shell as MkDocs rendered it (on_post_page)
    folders: InChild[int] | None = None  # the folders of to_write made and the features' files written meanwhile (generator.build.write.ahead_of_mkdocs)
    ahead: InChild[int] | None = None  # the people's folders made since on_config (generator.build.write.person_folders_ahead)
    cleared: Cleared | None = None  # the files taken from the spare, an earlier site (generator.build.spare)


class TrombiEvents:
    """One build through MkDocs: its events translated into the build's calls (:mod:`generator.build`).

    on_config reads the directory and makes its :class:`SitePlan`; on_files hands MkDocs the pages
    it renders (the navigation's, those hand-written pages link to, one shell per section and
    depth) and the plan's other files; on_post_build writes the rest into the shells.
    """

    def __init__(self) -> None:
        self.reporter = Reporter()  # silent under a plain `mkdocs build`; build_site passes a visible one
        # The directory's warnings are told in MkDocs' log, where a strict `mkdocs build` stops on
        # them; `trombi build` and `trombi serve` print them themselves (log_warnings off), so that
        # a warning fails only `trombi build --strict` (warnings_fail).
        self.log_warnings = True
        self.warnings_fail = False
        self.warnings: list[Problem] = []  # from the last on_config
        self.plan: SitePlan | None = None  # from the last on_config
        self.rendering: Rendering | None = None  # from the last on_files
        self.held: tuple[Path, int] | None = None  # the repository's .trombi/, from on_files to the end of the build
        self.ahead: InChild[int] | None = None  # the people's folders being made, from on_config until on_files hands them to the rendering
        self.spare: InChild[Cleared] | None = None  # the spare being cleared, from on_config until on_files takes it in
        self.looked: InChild[Looked | None] | None = None  # the kept files being looked at, from on_config until the plan takes it
        self.saving: InChild[None] | None = None  # the checks of the files being kept for the next build, from on_config to the build's end
        self.palette_css = ""  # accessible shades of the palette's colours, from on_config

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        settings = settings_from_config(root, dict(config))
        self.plan, self.rendering, self.warnings = None, None, []
        # What an earlier build kept (restored by CI from the last publication) is used only if this
        # Trombi wrote it: checked before anything of it is read. A state that is a link or a file
        # is said by the validation, with every other problem, and before the plan if it was not.
        try:
            dropped, state_checked = check_state(settings.root / STATE_DIR), True
        except TrombiError:
            dropped, state_checked = None, False
        if state_checked:
            # Its kept files and search documents looked at from now on, while the directory is read (generator.build.incremental.looking_ahead).
            self.looked = looking_ahead(settings.root / STATE_DIR, documents=settings.root / DOCUMENTS_DIR, directory_urls=settings.use_directory_urls)
        # The files an earlier build found valid are not parsed again (generator.directory.perfile.StoredChecks).
        stored = store_checks(settings.root / STATE_DIR / CHECKED_FILE, json.dumps(stamp(), sort_keys=True))
        # The site an earlier build replaced, cleared of what this one cannot use from now on (generator.build.spare);
        # else the people's pages' folders, made from now on with what the build leaves of the cores (person_folders_ahead).
        self.spare = clearing(Path(config.site_dir), settings.root / STATE_DIR / RENDER_DIR / FILES_DIR)
        if self.spare is None:
            self.ahead = person_folders_ahead(settings.people_path, Path(config.site_dir), directory_urls=config.use_directory_urls)
        try:
            checked = read_directory(settings, self.reporter)
        except TrombiError as error:
            self.warnings = [p for p in error.problems if p.level is Level.WARNING]
            raise ValidationFailed(error.problems, words=settings.words) from None
        finally:
            stop_storing()
        self.warnings = list(checked.warnings)
        if self.warnings and self.warnings_fail:
            raise ValidationFailed(self.warnings, STRICT_STOP, settings.words)
        if self.log_warnings:
            for problem in self.warnings:
                # A profile without a login is published all the same: who may approve its changes
                # concerns pull requests (trombi validate), and MkDocs in strict mode would stop on a
                # warning that a person without a GitHub account cannot fix.
                (log.info if problem.rule == MISSING_LOGIN else log.warning)(problem.as_text(settings.words))
        looked, self.looked = self.looked, None  # the plan's from now on
        try:
            if not state_checked:  # looked is None then: nothing to end if this raises
                dropped = check_state(settings.root / STATE_DIR)
            self.plan = plan_site(checked, site_url=config.site_url, reporter=self.reporter, dropped=dropped, looked=looked)
        except TrombiError as error:  # the state, or the lunch history of pairings/: a broken file stops the build like a broken profile
            raise ValidationFailed(error.problems, words=settings.words) from None
        if stored is not None:
            # Now that the state is known to be this Trombi's (check_state, above), for the next build: written
            # beside the rest of the build, which waits for it before it ends.
            self.saving = stored.saving()
        for note in self.plan.notes:
            log.info(note)  # info, not a warning: strict builds must pass
        for note in self.plan.state:
            said_anyway.info(note)
        configure(config, self.plan)
        config.extra["trombi_not_found"] = not_found_words(settings.words)  # overrides/404.html
        self.palette_css, shaded = accessible(config)
        for problem in shaded:
            # Said by "trombi", outside MkDocs' count of warnings: a strict build is not stopped by
            # colours the build made readable itself, and `trombi build` shows it as it is.
            logging.getLogger("trombi").warning(problem.as_text(settings.words), extra={"as_is": True})
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """The plan's pages that MkDocs renders, the shells, and the plan's other files, as MkDocs' files.

        Through MkDocs go the pages of the navigation and those hand-written pages link to (so
        that MkDocs checks and rewrites those links), and one shell page per section and folder
        depth, which the other pages are poured into (:mod:`generator.site.sitepages`).
        """
        plan = self._plan()
        refused = unsafe_docs(files, Path(config.docs_dir))
        if refused:
            raise ValidationFailed(refused, words=plan.settings.words)
        self._hold_cache()
        drop_unread_theme_files(files, config)
        home = files.get_file_from_path("index.md")
        intro = strip_front_matter(home.content_string) if home is not None else ""
        if home is not None:
            files.remove(home)
        through_mkdocs = {path for entry in config.nav or [] for path in nav_paths(entry)} | linked_from(files)
        pages: dict[str, Page] = {}
        for planned in plan.pages:
            if planned.path in through_mkdocs:
                page = plan.renderer.render(planned)
                pages[page.path] = page
                body = intro if page.path == "index.md" else ""  # the hand-written home goes under the generated one's title
                files.append(generated_file(config, page.path, front_matter(page.title, toc=page.toc) + body, edit=page.source is None))
        to_write = tuple(planned for planned in plan.pages if planned.path not in through_mkdocs)
        keys = {shell_key(p.path, directory_urls=plan.directory_urls) for p in to_write}
        shell_paths = {shell_path(key, directory_urls=plan.directory_urls): key for key in sorted(keys)}
        for path in shell_paths:
            files.append(generated_file(config, path, front_matter(TITLE, toc=False)))
        contents = {
            # The chrome's icons and readable colours, which only the theme knows.
            static.path: static.content + icon_css(config) + self.palette_css
            if static.path == STYLESHEET and isinstance(static.content, str)
            else static.content
            for static in plan.files
            if static.source is None
        }
        # MkDocs has emptied the site's folder: the spare, or the people's folders made so far, go in,
        # the other pages' folders can be made from now on, and the features' files written.
        ahead, self.ahead = self.ahead, None
        if ahead is not None and not bring_ahead(Path(config.site_dir), ahead):
            ahead = None
        spare, self.spare = self.spare, None
        cleared = None
        if spare is not None:
            written = {file.dest_uri for file in files} | {static.path for static in plan.files} | set(config.theme.static_templates)
            cleared = take_in(Path(config.site_dir), spare, written | {"sitemap.xml.gz"})
        folders = ahead_of_mkdocs(
            to_write, [(path, content or "") for path, content in contents.items()], Path(config.site_dir), directory_urls=plan.directory_urls
        )
        self.rendering = Rendering(pages, shell_paths, to_write, folders=folders, ahead=ahead, cleared=cleared)
        for static in plan.files:
            if static.source is None:
                files.append(generated_file(config, static.path, contents[static.path], apart=folders is not None))
            else:  # copied by MkDocs, which follows links: the plan refused any link under photos/ when it was made
                files.append(generated_file(config, static.path, abs_src_path=str(static.source)))
        # From here MkDocs turns its pages into HTML; the bar moves as pages are written.
        self.reporter.begin("mkdocs", total=len(files.documentation_pages()))
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """Every page outside the navigation under its section's tab (:func:`generator.engine.theme.place_pages`)."""
        shells = {path: section for path, (_, _, section) in self._rendering().shell_paths.items()}
        place_pages([file.page for file in files.documentation_pages() if file.page is not None], nav, shells)
        return nav

    def on_page_content(self, html: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """A generated page's own HTML replaces what MkDocs made of its (empty) Markdown."""
        plan, rendering = self._plan(), self._rendering()
        generated = rendering.pages.get(page.file.src_uri)
        if generated is not None:
            # The table of contents Markdown would have made: the title, with the sections under it
            # when the page shows them (the theme's skip link goes to the first entry).
            found = headings(generated.html)
            sections: list[Any] = [{"level": 2, "id": anchor, "name": text, "children": []} for level, anchor, text in found if level == 2 and generated.toc]
            tokens: list[Any] = [{"level": 1, "id": anchor, "name": text, "children": sections} for level, anchor, text in found[:1] if level == 1]
            page.toc = get_toc(tokens or sections)
            published = plan.documents.publish(page.file.dest_uri, generated.html)
            return merge_home(html, published) if page.file.src_uri == "index.md" and html.strip() else published
        if page.file.src_uri in rendering.shell_paths:
            # One entry, the page's own title: the skip link and the table of contents of the page poured in.
            shell_toc: list[Any] = [{"level": 1, "id": ANCHOR, "name": TITLE, "children": []}]
            page.toc = get_toc(shell_toc)
            return CONTENT
        return html

    def on_post_page(self, output: str, page: MkDocsPage, config: MkDocsConfig) -> str:
        self.reporter.advance()
        # Intranet pages stay out of search engines even if the site is exposed by mistake.
        output = _EMPTY_ANNOUNCEMENT.sub("", _chrome(output), count=1)  # the theme's bar, when there is nothing to announce
        if not page.is_homepage:
            output = _DESCRIPTION.sub("", output, count=1)
        if page.is_homepage or page.url.startswith(NEWS_URL):
            # Feed readers find the what's-new feed from the home page and the news.
            feed = f'<link rel="alternate" type="application/atom+xml" href="{"../" * page.url.count("/")}{FEED_PATH}">'
            output = output.replace("</head>", f"  {feed}\n  </head>", 1)
        rendering = self._rendering()
        key = rendering.shell_paths.get(page.file.src_uri)
        if key is not None or (page.file.src_uri in rendering.pages and not page.is_homepage):
            output = _DIALOG.sub("", output, count=1)  # a page of the directory, written by the generator alone
        if key is not None:
            rendering.shells[key] = Shell.parse(output, page.url)
            return output  # read, then removed from the site
        return compact(output)

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        return compact(_DESCRIPTION.sub("", _chrome(output), count=1)) if template_name.endswith(".html") else output

    def on_post_build(self, config: MkDocsConfig) -> None:
        """The plan's other pages into their shells, the exports and the search indexes (:func:`generator.build.write.write_site`)."""
        try:
            plan, rendering, site_dir = self._plan(), self._rendering(), Path(config.site_dir)
            for path in rendering.shell_paths:
                # The shells have been read; they are not pages of the site.
                shell = site_dir / shell_top(path, directory_urls=plan.directory_urls)
                shutil.rmtree(shell, ignore_errors=True) if shell.is_dir() else shell.unlink(missing_ok=True)
            drop_shells_from_sitemap(site_dir)
            try:
                written = write_site(plan, rendering.to_write, rendering.shells, site_dir, self.reporter, rendering.folders, rendering.cleared)
            except SiteNotWritten as error:
                raise Abort(str(error)) from None
            if rendering.ahead is not None:
                rendering.ahead.result()  # long done: nothing of the build goes on after it
            saving, self.saving = self.saving, None
            if saving is not None:
                saving.result()  # long done too
            if written.note is not None:
                said_anyway.info(said(written.note, plan.settings.words))
            log.info(f"pages: {written.pages - written.kept} rendered, {written.kept} kept from the previous build")
            log.info(f"search: {written.terminal_people} people in the terminal's index ({written.terminal_index}) in {written.terminal_seconds:.1f} s")
            stats = written.pagefind
            kept = f", {stats.reused} kept from the previous build" if stats.reused else ""
            log.info(f"search: Pagefind indexed {stats.pages} pages in {stats.bundles} bundle(s){kept} in {stats.seconds:.1f} s")
        finally:
            self.release_cache()

    def on_build_error(self, error: Exception) -> None:
        self.release_cache()

    def _plan(self) -> SitePlan:
        assert self.plan is not None, "on_config makes the plan"
        return self.plan

    def _rendering(self) -> Rendering:
        assert self.rendering is not None, "on_files decides what MkDocs renders"
        return self.rendering

    def _hold_cache(self) -> None:
        """Take the repository's ``.trombi/`` for this build, waiting for another build of it to end.

        What Pagefind reads is written there page by page over the last build's: `trombi serve`
        and `trombi build` at once would each index the other's half-written documents.
        """
        if self.held is not None:
            return
        settings = self._plan().settings
        cache = settings.root / ".trombi"
        cache.mkdir(exist_ok=True)
        lock = cache / ".build.lock"
        # Not MkDocs' log: a strict build would count waiting as a warning and stop.
        self.held = (lock, hold(lock, cache, lambda message: logging.getLogger("trombi").warning(said(message, settings.words))))

    def release_cache(self) -> None:
        """Let the next build of the repository have ``.trombi/`` (the build ended, or failed); nothing of it goes on."""
        if self.plan is not None:
            self.plan.stop()
        children = [self.ahead, self.spare, self.looked, *((self.rendering.folders, self.rendering.ahead) if self.rendering is not None else ())]
        for child in children:
            if child is not None:
                child.stop()
        self.ahead, self.spare, self.looked = None, None, None
        saving, self.saving = self.saving, None
        if saving is not None:
            # Waited for, not ended: the checks are each file's own, true whatever became of the
            # build. The build has failed, and says why: what the save met (a full disk, a child
            # that was killed) does not take that error's place; the next build saves again.
            with suppress(Exception):
                saving.result()
        if self.held is not None:
            release(*self.held)
            self.held = None


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
    reporter = reporter if reporter is not None else reporter_for()
    target = Path(site_dir).resolve() if site_dir else None
    try:
        with reporter.stage("config"):
            # MkDocs reads the configuration before any hook can look at it: it must not be a link.
            refused = check_path(Path(root), CONFIG_FILE, CONFIG_FILE)
            if refused:
                raise ValidationFailed(refused)
            config = _loaded(Path(root), strict, reporter, warnings, warnings_fail)
        target = target or Path(config.site_dir)
        unsafe = unsafe_target(Path(root), target)
        if unsafe:
            raise TrombiError([Problem(str(target), 1, 1, unsafe, "publish")])
        spare = Path(root).resolve() / STATE_DIR / SPARE
        had_spare = os.path.isdir(spare) and not os.path.islink(spare)
        try:
            _publish(config, target, Path(root), spare, reporter, warnings, take=had_spare)
        except OSError as error:
            if not had_spare:
                raise
            # The site the last build replaced was in the way (a file where a folder goes, a folder
            # that cannot be read): it is dropped, and the site built again from an empty folder.
            words = site_words(Path(root))
            dropped = Message("state: the site the previous build replaced could not be used ({reason}): the site is built anew", reason=str(error.strerror))
            said_anyway.info(said(dropped, words))
            shutil.rmtree(spare, ignore_errors=True)
            config = _loaded(Path(root), strict, reporter, warnings, warnings_fail)  # the first attempt changed it
            _publish(config, target, Path(root), spare, reporter, warnings, take=False)
    except OSError as error:
        where = error.filename or target or root
        message = f"the site was not published: {where}: {error.strerror}; the previous site is unchanged"
        raise TrombiError([Problem(str(target or root), 1, 1, message, "publish")]) from None
    finally:
        reporter.close()
    return target


def _loaded(root: Path, strict: bool, reporter: Reporter, warnings: list[Problem] | None, warnings_fail: bool) -> MkDocsConfig:
    """The configuration at ``root`` as MkDocs loads it, its hook's events reporting to ``reporter`` and told where the warnings go."""
    from mkdocs.config import load_config

    config = load_config(str(root / CONFIG_FILE), strict=strict)
    for events in _events_of(config):
        events.reporter = reporter
        events.log_warnings, events.warnings_fail = warnings is None, warnings_fail
    return config


def _publish(config: MkDocsConfig, target: Path, root: Path, spare: Path, reporter: Reporter, warnings: list[Problem] | None, *, take: bool) -> None:
    """Build ``config``'s site beside ``target`` and swap it in, the old one kept as ``spare``.

    With ``take``, the build starts from the spare (:mod:`generator.build.spare`)."""
    from mkdocs.commands.build import build

    # The language is read only if there is something to say: most builds wait for nobody.
    with staged(target, say=lambda message: log.warning(said(message, site_words(root))), spare=spare if take else None) as staging:
        config.site_dir = str(staging)
        try:
            # What a build reads and plans lives to its end and forms no cycles: at 100,000
            # people, full collections walked it again and again, 20 s of a one-profile merge.
            with collector_paused():
                build(config)
        finally:
            if warnings is not None:
                warnings.extend(w for events in _events_of(config) for w in events.warnings)
        with reporter.stage("write"):
            swap(staging, target, spare=spare)


def _events_of(config: MkDocsConfig) -> list[TrombiEvents]:
    """The hook's event handlers in a loaded configuration (MkDocs keeps hook modules among its plugins)."""
    found = (getattr(plugin, "_events", None) for plugin in config.plugins.values())
    return [events for events in found if isinstance(events, TrombiEvents)]


_EMPTY_ANNOUNCEMENT = re.compile(r'<div data-md-component="announce">\s*</div>')
# The site's description is for search engines and link previews, and every page is kept out of
# search engines: it stays on the home page, the page to share, rather than being paid on every page.
_DESCRIPTION = re.compile(r'<meta name="description" content="[^"]*">')
# Material's dialog says "Copied to clipboard" after its copy buttons (code blocks, data-clipboard-*),
# which the generated pages have none of: they are left without it. Hand-written pages, the home
# page's text among them, keep it.
_DIALOG = re.compile(r'<div class="md-dialog" data-md-component="dialog">\s*<div class="md-dialog__inner md-typeset"></div>\s*</div>')


def not_found_words(words: Words) -> dict[str, str]:
    """What the 404 page says (overrides/404.html), in the site's language."""
    english = {
        "title": N_("Page not found"),
        "text": N_("This page does not exist, or no longer does."),
        "help": N_(
            "If you were looking for someone, this person may have left the company or changed their handle: search for their name, their team or their skills."
        ),
        "search": N_("Search the directory"),
        "placeholder": N_("Search a person, a skill, a team…"),
        "button": N_("Search"),
        "home": N_("Back to the home page"),
    }
    return {key: said(Message(text), words) for key, text in english.items()}


def _chrome(html: str) -> str:
    """A page's chrome as published: kept out of search engines, and valid HTML."""
    return _valid_chrome(html.replace("<head>", f"<head>\n    {_NOINDEX}", 1))


# Material's chrome, made valid HTML (the Nu HTML Checker): `autocomplete` is not an attribute of a
# checkbox (base.html's drawer and search toggles), and the table of contents' title is a label for
# the `__toc` toggle that the navigation writes only beside the current page's entry: a label for
# nothing where the page is not in the navigation.
_TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle" data-md-toggle="\w+" type="checkbox" id="__\w+") autocomplete="off">')
_TOC_TITLE = re.compile(r'<label class="md-nav__title" for="__toc">(.*?)</label>', re.S)


def _valid_chrome(html: str) -> str:
    html = _TOGGLE_AUTOCOMPLETE.sub(r"\1>", html)
    if 'id="__toc"' not in html:
        html = _TOC_TITLE.sub(r'<div class="md-nav__title">\1</div>', html, count=1)
    return html
