"""The search benchmark's harness (``benchmarks/search.py``) keeps working: run on the demo site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.search import HEADER_QUERIES, material_index_size, measure_browser
from tests.conftest import REPO


def test_the_browser_measures_every_query_in_every_round(browser: Any, demo_site: Path) -> None:
    figures = measure_browser(demo_site, rounds=2, browser=browser)
    assert figures["rounds"] == 2 and figures["outside_requests"] == []
    assert [query["query"] for query in figures["header_queries"]] == list(HEADER_QUERIES)
    for query in figures["header_queries"]:
        assert len(query["ms_rounds"]) == 2 and query["ms"] > 0, query
    first = figures["header_queries"][0]
    assert first["kb"] > 50 and first["requests"] > 3  # the first query loads Pagefind and its index
    assert len(figures["typed_first_query_ms_rounds"]) == 2 and figures["typed_first_query_ms"] > 0
    assert figures["search_page"]["results"] > 0 and figures["search_page"]["kb_without_page"] > 0


def test_materials_index_is_sized_from_every_generated_page() -> None:
    assert material_index_size(REPO) > 100_000
