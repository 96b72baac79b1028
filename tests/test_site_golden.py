"""The whole built site, file by file, against a manifest: a change that moves a byte is seen.

The demo organisation and a 3,000-person synthetic one are built for real, as of a fixed day
(``SOURCE_DATE_EPOCH``) and without git history, and every file of the site (pages, exports,
calendars, feeds, Pagefind's index) is hashed. Reorganising the code must leave every hash as it
was; a change meant to alter the site shows which files it alters. The demo's manifest has a line
per file; the synthetic site's (14,000 files) a line per top folder, with the hash of its files'
names and hashes and their count, so that the manifest stays small in git.

After an intended change: ``TROMBI_UPDATE_GOLDEN=1 make test`` (or this module alone) rewrites
``tests/golden/*.sha256``, as it rewrites ``tests/golden/*.html`` for tests/test_render.py; then
review the diff.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.directory.synth import write_synthetic_directory
from generator.engine.publish import build_site
from tests.conftest import REPO, site_files

GOLDEN = Path(__file__).parent / "golden"
BUILD_DAY = "1781049600"  # 2026-06-10, a Wednesday: a month with lunches, a week with meetings
SYNTH_PEOPLE = 3_000
SHOWN = 20  # files named in a failure, of each kind; the rest counted


@pytest.fixture(scope="module", autouse=True)
def build_day() -> Iterator[None]:
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = BUILD_DAY
    yield
    if before is None:
        del os.environ["SOURCE_DATE_EPOCH"]
    else:
        os.environ["SOURCE_DATE_EPOCH"] = before


def _demo(root: Path) -> Path:
    # A copy without .git: the pages of a build without history, the same in every clone at every commit.
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".*", "site", "tests", "benchmarks", "work", "*.egg-info", "__pycache__"))
    return root


def _synth(root: Path) -> Path:
    write_synthetic_directory(root, SYNTH_PEOPLE, seed=0)
    return root


def manifest(site: Path, *, by_folder: bool = False) -> dict[str, str]:
    """Each file's hash by its path; or, ``by_folder``, each top folder's (``people/``) hash and count of files."""
    files = {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() for path in site_files(site)}
    if not by_folder:
        return files
    folders: dict[str, list[str]] = {}
    for name, digest in sorted(files.items()):
        folder = name.split("/", 1)[0] + "/" if "/" in name else name
        folders.setdefault(folder, []).append(f"{name}\0{digest}\n")
    return {folder: f"{hashlib.sha256(''.join(lines).encode()).hexdigest()} {len(lines)}" for folder, lines in folders.items()}


def _read(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    pairs = (line.split("  ", 1) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {name: digest for digest, name in pairs}


def _write(path: Path, found: dict[str, str]) -> None:
    path.write_text("".join(f"{digest}  {name}\n" for name, digest in sorted(found.items())), encoding="utf-8")


def differences(expected: dict[str, str], found: dict[str, str]) -> list[str]:
    """What differs, a line for each kind (added, removed, changed), naming at most :data:`SHOWN` files of each."""
    kinds = {
        "added": sorted(found.keys() - expected.keys()),
        "removed": sorted(expected.keys() - found.keys()),
        "changed": sorted(name for name in expected.keys() & found.keys() if expected[name] != found[name]),
    }
    lines = []
    for kind, names in kinds.items():
        if names:
            more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
            lines.append(f"{len(names)} {kind}: {', '.join(names[:SHOWN])}{more}")
    return lines


@pytest.mark.parametrize(("name", "make", "by_folder"), [("demo", _demo, False), ("synth-3000", _synth, True)])
def test_the_built_site_is_the_one_recorded(name: str, make: object, by_folder: bool, tmp_path: Path) -> None:
    assert callable(make)
    site = build_site(make(tmp_path / "directory"), tmp_path / "site")
    found = manifest(site, by_folder=by_folder)
    golden = GOLDEN / f"{name}.sha256"
    if os.environ.get("TROMBI_UPDATE_GOLDEN"):
        _write(golden, found)
    lines = differences(_read(golden), found)
    assert not lines, (
        f"The {name} site differs from {golden.relative_to(REPO)}:\n"
        + "\n".join(lines)
        + "\nIf the change is meant, rewrite it with TROMBI_UPDATE_GOLDEN=1 and review the diff."
    )


def test_a_difference_names_the_files_and_counts_the_rest() -> None:
    expected = {f"people/p{n}.html": "a" for n in range(30)} | {"gone.html": "b"}
    found = {f"people/p{n}.html": "a" if n < 5 else "c" for n in range(30)} | {"new.html": "d"}
    lines = differences(expected, found)
    assert lines[0] == "1 added: new.html" and lines[1] == "1 removed: gone.html"
    assert lines[2].startswith("25 changed: people/p10.html") and lines[2].endswith(" and 5 more")
