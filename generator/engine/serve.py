"""``trombi serve``: MkDocs' live-reload server, honest about a directory that does not build.

MkDocs' own ``serve`` stops at a first build that fails, and after a failed rebuild leaves every
request waiting for a site that never comes. Here a failed build is a state of the server: what
stopped it is told (``say``) and shown instead of every page, a page that reloads by itself once
the files are fixed. The address is bound before the first build, so that a port in use is said
at once, and told as soon as the server listens.

This module leans on :class:`mkdocs.livereload.LiveReloadServer`'s private epochs (the version
of the site being built and the one shown); ``tests/test_serve.py`` fails if they change.
"""

from __future__ import annotations

import errno
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mkdocs.livereload
from markupsafe import Markup, escape
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer, _serve_url, _timestamp

from generator.directory.perfile import remember_files
from generator.directory.settings import load_settings, site_words
from generator.engine.publish import NOTHING_BUILT, ValidationFailed, _events_of
from generator.i18n import Language, load_language
from generator.problems import Level, Message, Problem, TrombiError, format_text, said

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


class DirectoryServer(LiveReloadServer):
    """Serves the last build, or while the last build failed, a page saying why on every address."""

    failure: Failure | None = None
    language: Language = load_language("en")

    def __init__(self, builder: Callable[[], None], host: str, port: int, root: str) -> None:
        super().__init__(builder=builder, host=host, port=port, root=root)
        self.RequestHandlerClass = _Handler

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

    def run(self, first_build: Callable[[], None]) -> None:
        """Serve while the first build runs (requests wait for it), then rebuild on every change."""
        with self._epoch_cond:
            self._wanted_epoch = _timestamp()  # ahead of the shown one: requests wait (_serve_request)
        self.serve_thread.start()
        if self._watched_paths:
            # Before the first build, not after it: a file saved while it runs is seen, and rebuilt.
            self.observer.start()
        first_build()
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()
        self._build_loop()  # type: ignore[no-untyped-call]

    def _serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes] | None:
        path = environ["PATH_INFO"]
        if not path.startswith("/livereload/"):
            with self._epoch_cond:
                # As MkDocs does: no half-built site, and no verdict on a build that is still running.
                self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
                epoch, failure = self._visible_epoch, self.failure
            if failure is not None:
                # With MkDocs' reload script, as its pages: the browser reloads when the site is back.
                page: bytes = self._inject_js_into_html(failure_page(failure, self.language).encode("utf-8"), epoch)  # type: ignore[no-untyped-call]
                headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page))), ("Cache-Control", "no-store")]
                start_response("503 Service Unavailable", headers)
                return [page]
        return super()._serve_request(environ, start_response)


def serve_directory(root: Path, host: str, port: int, say: Say) -> None:
    """Serve the directory at ``root`` on ``host:port`` until interrupted, rebuilding as files change.

    ``say`` receives what a person watching the terminal needs: the address, the directory's
    problems at each build (as ``trombi validate`` lists them), and what stopped a build.
    """
    config_file = root / "mkdocs.yml"
    if not config_file.is_file():
        message = Message("no {file}: run trombi serve in the directory's repository, or name it with --root", file=config_file)
        raise ServeError(message.said(site_words(root)))
    site_dir = tempfile.mkdtemp(prefix="trombi-serve-")
    serve_url = _serve_url(host, port, "/")
    remember_files()  # a rebuild reads again only the files saved since the last one

    def get_config() -> MkDocsConfig:
        config = load_config(config_file=str(config_file), site_dir=site_dir)
        config.site_url = serve_url
        for events in _events_of(config):
            events.log_warnings = False  # said here, with the errors, rather than in MkDocs' log
        return config

    def builder(config: MkDocsConfig | None = None) -> None:
        server.language = site_words(root)  # mkdocs.yml may have changed it
        failure = _build_once(config, get_config, serve_url, say, server.language)
        if failure is None and server.failure is not None:
            say(Message("The directory builds again: the site is back.").said(server.language))
        server.failure = failure

    server = DirectoryServer(builder=builder, host=host, port=port, root=site_dir)
    server.error_handler = lambda code: _error_page(Path(site_dir), code)
    server.language = site_words(root)
    try:
        server.listen()
        for path in _watched(root):
            server.watch(str(path))
        say(Message("Serving the directory at {address}", address=server.url).said(server.language))
        server.run(builder)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


def _build_once(config: MkDocsConfig | None, get_config: Callable[[], MkDocsConfig], serve_url: str, say: Say, language: Language) -> Failure | None:
    """One build; what stopped it, or None. Whatever happens, the server keeps running."""
    started = time.monotonic()
    try:
        config = config or get_config()  # mkdocs.yml itself may be what is broken
        build(config, serve_url=serve_url)
    except (ValidationFailed, TrombiError) as error:  # the directory's problems, or the settings' in mkdocs.yml
        reason = said(error.reason if isinstance(error, ValidationFailed) else NOTHING_BUILT, language)
        say(format_text(error.problems, language))
        say(reason)
        return Failure(reason, tuple(error.problems))
    except MkDocsException as error:  # a configuration error, or MkDocs' own abort
        message = error.format_message()
        say(f"error: {message}")
        return Failure(message)
    except Exception as error:  # a bug must not stop the server; its traceback is said in full
        say(traceback.format_exc().rstrip())
        return Failure(f"{type(error).__name__}: {error}")
    warnings = [w for events in _events_of(config) for w in events.warnings]
    if warnings:
        say(format_text(warnings, language))
    say(Message("Built the site in {seconds} s.", seconds=language.decimal(time.monotonic() - started)).said(language))
    return None


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
