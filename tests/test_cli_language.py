"""The command line speaks the site's language (``theme.language``): its messages, its problems, the
questions and the skeleton of ``trombi new``; and ``trombi new`` writes the login ownership rests on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.cli.interactive import ask_profile
from generator.cli.main import main
from generator.directory.load import load_file
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory

Build = Callable[..., Path]


def _english(root: Path) -> Path:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: fr", "language: en"), encoding="utf-8")
    return root


@pytest.mark.parametrize(("language", "said"), [("fr", "Aucun problème trouvé."), ("en", "No problems found.")])
def test_validate_speaks_the_sites_language(directory: Build, capsys: pytest.CaptureFixture[str], language: str, said: str) -> None:
    root = directory() if language == "fr" else _english(directory())
    assert main(["validate", "--root", str(root)]) == 0
    assert capsys.readouterr().out.strip() == said


@pytest.mark.parametrize(
    ("language", "comments", "said"),
    [
        ("fr", ["# Votre profil dans l’annuaire", "# identifiant de votre équipe", "Quelques phrases sur vous"], "people/nmartin.yaml est écrit"),
        ("en", ["# Your profile in the company directory", "# slug of your team", "A few sentences about you"], "Wrote people/nmartin.yaml"),
    ],
)
def test_the_skeleton_is_in_the_sites_language_and_validates(
    directory: Build, capsys: pytest.CaptureFixture[str], language: str, comments: list[str], said: str
) -> None:
    root = directory() if language == "fr" else _english(directory())
    code = main(["new", "nmartin", "--name", "Nina Martin", "--title", "Développeuse", "--github", "@nina-gh", "--no-input", "--root", str(root)])
    assert code == 0
    assert capsys.readouterr().out.startswith(said)
    text = (root / "people" / "nmartin.yaml").read_text(encoding="utf-8")
    for comment in comments:
        assert comment in text
    assert "gitlab" not in text  # GitHub's login is the one ownership rests on
    assert yaml.safe_load(text)["contact"] == {"email": None, "chat": None, "github": "nina-gh"}
    # Everything but the bio, which is the person's own to write: its sample text is refused.
    _, problems = validate_directory(load_settings(root))
    assert [(p.path, p.rule) for p in problems] == [("people/nmartin.yaml", "placeholder")]


def test_new_writes_a_gitlab_login_when_given(directory: Build) -> None:
    root = directory()
    assert main(["new", "nmartin", "--name", "Nina", "--title", "Dev", "--gitlab", "nina.martin", "--no-input", "--root", str(root)]) == 0
    document, problems = load_file(root / "people" / "nmartin.yaml", "people/nmartin.yaml")
    assert problems == [] and document is not None
    assert document.data["contact"]["gitlab"] == "nina.martin"
    assert document.data["contact"]["github"] is None


@pytest.mark.parametrize("login", ["nina gh", "nina\nname: x", "-nina", "a" * 40, "nina--gh"])
def test_new_refuses_what_cannot_be_a_github_login(directory: Build, capsys: pytest.CaptureFixture[str], login: str) -> None:
    root = directory()
    assert main(["new", "nmartin", "--name", "Nina", "--title", "Dev", f"--github={login}", "--no-input", "--root", str(root)]) == 1
    assert "n’est pas un identifiant GitHub" in capsys.readouterr().err
    assert not (root / "people" / "nmartin.yaml").exists()


def test_the_questions_are_in_english_for_an_english_site(directory: Build) -> None:
    root = _english(directory())
    prompts: list[str] = []
    answers = iter(["Nina Martin", "Developer", "", "", "", "fr", "nina-gh"])

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    found = ask_profile("nmartin", load_settings(root), input_fn=ask, print_fn=lambda *args: None)
    assert found["github"] == "nina-gh"
    assert prompts[0] == "Full name: "
    assert prompts[-1] == "GitHub login (who may approve changes to your profile; empty to skip): "


def test_a_repository_on_gitlab_is_asked_for_the_gitlab_login(directory: Build) -> None:
    root = directory()
    config = root / "mkdocs.yml"
    config.write_text("repo_url: https://gitlab.example.com/acme/trombi\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    prompts: list[str] = []
    answers = iter(["Nina Martin", "Développeuse", "", "", "", "", "nina.martin"])

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    found = ask_profile("nmartin", load_settings(root), input_fn=ask, print_fn=lambda *args: None)
    assert found == {"name": "Nina Martin", "title": "Développeuse", "gitlab": "nina.martin"}
    assert prompts[-1].startswith("Identifiant GitLab")


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", "people/nobdy.yaml:1:1: error: personne n’a l’identifiant 'nobdy' [unknown-person]"),
        ("en", "people/nobdy.yaml:1:1: error: no person with handle 'nobdy' [unknown-person]"),
    ],
)
def test_a_commands_problems_are_said_in_the_sites_language(directory: Build, capsys: pytest.CaptureFixture[str], language: str, said: str) -> None:
    root = directory() if language == "fr" else _english(directory())
    assert main(["similar", "nobdy", "--root", str(root)]) == 1
    assert said in capsys.readouterr().err.splitlines()


@pytest.mark.parametrize(("language", "said"), [("fr", "{count} pages écrites dans {out}"), ("en", "Wrote {count} pages to {out}")])
def test_what_a_command_did_is_said_in_the_sites_language(
    directory: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str, said: str
) -> None:
    root = directory() if language == "fr" else _english(directory())
    out = tmp_path / "pages"
    assert main(["render", "--out", str(out), "--root", str(root)]) == 0
    assert capsys.readouterr().out.strip() == said.format(count=sum(1 for _ in out.rglob("*.md")), out=out)


@pytest.mark.parametrize(
    ("language", "said"),
    [("fr", "'2026-13' n’est pas un mois : écrivez-le sous la forme AAAA-MM"), ("en", "'2026-13' is not a month: write it as YYYY-MM")],
)
def test_an_argument_is_refused_in_the_language_of_the_directory_it_runs_in(
    directory: Build, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, language: str, said: str
) -> None:
    root = directory() if language == "fr" else _english(directory())
    monkeypatch.chdir(root / "people")  # --root is not read yet when --month is: the directory is found from here
    with pytest.raises(SystemExit) as stop:
        main(["pairs", "--month", "2026-13"])
    assert stop.value.code == 2
    assert f"argument --month: {said}" in capsys.readouterr().err


def test_a_wrong_answer_is_said_in_the_sites_language(directory: Build) -> None:
    said: list[str] = []
    prompts: list[str] = []
    answers = iter(["Nina Martin", "Développeuse", "plateform", "zzz", "", "", "", "fr", ""])

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    ask_profile("nmartin", load_settings(directory()), input_fn=ask, print_fn=lambda *args: said.append(" ".join(args)))
    assert prompts[0] == "Nom complet : "
    assert "  'plateform' n’en fait pas partie. Vouliez-vous dire 'platform' ?" in said
    assert "  'zzz' n’en fait pas partie. Tapez ? pour tout voir." in said
