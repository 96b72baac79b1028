"""The profile form's validator, committed under generator/assets/vendor/, is the one package-lock.json pins.

The site is published without npm (CI's publish job has only Python), so the validator's files are
committed; `make vendor` copies them from node_modules/. These tests fail when the copy and
node_modules/ differ, and skip only where node_modules/ is absent (CI installs it).
"""

from __future__ import annotations

import json
import re

import pytest

from generator.site.form import VENDOR
from tests.conftest import REPO

PACKAGE = "@cfworker/json-schema"
INSTALLED = REPO / "node_modules" / PACKAGE
COPY = VENDOR / "cfworker-json-schema"


@pytest.fixture(scope="module")
def installed() -> dict[str, str]:
    if not (INSTALLED / "package.json").is_file():
        pytest.skip(f"{PACKAGE} is not in node_modules/ (make test installs it with npm ci)")
    return json.loads((INSTALLED / "package.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_committed_validator_is_the_installed_one(installed: dict[str, str]) -> None:
    dist = INSTALLED / "dist" / "esm"
    wanted = {path.name: path.read_bytes() for path in dist.glob("*.js")}
    committed = {path.name: path.read_bytes() for path in COPY.glob("*.js")}
    assert wanted, f"no ES modules in {dist}"
    assert sorted(committed) == sorted(wanted), "run `make vendor`"
    changed = [name for name in wanted if committed[name] != wanted[name]]
    assert not changed, f"{changed} differ from node_modules/: run `make vendor`"


def test_its_version_is_the_one_package_json_pins_and_its_readme_says(installed: dict[str, str]) -> None:
    pinned = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["devDependencies"][PACKAGE]
    assert installed["version"] == pinned, "node_modules/ is not what package.json pins: npm ci"
    readme = (COPY / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"^# {re.escape(PACKAGE)} {re.escape(pinned)}$", readme, re.MULTILINE), "run `make vendor`"
    assert f"- Version: {pinned}," in readme
    assert installed["license"] == "MIT" and "MIT License" in (COPY / "LICENSE").read_text(encoding="utf-8")


YAML_PACKAGE = "yaml"
YAML_INSTALLED = REPO / "node_modules" / YAML_PACKAGE
YAML_COPY = VENDOR / "yaml"


def test_the_committed_yaml_parser_is_the_installed_one_and_the_pinned_version() -> None:
    if not (YAML_INSTALLED / "package.json").is_file():
        pytest.skip(f"{YAML_PACKAGE} is not in node_modules/ (make test installs it with npm ci)")
    dist = YAML_INSTALLED / "browser" / "dist"
    wanted = {path.relative_to(dist).as_posix(): path.read_bytes() for path in dist.rglob("*.js")}
    committed = {path.relative_to(YAML_COPY).as_posix(): path.read_bytes() for path in YAML_COPY.rglob("*.js")}
    assert wanted, f"no ES modules in {dist}"
    assert sorted(committed) == sorted(wanted), "run `make vendor`"
    changed = [name for name in wanted if committed[name] != wanted[name]]
    assert not changed, f"{changed} differ from node_modules/: run `make vendor`"
    installed = json.loads((YAML_INSTALLED / "package.json").read_text(encoding="utf-8"))
    pinned = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["devDependencies"][YAML_PACKAGE]
    assert installed["version"] == pinned, "node_modules/ is not what package.json pins: npm ci"
    readme = (YAML_COPY / "README.md").read_text(encoding="utf-8")
    assert f"# yaml {pinned}\n" in readme and f"- Version: {pinned}," in readme, "run `make vendor`"
    assert installed["license"] == "ISC" and (YAML_COPY / "LICENSE").read_bytes() == (YAML_INSTALLED / "LICENSE").read_bytes()
