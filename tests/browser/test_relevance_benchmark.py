"""The relevance benchmark end to end on three demo queries: both engines, in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.relevance import measure, write_markdown
from tests.conftest import REPO

SAMPLE = REPO / "tests" / "data" / "relevance-sample.yaml"


def test_both_engines_are_measured_on_the_judged_queries(browser: Any, tmp_path: Path) -> None:
    results = measure(SAMPLE, tmp_path, chromium=browser)
    built = tmp_path / "relevance-demo"  # a copy: the run writes nothing into the repository
    assert (built / ".trombi" / "index").is_dir() and (built / "site" / "search" / "index.html").is_file()
    rows = {row["query"]: row for row in results["queries"]}
    for engine in ("terminal", "browser"):
        assert rows["kotlin"][engine]["ranked"][0] == "skill:kotlin"
        assert rows["club escalade"][engine]["ranked"][0] == "group:club-escalade"
        assert rows["obrien"][engine]["ranked"][0] == "person:cobrien"
        assert results["summary"]["all"][engine]["p1"] == 1.0
    assert all(row["same_first"] for row in rows.values())
    page = tmp_path / "RESULTS.md"
    page.write_text("# Benchmarks\n\n## Machine\n\nx\n", encoding="utf-8")
    write_markdown(results, page)
    write_markdown(results, page)  # the block is replaced, not added twice
    text = page.read_text(encoding="utf-8")
    assert text.count("## Relevance") == 1 and text.index("## Relevance") < text.index("## Machine")
    assert "| nDCG@5, browser | ≥ 0.90 |" in text
