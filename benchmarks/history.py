"""What the history pass costs on a large, busy directory.

    python -m benchmarks.history --people 10000 --commits 10000 [--days 90] [--span-days 365] [--work DIR]

Writes a synthetic directory under ``benchmarks/work/history-<people>-<commits>/`` (reused when
present) and makes it a git repository with ``git fast-import``: one commit with every file, then
``--commits`` commits spread evenly over the last ``--span-days`` days, each editing one profile (a
skill added, a level raised, a title changed). Then times :func:`generator.history.git.read_history`,
the whole pass (one ``git log``, one ``git cat-file`` process for the window's versions), for the
news window of ``--days`` days, then a rebuild with the cache (nothing new, one new commit), and
prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from generator.directory.settings import load_settings
from generator.directory.synth import write_synthetic_directory
from generator.history.git import read_history

WORK = Path(__file__).parent / "work"
LEVELS = ("notions", "intermediate", "advanced", "expert")
TITLES = ("Ingénieure logiciel", "Ingénieur données", "Cheffe de projet", "Responsable produit", "Architecte", "Designer")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.history", description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="size of the synthetic directory (default: 10000)")
    parser.add_argument("--commits", type=int, default=10_000, help="commits after the initial one, each editing one profile (default: 10000)")
    parser.add_argument("--days", type=int, default=90, help="the news window read from history (default: 90)")
    parser.add_argument("--span-days", type=int, default=365, help="the commits are spread over this many days up to now (default: 365)")
    parser.add_argument("--work", type=Path, default=WORK, help="where the repositories are kept (default: benchmarks/work)")
    parser.add_argument("--runs", type=int, default=3, help="runs of the history pass; the best is reported (default: 3)")
    args = parser.parse_args(argv)

    root = (args.work / f"history-{args.people}-{args.commits}-{args.span_days}").resolve()
    rows: list[tuple[str, str]] = []
    if (root / ".git").is_dir():
        rows.append(("Repository", f"reused {root}"))
    else:
        staging = root.with_name(f".{root.name}.partial")  # a run stopped half-way leaves only this behind
        shutil.rmtree(staging, ignore_errors=True)
        summary = write_synthetic_directory(staging, args.people, seed=0)
        rows.append((f"Generation of {summary.people:,} people, {summary.groups:,} groups", f"{summary.seconds:.1f} s"))
        started = time.perf_counter()
        make_repository(staging, args.commits, span=timedelta(days=args.span_days))
        rows.append((f"`git fast-import` of 1 + {args.commits:,} commits", f"{time.perf_counter() - started:.1f} s"))
        staging.rename(root)

    settings = load_settings(root)
    times, cpu = [], []
    for _ in range(args.runs):
        started, before = time.perf_counter(), _cpu()
        history = read_history(settings, days=args.days)
        times.append(time.perf_counter() - started)
        cpu.append(_cpu() - before)
    kinds: dict[str, int] = {}
    for event in history.events:
        kinds[event.kind] = kinds.get(event.kind, 0) + 1
    rows.append((f"History pass, {args.days}-day window (best of {args.runs})", f"{min(times):.2f} s wall, {min(cpu):.2f} s CPU (Python + git)"))
    cache = root / ".trombi"
    shutil.rmtree(cache, ignore_errors=True)
    read_history(settings, days=args.days, cache_dir=cache)
    started, before = time.perf_counter(), _cpu()
    read_history(settings, days=args.days, cache_dir=cache)
    rows.append(("Rebuild, nothing new (cached)", f"{time.perf_counter() - started:.2f} s wall, {_cpu() - before:.2f} s CPU"))
    previous = _one_more_commit(root)
    started, before = time.perf_counter(), _cpu()
    read_history(settings, days=args.days, cache_dir=cache)
    rows.append(("Rebuild after one commit (cached + the new commit)", f"{time.perf_counter() - started:.2f} s wall, {_cpu() - before:.2f} s CPU"))
    _git(root, "update-ref", "refs/heads/main", previous)  # the repository stays as generated
    shutil.rmtree(cache, ignore_errors=True)
    rows.append(("Files with a last change", f"{len(history.changes):,}"))
    rows.append(("Events in the window", f"{len(history.events):,} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})"))
    if history.notes:
        rows.append(("Notes", "; ".join(history.notes)))

    print(f"\n| Measure ({args.people:,} people, {args.commits:,} commits over {args.span_days} days) | Value |\n|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")
    print(f"\nMachine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}.")
    return 0


def make_repository(root: Path, commits: int, *, span: timedelta, seed: int = 0) -> None:
    """Commit ``root`` as it is, then ``commits`` one-profile edits, through one ``git fast-import``."""
    _git(root, "init", "-q", "-b", "main")
    process = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], cwd=root, stdin=subprocess.PIPE)
    assert process.stdin is not None
    for chunk in _stream(root, commits, span=span, seed=seed):
        process.stdin.write(chunk)
    process.stdin.close()
    if process.wait() != 0:
        raise RuntimeError("git fast-import failed")


def _stream(root: Path, commits: int, *, span: timedelta, seed: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - span
    files = sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)
    people = sorted(p.relative_to(root).as_posix() for p in (root / "people").glob("*.yaml"))
    skills = sorted(yaml.safe_load((root / "skills.yaml").read_text(encoding="utf-8")))
    texts: dict[str, str] = {}

    yield _commit_header("Initial import", "Import RH", start - timedelta(days=1))
    for path in files:
        yield _modify(path.relative_to(root).as_posix(), path.read_bytes())
    yield b"\n"
    step = span / max(commits, 1)
    for number in range(commits):
        relative = rng.choice(people)
        text = texts.get(relative) or (root / relative).read_text(encoding="utf-8")
        text, message = edit_profile(text, rng, skills)
        texts[relative] = text
        name = re.search(r'^name: "?(.*?)"?$', text, re.M)
        yield _commit_header(f"{relative}: {message}", name.group(1) if name else "Someone", start + step * (number + 1))
        yield _modify(relative, text.encode("utf-8"))
        yield b"\n"
    yield b"done\n"


def edit_profile(text: str, rng: random.Random, skills: list[str]) -> tuple[str, str]:
    """One realistic profile edit: raise a level, add a skill, or change the title."""
    choice = rng.random()
    raisable = list(re.finditer(r"level: (notions|intermediate|advanced)\}", text))
    if choice < 0.35 and raisable:
        match = rng.choice(raisable)
        level = LEVELS[LEVELS.index(match.group(1)) + 1]
        return f"{text[: match.start()]}level: {level}}}{text[match.end() :]}", "level up"
    if choice < 0.8:
        new = next((s for s in rng.sample(skills, 10) if f'"{s}"' not in text and f" {s}" not in text), None)
        if new is not None:
            line = f'  - "{new}"\n'
            if "\nskills:\n" in text:
                return text.replace("\nskills:\n", f"\nskills:\n{line}", 1), "skill added"
            return f"{text.rstrip(chr(10))}\nskills:\n{line}", "skill added"
    title = rng.choice(TITLES)
    return re.sub(r"^title: .*$", f'title: "{title}"', text, count=1, flags=re.M), "title changed"


def _one_more_commit(root: Path) -> str:
    """Add one commit editing one profile (the repository's index is empty: fast-import it too)."""
    previous = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, check=True, capture_output=True, text=True).stdout.strip()
    relative = sorted(p.relative_to(root).as_posix() for p in (root / "people").glob("*.yaml"))[0]
    text = subprocess.run(["git", "show", f"HEAD:{relative}"], cwd=root, check=True, capture_output=True, text=True).stdout
    text = re.sub(r"^title: .*$", 'title: "Directrice technique"', text, count=1, flags=re.M)
    stream = _commit_header("one more commit", "Someone", datetime.now(UTC)) + f"from {previous}\n".encode() + _modify(relative, text.encode())
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=stream + b"\n", check=True)
    return previous


def _commit_header(message: str, author: str, when: datetime) -> bytes:
    data = message.encode("utf-8")
    stamp = f"{int(when.timestamp())} +0000"
    who = author.replace("<", "").replace(">", "")
    header = f"commit refs/heads/main\nauthor {who} <{_email(who)}> {stamp}\ncommitter {who} <{_email(who)}> {stamp}\n"
    return header.encode("utf-8") + f"data {len(data)}\n".encode() + data + b"\n"


def _modify(path: str, data: bytes) -> bytes:
    return f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"


def _email(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", ".", name.casefold()).strip(".") + "@synthetique.example"


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (git): a fair figure on a busy machine."""
    spent = os.times()
    return spent.user + spent.system + spent.children_user + spent.children_system


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True)


if __name__ == "__main__":
    sys.exit(main())
