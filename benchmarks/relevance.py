"""How well both searches answer what people ask: nDCG@5 and precision@1 on judged queries.

    python -m benchmarks.relevance [--judgments benchmarks/relevance.yaml] [--work benchmarks/work]
                                   [--markdown benchmarks/RESULTS.md] [--json OUT] [--only ENGINE]

The queries and their graded judgments are ``benchmarks/relevance.yaml``, written by reading the
profiles (see its header). Each organisation it names is built into the work folder: the demo
(this repository's directory, copied there) and synthetic ones (``trombi synth``, generated
there once). Then every query is put to

- the terminal's search: the pages it names, then the people (:class:`SearchIndex`), as ``trombi
  search`` prints them;
- the browser's: the site's search page in headless Chromium (Debian's), served on 127.0.0.1; the
  section of named pages, then the people, as a person sees them.

Each ranking is scored by nDCG@5 (gain 2^grade − 1, a log2 discount, against the best order the
judgments allow) and precision@1 (the first result graded 2 or more), and the two engines' first
results are compared. The figures go to ``benchmarks/results/relevance-<date>.json`` and to the
``## Relevance`` block of ``benchmarks/RESULTS.md``; a missed target is said, not an error (this
is a measurement). A judgments file that is wrong stops the run with every problem in it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import shutil
import statistics
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml

from generator.search.named import KINDS

HERE = Path(__file__).parent
REPO = HERE.parent
JUDGMENTS = HERE / "relevance.yaml"
WORK = HERE / "work"
RESULTS_DIR = HERE / "results"
MARKDOWN = HERE / "RESULTS.md"
DEPTH = 5  # nDCG@5: what a header box and the top of a page show
RELEVANT = 2  # precision@1 counts a first result graded this or more
TARGETS = {"ndcg": 0.9, "same_first": 0.9}
ENGINES = ("terminal", "browser")
RESULT_KINDS = ("person", *KINDS)  # a judged id is <kind>:<handle or slug>
START = "<!-- relevance:start (written by python -m benchmarks.relevance) -->"
END = "<!-- relevance:end -->"


@dataclass(frozen=True)
class Query:
    org: str
    kind: str
    text: str
    judged: dict[str, int]


class JudgmentsError(Exception):
    """The judgments file is wrong: every problem, one per line."""


# --- scoring ------------------------------------------------------------------------------------


def dcg(grades: Iterable[int]) -> float:
    """The gain 2^grade − 1 of each result, discounted by log2(its rank + 1), ranks from 1."""
    return sum((2.0**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def ndcg(ranked: list[str], judged: dict[str, int], depth: int = DEPTH) -> float:
    """The ranking's discounted gain over its first ``depth`` results, against the best the judgments allow."""
    ideal = dcg(sorted(judged.values(), reverse=True)[:depth])
    return dcg(judged.get(found, 0) for found in ranked[:depth]) / ideal if ideal else 0.0


def precision_at_1(ranked: list[str], judged: dict[str, int]) -> float:
    return 1.0 if ranked and judged.get(ranked[0], 0) >= RELEVANT else 0.0


def same_first(one: list[str], other: list[str]) -> bool:
    """Both rankings begin with the same result (two that find nothing do not agree on anything)."""
    return bool(one) and one[:1] == other[:1]


# --- the judgments ------------------------------------------------------------------------------


def load_judgments(path: Path) -> tuple[dict[str, dict[str, Any]], list[Query]]:
    """The organisations and the queries of ``path``; :class:`JudgmentsError` lists everything wrong in it."""
    data = _read(path)
    orgs = data.get("organisations")
    if isinstance(orgs, dict) and orgs:
        problems = [problem for name, spec in orgs.items() if (problem := _organisation_problem(name, spec))]
    else:
        orgs, problems = {}, ["'organisations' is not a mapping of names to {root: FOLDER} or {people: N, seed: N}"]
    entries = data.get("queries")
    if not isinstance(entries, list) or not entries:
        problems.append("'queries' is not a list of {org, kind, query, judged}")
        entries = []
    queries = []
    for number, entry in enumerate(entries, start=1):
        wrong = _query_problems(entry, orgs)
        text = entry.get("query") if isinstance(entry, dict) else entry
        problems += [f"query {number} ({text!r}): {problem}" for problem in wrong]
        if not wrong:
            queries.append(Query(entry["org"], str(entry.get("kind", "")), entry["query"], dict(entry["judged"])))
    if problems:
        raise JudgmentsError("\n".join(problems))
    return orgs, queries


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise JudgmentsError(f"cannot be read: {error.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise JudgmentsError(f"is not YAML: {error}") from None
    if not isinstance(data, dict):
        raise JudgmentsError("is not a mapping of 'organisations' and 'queries'")
    return data


def _organisation_problem(name: str, spec: Any) -> str | None:
    from generator.directory.synthdata import MIN_PEOPLE

    if not isinstance(spec, dict):
        return f"organisation {name!r} is not {{root: FOLDER}} nor {{people: N, seed: N}}"
    if "people" in spec:
        if not (_whole(spec["people"]) and spec["people"] >= MIN_PEOPLE and _whole(spec.get("seed", 0))):
            return f"organisation {name!r}: people (at least {MIN_PEOPLE}) and seed are whole numbers"
    elif not (REPO / str(spec.get("root", ".")) / "mkdocs.yml").is_file():
        return f"organisation {name!r}: the folder {spec.get('root', '.')!r} (from the repository's root) holds no mkdocs.yml"
    return None


def _query_problems(entry: Any, orgs: dict[str, Any]) -> list[str]:
    if not isinstance(entry, dict):
        return ["is not a mapping {org, kind, query, judged}"]
    problems = []
    if not isinstance(entry.get("org"), str) or entry["org"] not in orgs:
        problems.append(f"unknown organisation {entry.get('org')!r} (known: {', '.join(map(str, orgs))})")
    if not isinstance(entry.get("query"), str) or not entry["query"].strip():
        problems.append("no query")
    judged = entry.get("judged")
    if not isinstance(judged, dict) or not judged:
        return [*problems, "nothing judged"]
    for found, grade in judged.items():
        if not (_whole(grade) and 1 <= grade <= 3):
            problems.append(f"{found} is graded {grade!r}, not 1, 2 or 3")
        kind, _, name = str(found).partition(":")
        if kind not in RESULT_KINDS or not name:
            problems.append(f"{found!r} is not <kind>:<name> with a kind among {', '.join(RESULT_KINDS)}")
    return problems


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # YAML's yes is True, and True == 1


def check_ids(queries: list[Query], roots: dict[str, Built]) -> None:
    """Every judged id is a person or a page of its organisation (read from the terminal's index of it)."""
    from generator.search.index import NAMED

    problems = []
    for org, built in roots.items():
        rows = json.loads((built.root / ".trombi" / "index" / NAMED).read_text(encoding="utf-8"))
        pages = {row[0] for shard in rows.values() for row in shard}
        for query in queries:
            if query.org != org:
                continue
            for found in query.judged:
                if not _exists(found, built.root, pages):
                    problems.append(f"{org} {query.text!r}: {found} is no person or page of {org}")
    if problems:
        raise JudgmentsError("\n".join(problems))


def _exists(found: str, root: Path, pages: set[str]) -> bool:
    kind, _, handle = found.partition(":")
    if kind != "person":
        return found in pages
    return "/" not in handle and "\\" not in handle and (root / "people" / f"{handle}.yaml").is_file()


# --- the organisations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    root: Path  # the directory (its terminal index under .trombi/)
    site: Path


# What a directory is made of, and what its mkdocs.yml names (the hook, the hand-written pages).
DIRECTORY = ("people", "groups", "skills.yaml", "mkdocs.yml", "pairings", "docs", "hooks")


def prepare(name: str, spec: dict[str, Any], work: Path) -> Built:
    """The organisation built in ``work``: a synthetic one generated there once, a directory (the demo) copied there afresh."""
    from generator.engine.publish import build_site

    if "people" in spec:
        root = work / f"relevance-synth-{spec['people']}-{spec.get('seed', 0)}"
        if not (root / "people").is_dir():
            _generate(root, spec["people"], spec.get("seed", 0))
    else:
        root = work / f"relevance-{name}"
        _copy_directory(REPO / spec.get("root", "."), root)
    # Built every time: the site and the index are those of the code measured.
    return Built(root, build_site(root, root / "site"))


def _generate(root: Path, people: int, seed: int) -> None:
    """A synthetic organisation, written beside ``root`` and moved there whole: an interrupted run leaves no half of one to reuse."""
    from generator.directory.synth import write_synthetic_directory

    partial = root.with_name(root.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    write_synthetic_directory(partial, people, seed=seed)
    shutil.rmtree(root, ignore_errors=True)
    partial.rename(root)


def _copy_directory(source: Path, root: Path) -> None:
    """A copy of the directory at ``source``, so that building writes nothing (its index, its site) into the repository;
    made afresh, as a person removed since the last run must not stay."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for name in DIRECTORY:
        if (source / name).is_dir():
            shutil.copytree(source / name, root / name)
        elif (source / name).is_file():
            shutil.copy2(source / name, root / name)


# --- the engines --------------------------------------------------------------------------------


@contextmanager
def terminal(root: Path) -> Iterator[Callable[[str], list[str]]]:
    from generator.directory.settings import load_settings
    from generator.search.index import index_path
    from generator.search.query import SearchIndex

    with SearchIndex(index_path(load_settings(root))) as index:

        def ranked(text: str) -> list[str]:
            return [page.id for page in index.pages(text)] + [f"person:{hit.handle}" for hit in index.search(text, limit=10)]

        yield ranked


@contextmanager
def browser(site: Path, chromium: Any) -> Iterator[Callable[[str], list[str]]]:
    from benchmarks.search import _served

    with _served(site) as base:
        context = chromium.new_context()
        tab = context.new_page()
        try:

            def ranked(text: str) -> list[str]:
                tab.goto(f"{base}search/?q={quote(text)}")
                tab.wait_for_selector("[data-trombi-search-page][data-trombi-ready]", timeout=30_000)
                pages = [link.get_attribute("data-trombi-named") for link in tab.locator("[data-trombi-named-results] [data-trombi-named]").all()]
                people = [_person(link.get_attribute("href")) for link in tab.locator("[data-trombi-results] a.trombi-result__link").all()]
                return [*pages, *people]

            yield ranked
        finally:
            context.close()


def _person(href: str) -> str:
    """``…/people/jdupont/`` (or ``people/jdupont.html``) -> ``person:jdupont``."""
    path = urlsplit(href).path.rstrip("/")
    name = path.rsplit("/", 1)[-1]
    return f"person:{name.removesuffix('.html')}"


@contextmanager
def chromium_browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from benchmarks.search import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


# --- the run ------------------------------------------------------------------------------------


def measure(judgments: Path, work: Path, *, engines: tuple[str, ...] = ENGINES, chromium: Any = None) -> dict[str, Any]:
    """Every query's rankings and scores, and the means; ``chromium``: a Playwright browser to reuse."""
    orgs, queries = load_judgments(judgments)
    rankings: dict[str, dict[int, list[str]]] = {engine: {} for engine in engines}
    with _maybe_browser("browser" in engines, chromium) as launched:
        roots = {name: prepare(name, spec, work) for name, spec in orgs.items() if any(q.org == name for q in queries)}
        check_ids(queries, roots)
        for org, built in roots.items():
            numbered = [(number, query) for number, query in enumerate(queries) if query.org == org]
            for engine in engines:
                with terminal(built.root) if engine == "terminal" else browser(built.site, launched) as ranked:
                    for number, query in numbered:
                        rankings[engine][number] = ranked(query.text)
    rows = []
    for number, query in enumerate(queries):
        row: dict[str, Any] = {"org": query.org, "kind": query.kind, "query": query.text, "judged": query.judged}
        for engine in engines:
            found = rankings[engine][number]
            row[engine] = {"ranked": found[:10], "ndcg": round(ndcg(found, query.judged), 4), "p1": precision_at_1(found, query.judged)}
        if len(engines) == 2:
            row["same_first"] = same_first(*(rankings[engine][number] for engine in engines))
        rows.append(row)
    return {"date": datetime.date.today().isoformat(), "depth": DEPTH, "engines": list(engines), "queries": rows, "summary": summary(rows, engines)}


@contextmanager
def _maybe_browser(wanted: bool, chromium: Any) -> Iterator[Any]:
    if not wanted or chromium is not None:
        yield chromium
        return
    with chromium_browser() as launched:
        yield launched


def summary(rows: list[dict[str, Any]], engines: Iterable[str]) -> dict[str, Any]:
    """Means over all queries, by organisation and by kind."""

    def means(selected: list[dict[str, Any]]) -> dict[str, Any]:
        figures: dict[str, Any] = {"queries": len(selected)}
        for engine in engines:
            figures[engine] = {
                "ndcg": round(statistics.fmean(row[engine]["ndcg"] for row in selected), 4),
                "p1": round(statistics.fmean(row[engine]["p1"] for row in selected), 4),
            }
        if selected and "same_first" in selected[0]:
            figures["same_first"] = round(statistics.fmean(row["same_first"] for row in selected), 4)
        return figures

    return {
        "all": means(rows),
        "by_org": {org: means([r for r in rows if r["org"] == org]) for org in dict.fromkeys(r["org"] for r in rows)},
        "by_kind": {kind: means([r for r in rows if r["kind"] == kind]) for kind in dict.fromkeys(r["kind"] for r in rows)},
    }


def verdicts(results: dict[str, Any]) -> list[tuple[str, float, float, bool]]:
    """(what, measured, target, holds) for each target."""
    overall = results["summary"]["all"]
    found = [(f"nDCG@{DEPTH}, {engine}", overall[engine]["ndcg"], TARGETS["ndcg"]) for engine in results["engines"]]
    if "same_first" in overall:
        found.append(("same first result in both", overall["same_first"], TARGETS["same_first"]))
    return [(name, measured, target, measured >= target) for name, measured, target in found]


def markdown(results: dict[str, Any], worst: int = 5) -> str:
    engines = results["engines"]
    lines = [
        f"Measured on {results['date']} over {len(results['queries'])} judged queries (`benchmarks/relevance.yaml`), by `python -m benchmarks.relevance`.",
        "",
        "| Target | Goal | Measured | Holds |",
        "|---|---|---|---|",
    ]
    lines += [f"| {name} | ≥ {target:.2f} | {measured:.3f} | {'yes' if holds else '**no**'} |" for name, measured, target, holds in verdicts(results)]
    header = " | ".join(f"nDCG@{DEPTH} {e} | P@1 {e}" for e in engines)
    lines += ["", f"| Queries | n | {header} | same first |", "|---|---|" + "---|---|" * len(engines) + "---|"]
    summary_ = results["summary"]
    groups = [("all", summary_["all"])]
    groups += [(f"org: {k}", v) for k, v in summary_["by_org"].items()] + [(f"kind: {k}", v) for k, v in summary_["by_kind"].items()]
    for label, figures in groups:
        cells = " | ".join(f"{figures[e]['ndcg']:.3f} | {figures[e]['p1']:.2f}" for e in engines)
        lines.append(f"| {label} | {figures['queries']} | {cells} | {figures.get('same_first', float('nan')):.2f} |")
    lines += ["", f"The {worst} weakest queries (lowest mean nDCG@{DEPTH}), with each engine's first five results and their grades:", ""]
    ranked = sorted(results["queries"], key=lambda row: statistics.fmean(row[e]["ndcg"] for e in engines))
    for row in ranked[:worst]:
        graded = {e: ", ".join(f"{found} ({row['judged'].get(found, 0)})" for found in row[e]["ranked"][:DEPTH]) for e in engines}
        parts = "; ".join(f"{e} {row[e]['ndcg']:.2f}: {graded[e] or 'nothing'}" for e in engines)
        lines.append(f"- `{row['query']}` ({row['org']}, {row['kind']}) — {parts}")
    return "\n".join(lines)


def write_markdown(results: dict[str, Any], path: Path) -> None:
    """Replace the relevance block of RESULTS.md (or add it, under its heading, before the machine's)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    block = f"{START}\n{markdown(results)}\n{END}"
    start, end = text.find(START), text.find(END)
    if start >= 0 and end > start:
        text = text[:start] + block + text[end + len(END) :]
    else:
        anchor = text.find("## Machine")
        section = f"## Relevance\n\n{block}\n\n"
        text = text[:anchor] + section + text[anchor:] if anchor >= 0 else text + "\n" + section
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.relevance", description=__doc__.split("\n\n")[0])
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS, help="the judged queries (default: benchmarks/relevance.yaml)")
    parser.add_argument("--work", type=Path, default=WORK, help="where the organisations are built (default: benchmarks/work)")
    parser.add_argument("--only", choices=ENGINES, help="one engine only")
    parser.add_argument("--json", type=Path, help="where to write every figure (default: benchmarks/results/relevance-<date>.json)")
    parser.add_argument("--markdown", type=Path, default=MARKDOWN, help="the page whose relevance block is rewritten (default: benchmarks/RESULTS.md)")
    args = parser.parse_args(argv)
    try:
        results = measure(args.judgments, args.work.resolve(), engines=(args.only,) if args.only else ENGINES)
    except JudgmentsError as error:
        print(f"{args.judgments}: the judgments are not usable:\n{error}", file=sys.stderr)
        return 1
    out = args.json or RESULTS_DIR / f"relevance-{results['date']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(markdown(results))
    if not args.only:
        write_markdown(results, args.markdown)
    failed = [f"{name} ({measured:.3f} < {target:.2f})" for name, measured, target, holds in verdicts(results) if not holds]
    print(f"\nWrote {out}" + (f"; targets missed: {', '.join(failed)}" if failed else "; every target holds"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
