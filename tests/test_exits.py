"""No silent failure: every non-zero exit says why, warnings are shown, closed pipes end quietly.

Each command runs for real (the console script, a directory in tmp_path) in a situation where it
must fail, and says why on stderr; `trombi build` shows the directory's warnings and fails on
them only with --strict; MkDocs' own reasons to stop reach the user.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.engine.publish import NOTHING_BUILT, STRICT_STOP
from generator.i18n import load_language
from generator.problems import Level, Problem, Words, count_line
from tests.conftest import DATA, make_directory, write_config

TROMBI = Path(sys.executable).parent / "trombi"
FRENCH = load_language("fr")  # the test directories speak French
# The warning of the unknown-location case: its place and its rule, in whichever language it is said.
UNKNOWN_LOCATION = "people/lead.yaml:6:11: warning: "
UNKNOWN_LOCATION_RULE = "[unknown-location]"


def counts(errors: int, warnings: int, words: Words = FRENCH) -> str:
    """The line that ends a report ("2 errors, 1 warning"), as the site's language says it."""
    problems = [Problem("", 1, 1, "", "")] * errors + [Problem("", 1, 1, "", "", Level.WARNING)] * warnings
    return count_line(problems, words)


def trombi(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([TROMBI, *map(str, args)], capture_output=True, text=True, encoding="utf-8", cwd=cwd, timeout=120)
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return write_config(make_directory(tmp_path / "directory"))


# --- build: warnings shown, fatal only with --strict; MkDocs' reasons said ---------------------------


@pytest.mark.parametrize(
    ("overlay", "warnings"),
    [
        ("unknown-location", [UNKNOWN_LOCATION]),
        ("missing-schema-line", ["groups/guild-python.yaml:1:1: warning:"]),
        ("misplaced-files", ["people/jdupont.yml:1:1: warning:", "groups/archives:1:1: warning:"]),  # a stray draft, a sub-folder
    ],
)
def test_build_shows_the_warnings_and_succeeds(tmp_path: Path, overlay: str, warnings: list[str]) -> None:
    root = write_config(make_directory(tmp_path / "directory", DATA / "invalid" / overlay))
    result = trombi("build", "--root", root, "--site-dir", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    for warning in warnings:
        assert warning in result.stderr
    assert counts(0, len(warnings)) in result.stderr
    assert (tmp_path / "site" / "index.html").is_file()


@pytest.mark.parametrize("command", [["validate"], ["new", "someone", "--no-input"], ["search", "python"], ["build"]])
def test_outside_any_directory_a_command_says_so_and_writes_nothing(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / ".git").mkdir()  # the top of a repository that is not a directory: the search for one stops here
    result = trombi(*command, cwd=tmp_path)
    assert result.returncode == 2
    assert "no Trombi directory here or in a folder above" in result.stderr
    assert [path.name for path in tmp_path.iterdir()] == [".git"]


@pytest.mark.parametrize(
    ("language", "said"),
    [("fr", "'99999' n’est pas un port : donnez un nombre de 0 à 65535"), ("en", "'99999' is not a port: give a number from 0 to 65535")],
)
def test_a_port_out_of_range_is_said_without_a_traceback(tmp_path: Path, language: str, said: str) -> None:
    """Said as arguments are read, in the language of the directory the command runs in."""
    root = write_config(make_directory(tmp_path / "directory"), language=language)
    result = trombi("serve", "--port", "99999", cwd=root)
    assert result.returncode == 2
    assert f"argument --port: {said}" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["render", "--out", "{tmp}/pages"],
        ["pairs"],
        ["similar", "dev"],
        ["helpers", "dev"],
        ["search", "python"],
        ["export", "backstage", "--out", "{tmp}/b.yaml"],
    ],
    ids=lambda command: command[0],
)
def test_commands_that_go_on_despite_warnings_say_them(tmp_path: Path, command: list[str]) -> None:
    root = write_config(make_directory(tmp_path / "directory", DATA / "invalid" / "unknown-location"))
    result = trombi(*[part.format(tmp=tmp_path) for part in command], "--root", root)
    assert result.returncode == 0, result.stderr
    assert UNKNOWN_LOCATION in result.stderr and UNKNOWN_LOCATION_RULE in result.stderr and counts(0, 1) in result.stderr


def test_build_strict_fails_on_warnings_and_says_which(tmp_path: Path) -> None:
    root = write_config(make_directory(tmp_path / "directory", DATA / "invalid" / "unknown-location"))
    result = trombi("build", "--strict", "--root", root, "--site-dir", tmp_path / "site")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith("trombi: ")]
    assert lines[0].startswith(UNKNOWN_LOCATION) and lines[0].endswith(UNKNOWN_LOCATION_RULE)
    assert lines[1:] == [counts(0, 1), f"error: {STRICT_STOP.said(FRENCH)}"]
    assert not (tmp_path / "site").exists()


def test_build_says_why_mkdocs_stopped(small: Path, tmp_path: Path) -> None:
    (small / "docs" / "guide.md").write_text("# Guide\n\n[Lost](missing.md)\n", encoding="utf-8")
    result = trombi("build", "--root", small, "--site-dir", tmp_path / "site")
    assert result.returncode == 1
    assert "warning: Doc file 'guide.md' contains a link 'missing.md', but the target is not found" in result.stderr
    assert "error: Aborted with 1 warnings in strict mode!" in result.stderr
    assert not (tmp_path / "site").exists()


def test_build_with_errors_lists_them_and_says_nothing_was_built(tmp_path: Path) -> None:
    root = write_config(make_directory(tmp_path / "directory", DATA / "invalid" / "unknown-skill"))
    result = trombi("build", "--root", root, "--site-dir", tmp_path / "site")
    assert result.returncode == 1
    assert "error: compétence inconnue" in result.stderr
    assert result.stderr.rstrip().endswith(f"error: {NOTHING_BUILT.said(FRENCH)}")


# --- every command, in a situation where it fails, says why ------------------------------------------

Case = Callable[[Path, Path], list[str | Path]]  # (a valid small directory, a regular file) -> arguments

FAILING: dict[str, tuple[Case, int, str]] = {
    "no command": (lambda root, file: [], 2, "error: name a command"),
    "usage": (lambda root, file: ["validate", "--format", "xml"], 2, "invalid choice"),
    "new": (lambda root, file: ["new", "dev", "--no-input", "--root", root], 1, "ce profil existe déjà"),
    "build": (lambda root, file: ["build", "--root", root.parent / "nowhere"], 1, "nowhere/mkdocs.yml' does not exist"),
    "build --site-dir": (lambda root, file: ["build", "--root", root, "--site-dir", file / "site"], 1, "the site was not published"),
    "render": (lambda root, file: ["render", "--root", root, "--out", file / "pages"], 1, "error: Not a directory"),
    "serve": (lambda root, file: ["serve", "--root", root.parent / "nowhere"], 1, "nowhere/mkdocs.yml"),
    "reference": (lambda root, file: ["reference", "--check", "--root", root], 1, "pas à jour par rapport à generator/directory/model.py"),
    "pairs": (lambda root, file: ["pairs", "--root", root.parent / "nowhere"], 1, "la taxonomie des compétences est absente"),
    "intro": (lambda root, file: ["intro", "dev", "nobody", "--root", root], 1, "personne n’a l’identifiant 'nobody'"),
    "similar": (lambda root, file: ["similar", "nobody", "--root", root], 1, "personne n’a l’identifiant 'nobody'"),
    "helpers": (lambda root, file: ["helpers", "nobody", "--root", root], 1, "personne n’a l’identifiant 'nobody'"),
    "search": (lambda root, file: ["search", "python", "--root", root.parent / "nowhere"], 1, "la taxonomie des compétences est absente"),
    "check-pr": (lambda root, file: ["check-pr", "--author", "x", "--base", "main", "--root", root], 1, "n’est pas dans un dépôt git"),
    "codeowners": (lambda root, file: ["codeowners", "--check", "--root", root], 1, "lancez `trombi codeowners`"),
    "synth": (lambda root, file: ["synth", "--people", "30", "--out", file / "org"], 1, "cannot write the synthetic directory"),
    "import": (lambda root, file: ["import", "csv", root / "none.csv", "--map", root / "none.yaml", "--root", root], 1, "none"),
    "export": (lambda root, file: ["export", "backstage", "--out", file / "out", "--root", root], 1, "error: Not a directory"),
}


@pytest.mark.parametrize("case", sorted(FAILING))
def test_every_failing_command_says_why_on_stderr(small: Path, tmp_path: Path, case: str) -> None:
    arguments, code, cause = FAILING[case]
    file = tmp_path / "a-file"
    file.write_text("not a folder\n", encoding="utf-8")
    result = trombi(*arguments(small, file), cwd=tmp_path)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert cause in result.stderr, result.stderr


def test_new_cancelled_at_a_question_says_so(small: Path) -> None:
    """`trombi new` asks on a terminal; Ctrl-D at the first question ends it with 130, and says nothing was written."""
    controller, child = pty.openpty()
    process = subprocess.Popen([TROMBI, "new", "jdupont", "--root", small], stdin=child, stdout=child, stderr=subprocess.PIPE)
    os.close(child)
    assert process.stderr is not None
    os.write(controller, b"\x04")  # Ctrl-D, kept by the terminal until the first question reads it
    errors = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=60) == 130
    os.close(controller)
    assert errors.endswith("\nAnnulé : aucun profil n’a été écrit.\n")  # on a line of its own, after the question's
    assert not (small / "people" / "jdupont.yaml").exists()


def test_validate_says_why_on_stdout_its_report(small: Path) -> None:
    """`trombi validate` and `check-pr` fail with their report, on stdout where CI reads it (annotations, JSON)."""
    (small / "people" / "dev.yaml").write_text("name: [\n", encoding="utf-8")
    result = trombi("validate", "--root", small)
    assert result.returncode == 1
    assert "people/dev.yaml:1:7: error: ce '[' n’est pas fermé" in result.stdout


# --- closed pipes ------------------------------------------------------------------------------------

PRINTING = {
    "search": ["search", "python"],
    "search --json": ["search", "--json", "python"],
    "pairs": ["pairs", "--month", "2026-01"],
    "similar": ["similar", "dev"],
    "intro": ["intro", "dev", "ceo"],
    "validate": ["validate"],
    "render": ["render", "--out", "pages"],
    "help": ["--help"],
}


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("case", sorted(PRINTING))
def test_a_closed_pipe_ends_the_command_quietly(small: Path, case: str, buffered: bool) -> None:
    """`trombi search python | head -1`: the reader is gone before trombi writes; no traceback, status 141 as `cat`'s."""
    arguments = [*PRINTING[case], *([] if case == "help" else ["--root", small])]
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED" or not buffered}
    if not buffered:
        environment["PYTHONUNBUFFERED"] = "1"
    process = subprocess.Popen([TROMBI, *map(str, arguments)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=small, env=environment)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader went away, as `head -1` does after its line
    errors = process.stderr.read().decode("utf-8")
    # argparse itself ignores a help it cannot write: then the status is 0.
    assert process.wait(timeout=120) in ((0, 141) if case == "help" else (141,)), errors
    assert "Traceback" not in errors and "BrokenPipe" not in errors and "Exception ignored" not in errors, errors


def test_a_pipeline_that_reads_one_line_ends_quietly(small: Path) -> None:
    """The same through a real shell pipeline, with `pipefail` reporting trombi's own status."""
    script = f'set -o pipefail; "{TROMBI}" --help | head -1'
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.startswith("usage: trombi")
    assert result.returncode in (0, 141)  # 0 when the help fits in the pipe before head leaves
    assert result.stderr == ""
