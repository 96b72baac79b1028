"""The benchmark suite keeps working: a real run at 200 people (not timed), and its report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.report import ANALYSIS_END, ANALYSIS_START, results_markdown

REPO = Path(__file__).parent.parent
HAND_WRITTEN = "MkDocs is the wall: this sentence was written by hand."


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    out = tmp_path_factory.mktemp("bench")
    markdown = out / "RESULTS.md"
    markdown.write_text(f"# old\n\n{ANALYSIS_START}\n{HAND_WRITTEN}\n{ANALYSIS_END}\n", encoding="utf-8")
    # The search benchmark (a browser, one more build) has its own tests; here it would triple the time.
    command = [sys.executable, "-m", "benchmarks", "--sizes", "200", "--runs", "1", "--no-search", "--incremental"]
    command += ["--work", str(out / "work"), "--results", str(out / "results"), "--markdown", str(markdown)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    [saved] = (out / "results").glob("*.json")
    return json.loads(saved.read_text(encoding="utf-8")), markdown.read_text(encoding="utf-8")


def test_every_figure_is_measured(suite: tuple[dict[str, Any], str]) -> None:
    document, _ = suite
    figures = document["sizes"]["200"]
    for measure in ("validate_full", "validate_one", "build", "floor"):
        assert figures[measure]["seconds"] > 0 and figures[measure]["runs"] == 1, measure
    assert figures["validate_one"]["file"].startswith("people/")
    assert figures["build"]["max_rss_mib"] > 20
    # Its CPU time, from wait4: Python's own, and the kernel's on its behalf (every build writes files).
    assert figures["build"]["cpu"]["user"] > 0 and figures["build"]["cpu"]["system"] > 0
    assert {"load", "validate", "enrich", "history", "render", "mkdocs", "write"} <= set(figures["build"]["stages"])
    assert figures["overhead"] == pytest.approx(figures["build"]["seconds"] / figures["floor"]["seconds"], rel=0.01)
    assert figures["floor"]["pages"] > 200
    output = figures["output"]
    assert output["person_pages"] == 200
    assert 0 < output["person_page_median_bytes"] <= output["person_page_max_bytes"] < output["site_bytes"]
    assert document["machine"]["cores"] >= 1 and document["machine"]["libraries"]["mkdocs"]
    assert figures["search"] is None  # left out by --no-search
    # Built from a fresh clone of a repository with a year of history, as CI builds.
    assert figures["repository"] == {"commits": 1 + 100, "built_from": "a fresh clone"}


def test_builds_with_the_previous_state_are_measured(suite: tuple[dict[str, Any], str]) -> None:
    document, markdown = suite
    figures = document["sizes"]["200"]
    one, ten = figures["incremental"]["1"], figures["incremental"]["10"]
    for build in (one, ten):
        assert build["seconds"] > 0 and {"changes", "render", "keep"} <= set(build["stages"])
        assert build["cpu"]["user"] > 0 and build["cpu"]["system"] > 0
        assert build["pages"]["kept"] > 0 and build["pages"]["rendered"] > 0  # the state was used, and the edits rendered
    # One profile of 200 touches a few pages; ten touch more (a good part of so small a directory).
    assert one["pages"]["kept"] > one["pages"]["rendered"]
    assert one["pages"]["rendered"] <= ten["pages"]["rendered"]
    served = figures["serve"]
    assert served["runs"] == 3 and len(served["each"]) == 3 and served["seconds"] > 0
    # The whole site after each edit too: the page is shown ahead of the rebuild, never after it.
    assert len(served["rebuilt_each"]) == 3 and all(shown <= rebuilt for shown, rebuilt in zip(served["each"], served["rebuilt_each"], strict=True))
    assert f"| 200 | {served['seconds']:.2f} s (median of 3" in markdown and f"| {served['rebuilt']:.2f} s (median of 3" in markdown
    assert "## Incremental builds" in markdown and "| 200 | 1 |" in markdown and "| 200 | 10 |" in markdown
    assert f"| {one['cpu']['user']:,.1f} + {one['cpu']['system']:,.1f} s |" in markdown


def test_results_md_is_regenerated_and_keeps_the_analysis(suite: tuple[dict[str, Any], str]) -> None:
    document, markdown = suite
    cpu = document["sizes"]["200"]["build"]["cpu"]
    assert f"| {cpu['user']:,.1f} + {cpu['system']:,.1f} s |" in markdown
    assert "# old" not in markdown
    assert f"{ANALYSIS_START}\n{HAND_WRITTEN}\n{ANALYSIS_END}" in markdown
    assert "| 200 |" in markdown
    assert "| Full build | ≤ 10 min | not measured | — |" in markdown  # 100,000 people were not measured here


def _figures(build: float, floor: float, rss: float, site: int, page: int) -> dict[str, Any]:
    return {
        "validate_full": {"seconds": 20.0, "runs": 1},
        "validate_one": {"seconds": 1.5, "runs": 3},
        "build": {"seconds": build, "runs": 1, "max_rss_mib": rss / 2, "tree_mib": rss, "stages": {"load": 1.0}},
        "floor": {"seconds": floor, "runs": 1},
        "overhead": build / floor,
        "output": {
            "site_bytes": site,
            "site_disk_bytes": site,
            "files": 1,
            "person_page_median_bytes": page,
            "person_page_max_bytes": page,
            "pagefind_bytes": None,
            "whoosh_bytes": None,
        },
    }


def test_targets_say_which_hold() -> None:
    sizes = {"10000": _figures(50.0, 45.0, 500, 10**8, 20_000), "100000": _figures(700.0, 500.0, 5000, 2 * 10**9, 20_100)}
    markdown = results_markdown(sizes, {})
    rows = {line.split(" | ")[0].lstrip("| "): line for line in markdown.splitlines() if line.startswith("| ")}
    assert rows["Full validation"].endswith("| yes |")
    assert rows["One changed file"].endswith("| yes |")
    assert rows["Full build"].endswith("| **no** |") and "11.67 min" in rows["Full build"]
    assert rows["Peak memory of the build (all its processes)"].endswith("| **no** |")
    assert rows["Linear growth (build 100k / 10k)"].endswith("| **no** |") and "14.0×" in rows["Linear growth (build 100k / 10k)"]
    assert rows["Generator overhead (build / floor)"].endswith("| **no** |")
    assert rows["Person page does not grow with N"].endswith("| yes |")
    assert rows["Whole site"].endswith("| **no** |")
    assert rows["One changed profile published, with the previous build's state"].endswith("| not measured | — |")
    sizes["100000"]["incremental"] = {"1": {"seconds": 25.0, "runs": 1}, "10": {"seconds": 50.0, "runs": 1}}
    sizes["10000"]["serve"] = {"seconds": 2.5, "runs": 3, "each": [2.4, 2.5, 2.6]}
    rows = {line.split(" | ")[0].lstrip("| "): line for line in results_markdown(sizes, {}).splitlines() if line.startswith("| ")}
    assert rows["One changed profile published, with the previous build's state"].endswith("| 25.00 s | yes |")
    assert rows["Ten changed profiles published, with the previous build's state"].endswith("| 50.00 s | **no** |")
    assert rows["`trombi serve` shows an edit (10,000 people)"].endswith("| 2.50 s | yes |")


def test_a_size_measured_without_its_build() -> None:
    validate_only = {key: value for key, value in _figures(0, 1, 0, 0, 0).items() if key.startswith("validate")}
    sizes = {"10000": _figures(50.0, 45.0, 500, 10**8, 20_000), "100000": validate_only}
    markdown = results_markdown(sizes, {})
    rows = {line.split(" | ")[0].lstrip("| "): line for line in markdown.splitlines() if line.startswith("| ")}
    assert rows["Full validation"].endswith("| 20.00 s | yes |")
    assert rows["Full build"].endswith("| not measured | — |")
    assert rows["Linear growth (build 100k / 10k)"].endswith("| not measured | — |")
    assert rows["100,000"].startswith("| 100,000 | 20.00 s (one run) | 1.50 s (median of 3) | — | — | — | — |")
    assert sum(1 for line in markdown.splitlines() if line.startswith("| 100,000 |")) == 1  # no stage or output row
