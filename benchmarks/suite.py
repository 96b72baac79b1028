"""The performance suite: what validation and the build cost at N people, and what they produce.

For each size N, on a synthetic directory (``benchmarks/work/synth-N``, generated once and reused)
that is a git repository with a year of history, as a company's is (its creation, then one profile
edited in each of N/2 commits over the year: :func:`benchmarks.history.make_repository`):
``trombi validate`` of the whole directory and of one changed file, ``trombi build`` of a fresh
clone, as CI builds (history read from scratch, nothing kept from a previous build; wall time,
peak RSS, time per stage from the build's own log lines), the floor (a bare ``mkdocs build`` of
the very Markdown ``trombi render`` writes, same theme and extensions, no hook), and the output's
size. Results go to ``benchmarks/results/<date>.json``; ``RESULTS.md`` is regenerated from them.

Every command runs as a subprocess, timed by wall clock; a short measure (< 20 s) is the median
of ``runs`` runs, a long one is run once, and the results say which.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from benchmarks.history import edit_profile, make_repository
from generator.build.features import ASSETS
from generator.directory.synth import write_synthetic_directory
from generator.engine.theme import REQUIRED_EXTENSIONS
from generator.progress import parse_log

HERE = Path(__file__).parent
WORK = HERE / "work"
RESULTS_DIR = HERE / "results"
SHORT = 20.0  # seconds: below this a measure is repeated and its median kept
SAMPLER_SHARE = 0.01  # of a core, at most, for sampling the memory of what is measured
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pydantic", "pyyaml", "pagefind", "whoosh", "rich")


@dataclass(frozen=True)
class Run:
    """One finished command: wall time, peak memory, output.

    ``max_rss_mib`` is the peak RSS of the largest single process (the command's own or one of
    its children's, by ``wait4``); ``tree_mib`` the peak of the whole process tree at once (the
    sum of its processes' PSS, sampled), which counts forked workers sharing memory fairly.
    ``user`` and ``system``: the CPU seconds of the command and of every process it waited for,
    in Python and the programs it runs, and in the kernel on their behalf (``wait4``). On two
    cores, a build whose sum nears twice its wall time had no core to spare.
    """

    seconds: float
    max_rss_mib: float
    stdout: str
    stderr: str
    tree_mib: float = 0.0
    user: float = 0.0
    system: float = 0.0

    def cpu(self) -> dict[str, float]:
        """:attr:`user` and :attr:`system`, as the results hold them."""
        return {"user": round(self.user, 1), "system": round(self.system, 1)}


def measure(
    sizes: list[int], runs: int, work: Path = WORK, *, search: bool = True, build: bool = True, floor: bool = True, incremental: bool = False
) -> dict[str, Any]:
    """Run the suite for each size; returns the results document (see :func:`measure_size`)."""
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "sizes": {str(n): measure_size(n, runs, work, search=search, build=build, floor=floor, incremental=incremental) for n in sizes},
    }


def measure_size(
    people: int, runs: int, work: Path = WORK, *, search: bool = True, build: bool = True, floor: bool = True, incremental: bool = False
) -> dict[str, Any]:
    """Every figure at ``people``; without ``search``, the search benchmark (a browser, one more build) is left out.

    Without ``floor``, the bare MkDocs builds (the floor, and Material's search index for
    comparison) are left out: at 100,000 people they take longer than everything else together.

    Without ``build``, only validation is measured: the figures a pull request waits for, at a
    size whose build would not fit the machine.

    With ``incremental``, the full build is followed by builds with its state, as CI's next
    publications (:func:`incremental_builds`), and up to 10,000 people by ``trombi serve`` showing
    an edit (:func:`serve_latency`).
    """
    root = synthetic_directory(people, work)
    result: dict[str, Any] = {"people": people}
    commits = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=root, check=True, capture_output=True, text=True).stdout
    result["repository"] = {"commits": int(commits), "built_from": "a fresh clone"}
    result["validate_full"] = timed(runs, lambda: run_trombi(["validate", "--root", str(root)]))
    changed = changed_file(root)
    result["validate_one"] = timed(runs, lambda: run_trombi(["validate", changed], cwd=root))
    result["validate_one"]["file"] = changed
    if not build:
        return result

    site = work / f"site-{people}"
    builds: list[Run] = []

    def build_once() -> Run:
        shutil.rmtree(site, ignore_errors=True)  # as on a CI machine: removing an earlier site is not part of a build
        clone = fresh_clone(root, work / f"clone-{people}")  # nor is the checkout
        done = run_trombi(["build", "--root", str(clone), "--site-dir", str(site)], env={"CI": "1"})
        builds.append(done)
        return done

    result["build"] = timed(runs, build_once)
    result["build"]["max_rss_mib"] = max(b.max_rss_mib for b in builds)
    result["build"]["tree_mib"] = round(max(b.tree_mib for b in builds), 1)
    result["build"]["cpu"] = {name: statistics.median(b.cpu()[name] for b in builds) for name in ("user", "system")}
    stages = [parse_log(b.stderr) for b in builds]
    result["build"]["stages"] = {name: statistics.median(s.get(name, 0.0) for s in stages) for name in stages[0]}
    if floor:
        result["floor"] = bare_mkdocs_build(root, work / f"floor-{people}", runs)
        result["overhead"] = round(result["build"]["seconds"] / result["floor"]["seconds"], 3)
    clone = work / f"clone-{people}"  # what the last build built, its .trombi/ beside it
    result["output"] = output_sizes(site, clone)
    result["search"] = search_figures(site, root) if search else None
    if incremental:
        result["incremental"] = incremental_builds(clone, site)
        if people <= SERVE_UP_TO:
            result["serve"] = serve_latency(clone)
    return result


SERVE_UP_TO = 10_000  # people: beyond, `trombi serve`'s first build alone takes minutes
EDITS = (1, 10)  # profiles changed by each merge measured
SETTLING = 1  # profiles changed by the merge published first, unmeasured: the one that leaves the first spare


def incremental_builds(clone: Path, site: Path, *, seed: int = 1) -> dict[str, Any]:
    """Builds of ``clone`` with the state its last build left, each after a merge changing 1, then 10 profiles.

    As CI publishes a merge: the commits are made (realistic edits, :func:`benchmarks.history.edit_profile`),
    then ``trombi build`` runs with ``.trombi/`` and the site as the previous publication left them
    (both CI systems cache the site with the state). A first merge is published unmeasured: after
    a full build there is no site replaced yet (``.trombi/spare``, :mod:`generator.build.spare`),
    which every publication after the first starts from.
    """
    rng = random.Random(seed)
    people = sorted(p.name for p in (clone / "people").glob("*.yaml"))
    skills = sorted(yaml.safe_load((clone / "skills.yaml").read_text(encoding="utf-8")))
    figures: dict[str, Any] = {}
    for number, count in enumerate((SETTLING, *EDITS)):
        for name in rng.sample(people, count):
            path = clone / "people" / name
            text, message = edit_profile(path.read_text(encoding="utf-8"), rng, skills)
            path.write_text(text, encoding="utf-8")
            subprocess.run(["git", "commit", "-q", "-m", f"people/{name}: {message}", "--", f"people/{name}"], cwd=clone, check=True, env=_GIT_ME)
        done = run_trombi(["build", "--root", str(clone), "--site-dir", str(site)], env={"CI": "1"})
        if number == 0:  # the settling merge
            continue
        figures[str(count)] = {
            "seconds": round(done.seconds, 2),
            "runs": 1,
            "max_rss_mib": round(done.max_rss_mib, 1),
            "tree_mib": round(done.tree_mib, 1),
            "cpu": done.cpu(),
            "stages": parse_log(done.stderr),
            "pages": _pages_line(done.stderr),
        }
    return figures


_GIT_ME = {**os.environ, "GIT_AUTHOR_NAME": "Benchmark", "GIT_AUTHOR_EMAIL": "bench@example.org"}
_GIT_ME |= {"GIT_COMMITTER_NAME": "Benchmark", "GIT_COMMITTER_EMAIL": "bench@example.org"}
_WEIGHED = re.compile(r"^trombi: changes [\d.]+ s \((\d+) items\)$", re.M)
_RENDERED = re.compile(r"^trombi: render [\d.]+ s(?: \((\d+) items\))?$", re.M)


def _pages_line(log: str) -> dict[str, int] | None:
    """Pages rendered and kept, from the build's stage lines: the pages weighed, then those rendered."""
    weighed, rendered = _WEIGHED.search(log), _RENDERED.search(log)
    if weighed is None or rendered is None:
        return None
    count = int(rendered[1] or 0)
    return {"rendered": count, "kept": int(weighed[1]) - count}


def serve_latency(clone: Path, *, runs: int = 3) -> dict[str, Any]:
    """How long ``trombi serve`` takes to show an edit: from the file saved to the page served with it; and to rebuild the whole site.

    The server's first build is not counted (the state makes it incremental when the last build
    was, but it is the server starting, not an edit). Each run changes one person's title, asks
    for the person's page until it says the new title (the page is shown ahead of the rebuild,
    generator.engine.preview), then waits for the rebuild that follows to end (the server says
    "Built the site"), the teams' and skills' pages with it.
    """
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    server = subprocess.Popen(
        [sys.executable, "-m", "generator.cli.main", "serve", "--root", str(clone), "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stdout or ()), daemon=True)
    reader.start()
    people = sorted(p.name for p in (clone / "people").glob("*.yaml"))
    seconds: list[float] = []
    rebuilt: list[float] = []

    def builds() -> int:
        return sum(1 for line in list(lines) if "Built the site" in line or "Site construit en" in line)

    try:
        started = time.perf_counter()
        while not builds():
            if server.poll() is not None or time.perf_counter() - started > 3600:
                raise RuntimeError("trombi serve did not build:\n" + "".join(lines[-40:]))
            time.sleep(0.2)
        for run_number in range(runs):
            name = people[(run_number + 1) * len(people) // (runs + 1)]
            path = clone / "people" / name
            title = f"Titre de mesure {run_number} {time.time_ns()}"
            text = re.sub(r"^title: .*$", f"title: {title}", path.read_text(encoding="utf-8"), count=1, flags=re.M)
            page = f"http://127.0.0.1:{port}/people/{name.removesuffix('.yaml')}/"
            before = builds()
            saved = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            while True:
                try:
                    with urllib.request.urlopen(page, timeout=10) as response:
                        if title in response.read().decode("utf-8"):
                            break
                except OSError:
                    pass
                if time.perf_counter() - saved > 600:
                    raise RuntimeError(f"trombi serve did not show the edit of {name}:\n" + "".join(lines[-40:]))
                time.sleep(0.05)
            seconds.append(time.perf_counter() - saved)
            while builds() == before:
                if server.poll() is not None or time.perf_counter() - saved > 600:
                    raise RuntimeError(f"trombi serve did not rebuild after the edit of {name}:\n" + "".join(lines[-40:]))
                time.sleep(0.05)
            rebuilt.append(time.perf_counter() - saved)
    finally:
        server.terminate()
        server.wait(30)
        subprocess.run(["git", "checkout", "-q", "--", "people"], cwd=clone, check=True)
    return {
        "seconds": round(statistics.median(seconds), 2),
        "runs": runs,
        "each": [round(value, 2) for value in seconds],
        "rebuilt": round(statistics.median(rebuilt), 2),
        "rebuilt_each": [round(value, 2) for value in rebuilt],
    }


# --- the measures ------------------------------------------------------------------------------


def synthetic_directory(people: int, work: Path) -> Path:
    """``work/synth-N``: N synthetic people in a git repository with a year of history, made once."""
    root = (work / f"synth-{people}").resolve()
    if not (root / "mkdocs.yml").is_file() or not (root / ".git").is_dir():
        staging = root.with_name(f".{root.name}.partial")  # a run stopped half-way leaves only this behind
        shutil.rmtree(staging, ignore_errors=True)
        write_synthetic_directory(staging, people, seed=0)
        make_repository(staging, people // 2, span=timedelta(days=365))
        # fast-import writes the history, not the checkout: the files are those of the last commit.
        subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=staging, check=True)
        shutil.rmtree(root, ignore_errors=True)
        staging.rename(root)
    return root


def fresh_clone(root: Path, target: Path) -> Path:
    """A full clone of ``root`` at ``target``, as CI checks out (fetch-depth 0), without anything a build kept."""
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(["git", "clone", "--quiet", "--no-local", str(root), str(target)], check=True)
    return target


def changed_file(root: Path) -> str:
    """A pull request's one file: the person in the middle of the directory (checked with what it references)."""
    people = sorted(p.name for p in (root / "people").iterdir())
    return f"people/{people[len(people) // 2]}"


def bare_mkdocs_build(root: Path, folder: Path, runs: int) -> dict[str, Any]:
    """A bare ``mkdocs build`` of what ``trombi render`` writes: the cost of MkDocs itself on these pages."""
    shutil.rmtree(folder, ignore_errors=True)
    docs = folder / "docs"
    run_trombi(["render", "--root", str(root), "--out", str(docs)])
    (docs / "assets").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ASSETS / "trombi.css", docs / "assets" / "trombi.css")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    extensions = list(config.get("markdown_extensions") or [])
    names = {next(iter(e)) if isinstance(e, dict) else e for e in extensions}
    extensions += [e for e in REQUIRED_EXTENSIONS if e not in names]
    bare = {
        "site_name": config["site_name"],
        "theme": config["theme"],
        "plugins": [],  # no search: its index is counted apart, as the build's own search stage
        "markdown_extensions": extensions,
        "extra_css": ["assets/trombi.css"],
        # The same navigation as the hook's: generated pages stay out of it, as in the real build.
        "nav": ["index.md", "people/index.md", "skills/index.md", "groups/index.md", "org/index.md"],
        "validation": {"nav": {"omitted_files": "ignore"}},
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(bare, allow_unicode=True, sort_keys=False), encoding="utf-8")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    command = [str(mkdocs), "build", "--quiet", "-f", str(folder / "mkdocs.yml"), "-d", str(folder / "site")]
    result = timed(runs, lambda: run(command))
    result["pages"] = sum(1 for _ in docs.rglob("*.md"))
    return result


def output_sizes(site: Path, root: Path) -> dict[str, Any]:
    handles = {p.stem for p in (root / "people").glob("*.yaml")}  # not the index's pages (people/page-2/...)
    person_pages = sorted(p.stat().st_size for p in (site / "people").glob("*/index.html") if p.parent.name in handles)
    return {
        "site_bytes": tree_bytes(site),
        "site_disk_bytes": disk_bytes(site),
        "files": sum(1 for p in site.rglob("*") if p.is_file()),
        "person_pages": len(person_pages),
        "person_page_median_bytes": int(statistics.median(person_pages)) if person_pages else None,
        "person_page_max_bytes": person_pages[-1] if person_pages else None,
        "pagefind_bytes": tree_bytes(site / "pagefind") if (site / "pagefind").is_dir() else None,
        "pagefind_files": sum(1 for p in (site / "pagefind").rglob("*") if p.is_file()) if (site / "pagefind").is_dir() else None,
        "lunr_index_bytes": (site / "search" / "search_index.json").stat().st_size if (site / "search" / "search_index.json").is_file() else None,
        "whoosh_bytes": tree_bytes(root / ".trombi" / "index") if (root / ".trombi" / "index").is_dir() else None,
    }


def search_figures(site: Path, root: Path, *, material: bool = True) -> dict[str, Any] | None:
    """The search benchmark's figures (``benchmarks/search.py``) when that module is there."""
    try:
        from benchmarks import search  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return None
    measure_search: Callable[..., dict[str, Any]] | None = getattr(search, "measure_search", None)
    if measure_search is None:
        return None
    try:
        return measure_search(site, root, material=material)
    except Exception as error:  # a broken search benchmark must not lose the others' figures
        return {"error": f"{type(error).__name__}: {error}"}


# --- running things ----------------------------------------------------------------------------


def timed(runs: int, once: Callable[[], Run]) -> dict[str, Any]:
    """Median of ``runs`` runs when the first is short, else that one run."""
    first = once()
    done = [first]
    if first.seconds < SHORT:
        done += [once() for _ in range(runs - 1)]
    return {
        "seconds": round(statistics.median(r.seconds for r in done), 3),
        "runs": len(done),
        "max_rss_mib": round(max(r.max_rss_mib for r in done), 1),
    }


def run_trombi(arguments: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    return run([sys.executable, "-m", "generator.cli.main", *arguments], cwd=cwd, env=env)


def run(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to completion; wall time and peak RSS (its own and its children's, by ``wait4``)."""
    environment = {**os.environ, "PYTHONPATH": str(HERE.parent), **(env or {})}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out, tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=environment, stdout=out, stderr=err)
        sampler = _TreeMemory(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{stdout[-3000:]}{stderr[-3000:]}")
    # ru_maxrss is in KiB on Linux
    return Run(seconds, usage.ru_maxrss / 1024, stdout, stderr, sampler.peak_kib / 1024, usage.ru_utime, usage.ru_stime)


class _TreeMemory(threading.Thread):
    """Samples the PSS of a process and all its descendants, keeping the peak of their sum.

    The kernel works a process's PSS out by walking all its memory, holding a lock the process
    itself needs to fault pages in: about 25 ms for a process of 2.6 GB. Sampled every quarter of
    a second, the larger the company, the more the measure slowed what it measured. So the sampler
    waits long enough after each sample to take :data:`SAMPLER_SHARE` of a core at most; the
    peaks of a build last far longer than that wait.
    """

    def __init__(self, pid: int, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_kib = pid, every, 0
        self._done = threading.Event()

    def run(self) -> None:
        pause = self.every
        while not self._done.wait(pause):
            started = time.perf_counter()
            self.peak_kib = max(self.peak_kib, tree_pss_kib(self.pid))
            pause = max(self.every, (time.perf_counter() - started) / SAMPLER_SHARE)

    def stop(self) -> None:
        self._done.set()
        self.join()


def tree_pss_kib(pid: int) -> int:
    """Proportional set size of ``pid`` and its descendants now (Linux ``/proc``; 0 elsewhere)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except OSError:  # gone meanwhile, or not Linux
            continue
        found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
        total += int(found.group(1)) if found else 0
    return total


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def disk_bytes(folder: Path) -> int:
    """Space on disk, blocks included: what a file system or a Pages host really holds."""
    return sum(p.lstat().st_blocks * 512 for p in folder.rglob("*"))


def machine() -> dict[str, Any]:
    memory = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "memory_gib": round(memory / 2**30, 1),
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "libraries": versions,
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"
