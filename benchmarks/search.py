"""What search costs at N people: in the browser (Pagefind) and in the terminal (Whoosh).

    python -m benchmarks.search --people 10000 [--work DIR] [--no-material]

On a synthetic directory (``benchmarks/work/synth-N``, generated once and reused) built into
``benchmarks/work/search-site-N``, measures:

- Pagefind: indexing time and peak memory (a fresh subprocess indexing the built site again);
- the browser (headless Chromium, site served on 127.0.0.1 by a plain static server, so without
  HTTP compression): bytes downloaded by a first and by a following query typed in the header
  box, and by the full search page with its facets; time from the input to results shown;
- Whoosh: index time, query latency p50/p95 in a warm process, and the whole ``trombi search``
  command (a subprocess, median of 5);
- Material's ``search_index.json`` for the same site (its search plugin's index, given every page).

:func:`measure_search` returns the figures as a dict; :func:`main` prints them as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WORK = Path(__file__).parent / "work"
CHROMIUM = os.environ.get("TROMBI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Queries a person would type: skills, places, names, titles, fielded terms, a typo.
QUERIES = [
    "kubernetes",
    "python",
    "lyon",
    "développeuse",
    "securite",
    "skill:kubernetes location:lyon",
    "martin",
    "ingenieur data",
    "kubernets",
    "terraform paris",
    "chef de projet",
    "lang:de",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="size of the synthetic directory (default: 10000)")
    parser.add_argument("--work", type=Path, default=WORK, help="where synthetic directories and sites are kept (default: benchmarks/work)")
    parser.add_argument("--no-material", action="store_true", help="skip Material's search index (it renders every page once more)")
    parser.add_argument("--no-build", action="store_true", help="reuse the site already built in the work folder")
    args = parser.parse_args(argv)

    from benchmarks.suite import synthetic_directory

    site = (args.work / f"search-site-{args.people}").resolve()
    figures: dict[str, Any] = {"people": args.people}
    reused = (args.work / f"synth-{args.people}" / "mkdocs.yml").is_file()
    started = time.perf_counter()
    root = synthetic_directory(args.people, args.work)
    if not reused:
        figures["generation_s"] = round(time.perf_counter() - started, 1)
    if not args.no_build or not (site / "pagefind").is_dir():
        from generator.engine.publish import build_site

        started = time.perf_counter()
        build_site(root, site)
        figures["build_s"] = round(time.perf_counter() - started, 1)
    figures |= measure_search(site, root, material=not args.no_material)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


def measure_search(site_dir: Path, root: Path, *, material: bool = True) -> dict[str, Any]:
    """Every figure of this benchmark for a site already built from the directory at ``root``."""
    from generator.search.pagefind import indexed_pages

    figures: dict[str, Any] = {}
    figures["pagefind_bundle_mb"] = round(_size(site_dir / "pagefind") / 1e6, 2)
    figures["pagefind_indexed_pages"] = indexed_pages(site_dir)
    figures["vocabulary_kb"] = round((site_dir / "assets" / "search-vocabulary.json").stat().st_size / 1e3, 1)
    figures["pagefind"] = measure_pagefind_indexing(site_dir, root)
    figures["browser"] = measure_browser(site_dir)
    figures["whoosh"] = measure_whoosh(root)
    if material:
        figures["material_search_index_mb"] = round(material_index_size(root) / 1e6, 2)
    return figures


def measure_pagefind_indexing(site_dir: Path, root: Path) -> dict[str, float]:
    """Index the people again from the documents the build wrote for Pagefind, in a fresh process: wall time, bundles, the Pagefind binary's peak RSS."""
    code = (
        "import json, resource, sys, tempfile, time; from pathlib import Path; "
        "from generator.search.pagefind import DOCUMENTS_DIR, write_pagefind_index; "
        "site, documents = Path(sys.argv[1]), Path(sys.argv[2]) / DOCUMENTS_DIR; "
        "pages = [p.relative_to(documents).as_posix() for p in documents.rglob('*.html')]; "
        "cache = tempfile.TemporaryDirectory(dir=documents.parent); "  # every bundle indexed, none reused from the build
        "t = time.perf_counter(); stats = write_pagefind_index(documents, site, pages, cache=Path(cache.name)); "
        "print(json.dumps({'seconds': time.perf_counter() - t, 'pages': stats.pages, 'bundles': stats.bundles, "
        "'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))"
    )
    result = subprocess.run([sys.executable, "-c", code, str(site_dir), str(root)], capture_output=True, text=True, check=True)
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    return {"seconds": round(measured["seconds"], 2), "pages": measured["pages"], "bundles": measured["bundles"], "peak_mb": round(measured["peak_mb"], 1)}


# A skill, a site, a title, a name; then the broadest words of a large company: a title held by a
# fifth of it, and the most common skill, typed with its small word.
HEADER_QUERIES = ("kubernetes", "lyon", "développeuse", "martin", "ingénieur", "prise de parole")
# Times in a browser vary from run to run on a shared machine: each figure is the median of this
# many rounds, each in a fresh browser context (an empty cache: its first query is a first query).
BROWSER_ROUNDS = 3
# A person types about 10 keys a second; the box searches once typing pauses.
TYPING_KEY_MS = 100


def measure_browser(site_dir: Path, rounds: int = BROWSER_ROUNDS, *, browser: Any = None) -> dict[str, Any]:
    """Bytes and times of searches typed in the header box, then of the full search page.

    In a headless Chromium of its own, or in ``browser`` (a Playwright browser already running).
    """
    with _served(site_dir) as base:
        if browser is not None:
            measured = [_browser_round(browser, base) for _ in range(rounds)]
        else:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    measured = [_browser_round(chromium, base) for _ in range(rounds)]
                finally:
                    chromium.close()
    first = measured[0]
    query_times = [[m["header_queries"][index]["ms"] for m in measured] for index in range(len(HEADER_QUERIES))]
    return {
        "rounds": rounds,
        "page_load_kb": first["page_load_kb"],
        "typed_first_query_ms": round(statistics.median(m["typed_first_ms"] for m in measured)),
        "typed_first_query_ms_rounds": [m["typed_first_ms"] for m in measured],
        "header_queries": [
            {**query, "ms": round(statistics.median(times)), "ms_rounds": times}
            for query, times in zip(first["header_queries"], query_times, strict=True)
        ],
        "search_page": {
            **first["search_page"],
            "ms_to_results": round(statistics.median(m["search_page"]["ms_to_results"] for m in measured)),
            "ms_rounds": [m["search_page"]["ms_to_results"] for m in measured],
        },
        "outside_requests": sorted({url for m in measured for url in m["outside_requests"]}),
    }


def _typed_first_query(browser: Any, base: str) -> int:
    """The first query of a fresh browser typed as a person types it, 10 keys a second: the search box
    starts loading the index when it gets the focus, so part of it is there when typing ends."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + "people/")
        page.wait_for_load_state("networkidle")
        return round(page.evaluate(_TYPE_AND_WAIT, [HEADER_QUERIES[0], TYPING_KEY_MS]))
    finally:
        context.close()


def _browser_round(browser: Any, base: str) -> dict[str, Any]:
    typed_first_ms = _typed_first_query(browser, base)
    context = browser.new_context()
    try:
        page = context.new_page()
        sizes: list[tuple[str, int]] = []
        page.on("requestfinished", lambda request: sizes.append((request.url, _body_size(request))))
        page.goto(base + "people/")
        page.wait_for_load_state("networkidle")
        _settle(page, sizes)
        figures: dict[str, Any] = {"page_load_kb": round(sum(size for _, size in sizes) / 1e3, 1), "typed_first_ms": typed_first_ms}
        outside = [url for url, _ in sizes if not url.startswith(base)]
        queries = []
        for query in HEADER_QUERIES:
            sizes.clear()
            elapsed = page.evaluate(_TYPE_AND_WAIT, query)
            _settle(page, sizes)
            outside += [url for url, _ in sizes if not url.startswith(base)]
            queries.append({"query": query, "ms": round(elapsed), "kb": round(sum(size for _, size in sizes) / 1e3, 1), "requests": len(sizes)})
        figures["header_queries"] = queries
        sizes.clear()
        started = time.perf_counter()
        page.goto(base + "search/?q=python&location=Lyon")
        page.wait_for_selector("[data-trombi-search-page][data-trombi-ready]", timeout=60_000)
        ms_to_results = round((time.perf_counter() - started) * 1000)
        _settle(page, sizes)  # the downloads' events may come after the results: all of them counted, as for the queries above
        figures["search_page"] = {
            "ms_to_results": ms_to_results,
            "kb_without_page": round(sum(size for url, size in sizes if "/pagefind/" in url or url.endswith(".json")) / 1e3, 1),
            "results": int(page.get_attribute("[data-trombi-search-page]", "data-trombi-count") or 0),
        }
        figures["outside_requests"] = outside
        return figures
    finally:
        context.close()


def measure_whoosh(root: Path, runs: int = 5) -> dict[str, Any]:
    """Index time, query latency in a warm process, and the whole ``trombi search`` command."""
    from generator.directory.enrich import enrich
    from generator.directory.settings import load_settings
    from generator.directory.validate import validate_directory
    from generator.search.index import write_index
    from generator.search.query import Filters, SearchIndex

    figures: dict[str, Any] = {}
    directory, _ = validate_directory(load_settings(root))
    org = enrich(directory)
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "index"
        started = time.perf_counter()
        count = write_index(org, target)
        figures["index_s"] = round(time.perf_counter() - started, 1)
        figures["indexed_people"] = count
        figures["index_mb"] = round(_size(target) / 1e6, 1)
        with SearchIndex(target) as index:
            for query in QUERIES:  # warm up: the first query of each kind loads the segments
                index.search(query)
            latencies = []
            for _ in range(runs):
                for query in QUERIES:
                    started = time.perf_counter()
                    index.search(query)
                    latencies.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                index.search("", Filters(skills=("Kubernetes",), location="Lyon", language="de"))
                latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    figures["query_ms_p50"] = round(statistics.median(latencies), 1)
    figures["query_ms_p95"] = round(latencies[int(len(latencies) * 0.95) - 1], 1)
    command = [sys.executable, "-m", "generator.cli.main", "search", "--root", str(root), "kubernetes", "--location", "Lyon"]
    subprocess.run(command, capture_output=True, check=True)  # makes sure the index in root is fresh
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    figures["command_s_median"] = round(statistics.median(times), 2)
    return figures


def material_index_size(root: Path) -> int:
    """Size of the ``search/search_index.json`` Material's search plugin would write for the same pages.

    The site's own build writes most pages around MkDocs, so Material's plugin would not see them,
    and a bare MkDocs build of every page would take over 15 minutes and about 7 GiB at 100,000
    people. The plugin's own index
    (its ``SearchIndex``, with the settings it takes for the site's language) is therefore given
    every page ``trombi render`` writes, as the plugin is given each page MkDocs renders: the
    page's HTML (Markdown leaves it as it is), URL and title.
    """
    from material.plugins.search.plugin import SearchPlugin
    from mkdocs.config import load_config
    from mkdocs.structure.toc import get_toc

    from generator.directory.enrich import enrich
    from generator.directory.settings import load_settings
    from generator.directory.validate import valid_directory
    from generator.site.render import render_site
    from generator.site.urls import page_url

    settings = load_settings(root)
    with tempfile.TemporaryDirectory() as folder:
        config_file = Path(folder) / "mkdocs.yml"
        (Path(folder) / "docs").mkdir()
        config_file.write_text(json.dumps({"site_name": settings.site_name, "theme": {"name": "material", "language": settings.language}}), encoding="utf-8")
        config = load_config(str(config_file))
    plugin = SearchPlugin()
    plugin.load_config({})
    plugin.on_config(config)
    for page in render_site(enrich(valid_directory(settings))):
        plugin.search_index.add_entry_from_context(_MaterialPage(page.html, page_url(page.path), page.title, {"title": page.title}, get_toc([])))
    return len(plugin.search_index.generate_search_index(None).encode("utf-8"))


@dataclass
class _MaterialPage:
    """What Material's search index reads of a page."""

    content: str
    url: str
    title: str
    meta: dict[str, Any]
    toc: Any


# Puts the query in the box (pasted: one input event; or typed: one event a key, ``keyMs`` apart),
# then waits until the box shows its results: the time from the last input event to them.
_TYPE_AND_WAIT = """async (args) => {
  const [query, keyMs] = Array.isArray(args) ? args : [args, 0];
  const form = document.querySelector('[data-trombi-header-search]');
  const input = form.querySelector('input[name=q]');
  input.focus();
  const keys = keyMs ? [...query].map((_, i) => query.slice(0, i + 1)) : [query];
  let started = 0;
  for (const value of keys) {
    if (started) await new Promise(r => setTimeout(r, keyMs));
    started = performance.now();
    input.value = value;
    input.dispatchEvent(new Event('input', {bubbles: true}));
  }
  while (form.dataset.trombiAnswered !== query) {
    if (performance.now() - started > 60000) throw new Error('no answer to ' + query + ' after 60 s');
    await new Promise(r => setTimeout(r, 5));
  }
  return performance.now() - started;
}"""


def _settle(page: Any, sizes: list[tuple[str, int]], quiet_ms: int = 500) -> None:
    """Wait until the page has made no request for ``quiet_ms``: the query's downloads are all counted."""
    seen = -1
    while seen != len(sizes):
        seen = len(sizes)
        page.wait_for_timeout(quiet_ms)


def _body_size(request: Any) -> int:
    try:
        sizes = request.sizes()
    except Exception:  # a request cancelled by the page has no sizes
        return 0
    return int(sizes["responseBodySize"]) + int(sizes["responseHeadersSize"])


@contextmanager
def _served(site: Path) -> Iterator[str]:
    """The site served on localhost by a static server in a process of its own (in this one, it would
    wait for the interpreter's lock while the browser's driver holds it, and slow what is measured)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the static server did not start on port {port}") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait()


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


if __name__ == "__main__":
    raise SystemExit(main())
