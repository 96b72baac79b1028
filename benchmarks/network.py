"""What the networking features cost at scale: lunch pairing, introductions, similar people, matching.

    python -m benchmarks.network --people 100000 [--work DIR] [--queries 50]

Uses the synthetic directory under ``benchmarks/work/synth-<N>/`` (written when missing), loads
it once, then times in this process (wall time): the lunch pairing of a month with everyone
opted in and again with a month of history, the calendar files, introduction queries between random people (median
and slowest), similar people for everyone, offers and seeks matched for everyone, the silo map.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from benchmarks.suite import synthetic_directory
from generator.directory.enrich import Org, enrich
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.i18n import load_language
from generator.network.intro import intro_path
from generator.network.matching import match_seeks
from generator.network.pairing import pair_month, quality
from generator.network.silo import silo_map, silo_svg
from generator.network.similar import similar_people
from generator.site.ics import site_calendars

WORK = Path(__file__).parent / "work"
T = TypeVar("T")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.network", description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000, help="size of the synthetic directory (default: 100000)")
    parser.add_argument("--work", type=Path, default=WORK, help="where synthetic directories are kept (default: benchmarks/work)")
    parser.add_argument("--queries", type=int, default=50, help="introduction queries between random people (default: 50)")
    args = parser.parse_args(argv)

    rows: list[tuple[str, str]] = []
    root = synthetic_directory(args.people, args.work)
    org, seconds = timed(lambda: load(root))
    rows.append((f"Load, validate and enrich {len(org.people):,} people (context)", f"{seconds:.1f} s"))

    for person in org.people.values():
        person.networking.lunch, person.networking.snooze_until = True, None  # everyone opted in: the worst case
    first, seconds = timed(lambda: pair_month(org, "2026-01"))
    measures = quality(org, first)
    rows.append((f"Lunch pairing, {measures.people:,} people opted in, no history", f"{seconds:.1f} s"))
    history = {"2026-01": [lunch.people for lunch in first.lunches]}
    second, seconds = timed(lambda: pair_month(org, "2026-02", history))
    measures = quality(org, second, history)
    rows.append(("Lunch pairing, next month with one month of history", f"{seconds:.1f} s"))
    rows.append(
        (
            "Pairing quality (2nd month)",
            f"cross-team {measures.cross_team:.1%}, cross-department {measures.cross_department:.1%}, "
            f"repeats {measures.repeats}, trios {measures.trios}, unmatched {measures.unmatched}",
        )
    )

    calendars, seconds = timed(lambda: sum(1 for _ in site_calendars(org, [second], today=date(2026, 2, 1), language=load_language("fr"))))
    rows.append((f"Calendars of the site: {calendars:,} (.ics of the groups that meet and of one month's lunches)", f"{seconds:.1f} s"))

    rng = random.Random(0)
    handles = sorted(org.people)
    times, lengths = [], []
    for _ in range(args.queries):
        start, goal = rng.choice(handles), rng.choice(handles)
        hops, seconds = timed(lambda start=start, goal=goal: intro_path(org, start, goal))  # type: ignore[misc]
        times.append(seconds)
        lengths.append(len(hops) if hops is not None else -1)
    found = [n for n in lengths if n >= 0]
    rows.append(
        (
            f"Introduction path, {args.queries} random queries",
            f"median {statistics.median(times) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms; "
            f"{len(found)} found, median {statistics.median(found) if found else 0:.0f} hops",
        )
    )

    similar, seconds = timed(lambda: similar_people(org))
    rows.append((f"Similar people for everyone ({len(similar):,} with suggestions)", f"{seconds:.1f} s"))
    matches, seconds = timed(lambda: match_seeks(org))
    helped = sum(1 for match in matches if match.helpers)
    rows.append((f"Offers and seeks matched ({len(matches):,} seeks, {helped:,} with helpers)", f"{seconds:.1f} s"))
    silos, seconds = timed(lambda: silo_map(org, [lunch.people for lunch in second.lunches]))
    svg, svg_seconds = timed(lambda: silo_svg(silos, title="Links", caption="Strength"))
    rows.append((f"Silo map ({len(silos.departments)} departments) and its SVG ({len(svg) // 1024} KiB)", f"{seconds:.1f} s + {svg_seconds:.1f} s"))

    print(f"\n| Measure ({len(org.people):,} people) | Wall time |\n|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")
    print(f"\nMachine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, Python {platform.python_version()}.")
    return 0


def load(root: Path) -> Org:
    directory, _ = validate_directory(load_settings(root))
    return enrich(directory)


def timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
