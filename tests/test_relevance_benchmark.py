"""The relevance benchmark's arithmetic and its judgments file (benchmarks/relevance.py)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from benchmarks.relevance import JUDGMENTS, JudgmentsError, load_judgments, ndcg, precision_at_1, summary, verdicts

JUDGED = {"a": 3, "b": 2, "c": 1}


def test_the_best_order_scores_one_and_the_reverse_less() -> None:
    assert ndcg(["a", "b", "c"], JUDGED) == pytest.approx(1.0)
    worst = ndcg(["c", "b", "a"], JUDGED)
    best_gain = 7 + 3 / math.log2(3) + 1 / 2
    assert worst == pytest.approx((1 + 3 / math.log2(3) + 7 / 2) / best_gain)


def test_unjudged_and_missing_results_gain_nothing() -> None:
    assert ndcg([], JUDGED) == 0.0
    assert ndcg(["x", "a"], JUDGED) == pytest.approx((7 / math.log2(3)) / (7 + 3 / math.log2(3) + 1 / 2))
    assert ndcg(["a", "b", "c", "x", "y", "z"], JUDGED) == pytest.approx(1.0)  # beyond the judged: nothing lost


def test_only_the_first_five_count() -> None:
    judged = {f"p{n}": 3 for n in range(6)}
    assert ndcg([f"p{n}" for n in range(5)] + ["x"], judged) == pytest.approx(1.0)
    assert ndcg(["x", "y", "z", "w", "v", "p0"], judged) == 0.0


def test_precision_at_one_wants_a_good_answer_first() -> None:
    assert precision_at_1(["a"], JUDGED) == precision_at_1(["b"], JUDGED) == 1.0
    assert precision_at_1(["c"], JUDGED) == precision_at_1(["x"], JUDGED) == precision_at_1([], JUDGED) == 0.0


def test_the_targets_are_read_from_the_means() -> None:
    rows = [
        {"org": "o", "kind": "k", "terminal": {"ndcg": 1.0, "p1": 1.0}, "browser": {"ndcg": 0.7, "p1": 0.0}, "same_first": True},
        {"org": "o", "kind": "k", "terminal": {"ndcg": 0.9, "p1": 1.0}, "browser": {"ndcg": 0.9, "p1": 1.0}, "same_first": False},
    ]
    results = {"engines": ["terminal", "browser"], "summary": summary(rows, ["terminal", "browser"])}
    assert [(name, holds) for name, _, _, holds in verdicts(results)] == [
        ("nDCG@5, terminal", True),
        ("nDCG@5, browser", False),
        ("same first result in both", False),
    ]


def test_a_wrong_judgments_file_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "judgments.yaml"
    path.write_text(
        "organisations: {demo: {root: .}}\n"
        "queries:\n"
        "  - {org: elsewhere, kind: skill, query: python, judged: {person:a: 3}}\n"
        "  - {org: demo, kind: skill, query: rust, judged: {}}\n"
        "  - {org: demo, kind: skill, query: go, judged: {person:b: 5}}\n",
        encoding="utf-8",
    )
    with pytest.raises(JudgmentsError) as raised:
        load_judgments(path)
    assert str(raised.value).splitlines() == [
        "query 1 ('python'): unknown organisation 'elsewhere' (known: demo)",
        "query 2 ('rust'): nothing judged",
        "query 3 ('go'): person:b is graded 5, not 1, 2 or 3",
    ]


def test_the_judged_queries_are_enough_and_varied() -> None:
    _, queries = load_judgments(JUDGMENTS)
    assert len(queries) >= 60
    assert {q.org for q in queries} == {"demo", "synth"}
    assert {"skill", "alias", "typo", "accent", "name", "multi-word", "level", "site", "group", "team"} <= {q.kind for q in queries}


def test_the_performance_suite_keeps_the_relevance_block() -> None:
    from benchmarks.relevance import END, START
    from benchmarks.report import results_markdown

    previous = f"# Benchmarks\n\n## Relevance\n\n{START}\nnDCG figures\n{END}\n\n## Machine\n"
    regenerated = results_markdown({}, {}, previous)
    assert regenerated.count(f"{START}\nnDCG figures\n{END}") == 1
    assert regenerated.index("## Relevance") < regenerated.index("## Machine")
