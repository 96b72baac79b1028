"""What the page My network costs at scale: the facts file's size, its build time, the page's time to usable.

    python -m benchmarks.my_network --people 10000 [--work DIR] [--moved 0.15] [--site DIR]

Writes the synthetic directory under ``benchmarks/work/network-<N>/`` with a git history of two
commits (a share ``--moved`` of the people had another team and manager in the first), so that
former teams and managers weigh in the file as they would in a real company. Times the feature
(``generator.build.features.my_network``: the facts from the directory and its history, the
script, the schema), and the file's size, raw and gzipped. With ``--site`` (a built site, the demo's
for instance), serves a copy of it with this directory's facts and times in headless Chromium,
from navigation to the circles drawn with the suggestions listed, for a person of the directory.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

from generator.build.features import Planning, my_network
from generator.directory.enrich import enrich
from generator.directory.settings import load_settings
from generator.directory.validate import valid_directory
from generator.history.git import read_history
from generator.i18n import load_language
from generator.network.mine import FACTS_PATH

WORK = Path(__file__).parent / "work"


def directory_with_history(people: int, work: Path, moved: float) -> Path:
    root = work / f"network-{people}"
    if (root / ".git").is_dir():
        return root
    subprocess.run([sys.executable, "-m", "generator.cli.main", "synth", "--people", str(people), "--out", str(root)], check=True, capture_output=True)
    files = sorted((root / "people").glob("*.yaml"))
    now = {file: file.read_text(encoding="utf-8") for file in files}
    field = {key: re.compile(rf"^{key}: .*$", re.M) for key in ("team", "manager")}
    chance = random.Random(1)
    for file in chance.sample(files, int(len(files) * moved)):
        other = now[chance.choice(files)]
        text = now[file]
        for pattern in field.values():
            found = pattern.search(other)
            if found and pattern.search(text):
                text = pattern.sub(found.group(0), text)
        file.write_text(text, encoding="utf-8")
    git = ["git", "-C", str(root), "-c", "user.name=RH", "-c", "user.email=rh@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    for day, message in (("2025-01-10T10:00:00Z", "import"), ("2026-06-10T10:00:00Z", "reorganisation")):
        if message == "reorganisation":
            for file, text in now.items():
                file.write_text(text, encoding="utf-8")
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "--date", day, "-m", message], check=True, env={"GIT_COMMITTER_DATE": day, "PATH": "/usr/bin:/bin"})
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.my_network", description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=WORK)
    parser.add_argument("--moved", type=float, default=0.15, help="the share of people whose team and manager changed (default: 0.15)")
    parser.add_argument("--site", type=Path, help="a built site whose page My network is timed with this directory's facts")
    args = parser.parse_args(argv)
    root = directory_with_history(args.people, args.work, args.moved)
    settings = load_settings(root)
    org = enrich(valid_directory(settings))
    history = read_history(settings, days=settings.news_days, cache_dir=root / ".trombi")
    planning = Planning(org, settings, load_language(settings.language), history, [], date(2026, 12, 4), None)
    start = time.perf_counter()
    files = {file.path: file.content for file in my_network(planning)}
    seconds = time.perf_counter() - start
    facts = str(files[FACTS_PATH]).encode("utf-8")
    rows = [
        (f"Build: the feature (facts, script, schema), {len(org.people):,} people, {sum(map(len, history.tenures.values())):,} tenures", f"{seconds:.2f} s"),
        ("assets/my-network.json", f"{len(facts) / 1000:,.0f} kB ({len(gzip.compress(facts)) / 1000:,.0f} kB gzipped)"),
    ]
    if args.site:
        rows += page_timing(args.site, facts, json.loads(facts)["handles"])
    print("| Measure | Value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def page_timing(site: Path, facts: bytes, handles: list[str]) -> list[tuple[str, str]]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "site"
        shutil.copytree(site, copy)
        (copy / FACTS_PATH).write_bytes(facts)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(copy)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/network/mine/"
        me = handles[len(handles) // 2]
        times = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for _ in range(5):
                context = browser.new_context()  # a cold cache each time: the facts are fetched
                kept = json.dumps({"format": "trombi-my-network", "version": 1, "me": me, "relationships": []})
                context.add_init_script(f"localStorage.setItem('trombi-my-network', {json.dumps(kept)})")
                page = context.new_page()
                start = time.perf_counter()
                page.goto(url, wait_until="commit")
                page.wait_for_selector("[data-mine-suggestions] [data-mine-take]")
                times.append(time.perf_counter() - start)
                context.close()
            browser.close()
        server.shutdown()
    times.sort()
    return [(f"Page: from navigation to the circles and suggestions shown ({me}; median of 5, slowest)", f"{times[2]:.2f} s, {times[-1]:.2f} s")]


if __name__ == "__main__":
    raise SystemExit(main())
