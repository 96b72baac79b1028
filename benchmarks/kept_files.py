"""What the files a build keeps in its state cost, made anew and kept: the profile form's shards, the calendars, the silo map.

    python -m benchmarks.kept_files --root DIR [--today 2026-02-10]

``DIR`` is a directory repository this benchmark may write to (a copy of
``benchmarks/work/clone-10000``, say): its ``.trombi/`` is emptied first. Times, in this process
(wall time), each maker without a state (as a test calls it), with an empty state (made and
kept), with the state of the same inputs, the day after (the calendars' DTSTAMP), and after one
person in a lunch is renamed (one shard, one calendar). After the rename, checks that what came
from the state is byte for byte what a maker without one makes. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from generator.build.features import Planning, calendars, silo_map
from generator.build.state import STATE_DIR, check_state
from generator.directory.enrich import Org, enrich
from generator.directory.settings import Settings, load_settings
from generator.directory.validate import valid_directory
from generator.history.git import History
from generator.i18n import load_language
from generator.network.lunchfiles import read_pairings
from generator.network.pairing import MonthPairing, site_months
from generator.site.form import profile_shards

Files = dict[str, bytes]
Maker = Callable[[Settings, Org, list[MonthPairing], date], Files]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.kept_files", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, required=True, help="a directory repository this benchmark may write to")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 2, 10), help="the build's day (default: 2026-02-10)")
    args = parser.parse_args(argv)
    root: Path = args.root
    shutil.rmtree(root / STATE_DIR, ignore_errors=True)
    settings = load_settings(root)
    org, lunches = _load(settings, args.today)
    print(f"{len(org.people):,} people, {sum(len(month.lunches) for month in lunches):,} lunches\n")

    check_state(root / STATE_DIR)
    makers: dict[str, Maker] = {
        "Profile form's shards": lambda s, o, _, __: dict(profile_shards(o, s)),
        "Calendars": lambda s, o, months, day: _files(calendars(_planning(s, o, months, day))),
        "Silo map": lambda s, o, months, day: _files(silo_map(_planning(s, o, months, day))),
    }
    rows: list[tuple[str, str, str, str, str, str]] = []
    for name, make in makers.items():
        with _without_state(root):
            times = [_timed(make, settings, org, lunches, args.today)[1]]
        times.append(_timed(make, settings, org, lunches, args.today)[1])
        times.append(_timed(make, settings, org, lunches, args.today)[1])
        times.append(_timed(make, settings, org, lunches, args.today + timedelta(days=1))[1])
        rows.append((name, *(f"{seconds:.2f} s" for seconds in times), ""))

    renamed = _rename_someone_in_a_lunch(settings, org, lunches)
    org, lunches = _load(settings, args.today)
    for index, make in enumerate(makers.values()):
        kept, seconds = _timed(make, settings, org, lunches, args.today)
        with _without_state(root):
            fresh = make(settings, org, lunches, args.today)
        same = "identical" if kept == fresh else f"DIFFERENT: {sorted(path for path in fresh.keys() | kept.keys() if kept.get(path) != fresh.get(path))[:5]}"
        rows[index] = (*rows[index][:5], f"{seconds:.2f} s, {same}")
    print(f"One person renamed: {renamed}\n")
    print("| Files | No state | Empty state | Same inputs | The day after | One person renamed |\n|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


@contextmanager
def _without_state(root: Path) -> Iterator[None]:
    """The block runs as a test would, without a state: ``.trombi/`` is set aside meanwhile."""
    aside = root / (STATE_DIR + "-aside")
    (root / STATE_DIR).rename(aside)
    try:
        yield
    finally:
        aside.rename(root / STATE_DIR)


def _load(settings: Settings, today: date) -> tuple[Org, list[MonthPairing]]:
    org = enrich(valid_directory(settings))
    return org, site_months(org, read_pairings(settings), today)


def _planning(settings: Settings, org: Org, months: list[MonthPairing], today: date) -> Planning:
    return Planning(org, settings, load_language(settings.language), History(), months, today, None)


def _files(files: Iterable[object]) -> Files:
    found: Files = {}
    for file in files:
        content = getattr(file, "content")  # noqa: B009 - a StaticFile
        found[getattr(file, "path")] = content.encode("utf-8") if isinstance(content, str) else content  # noqa: B009
    return found


def _rename_someone_in_a_lunch(settings: Settings, org: Org, months: list[MonthPairing]) -> str:
    handle = next(handle for month in months for lunch in month.lunches for handle in lunch.people)
    path = settings.people_path / f"{handle}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^name: .*$", "name: Prénom Renommé", text, count=1, flags=re.MULTILINE), encoding="utf-8")
    return handle


def _timed(make: Maker, settings: Settings, org: Org, months: list[MonthPairing], today: date) -> tuple[Files, float]:
    started = time.perf_counter()
    result = make(settings, org, months, today)
    return result, time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
