"""The code is clean and what is derived from the model is up to date."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from generator.directory.reference import json_schemas, replace_reference
from generator.directory.settings import Settings

REPO = Path(__file__).parent.parent
BIN = Path(sys.executable).parent


def test_ruff() -> None:
    result = subprocess.run([BIN / "ruff", "check", "generator", "hooks", "tests", "benchmarks"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    result = subprocess.run([BIN / "mypy"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(json_schemas()))
def test_schemas_are_up_to_date(name: str) -> None:
    assert (REPO / "schemas" / name).read_text(encoding="utf-8") == json_schemas()[name], "run `trombi reference`"


def test_readme_field_reference_is_up_to_date() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme == replace_reference(readme), "run `trombi reference`"


def test_readme_opens_with_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```", 2)[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line.strip()]
    assert commands == ["make serve", "make test"]


def test_every_setting_is_documented() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    internal = {"root", "raw", "language", "site_name", "repo_url", "edit_uri"}
    for setting in fields(Settings):
        if setting.name not in internal:
            assert f"| `{setting.name}` |" in readme, f"setting {setting.name} is not documented in the README"


def test_every_yaml_file_declares_its_schema() -> None:
    data_files = [REPO / "skills.yaml", *(REPO / "people").glob("*.yaml"), *(REPO / "groups").glob("*.yaml")]
    assert len(data_files) > 50
    for path in data_files:
        first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first_line.startswith("# yaml-language-server: $schema="), path

