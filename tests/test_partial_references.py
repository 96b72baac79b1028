"""Validating the files a pull request changed: what references a changed taxonomy or group is
checked again, what is not a file of the directory is refused, and the root is found from below."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.directory.load import load_file
from generator.directory.referrers import _may_name_an_unknown_skill, referrers
from generator.directory.settings import find_root, load_settings
from generator.directory.validate import validate_directory
from generator.problems import Problem

Build = Callable[..., Path]
Write = Callable[[str, str | bytes], Path]
REPO = Path(__file__).parent.parent
SKILLS = "# yaml-language-server: $schema=schemas/skills.schema.json\n"
GROUP = "# yaml-language-server: $schema=../schemas/group.schema.json\n"


def checked(root: Path, *paths: str) -> list[str]:
    _, problems = validate_directory(load_settings(root), [root / path for path in paths])
    return [f"{p.path}:{p.line}:{p.col} {p.rule}" for p in problems]


# --- skills.yaml ------------------------------------------------------------------------------


def test_removing_an_alias_rechecks_the_people_using_it(directory: Build, write: Write) -> None:
    root = directory()
    # dev.yaml says "py"; lead.yaml says "Python", which stays.
    write("skills.yaml", SKILLS + "Kubernetes: {category: Cloud}\nPython: {category: Langages}\nRust: {category: Langages}\n")
    assert checked(root, "skills.yaml") == ["people/dev.yaml:8:10 unknown-skill"]


def test_removing_a_skill_rechecks_the_people_using_it(directory: Build, write: Write) -> None:
    root = directory()
    write("skills.yaml", SKILLS + "Python: {aliases: [py], category: Langages}\nRust: {category: Langages}\n")
    assert checked(root, "skills.yaml") == ["people/lead.yaml:9:12 unknown-skill"]


def test_an_unchanged_taxonomy_rechecks_nobody(directory: Build, write: Write) -> None:
    root = directory()
    write("people/lead.yaml", "name: Léo\ntitle: x\nkind: patron\n")  # broken, but nothing sends us there
    assert checked(root, "skills.yaml", "people/dev.yaml") == []


def test_only_the_profiles_that_may_use_a_missing_skill_are_read(directory: Build) -> None:
    root = directory()
    known = {"kubernetes", "k8s", "python", "rust"}  # no "py"
    assert referrers(root / "people", known_skills=known) == [root / "people" / "dev.yaml"]
    assert referrers(root / "people", known_skills=known | {"py"}) == []


def _profiles() -> list[Path]:
    return sorted([*REPO.glob("people/*.yaml"), *(REPO / "tests" / "data").rglob("people/*.yaml")])


def test_the_byte_search_never_misses_a_profile_using_a_skill() -> None:
    # For every skill every valid profile names, a taxonomy without that name must select the profile.
    seen = 0
    for path in _profiles():
        document, problems = load_file(path, path.name)
        skills = document.data.get("skills") if document is not None and isinstance(document.data, dict) else None
        if problems or not isinstance(skills, list):
            continue
        raw = path.read_bytes()
        names = [str(item.get("name") if isinstance(item, dict) else item).strip().casefold() for item in skills]
        everything = {*names, "other"}
        # Selecting too much only costs a parse; a file of an invalid case may be written oddly enough.
        assert not _may_name_an_unknown_skill(raw, everything) or "invalid" in path.parts, path
        for name in names:
            seen += 1
            assert _may_name_an_unknown_skill(raw, everything - {name}), (path, name)
    assert seen > 100


# --- groups -----------------------------------------------------------------------------------


def test_a_team_that_changes_type_rechecks_its_members(directory: Build, write: Write) -> None:
    root = directory()
    write("groups/platform.yaml", GROUP + "name: Plateforme\ntype: project\nparent: engineering\nowners: [lead]\n")
    assert checked(root, "groups/platform.yaml") == ["people/dev.yaml:4:7 team-type", "people/lead.yaml:4:7 team-type"]


def test_a_group_that_closes_rechecks_the_people_listing_it(directory: Build, write: Write) -> None:
    root = directory()
    write("groups/guild-python.yaml", GROUP + "name: Guilde Python\ntype: community\nowners: [lead]\nopen: false\n")
    assert checked(root, "groups/guild-python.yaml") == ["people/lead.yaml:11:10 closed-group"]


def test_a_department_that_changes_type_rechecks_its_subgroups(directory: Build, write: Write) -> None:
    root = directory()
    write("groups/engineering.yaml", GROUP + "name: Ingénierie\ntype: community\nparent: acme\nowners: [ceo]\n")
    assert "groups/platform.yaml:4:9 group-tree" in checked(root, "groups/engineering.yaml")


# --- what is not the directory's ---------------------------------------------------------------


def test_validate_refuses_a_file_that_is_not_the_directorys(directory: Build) -> None:
    root = directory()
    (root / "README.md").write_text("# Annuaire\n", encoding="utf-8")
    result = _trombi(["validate", "README.md"], root)
    assert result.returncode == 1
    assert result.stdout.startswith("README.md:1:1: error: ")


# --- the root ----------------------------------------------------------------------------------


def test_the_root_is_found_from_a_subfolder(directory: Build, tmp_path: Path) -> None:
    root = directory()
    (root / "docs" / "deep").mkdir(parents=True)
    assert find_root(root / "people") == root
    assert find_root(root / "docs" / "deep") == root
    # A folder with a mkdocs.yml that is not a directory's stops nothing: the search goes on up.
    (root / "docs" / "mkdocs.yml").write_text("site_name: Other\n", encoding="utf-8")
    assert find_root(root / "docs" / "deep") == root
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert find_root(elsewhere) == elsewhere


def test_the_search_for_the_root_stops_at_the_git_repository(directory: Build) -> None:
    root = directory()
    project = root / "tools" / "project"
    (project / ".git").mkdir(parents=True)
    (project / "src").mkdir()
    assert find_root(project / "src") == project / "src"


def test_validate_run_in_people_finds_the_directory(directory: Build, write: Write) -> None:
    root = directory()
    write("people/dev.yaml", "# yaml-language-server: $schema=../schemas/person.schema.json\nname: Ana\ntitle: Dev\nmanager: laed\ncontact: {github: ana}\n")
    whole = _trombi(["validate"], root / "people")
    assert whole.returncode == 1
    assert whole.stdout.startswith("people/dev.yaml:4:10: error: le manager 'laed'")  # the directory's language: French
    one = _trombi(["validate", "dev.yaml"], root / "people")
    assert one.stdout.startswith("people/dev.yaml:4:10: error: le manager 'laed'")


def _trombi(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli.main", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.mark.parametrize("name", ["README.md", "mkdocs.yml"])
def test_a_path_outside_the_data_is_an_error_not_a_pass(directory: Build, name: str) -> None:
    root = directory()
    (root / name).touch()
    _, problems = validate_directory(load_settings(root), [root / name])
    assert [(p.path, p.rule) for p in problems] == [(name, "file")]
    assert isinstance(problems[0], Problem)
