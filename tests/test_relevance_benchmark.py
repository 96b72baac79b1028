"""The relevance benchmark's arithmetic and its judgments file (benchmarks/relevance.py)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import benchmarks.relevance as relevance
from benchmarks.relevance import JUDGMENTS, Built, JudgmentsError, check_ids, load_judgments, ndcg, precision_at_1, same_first, summary, verdicts

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


def test_the_first_results_agree_only_when_both_engines_find_one() -> None:
    assert same_first(["a", "b"], ["a", "c"])
    assert not same_first(["a"], ["b", "a"])
    assert not same_first([], ["a"]) and not same_first([], [])


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


def test_every_malformed_part_of_the_judgments_is_named(tmp_path: Path) -> None:
    path = tmp_path / "judgments.yaml"
    path.write_text(
        "organisations: {demo: {root: .}, nowhere: {root: no-such-folder}, tiny: {people: 3}, odd: [1]}\n"
        "queries:\n"
        "  - just words\n"
        "  - {org: demo, kind: skill, query: '', judged: {person:a: yes, skil:python: 2, 'person:': 1}}\n",
        encoding="utf-8",
    )
    with pytest.raises(JudgmentsError) as raised:
        load_judgments(path)
    assert str(raised.value).splitlines() == [
        "organisation 'nowhere': the folder 'no-such-folder' (from the repository's root) holds no mkdocs.yml",
        "organisation 'tiny': people (at least 20) and seed are whole numbers",
        "organisation 'odd' is not {root: FOLDER} nor {people: N, seed: N}",
        "query 1 ('just words'): is not a mapping {org, kind, query, judged}",
        "query 2 (''): no query",
        "query 2 (''): person:a is graded True, not 1, 2 or 3",
        "query 2 (''): 'skil:python' is not <kind>:<name> with a kind among person, skill, team, group, site, language",
        "query 2 (''): 'person:' is not <kind>:<name> with a kind among person, skill, team, group, site, language",
    ]


@pytest.mark.parametrize(
    ("content", "said"),
    [(None, "cannot be read: No such file or directory"), ("queries: [", "is not YAML: "), ("- a list\n", "is not a mapping of 'organisations' and 'queries'")],
)
def test_a_judgments_file_that_cannot_be_read_says_why(tmp_path: Path, content: str | None, said: str) -> None:
    path = tmp_path / "judgments.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(JudgmentsError, match=said):
        load_judgments(path)


def test_a_judged_id_must_be_a_person_or_a_page_of_its_organisation(tmp_path: Path) -> None:
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "ada.yaml").write_text("name: Ada\n", encoding="utf-8")
    (tmp_path / "mkdocs.yaml").write_text("", encoding="utf-8")
    index = tmp_path / ".trombi" / "index"
    index.mkdir(parents=True)
    (index / "named-pages.json").write_text('{"py": [["skill:python", "Python", [], "skills/python/", "Skill · 3"]]}', encoding="utf-8")
    # people/../mkdocs.yaml is a file, but not a person's.
    judged = {"person:ada": 3, "skill:python": 2, "person:bob": 1, "person:../mkdocs": 1, "group:python": 1}
    queries = [relevance.Query("demo", "skill", "python", judged), relevance.Query("other", "name", "bob", {"person:bob": 3})]
    with pytest.raises(JudgmentsError) as raised:
        check_ids(queries, {"demo": Built(tmp_path, tmp_path / "site")})
    assert str(raised.value).splitlines() == [
        "demo 'python': person:bob is no person or page of demo",
        "demo 'python': person:../mkdocs is no person or page of demo",
        "demo 'python': group:python is no person or page of demo",
    ]
    check_ids([relevance.Query("demo", "skill", "python", {"person:ada": 3, "skill:python": 3})], {"demo": Built(tmp_path, tmp_path / "site")})  # all there


def test_wrong_judgments_exit_1_with_every_problem_and_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "judgments.yaml"
    path.write_text(
        "organisations: {demo: {root: .}}\nqueries:\n  - {org: demo, query: go, judged: {person:b: 4}}\n  - {org: x, query: c, judged: {}}\n", encoding="utf-8"
    )
    assert relevance.main(["--judgments", str(path), "--work", str(tmp_path)]) == 1
    said = capsys.readouterr().err
    assert said == (
        f"{path}: the judgments are not usable:\n"
        "query 1 ('go'): person:b is graded 4, not 1, 2 or 3\n"
        "query 2 ('c'): unknown organisation 'x' (known: demo)\n"
        "query 2 ('c'): nothing judged\n"
    )


def test_a_missed_target_is_said_but_the_run_succeeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    engines = ["terminal", "browser"]
    rows = [
        {
            "org": "demo",
            "kind": "skill",
            "query": "python",
            "judged": {"skill:python": 3},
            "terminal": {"ranked": ["skill:python"], "ndcg": 1.0, "p1": 1.0},
            "browser": {"ranked": ["person:x"], "ndcg": 0.0, "p1": 0.0},
            "same_first": False,
        }
    ]
    results = {"date": "2026-01-02", "depth": 5, "engines": engines, "queries": rows, "summary": summary(rows, engines)}
    monkeypatch.setattr(relevance, "measure", lambda *args, **kwargs: results)
    page, out = tmp_path / "RESULTS.md", tmp_path / "figures" / "relevance.json"
    page.write_text("# Benchmarks\n\n## Machine\n", encoding="utf-8")
    assert relevance.main(["--json", str(out), "--markdown", str(page), "--work", str(tmp_path)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == results
    said = capsys.readouterr()
    assert "- `python` (demo, skill) — terminal 1.00: skill:python (3); browser 0.00: person:x (0)" in said.out
    assert "targets missed: nDCG@5, browser (0.000 < 0.90), same first result in both (0.000 < 0.90)" in said.err
    assert "| nDCG@5, browser | ≥ 0.90 | 0.000 | **no** |" in page.read_text(encoding="utf-8")


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
