"""Names in the browser's search as a keyboard types them: letters without a decomposition folded, apostrophes left out.

The terminal's search finds the same people by the same words (tests/test_index.py); both fold
with generator.search.analysis.fold.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.engine.publish import build_site
from tests.browser.test_search import header_search
from tests.conftest import write_config
from tests.test_index import make_search_directory

TYPED = [
    ("pawel", "Paweł Wiśniewski"), ("wisniewski", "Paweł Wiśniewski"), ("bjorn", "Bjørn Ødegård"), ("odegard", "Bjørn Ødegård"),
    ("dalgic", "Emre Dalgıç"), ("fridriksson", "Jón Friðriksson"), ("maetzke", "Ida Mætzke"), ("obrien", "Ciarán O'Brien"),
    ("o'brien", "Ciarán O'Brien"), ("Bjørn", "Bjørn Ødegård"),
]  # fmt: skip


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> str:
    root = write_config(make_search_directory(tmp_path_factory.mktemp("names") / "directory"))
    return serve(build_site(root, root / "site"))


@pytest.mark.parametrize(("typed", "name"), TYPED)
def test_a_name_is_found_as_a_keyboard_types_it(page: Any, base: str, typed: str, name: str) -> None:
    page.goto(base)
    results = header_search(page, typed)
    assert results and name in results[0], (typed, results)
    assert page.errors == []
