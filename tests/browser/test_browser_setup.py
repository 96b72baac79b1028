"""The browser fixtures themselves: Chromium opens a served page and sees what the server holds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def test_chromium_opens_a_served_page(tmp_path: Path, serve: Callable[[Path], str], page: Any) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><meta charset=utf-8><title>Essai</title><p id=x>Bonjour é</p>", encoding="utf-8")
    base = serve(tmp_path)
    page.goto(base)
    assert page.title() == "Essai"
    assert page.text_content("#x") == "Bonjour é"
    assert all(url.startswith(base) for url in page.requests), page.requests
