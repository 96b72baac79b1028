"""``trombi serve``: MkDocs' live-reload server, honest about a directory that does not build.

MkDocs' own ``serve`` stops at a first build that fails, and after a failed rebuild leaves every
request waiting for a site that never comes. Here a failed build is a state of the server: what
stopped it is told (``say``) and shown instead of every page, a page that reloads by itself once
the files are fixed. The address is bound before the first build, so that a port in use is said
at once, and told as soon as the server listens.

MkDocs' own ``serve`` also holds every request while it rebuilds, in the folder it serves. Here
each build has a folder of its own and is served once whole: after the first, nobody waits for a
rebuild. And the pages of the profiles and groups just saved are shown first, in the served site,
before the rebuild (:mod:`generator.engine.preview`): at 10,000 people, in about a second where
the rebuild takes half a minute.

This module leans on :class:`mkdocs.livereload.LiveReloadServer`'s private epochs (the version
of the site being built and the one shown) and watches; ``tests/test_serve.py`` fails if they change.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import mkdocs.livereload
import watchdog.events
import watchdog.observers
from markupsafe import Markup, escape
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer, _serve_url, _timestamp

from generator.directory.perfile import remember_files
from generator.directory.settings import load_settings, site_words
from generator.engine.preview import Shown
from generator.engine.preview import preview as write_preview
from generator.engine.publish import NOTHING_BUILT, ValidationFailed, _events_of
from generator.i18n import Language, load_language
from generator.parallel import InChild, collector_paused
from generator.problems import Level, Message, Problem, TrombiError, format_text, said, some_of

Say = Callable[[str], None]


class ServeError(Exception):
    """The server cannot start (its address cannot be bound); the message says what to do."""


@dataclass(frozen=True)
class Failure:
    """Why the site is not there: the directory's problems, or what stopped the build."""

    reason: str  # in the site's language
    problems: tuple[Problem, ...] = ()


class _Handler(mkdocs.livereload._Handler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if str(code) != "503":  # the page saying why the site is not there: its problems were said already
            super().log_request(code, size)  # type: ignore[no-untyped-call]


_CHANGES = frozenset(
    (
        watchdog.events.EVENT_TYPE_CREATED,
        watchdog.events.EVENT_TYPE_MODIFIED,
        watchdog.events.EVENT_TYPE_MOVED,
        watchdog.events.EVENT_TYPE_DELETED,
        watchdog.events.EVENT_TYPE_CLOSED,  # after writing
    )
)


class DirectoryServer(LiveReloadServer):
    """Serves the last build that ended, or while it failed, a page saying why on every address.

    Each build is made in a folder of its own (:attr:`sites`, in turn) and served once whole:
    nobody waits for a rebuild, which at 10,000 people takes half a minute, nor sees half of one.
    Only the first build is waited for. Before a rebuild, the pages of the files saved are
    written into the served site (:attr:`preview`, :mod:`generator.engine.preview`).
    """

    failure: Failure | None = None
    language: Language = load_language("en")

    def __init__(self, build: Callable[[Path], bool], host: str, port: int, sites: tuple[Path, Path], *, poll: bool = False) -> None:
        super().__init__(builder=self.rebuild, host=host, port=port, root=str(sites[0]))
        self.RequestHandlerClass = _Handler
        if not poll:
            # The system's own notices (inotify on Linux) where MkDocs polls: polling stats every
            # file twice a second, and while a rebuild holds the interpreter, a save of 10,000
            # profiles' folder was heard seconds late. Polling (--poll) is for the file systems that
            # send no notices: some network shares and containers' mounted folders.
            self.observer = watchdog.observers.Observer()  # type: ignore[assignment]  # MkDocs types it as its PollingObserver
        self.build_into = build  # builds the site into the folder given: True if it did, else self.failure says why
        self.sites = sites
        # Writes the pages of the files saved into the served site: True if it wrote any.
        self.preview: Callable[[set[Path], Path], bool] = lambda changed, site: False
        # Under _rebuild_cond: the files saved and not yet shown, those saved since the running build began, and whether another is wanted.
        self.changed: set[Path] = set()
        self.unbuilt: set[Path] = set()
        self._build_wanted = False
        self._served = threading.Lock()  # the served folder, and what its pages are previewed from

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """Rebuild when a file changes under ``path``, and remember which (MkDocs' own watch says only that one did)."""
        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1
        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = self._heard  # type: ignore[method-assign]
        self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

    def _heard(self, event: watchdog.events.FileSystemEvent) -> None:
        # The system's notices also tell of files opened and read (each build reads them all):
        # only a file written, made, moved or removed is a change.
        if event.is_directory or event.event_type not in _CHANGES:
            return
        with self._rebuild_cond:
            for path in (event.src_path, getattr(event, "dest_path", "")):
                if path:
                    self.changed.add(Path(os.fsdecode(path)))
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def listen(self) -> None:
        """Bind and listen; :class:`ServeError` says why when the address cannot be had."""
        host, port = str(self.server_address[0]), int(self.server_address[1])
        try:
            self.server_bind()
            self.server_activate()
        except OSError as error:
            self.server_close()
            if error.errno == errno.EADDRINUSE:
                message = Message(
                    "port {port} is in use: stop the other server or choose another with --port / make serve PORT={next}", port=port, next=port + 1
                )
            else:
                why = error.strerror or str(error)
                message = Message("cannot listen on {host}:{port} ({why}): choose another address with --host and --port", host=host, port=port, why=why)
            raise ServeError(message.said(self.language)) from None

    def run(self) -> None:
        """Serve while the first build runs (requests wait for it), then rebuild on every change.

        The builds run here, in the main thread, where Ctrl-C stops them; the files saved are
        heard, and their pages shown, by a thread of their own, during a rebuild too.
        """
        with self._epoch_cond:
            self._wanted_epoch = _timestamp()  # ahead of the shown one: requests wait (_serve_request)
        self.serve_thread.start()
        if self._watched_paths:
            # Before the first build, not after it: a file saved while it runs is seen, and rebuilt.
            self.observer.start()
        threading.Thread(target=self._previews, name="trombi-previews", daemon=True).start()
        self.rebuild()
        while True:
            with self._rebuild_cond:
                while not self._rebuild_cond.wait_for(lambda: self._build_wanted or self._shutdown, timeout=self.shutdown_delay):
                    pass  # a timeout now and then, so that Ctrl-C is heard
                if self._shutdown:
                    return
                self._build_wanted = False
                self.unbuilt.clear()  # the build reads them from here on
            self.rebuild()

    def rebuild(self) -> None:
        """Build into the folder not served, and serve it if the build ended; either way, the browsers reload.

        The files saved while it ran are not in it: their pages are shown again in the new site.
        """
        served = Path(self.root)
        folder = self.sites[1] if served == self.sites[0] else self.sites[0]
        built = self.build_into(folder)
        with self._served:
            with self._rebuild_cond:
                unbuilt = set(self.unbuilt)
            if built and self.failure is None and unbuilt:
                self.preview(unbuilt, folder)
            self.show(folder if built else served)

    def show(self, folder: Path) -> None:
        """Serve ``folder`` from now on, and have the browsers reload (MkDocs' script asks for a newer epoch)."""
        with self._epoch_cond:
            self.root = str(folder)
            self._visible_epoch = self._wanted_epoch = max(_timestamp(), self._visible_epoch + 1)
            self._epoch_cond.notify_all()

    def _previews(self) -> None:
        """For each batch of files saved: their pages into the served site, then a rebuild wanted."""
        while True:
            with self._rebuild_cond:
                self._rebuild_cond.wait_for(lambda: self._want_rebuild or self._shutdown)
                if self._shutdown:
                    return
                while self._rebuild_cond.wait(timeout=self.build_delay):
                    pass  # until the files stop changing
                self._want_rebuild = False
                changed, self.changed = self.changed, set()
                self.unbuilt |= changed  # now, so that a build ending meanwhile shows them again
            with self._served:
                served = Path(self.root)
                if self.failure is None and self.preview(changed, served):
                    self.show(served)
            with self._rebuild_cond:
                self._build_wanted = True
                self._rebuild_cond.notify_all()

    def _serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes] | None:
        path = environ["PATH_INFO"]
        if not path.startswith("/livereload/"):
            with self._epoch_cond:
                # Only the first build is waited for: no verdict before it, nor a site.
                self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
                epoch, failure = self._visible_epoch, self.failure
            if failure is not None:
                # With MkDocs' reload script, as its pages: the browser reloads when the site is back.
                page: bytes = self._inject_js_into_html(failure_page(failure, self.language).encode("utf-8"), epoch)  # type: ignore[no-untyped-call]
                headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page))), ("Cache-Control", "no-store")]
                start_response("503 Service Unavailable", headers)
                return [page]
        return super()._serve_request(environ, start_response)


def serve_directory(root: Path, host: str, port: int, say: Say, *, poll: bool = False) -> None:
    """Serve the directory at ``root`` on ``host:port`` until interrupted, rebuilding as files change.

    ``say`` receives what a person watching the terminal needs: the address, the directory's
    problems at each build (as ``trombi validate`` lists them), what stopped a build, and the
    pages shown ahead of a rebuild. ``poll``: look for changes by reading the folders twice a
    second, where the file system sends no notice of them.
    """
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        message = Message("no {file}: run trombi serve in the directory's repository, or name it with --root", file=config_file)
        raise ServeError(message.said(site_words(root)))
    sites = Path(tempfile.mkdtemp(prefix="trombi-serve-"))
    serve_url = _serve_url(host, port, "/")
    remember_files()  # a rebuild reads again only the files saved since the last one
    shown: Shown | None = None  # what the served build previews pages from

    def get_config(site_dir: Path) -> MkDocsConfig:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir))
        config.site_url = serve_url
        for events in _events_of(config):
            events.log_warnings = False  # said here, with the errors, rather than in MkDocs' log
        return config

    def build_into(site_dir: Path) -> bool:
        nonlocal shown
        server.language = site_words(root)  # mkdocs.yml may have changed it
        failure, config = _build_once(lambda: get_config(site_dir), serve_url, say, server.language)
        if failure is None and server.failure is not None:
            say(Message("The directory builds again: the site is back.").said(server.language))
        server.failure = failure
        shown = None
        for events in _events_of(config) if failure is None and config is not None else ():
            if events.plan is not None and events.rendering is not None:
                shown = Shown.of(events.plan, events.rendering.shells)
        return failure is None

    def preview(changed: set[Path], site_dir: Path) -> bool:
        if shown is None or not changed:
            return False
        started = time.monotonic()
        # In a forked child: this process is busy with a rebuild as often as not, and its threads share one interpreter lock.
        try:
            written, bug = InChild(partial(_preview_or_bug, shown, changed, site_dir), frozen=False).result()
        except RuntimeError as error:  # the child ended without an answer
            written, bug = [], str(error)
        if bug:  # a bug must not stop the server, nor the rebuild that follows; its traceback is said in full
            say(bug)
            return False
        if written:
            seconds = server.language.decimal(time.monotonic() - started)
            message = Message("Shown in {seconds} s: {pages}; the rest of the site follows.", pages=some_of(written), seconds=seconds)
            say(message.said(server.language))
        return bool(written)

    server = DirectoryServer(build_into, host=host, port=port, sites=(sites / "a", sites / "b"), poll=poll)
    server.preview = preview
    server.error_handler = lambda code: _error_page(Path(server.root), code)
    server.language = site_words(root)
    try:
        server.listen()
        for path in _watched(root):
            server.watch(str(path))
        say(Message("Serving the directory at {address}", address=server.url).said(server.language))
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        shutil.rmtree(sites, ignore_errors=True)


def _preview_or_bug(shown: Shown, changed: set[Path], site_dir: Path) -> tuple[list[str], str]:
    """:func:`generator.engine.preview.preview`'s files, or the traceback of what stopped it.

    The cycle collector is paused meanwhile: in a child forked from the server, a collection
    would walk the whole heap it inherits, every build's directory, for a page.
    """
    try:
        with collector_paused():
            return write_preview(shown, changed, site_dir), ""
    except Exception:
        return [], traceback.format_exc().rstrip()


def _build_once(get_config: Callable[[], MkDocsConfig], serve_url: str, say: Say, language: Language) -> tuple[Failure | None, MkDocsConfig | None]:
    """One build: what stopped it, or None, and its configuration once loaded. Whatever happens, the server keeps running."""
    started = time.monotonic()
    config = None
    try:
        config = get_config()  # mkdocs.yml itself may be what is broken
        with collector_paused():  # as in generator.engine.publish.build_site
            build(config, serve_url=serve_url)
    except (ValidationFailed, TrombiError) as error:  # the directory's problems, or the settings' in mkdocs.yml
        reason = said(error.reason if isinstance(error, ValidationFailed) else NOTHING_BUILT, language)
        say(format_text(error.problems, language))
        say(reason)
        return Failure(reason, tuple(error.problems)), config
    except MkDocsException as error:  # a configuration error, or MkDocs' own abort
        message = error.format_message()
        say(f"error: {message}")
        return Failure(message), config
    except Exception as error:  # a bug must not stop the server; its traceback is said in full
        say(traceback.format_exc().rstrip())
        return Failure(f"{type(error).__name__}: {error}"), config
    warnings = [w for events in _events_of(config) for w in events.warnings]
    if warnings:
        say(format_text(warnings, language))
    say(Message("Built the site in {seconds} s.", seconds=language.decimal(time.monotonic() - started)).said(language))
    return None, config


def _error_page(site_dir: Path, code: int) -> bytes | None:
    """The theme's own 404 page for an address the site does not have, as ``mkdocs serve`` shows it."""
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code == 404 and page.is_file() else None


def _watched(root: Path) -> list[Path]:
    """What rebuilds the site when it changes: mkdocs.yml, docs/ and the directory's files, valid or not."""
    paths = [root / "mkdocs.yml", root / "docs"]
    try:
        settings = load_settings(root)
    except TrombiError:
        settings = None
    if settings is not None:
        from generator.network.lunchfiles import pairings_path

        paths += [settings.people_path, settings.groups_path, settings.skills_path, settings.photos_path, pairings_path(settings)]
    else:
        paths += [root / "people", root / "groups", root / "skills.yaml", root / "photos"]
    return [path for path in paths if path.exists()]


def failure_page(failure: Failure, language: Language) -> str:
    """The page shown at every address while the site does not build: what is wrong, where, escaped."""
    _ = language.gettext
    if failure.problems:
        title = _("The directory has problems")
        level = {Level.ERROR: _("error"), Level.WARNING: _("warning")}
        items = Markup("").join(
            Markup("<li><code>{}:{}:{}</code> <strong>{}</strong>: {} <small>[{}]</small></li>\n").format(
                p.path, p.line, p.col, level[p.level], said(p.message, language), p.rule
            )
            for p in failure.problems
        )
        details = Markup("<ul>\n{}</ul>").format(items)
    else:
        title = _("The site could not be built")
        details = Markup("<pre>{}</pre>").format(failure.reason)
    lead = _("Fix what is listed here: this page reloads by itself when the site builds again.")
    return f"""<!doctype html>
<html lang="{escape(language.code)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{escape(title)}</title>
<style>
body {{ font: 1rem/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; background: #fff; }}
h1 {{ color: #b00020; font-size: 1.6rem; }}
li {{ margin: .4rem 0; overflow-wrap: anywhere; }}
code, pre {{ font-family: ui-monospace, monospace; background: #f3f3f3; padding: 0 .2rem; white-space: pre-wrap; }}
@media (prefers-color-scheme: dark) {{ body {{ color: #eee; background: #121212; }} h1 {{ color: #ff8a80; }} code, pre {{ background: #2a2a2a; }} }}
</style>
</head>
<body>
<main>
<h1>{escape(title)}</h1>
<p>{escape(lead)}</p>
{details}
</main>
</body>
</html>
"""
