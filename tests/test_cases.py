"""Example directories in tests/data, picked up automatically.

- ``valid/<case>/``: overlaid on ``base/``, must validate with no error.
- ``invalid/<case>/``: overlaid on ``base/``; ``expected.txt`` lists every problem it must give,
  one per line as ``path:line:col rule`` (``# comments`` allowed). Nothing more, nothing less.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.problems import Level
from tests.conftest import DATA, make_directory

VALID = sorted(p for p in (DATA / "valid").iterdir() if p.is_dir())
INVALID = sorted(p for p in (DATA / "invalid").iterdir() if p.is_dir())


def test_base_directory_is_valid(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "d")
    _, problems = validate_directory(load_settings(root))
    assert [p.as_text() for p in problems] == []


@pytest.mark.parametrize("case", VALID, ids=[p.name for p in VALID])
def test_valid_case(case: Path, tmp_path: Path) -> None:
    root = make_directory(tmp_path / "d", case)
    _, problems = validate_directory(load_settings(root))
    assert [p.as_text() for p in problems if p.level is Level.ERROR] == []


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_case(case: Path, tmp_path: Path) -> None:
    expected = _expected(case / "expected.txt")
    assert expected, f"{case.name}/expected.txt lists no problem"
    root = make_directory(tmp_path / "d", case)
    _, problems = validate_directory(load_settings(root))
    found = sorted(f"{p.path}:{p.line}:{p.col} {p.rule}" for p in problems)
    assert found == expected, "\n".join(p.as_text() for p in problems)


def _expected(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return sorted(line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip())
