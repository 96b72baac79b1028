"""How well both searches answer what people ask: nDCG@5 and precision@1 on judged queries.

    python -m benchmarks.relevance [--judgments benchmarks/relevance.yaml] [--work DIR] [--only ENGINE]

The queries and their graded judgments are ``benchmarks/relevance.yaml``, written by reading the
profiles (see its header). Each organisation it names is built once into the work folder: the
demo (this repository's directory) and synthetic ones (``trombi synth``). Then every
query is put to

- the terminal's search: the pages it names, then the people (:class:`SearchIndex`), as ``trombi
  search`` prints them;
- the browser's: the site's search page in headless Chromium (Debian's), served on 127.0.0.1; the
  section of named pages, then the people, as a person sees them.

Each ranking is scored by nDCG@5 (gain 2^grade − 1, a log2 discount, against the best order the
judgments allow) and precision@1 (the first result graded 2 or more), and the two engines' first
results are compared. The figures go to ``benchmarks/results/relevance-<date>.json`` and to the
``## Relevance`` block of ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml

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
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def ndcg(ranked: list[str], judged: dict[str, int], depth: int = DEPTH) -> float:
    """The ranking's discounted gain over its first ``depth`` results, against the best the judgments allow."""
    ideal = dcg(sorted(judged.values(), reverse=True)[:depth])
    return dcg(judged.get(found, 0) for found in ranked[:depth]) / ideal if ideal else 0.0


def precision_at_1(ranked: list[str], judged: dict[str, int]) -> float:
    return 1.0 if ranked and judged.get(ranked[0], 0) >= RELEVANT else 0.0


# --- the judgments ------------------------------------------------------------------------------


def load_judgments(path: Path) -> tuple[dict[str, dict[str, Any]], list[Query]]:
    """The organisations and the queries of ``path``; :class:`JudgmentsError` lists what is wrong."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    orgs = data.get("organisations") or {}
    queries = []
    for number, entry in enumerate(data.get("queries") or [], start=1):
        where = f"query {number} ({entry.get('query')!r})"
        if entry.get("org") not in orgs:
            problems.append(f"{where}: unknown organisation {entry.get('org')!r} (known: {', '.join(orgs)})")
        judged = entry.get("judged") or {}
        if not judged:
            problems.append(f"{where}: nothing judged")
        for found, grade in judged.items():
            if grade not in (1, 2, 3):
                problems.append(f"{where}: {found} is graded {grade!r}, not 1, 2 or 3")
        if not str(entry.get("query") or "").strip():
            problems.append(f"{where}: no query")
        queries.append(Query(str(entry.get("org")), str(entry.get("kind", "")), str(entry.get("query")), dict(judged)))
    if problems:
        raise JudgmentsError("\n".join(problems))
    return orgs, queries


def check_ids(queries: list[Query], roots: dict[str, Built]) -> None:
    """Every judged id is a person or a page of its organisation (read from the terminal's index of it)."""
    from generator.search.index import NAMED

    problems = []
    for org, built in roots.items():
        root = built.root
        rows = json.loads((root / ".trombi" / "index" / NAMED).read_text(encoding="utf-8"))
        pages = {row[0] for shard in rows.values() for row in shard}
        for query in queries:
            if query.org != org:
                continue
            for found in query.judged:
                kind, _, name = found.partition(":")
                exists = (root / "people" / f"{name}.yaml").is_file() if kind == "person" else found in pages
                if not exists:
                    problems.append(f"{org} {query.text!r}: {found} is no person or page of {org}")
    if problems:
        raise JudgmentsError("\n".join(problems))


# --- the organisations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    root: Path  # the directory (its terminal index under .trombi/)
    site: Path


def prepare(name: str, spec: dict[str, Any], work: Path, sites: Path) -> Built:
    """The organisation built: a synthetic one generated once into ``work``, the demo where it is; the site into ``sites``."""
    from generator.engine.publish import build_site

    if "people" in spec:
        from generator.directory.synth import write_synthetic_directory

        root = work / f"relevance-synth-{spec['people']}-{spec.get('seed', 0)}"
        if not (root / "people").is_dir():
            shutil.rmtree(root, ignore_errors=True)
            write_synthetic_directory(root, int(spec["people"]), seed=int(spec.get("seed", 0)))
    else:
        root = (REPO / spec.get("root", ".")).resolve()
    site = sites / name
    build_site(root, site)  # every time: the site and the index are those of the code measured
    return Built(root, site)


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
    with tempfile.TemporaryDirectory(prefix="trombi-relevance-") as sites, _maybe_browser("browser" in engines, chromium) as launched:
        roots = {name: prepare(name, spec, work, Path(sites)) for name, spec in orgs.items() if any(q.org == name for q in queries)}
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
            ranked = rankings[engine][number]
            row[engine] = {"ranked": ranked[:10], "ndcg": round(ndcg(ranked, query.judged), 4), "p1": precision_at_1(ranked, query.judged)}
        if len(engines) == 2:
            firsts = [rankings[engine][number][:1] for engine in engines]
            row["same_first"] = firsts[0] == firsts[1]
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


def markdown(results: dict[str, Any], worst: int = 8) -> str:
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
    parser.add_argument("--results", type=Path, default=RESULTS_DIR, help="folder of the JSON results (default: benchmarks/results)")
    parser.add_argument("--markdown", type=Path, default=MARKDOWN, help="the page whose relevance block is rewritten (default: benchmarks/RESULTS.md)")
    args = parser.parse_args(argv)
    try:
        results = measure(args.judgments, args.work.resolve(), engines=(args.only,) if args.only else ENGINES)
    except JudgmentsError as error:
        print(f"{args.judgments}: the judgments are not usable:\n{error}", file=sys.stderr)
        return 1
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"relevance-{results['date']}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(markdown(results))
    if not args.only:
        write_markdown(results, args.markdown)
    failed = [name for name, _, _, holds in verdicts(results) if not holds]
    print(f"\nWrote {out}" + (f"; targets missed: {', '.join(failed)}" if failed else "; every target holds"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
