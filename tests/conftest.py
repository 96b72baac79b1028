"""Shared fixtures: small directories built in tmp_path from the files in tests/data."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


def make_directory(target: Path, *overlays: Path) -> Path:
    """Copy tests/data/base into ``target``, then each overlay on top of it (files replace files)."""
    shutil.copytree(DATA / "base", target, dirs_exist_ok=True)
    for overlay in overlays:
        for source in sorted(overlay.rglob("*")):
            if source.is_file() and source.name not in ("expected.txt", "README.md"):
                destination = target / source.relative_to(overlay)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, destination)
    for marker in target.rglob("*.delete"):
        (marker.with_suffix("")).unlink(missing_ok=True)
        marker.unlink()
    return target


@pytest.fixture
def directory(tmp_path: Path) -> Callable[..., Path]:
    """Build a small valid directory (tests/data/base plus overlays) and return its root."""

    def build(*overlays: Path) -> Path:
        return make_directory(tmp_path / "directory", *overlays)

    return build


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file under the directory root made by the ``directory`` fixture."""

    def write_file(relative: str, content: str | bytes) -> Path:
        path = tmp_path / "directory" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write_file


def write_config(root: Path, *, language: str = "fr", site_name: str = "Test Co", extra: str = "") -> Path:
    """A mkdocs.yml for a directory made in tmp_path, using this repository's hook."""
    hook = (REPO / "hooks" / "trombi.py").as_posix()
    config = f"""site_name: {site_name}
repo_url: https://git.example/acme/trombi
edit_uri: edit/main/docs/
theme:
  name: material
  language: {language}
  font: false
hooks:
  - {hook}
plugins: []
markdown_extensions:
  - attr_list
  - md_in_html
  - admonition
watch:
  - people
  - groups
  - skills.yaml
extra:
  trombi:
    sites: [Lyon, Paris, Télétravail]
{extra}"""
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    return root


def site_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file())
