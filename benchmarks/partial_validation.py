"""What a pull request pays: ``trombi validate`` on one changed file of a large directory.

    python -m benchmarks.partial_validation --people 100000 [--work DIR] [--runs 5]

Generates a synthetic directory under ``benchmarks/work/synth-<N>/`` (reused when present), then
times, as subprocesses and wall time: ``trombi validate`` on one person file and on one group
file (median of ``--runs``), and on the whole directory (once). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from benchmarks.suite import cpu_model, synthetic_directory

WORK = Path(__file__).parent / "work"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.partial_validation", description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000, help="size of the synthetic directory (default: 100000)")
    parser.add_argument("--work", type=Path, default=WORK, help="where synthetic directories are kept (default: benchmarks/work)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each partial validation; the median is reported (default: 5)")
    args = parser.parse_args(argv)

    reused = (args.work / f"synth-{args.people}" / "mkdocs.yml").is_file()
    started = time.perf_counter()
    root = synthetic_directory(args.people, args.work)
    generation = f"reused {root}" if reused else f"{time.perf_counter() - started:.1f} s"
    rows: list[tuple[str, str]] = [(f"Generation of {args.people:,} people", generation)]

    person = sorted(p.name for p in (root / "people").iterdir())[args.people // 2]
    team = yaml.safe_load((root / "people" / person).read_text(encoding="utf-8")).get("team")
    group = f"{team}.yaml" if team else sorted(p.name for p in (root / "groups").iterdir())[0]
    for relative in (f"people/{person}", f"groups/{group}"):
        times = [run(root, relative) for _ in range(args.runs)]
        rows.append((f"`trombi validate {relative}` (median of {args.runs})", f"{statistics.median(times):.2f} s"))
    rows.append(("`trombi validate` (whole directory, once)", f"{run(root):.1f} s"))

    print(f"\n| Measure ({args.people:,} people) | Wall time |\n|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")
    print(f"\nMachine: {os.cpu_count()} cores ({cpu_model()}), {platform.system()} {platform.machine()}, Python {platform.python_version()}.")
    return 0


def run(root: Path, *paths: str) -> float:
    """Wall time of ``trombi validate [paths]`` run in ``root``; a failed validation stops the benchmark."""
    trombi = Path(sys.executable).with_name("trombi")
    command = [str(trombi)] if trombi.is_file() else [sys.executable, "-m", "generator.cli.main"]
    started = time.perf_counter()
    result = subprocess.run([*command, "validate", *paths], cwd=root, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"trombi validate {' '.join(paths)} failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return seconds


if __name__ == "__main__":
    sys.exit(main())
