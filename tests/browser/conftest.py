"""Real-browser fixtures: a built site served on localhost, and Debian's Chromium driven by Playwright.

The browser is the system's (``/usr/bin/chromium``, from the ``chromium`` package), never one
downloaded by Playwright. Without it the browser tests skip, unless ``TROMBI_REQUIRE_BROWSER=1``
(as in CI), where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> str | None:
    configured = os.environ.get("TROMBI_CHROMIUM")
    if configured:
        return configured
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def _unavailable(reason: str) -> None:
    if os.environ.get("TROMBI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"TROMBI_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium for the whole session; each test opens its own context."""
    executable = _chromium()
    if executable is None:
        _unavailable("no chromium on PATH (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], str]]:
    """Serve a built site folder on 127.0.0.1 (a free port each); returns its base URL, ending in '/'."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(site: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records every request and console error, in ``page.requests`` and ``page.errors``."""
    context = browser.new_context()
    tab = context.new_page()
    tab.requests = []
    tab.errors = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo directory of this repository, built once for every browser test."""
    from generator.engine.publish import build_site
    from tests.conftest import REPO

    return build_site(REPO, tmp_path_factory.mktemp("demo-site") / "site")


@pytest.fixture(scope="module")
def base(demo_site: Path, serve: Callable[[Path], str]) -> str:
    """The demo site served for a module's tests; its base URL."""
    return serve(demo_site)


@pytest.fixture
def tab(page: Any, base: str) -> Iterator[Any]:
    """A page on the demo site that must make no request elsewhere and log no error."""
    yield page
    assert all(url.startswith(base) for url in page.requests), [u for u in page.requests if not u.startswith(base)]
    assert page.errors == []
