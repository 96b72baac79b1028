"""The ``trombi`` command through its real entry points: ``python -m generator.cli.main`` and the console script."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.directory.load import Document, load_file
from generator.directory.scaffold import SAMPLE_BIO
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.i18n import load_language
from generator.problems import Level, Problem, Words, count_line
from tests.conftest import DATA, write_config

SCRIPT = Path(sys.executable).parent / "trombi"
ENTRY_POINTS = {"module": [sys.executable, "-m", "generator.cli.main"], "script": [str(SCRIPT)]}
TEXT_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning): .+ \[(?P<rule>[a-z0-9-]+)\]$")
FRENCH = load_language("fr")  # the test directories speak French

Run = Callable[..., subprocess.CompletedProcess[str]]
Build = Callable[..., Path]


def runner(entry_point: str, cwd: Path) -> Run:
    """Run trombi with arguments; ``cwd`` defaults to an empty folder so nothing depends on where pytest runs."""
    if entry_point == "script" and not SCRIPT.exists():
        pytest.skip(f"no console script at {SCRIPT}")
    command = ENTRY_POINTS[entry_point]
    cwd.mkdir(exist_ok=True)

    def run(*args: str | Path, cwd: Path = cwd) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([*command, *map(str, args)], capture_output=True, text=True, encoding="utf-8", cwd=cwd, timeout=60)
        assert "Traceback" not in result.stdout
        assert "Traceback" not in result.stderr
        return result

    return run


@pytest.fixture(params=sorted(ENTRY_POINTS))
def trombi(request: pytest.FixtureRequest, tmp_path: Path) -> Run:
    """trombi through each entry point in turn."""
    return runner(request.param, tmp_path / "elsewhere")


@pytest.fixture
def trombi_module(tmp_path: Path) -> Run:
    """trombi through ``python -m generator.cli.main`` only, for the tests that need many runs."""
    return runner("module", tmp_path / "elsewhere")


def counts(errors: int, warnings: int, words: Words = FRENCH) -> str:
    """The line that ends a report ("2 errors, 1 warning"), as the site's language says it."""
    problems = [Problem("", 1, 1, "", "")] * errors + [Problem("", 1, 1, "", "", Level.WARNING)] * warnings
    return count_line(problems, words)


def problem_lines(output: str) -> list[re.Match[str]]:
    """The problems of a text report, checked against the count line that ends it."""
    lines = output.strip().splitlines()
    matches = [TEXT_LINE.match(line) for line in lines[:-1]]
    assert all(matches), lines
    found = [m for m in matches if m]
    levels = [m["level"] for m in found]
    assert lines[-1] == counts(levels.count("error"), levels.count("warning")), lines[-1]
    return found


# --- help ------------------------------------------------------------------------------------------


def test_help(trombi: Run) -> None:
    result = trombi("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: trombi")
    for command in ("validate", "new", "reference"):
        assert command in result.stdout


@pytest.mark.parametrize("command", ["validate", "new", "reference"])
def test_subcommand_help(trombi: Run, command: str) -> None:
    result = trombi(command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: trombi {command}")
    assert "--root" in result.stdout


def test_version(trombi_module: Run) -> None:
    result = trombi_module("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == "trombi 0.1.0"


def test_no_command_shows_help_and_fails(trombi_module: Run) -> None:
    result = trombi_module()
    assert result.returncode == 2
    assert "usage: trombi" in result.stdout


def test_unknown_option_is_a_usage_error(trombi_module: Run) -> None:
    result = trombi_module("validate", "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


# --- validate ---------------------------------------------------------------------------------------


def test_validate_valid_directory(trombi: Run, directory: Build) -> None:
    result = trombi("validate", "--root", directory())
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "Aucun problème trouvé."  # the site's language: French here


def test_validate_in_the_current_folder(trombi_module: Run, directory: Build) -> None:
    root = directory(DATA / "invalid" / "dangling-manager")
    result = trombi_module("validate", cwd=root)
    assert result.returncode == 1
    assert result.stdout.startswith("people/dev.yaml:5:10: error: le manager 'laed' n’est pas une personne")  # the site's language


def test_validate_invalid_directory(trombi: Run, directory: Build) -> None:
    root = directory(DATA / "invalid" / "several-files")
    result = trombi("validate", "--root", root)
    assert result.returncode == 1
    matches = problem_lines(result.stdout)
    found = [f"{m['path']}:{m['line']}:{m['col']} {m['rule']}" for m in matches]
    assert found == [
        "groups/guild-python.yaml:1:1 schema-line",
        "groups/guild-python.yaml:3:16 reference",
        "groups/guild-python.yaml:4:7 type",
        "groups/platform.yaml:3:7 value",
        "people/ceo.yaml:5:9 date",
        "people/ceo.yaml:6:21 duplicate",
        "people/dev.yaml:6:44 unknown-skill",
        "people/dev.yaml:7:27 unknown-field",
    ]
    assert [m["level"] for m in matches].count("warning") == 1
    assert result.stdout.strip().splitlines()[-1] == counts(7, 1)


def test_validate_warnings_only_succeeds(trombi_module: Run, directory: Build) -> None:
    result = trombi_module("validate", "--root", directory(DATA / "invalid" / "unknown-location"))
    assert result.returncode == 0
    [match] = problem_lines(result.stdout)
    assert (match["level"], match["rule"]) == ("warning", "unknown-location")


HOSTILE = {
    "alias-bomb": "yaml-alias",
    "deep-nesting": "too-deep",
    "non-utf8": "encoding",
    "nul-byte": "encoding",
    "oversized-file": "file-too-large",
    "yaml-tag": "yaml-tag",
    "yaml-syntax": "yaml-syntax",
    "tab-indentation": "yaml-syntax",
}


def test_validate_hostile_files_fail_cleanly(trombi_module: Run, directory: Build) -> None:
    # All the hostile profiles of tests/data/invalid at once, each under its own handle.
    root = directory()
    for case in HOSTILE:
        [source] = (DATA / "invalid" / case / "people").iterdir()
        (root / "people" / f"{case}.yaml").write_bytes(source.read_bytes())
    result = trombi_module("validate", "--root", root)
    assert result.returncode == 1
    assert result.stderr == ""
    rules = {(m["path"], m["rule"]) for m in problem_lines(result.stdout)}
    assert {(f"people/{case}.yaml", rule) for case, rule in HOSTILE.items()} <= rules


def test_validate_github_format(trombi: Run, directory: Build) -> None:
    root = directory(DATA / "invalid" / "several-files")
    result = trombi("validate", "--root", root, "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 8
    assert lines[0].startswith("::warning file=groups/guild-python.yaml,line=1,col=1,title=schema-line::")
    assert lines[4].startswith("::error file=people/ceo.yaml,line=5,col=9,title=date::")
    assert all(re.match(r"^::(error|warning) file=[^,]+,line=\d+,col=\d+,title=[a-z-]+::.+$", line) for line in lines)


def test_validate_github_format_valid(trombi_module: Run, directory: Build) -> None:
    result = trombi_module("validate", "--root", directory(), "--format", "github")
    assert result.returncode == 0
    assert result.stdout == ""


def test_validate_json_format(trombi: Run, directory: Build) -> None:
    root = directory(DATA / "invalid" / "own-errors-and-reference")
    result = trombi("validate", "--root", root, "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert [(p["path"], p["line"], p["col"], p["rule"], p["level"]) for p in data] == [
        ("people/dev.yaml", 5, 10, "reference", "error"),
        ("people/dev.yaml", 6, 9, "date", "error"),
        ("people/dev.yaml", 7, 24, "reference", "error"),
    ]
    assert "'2024-02-30'" in data[1]["message"]
    assert set(data[0]) == {"path", "line", "col", "message", "rule", "level"}


def test_validate_json_format_valid(trombi_module: Run, directory: Build) -> None:
    result = trombi_module("validate", "--root", directory(), "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_validate_paths(trombi_module: Run, directory: Build, write: Callable[[str, str], Path]) -> None:
    root = directory()
    write("people/ceo.yaml", "name: Claire Éon\ntitle: Directrice\nlanguages: [fr, French]\n")
    # Relative paths are read from the current folder, absolute ones from anywhere.
    assert trombi_module("validate", "people/dev.yaml", "groups/platform.yaml", cwd=root).returncode == 0
    result = trombi_module("validate", "--root", root, root / "people" / "ceo.yaml", root / "people" / "dev.yaml")
    assert result.returncode == 1
    found = [f"{m['path']}:{m['line']}:{m['col']} {m['rule']}" for m in problem_lines(result.stdout)]
    assert found == ["people/ceo.yaml:1:1 schema-line", "people/ceo.yaml:3:17 language"]


def test_validate_missing_path(trombi_module: Run, directory: Build) -> None:
    root = directory()
    result = trombi_module("validate", "people/nobody.yaml", cwd=root)
    assert result.returncode == 1
    assert result.stdout.startswith("people/nobody.yaml:1:1: error: fichier introuvable [file]")


def test_validate_broken_settings(trombi_module: Run, directory: Build, write: Callable[[str, str], Path]) -> None:
    root = directory()
    write("mkdocs.yml", "site_name: Test\nextra:\n  trombi:\n    sitez: [Lyon]\n")
    result = trombi_module("validate", "--root", root)
    assert result.returncode == 1
    assert "mkdocs.yml:4:5: error: réglage inconnu : extra.trombi.sitez [config]" in result.stderr


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ("stale_after_months: douze", "error: extra.trombi.stale_after_months doit être un nombre entier de 1 à 600, trouvé : 'douze'"),
        ("news_days: -5", "error: extra.trombi.news_days doit être un nombre entier de 1 à 3650, trouvé : -5"),
        ("sites: Lyon", "error: extra.trombi.sites doit être une liste de noms, par exemple [Lyon, Paris]"),
        ("admins: [kbenali, [x]]", "error: extra.trombi.admins doit être une liste de noms"),
        ("people_dir: [people]", "error: extra.trombi.people_dir doit être un nom de dossier ou de fichier"),
        ('chat_url: "https://chat.example/"', "error: extra.trombi.chat_url doit contenir {handle} là où va l’identifiant de messagerie"),
        ('chat_url: "javascript:alert(1)//{handle}"', "error: extra.trombi.chat_url doit être une adresse http:// ou https://"),
        ("chat_url: 42", "error: extra.trombi.chat_url doit être une adresse web sur une ligne"),
    ],
)
def test_a_wrong_setting_is_said_where_it_is_written(trombi_module: Run, directory: Build, setting: str, said: str) -> None:
    # Each of these passed validation, then broke the build (a traceback) or every profile (61 warnings).
    root = write_config(directory(), extra=f"    {setting}\n")
    line = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index(f"    {setting}") + 1
    for command in ("validate", "build"):
        result = trombi_module(command, "--root", root)
        assert result.returncode == 1
        assert f"mkdocs.yml:{line}:5: {said}" in result.stderr and "Traceback" not in result.stderr


# --- new --------------------------------------------------------------------------------------------


def test_new_writes_a_profile_that_validates_once_filled_in(trombi: Run, directory: Build) -> None:
    root = directory()
    result = trombi("new", "jdupont", "--name", "Jean Dupont", "--title", "Chef de projet", "--team", "platform", "--manager", "lead", "--root", root)
    assert result.returncode == 0, result.stderr
    assert "people/jdupont.yaml" in result.stdout
    path = root / "people" / "jdupont.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/person.schema.json\n")
    # As written, the skeleton asks for a login and for a bio in the person's own words.
    check = trombi("validate", "people/jdupont.yaml", cwd=root)
    assert check.returncode == 1
    assert [(m["rule"], m["level"]) for m in problem_lines(check.stdout)] == [("missing-login", "warning"), ("placeholder", "error")]
    sample_bio = load_settings(root).gettext(SAMPLE_BIO)  # the skeleton speaks the site's language
    path.write_text(text.replace("  github:", "  github: jdupont").replace(sample_bio, "Chef de projet à Lyon."), encoding="utf-8")
    check = trombi("validate", "people/jdupont.yaml", cwd=root)
    assert check.returncode == 0, check.stdout
    assert check.stdout.strip() == "Aucun problème trouvé."
    document, problems = load_file(path, "people/jdupont.yaml")
    assert problems == []
    assert document is not None
    assert (document.data["name"], document.data["title"], document.data["team"], document.data["manager"]) == (
        "Jean Dupont",
        "Chef de projet",
        "platform",
        "lead",
    )
    _, problems = validate_directory(load_settings(root))
    assert problems == []


def test_new_without_name_and_title_asks_for_them(trombi_module: Run, directory: Build) -> None:
    root = directory()
    assert trombi_module("new", "jdupont", "--root", root).returncode == 0
    result = trombi_module("validate", "people/jdupont.yaml", cwd=root)
    assert result.returncode == 1
    assert [m["rule"] for m in problem_lines(result.stdout)] == ["missing-field", "missing-field", "missing-login", "placeholder"]
    assert "'name'" in result.stdout
    assert "'title'" in result.stdout


def test_new_checks_team_and_manager_before_writing(trombi_module: Run, directory: Build) -> None:
    root = directory()
    result = trombi_module("new", "jdupont", "--team", "platfrom", "--manager", "laed", "--no-input", "--root", root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "people/jdupont.yaml:1:1: error: --manager 'laed' n’est pas une personne de l’annuaire (vouliez-vous dire 'lead' ?) [reference]",
        "people/jdupont.yaml:1:1: error: --team 'platfrom' n’est pas une équipe de l’annuaire (vouliez-vous dire 'platform' ?) [reference]",
    ]
    assert not (root / "people" / "jdupont.yaml").exists()
    # A team is named by its slug or by its name, as the questions take it.
    assert trombi_module("new", "jdupont", "--team", "équipe plateforme", "--no-input", "--root", root).returncode == 0
    assert 'team: "platform"' in (root / "people" / "jdupont.yaml").read_text(encoding="utf-8")


def test_new_refuses_an_existing_profile(trombi: Run, directory: Build) -> None:
    root = directory()
    before = (root / "people" / "dev.yaml").read_bytes()
    result = trombi("new", "dev", "--name", "Autre", "--title", "Autre", "--root", root)
    assert result.returncode == 1
    assert result.stderr.startswith("people/dev.yaml:1:1: error: ce profil existe déjà")
    assert (root / "people" / "dev.yaml").read_bytes() == before


def test_new_refuses_an_invalid_handle(trombi: Run, directory: Build) -> None:
    root = directory()
    before = sorted(p.name for p in (root / "people").iterdir())
    result = trombi("new", "Jean.Dupont", "--name", "Jean Dupont", "--title", "Chef de projet", "--root", root)
    assert result.returncode == 1
    assert result.stderr.startswith("people/Jean.Dupont.yaml:1:1: error: 'Jean.Dupont' n’est pas un identifiant valide")
    assert sorted(p.name for p in (root / "people").iterdir()) == before


@pytest.mark.parametrize("handle", ["-jd", "../../etc/x", "a" * 41])
def test_new_refuses_other_invalid_handles(trombi_module: Run, directory: Build, handle: str) -> None:
    root = directory()
    before = sorted(p.name for p in (root / "people").iterdir())
    result = trombi_module("new", "--name", "Jean Dupont", "--title", "Chef de projet", "--root", root, "--", handle)
    assert result.returncode == 1
    assert "n’est pas un identifiant valide" in result.stderr
    assert "[handle]" in result.stderr
    assert sorted(p.name for p in (root / "people").iterdir()) == before
    assert not (root.parent / "etc").exists()


def test_new_refuses_a_handle_with_a_trailing_newline(trombi_module: Run, directory: Build) -> None:
    root = directory()
    result = trombi_module("new", "jdupont\n", "--name", "Jean Dupont", "--title", "Chef", "--root", root)
    assert result.returncode == 1
    assert "[handle]" in result.stderr
    assert sorted(p.name for p in (root / "people").iterdir()) == ["ceo.yaml", "dev.yaml", "lead.yaml"]


def new_profile(run: Run, root: Path, name: str, title: str) -> Document:
    result = run("new", "jdupont", "--name", name, "--title", title, "--root", root)
    assert result.returncode == 0, result.stderr
    path = root / "people" / "jdupont.yaml"
    document, problems = load_file(path, "people/jdupont.yaml")
    assert problems == []
    assert document is not None
    _, problems = validate_directory(load_settings(root), [path])
    # Only what the skeleton leaves for the person to fill in: their login and their bio.
    assert [p.rule for p in problems] == ["missing-login", "placeholder"], [p.as_text() for p in problems]
    return document


def test_new_name_with_yaml_characters_round_trips(trombi: Run, directory: Build) -> None:
    name = 'Jean "JD" Dupont: #1 {dev}, [ops] & *star'
    title = "Cheffe de projet # {a, b}: 'c'"
    document = new_profile(trombi, directory(), name, title)
    assert document.data["name"] == name
    assert document.data["title"] == title


@pytest.mark.parametrize(
    "name",
    [
        "Jean-Éric d'Arc # pas un commentaire",
        "- Dupont | > ! % @ ` \\n \\",
        "true",
        "Zoë 李 🙂",
    ],
)
def test_new_name_round_trips_exactly(trombi_module: Run, directory: Build, name: str) -> None:
    document = new_profile(trombi_module, directory(), name, "Chef")
    assert document.data["name"] == name


@pytest.mark.parametrize("name", ["Jean\x85Dupont", "Jean\x7fDupont", "Jean\u2028Dupont", "Zoë\t李 🙂"])
def test_new_name_with_control_characters_round_trips(trombi_module: Run, directory: Build, name: str) -> None:
    root = directory()
    assert trombi_module("new", "jdupont", "--name", name, "--title", "Chef", "--root", root).returncode == 0
    document, problems = load_file(root / "people" / "jdupont.yaml", "people/jdupont.yaml")
    assert problems == []
    assert document is not None and document.data["name"] == name
    assert document is not None
    assert document.data["name"] == name
