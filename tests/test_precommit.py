"""Local checks: the pre-commit hooks, run by pre-commit itself (``pre-commit try-repo``), and ``trombi new``'s questions.

pre-commit clones the hook repository, makes an environment of its own and installs Trombi in it
with pip, as it would for any user. Only the dependencies are not downloaded again: pip is told
to install Trombi alone (``PIP_NO_DEPS``), and the hook finds them where this suite runs
(``PYTHONPATH``), so that the round trip takes seconds, not a minute and a half.
"""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.cli.interactive import ask_profile
from generator.directory.settings import load_settings
from tests.conftest import make_directory
from tests.test_ownership import git

REPO = Path(__file__).parent.parent
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"



def test_the_hooks_are_declared() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    validate = hooks["trombi-validate"]
    assert validate["language"] == "python"
    assert validate["entry"] == "trombi validate"
    assert validate["files"] == r"^(people|groups)/.*\.yaml$|^skills\.yaml$"
    assert validate["pass_filenames"] is True
    assert hooks["trombi-codeowners"]["pass_filenames"] is False


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This project's files as a repository of hooks, committed (try-repo reads commits)."""
    target = tmp_path_factory.mktemp("hooks") / "trombi"
    target.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copyfile(REPO / name, target / name)
    shutil.copytree(REPO / "generator", target / "generator", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "Trombi")
    return target


@pytest.fixture(scope="module")
def directory_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_directory(tmp_path_factory.mktemp("directory") / "repo")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "The directory")
    return root


def try_repo(hook_repo: Path, directory_repo: Path, *files: str) -> subprocess.CompletedProcess[str]:
    if not PRE_COMMIT.exists():
        pytest.skip("pre-commit is not installed (pip install pre-commit)")
    dependencies = sysconfig.get_path("purelib")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(hook_repo.parent / "cache"),
        "PRE_COMMIT_COLOR": "never",
        "PIP_NO_DEPS": "1",
        "PIP_NO_BUILD_ISOLATION": "0",  # pip reads it backwards (pypa/pip#5735): build with the hatchling of PYTHONPATH
        "PYTHONPATH": os.pathsep.join(filter(None, [dependencies, os.environ.get("PYTHONPATH")])),
    }
    command = [str(PRE_COMMIT), "try-repo", str(hook_repo), "trombi-validate", "--files", *files]
    return subprocess.run(command, cwd=directory_repo, capture_output=True, text=True, env=env, timeout=600)


def test_the_hook_fails_on_a_broken_file_and_passes_on_a_valid_one(hook_repo: Path, directory_repo: Path) -> None:
    dev = directory_repo / "people/dev.yaml"
    dev.write_text(dev.read_text(encoding="utf-8").replace("manager: lead", "manager: laed"), encoding="utf-8")
    broken = try_repo(hook_repo, directory_repo, "people/dev.yaml")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    # The directory's language: French.
    assert "people/dev.yaml:5:10: error: le manager 'laed' n’est pas une personne (pas de people/laed.yaml)" in broken.stdout

    git(directory_repo, "checkout", "--", "people/dev.yaml")
    valid = try_repo(hook_repo, directory_repo, "people/dev.yaml", "skills.yaml")
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert "Passed" in valid.stdout


# --- `trombi new` on a terminal: the questions --------------------------------------------------


def scripted(*answers: str) -> tuple[Callable[[str], str], list[str]]:
    """An input function giving ``answers`` in turn, and the list of everything shown."""
    shown: list[str] = []
    queue = list(answers)

    def ask(prompt: str) -> str:
        shown.append(prompt)
        if not queue:
            raise EOFError
        return queue.pop(0)

    return ask, shown


def test_ask_profile_checks_each_answer(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "directory")
    settings = load_settings(root)
    ask, shown = scripted(
        "", "Nina Petit",  # a name is needed
        "Développeuse",
        "?", "platfrom", "Équipe Plateforme",  # the list, a typo, then the team's name
        "laed", "lead",
        "Nantes", "2",  # not a site, then a site by its number
        "fr, xx", "fr en, EN",
        "nina petit", "@nina-gh",  # not a GitHub login, then one
    )  # fmt: skip
    answers = ask_profile("nina", settings, input_fn=ask, print_fn=lambda *args: shown.append(" ".join(map(str, args))))
    assert answers == {
        "name": "Nina Petit",
        "title": "Développeuse",
        "team": "platform",
        "manager": "lead",
        "location": "Paris",
        "languages": "fr, en",
        "github": "nina-gh",
    }
    text = "\n".join(shown)
    # The questions speak the site's language (French in tests/data/base).
    assert "Nom complet : " in text
    assert "  Celle-ci est obligatoire." in text
    assert "  platform: Équipe Plateforme" in text
    assert "'platfrom' n’en fait pas partie. Vouliez-vous dire 'platform' ?" in text
    assert "'laed' n’en fait pas partie. Vouliez-vous dire 'lead' ?" in text
    assert "  2. Paris" in text
    assert "Code de langue inconnu : xx" in text
    assert "Identifiant GitHub (qui peut approuver les modifications de votre profil ; vide pour passer) : " in text
    assert "'nina petit' n’est pas un identifiant GitHub" in text


def test_ask_profile_skips_what_is_left_empty(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "directory")
    ask, _ = scripted("Nina Petit", "Développeuse", "", "", "", "", "")
    assert ask_profile("nina", load_settings(root), input_fn=ask, print_fn=lambda *args: None) == {"name": "Nina Petit", "title": "Développeuse"}


def test_ask_profile_refuses_a_group_that_is_not_a_team(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "directory")
    ask, shown = scripted("Nina", "Dev", "guild-python", "", "", "", "", "")
    answers = ask_profile("nina", load_settings(root), input_fn=ask, print_fn=lambda *args: shown.append(" ".join(map(str, args))))
    assert "team" not in answers
    assert "'guild-python' n’en fait pas partie." in "\n".join(shown)


def test_trombi_new_asks_on_a_terminal(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "directory")
    controller, terminal = pty.openpty()
    answers = "Nina Petit\nDéveloppeuse\nplatform\nlead\nLyon\nfr, pt\nnina-gh\n"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli.main", "new", "nina", "--root", str(root)], stdin=terminal, stdout=terminal, stderr=terminal, env=env
    )
    os.close(terminal)
    os.write(controller, answers.encode("utf-8"))
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal is closed once the command has exited
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert process.wait(timeout=60) == 0, output.decode("utf-8", "replace")
    profile = yaml.safe_load((root / "people/nina.yaml").read_text(encoding="utf-8"))
    assert profile["contact"]["github"] == "nina-gh"
    assert {key: profile[key] for key in ("name", "title", "team", "manager", "location", "languages")} == {
        "name": "Nina Petit",
        "title": "Développeuse",
        "team": "platform",
        "manager": "lead",
        "location": "Lyon",
        "languages": ["fr", "pt"],
    }
    validated = subprocess.run([sys.executable, "-m", "generator.cli.main", "validate", "people/nina.yaml"], cwd=root, capture_output=True, text=True, env=env)
    # What the questions do not cover is left for the person to write: their bio.
    assert [line.rsplit(" [", 1)[-1] for line in validated.stdout.splitlines()[:-1]] == ["placeholder]"], validated.stdout


def test_trombi_new_asks_nothing_without_a_terminal_or_with_no_input(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "directory")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "generator.cli.main", "new", "nina", "--no-input", "--root", str(root)]
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert "Nom complet" not in result.stdout
    assert yaml.safe_load((root / "people/nina.yaml").read_text(encoding="utf-8"))["languages"] == ["fr"]
