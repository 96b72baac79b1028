"""``python -m benchmarks [--sizes 1000,10000,100000] [--runs 3]``: the performance suite (see benchmarks/suite.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.report import save, write_results_md
from benchmarks.suite import RESULTS_DIR, WORK, measure

HERE = Path(__file__).parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description="Measure validation and the build at N people; write results/<date>.json and RESULTS.md."
    )
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated numbers of people (default: 1000,10000,100000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each short measure (< 20 s); the median is kept (default: 3)")
    parser.add_argument("--work", type=Path, default=WORK, help="synthetic directories and built sites (default: benchmarks/work)")
    parser.add_argument("--results", type=Path, default=RESULTS_DIR, help="folder of the JSON results (default: benchmarks/results)")
    parser.add_argument("--markdown", type=Path, default=HERE / "RESULTS.md", help="the page regenerated from them (default: benchmarks/RESULTS.md)")
    parser.add_argument("--no-search", action="store_true", help="leave out the search benchmark (a browser and one more build per size)")
    parser.add_argument("--no-floor", action="store_true", help="leave out the bare MkDocs build of the generated pages (the floor), too long at 100k")
    parser.add_argument(
        "--incremental",
        action="store_true",
        help="after the full build, builds with its state after merges of 1 and 10 changed profiles, and (up to 10,000 people) trombi serve showing an edit",
    )
    parser.add_argument("--validate-only", action="store_true", help="measure validation only, not the build (for sizes whose build would not fit the machine)")
    args = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()]
    for size in sizes:
        # One size at a time, saved at once: a long run stopped later keeps what it measured.
        results = measure(
            [size], args.runs, args.work, search=not args.no_search, build=not args.validate_only, floor=not args.no_floor, incremental=args.incremental
        )
        path = save(results, args.results)
        print(f"{size:,} people: {path}", file=sys.stderr)
    write_results_md(args.results, args.markdown)
    print(f"Wrote {args.markdown}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
