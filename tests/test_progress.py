"""Progress of a build: bars on a terminal, one line per stage in CI logs, silence in the library."""

from __future__ import annotations

import gc
import io
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.engine.publish import ValidationFailed, build_site
from generator.progress import STAGES, LogReporter, Reporter, TerminalReporter, parse_log, reporter_for
from tests.conftest import make_directory, write_config

REPO = Path(__file__).parent.parent


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_silent_reporter_only_records_times() -> None:
    reporter = Reporter()
    with reporter.stage("load", total=3):
        reporter.advance(2)
        reporter.advance()
    reporter.begin("render")
    reporter.begin("mkdocs")  # opening a stage ends the previous one
    reporter.end()
    assert list(reporter.timings) == ["load", "render", "mkdocs"]
    assert reporter.items == {"load": 3, "render": 0, "mkdocs": 0}
    assert all(seconds >= 0 for seconds in reporter.timings.values())


def test_ci_logs_get_one_line_per_stage() -> None:
    stream = io.StringIO()
    reporter = LogReporter(stream)
    with reporter.stage("load", total=2):
        reporter.advance(2)
    with reporter.stage("validate"):
        pass
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("trombi: load ") and lines[0].endswith(" s (2 items)")
    assert lines[1].startswith("trombi: validate ") and lines[1].endswith(" s")
    assert set(parse_log(stream.getvalue())) == {"load", "validate"}


def test_the_choice_follows_the_terminal_and_ci() -> None:
    assert isinstance(reporter_for(io.StringIO(), {}), LogReporter)
    assert isinstance(reporter_for(_Tty(), {"CI": "true"}), LogReporter)
    terminal = reporter_for(_Tty(), {})
    assert isinstance(terminal, TerminalReporter)
    terminal.close()


def test_a_terminal_gets_a_bar_per_stage() -> None:
    stream = _Tty()
    reporter = TerminalReporter(stream)
    with reporter.stage("render", total=4):
        for _ in range(4):
            reporter.advance()
    reporter.close()
    shown = stream.getvalue()
    assert "render" in shown and "4/4" in shown
    assert "trombi:" not in shown  # bars, not log lines


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_config(make_directory(tmp_path_factory.mktemp("progress") / "directory"))


def test_a_build_reports_every_stage(small: Path, tmp_path: Path) -> None:
    reporter = Reporter()
    site = build_site(small, tmp_path / "site", reporter=reporter)
    assert [stage for stage in STAGES if stage in reporter.timings] == list(reporter.timings)
    assert {"load", "validate", "enrich", "history", "plan", "render", "mkdocs", "write"} <= set(reporter.timings)
    # MkDocs' pages (the navigation's, the hand-written ones, the shells) and ours are every page of the site.
    pages = len([p for p in site.rglob("*.html") if p.name != "404.html"])
    assert reporter.items["render"] + reporter.items["mkdocs"] >= pages
    assert reporter.items["render"] >= len(list((small / "people").glob("*.yaml")))


def test_trombi_build_in_ci_writes_stage_lines(small: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli.main", "build", "--root", small, "--site-dir", tmp_path / "site"],
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "1"},
    )
    assert result.returncode == 0, result.stderr
    stages = [line.split()[1] for line in result.stderr.splitlines() if line.startswith("trombi: ")]
    assert stages[:3] == ["config", "load", "validate"]
    assert "mkdocs" in stages and stages[-1] == "write"
    assert "\x1b[" not in result.stderr  # no terminal codes in a log


def test_trombi_build_on_a_terminal_draws_bars(small: Path, tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "CI"}
    controller, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli.main", "build", "--root", small, "--site-dir", tmp_path / "site"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=child,
        env=environment,
    )
    os.close(child)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    assert process.wait() == 0
    os.close(controller)
    shown = output.decode("utf-8", "replace")
    assert "mkdocs" in shown and "render" in shown
    assert "trombi: mkdocs" not in shown  # bars, not the log lines


class _CollectorWatch(Reporter):
    """Notes, as each stage begins, whether the cycle collector is on."""

    def __init__(self) -> None:
        super().__init__()
        self.collecting: dict[str, bool] = {}

    def _shown_begin(self, name: str, total: int | None) -> None:
        self.collecting[name] = gc.isenabled()


def test_a_build_runs_without_the_cycle_collector_and_gives_it_back(small: Path, tmp_path: Path) -> None:
    # What a build reads and plans lives to its end: full collections would walk it again and again.
    assert gc.isenabled()
    reporter = _CollectorWatch()
    build_site(small, tmp_path / "site", reporter=reporter)
    built = {stage for stage in reporter.collecting if stage not in ("config", "write")}
    assert {"load", "enrich", "plan", "changes", "render", "keep"} <= built
    assert not any(reporter.collecting[stage] for stage in built)
    assert gc.isenabled()
    broken = tmp_path / "broken"
    shutil.copytree(small, broken, ignore=shutil.ignore_patterns(".trombi"))
    (broken / "people" / "zoe.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValidationFailed):  # given back when a build fails, too
        build_site(broken, tmp_path / "site2", reporter=_CollectorWatch())
    assert gc.isenabled()
