"""Nothing lost or half-published: counts checked, the old site kept on any failure, builds reproducible."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from generator.directory.enrich import enrich
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.engine.publish import build_site
from generator.search.pagefind import indexed_pages
from generator.site.audit import Count, count_pages, describe, expected_pages, searchable
from tests.conftest import REPO, make_directory, site_files, write_config

# A hook that runs before Trombi's: it removes a person page once MkDocs has written them all.
# A page lost on the way: dropped from what the build writes after the directory's hook planned it.
LOSE_A_PAGE = """
from dataclasses import replace

from mkdocs.plugins import event_priority

@event_priority(-200)
def on_files(files, config):
    for plugin in config.plugins.values():
        rendering = getattr(getattr(plugin, "_events", None), "rendering", None)
        if rendering is not None:
            plugin._events.rendering = replace(rendering, to_write=tuple(p for p in rendering.to_write if p.path != "people/dev.md"))
    return files
"""
FAIL_IN_FILES = """
def on_files(files, config):
    raise RuntimeError("disk full")
"""


def _directory(root: Path, *, hook: str | None = None) -> Path:
    make_directory(root)
    write_config(root)
    if hook is not None:
        (root / "extra_hook.py").write_text(hook, encoding="utf-8")
        config = root / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("hooks:\n", "hooks:\n  - extra_hook.py\n"), encoding="utf-8")
    return root


def _snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site_files(site)}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("reproducible")
    first = build_site(_directory(base / "one"), base / "site-one")
    second = build_site(_directory(base / "two"), base / "site-two")
    return first, second


def test_two_builds_of_the_same_input_are_identical(two_builds: tuple[Path, Path]) -> None:
    one, two = (_snapshot(site) for site in two_builds)
    assert any(path.startswith("pagefind/filter/") for path in one)  # the search index is compared too
    assert sorted(one) == sorted(two)
    differ = [path for path in one if _normalised(path, one[path]) != _normalised(path, two[path])]
    assert not differ, f"{len(differ)} files differ between two builds, e.g. {differ[:5]}"


def test_the_counts_match_on_a_good_build(two_builds: tuple[Path, Path], tmp_path: Path) -> None:
    site = two_builds[0]
    org = enrich(validate_directory(load_settings(site.parent / "one"))[0])
    written = [p.relative_to(site).as_posix() for p in site_files(site)]
    counts = count_pages(expected_pages(org), set(written).__contains__)
    assert [c.what for c in counts] == ["people", "groups", "skills"]
    assert all(c.ok for c in counts) and describe(counts) == []
    assert counts[0].found == len(org.people) == 3
    assert searchable(org) == 3
    assert indexed_pages(site) == 3


def test_describe_says_what_is_missing() -> None:
    lines = describe([Count("people", 3, 2, ("people/dev/index.html",)), Count("Pagefind records", 3, 3)])
    assert lines == ["people: 3 expected, 2 in the site; missing: people/dev/index.html"]


def test_a_lost_page_fails_the_build_and_keeps_the_old_site(tmp_path: Path) -> None:
    site = build_site(_directory(tmp_path / "good"), tmp_path / "site")
    before = _snapshot(site)
    with pytest.raises(Abort, match=r"people: 3 expected, 2 in the site; missing: people/dev/index.html"):
        build_site(_directory(tmp_path / "lossy", hook=LOSE_A_PAGE), tmp_path / "site")
    assert _snapshot(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_failure_while_gathering_files_keeps_the_old_site(tmp_path: Path) -> None:
    site = build_site(_directory(tmp_path / "good"), tmp_path / "site")
    before = _snapshot(site)
    with pytest.raises((Abort, RuntimeError)):
        build_site(_directory(tmp_path / "broken", hook=FAIL_IN_FILES), tmp_path / "site")
    assert _snapshot(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_expected_pages_name_every_person_group_and_skill(two_builds: tuple[Path, Path]) -> None:
    org = enrich(validate_directory(load_settings(two_builds[0].parent / "one"))[0])
    pages = expected_pages(org)
    assert pages["people"] == {f"people/{h}/index.html" for h in ("ceo", "dev", "lead")}
    assert len(pages["groups"]) == len(org.groups) and len(pages["skills"]) == len(org.skill_slugs)


BUILD = "import sys; from pathlib import Path; from generator.engine.publish import build_site; build_site(Path(sys.argv[1]), Path(sys.argv[2]))"


def _demo(root: Path) -> Path:
    """The demo of this repository, with one person offering four things that all meet another's seek equally."""
    for name in ("people", "groups", "docs", "pairings", "hooks"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "skills.yaml"):
        shutil.copyfile(REPO / name, root / name)
    offers = root / "people" / "aroussel.yaml"
    tied = "offers: [atelier Zigzag, revue Zigzag, mentorat Zigzag, relecture Zigzag, "
    offers.write_text(offers.read_text(encoding="utf-8").replace("offers: [", tied, 1), encoding="utf-8")
    seeks = root / "people" / "fkeita.yaml"
    seeks.write_text(seeks.read_text(encoding="utf-8").replace("seeks: [", "seeks: [aide Zigzag, ", 1), encoding="utf-8")
    return root


def test_two_builds_of_the_demo_are_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    """Sets and dicts of strings iterate in an order that PYTHONHASHSEED changes: none may reach the site."""
    sites = []
    for seed in ("1", "2", "3"):
        root, site = _demo(tmp_path / f"demo-{seed}"), tmp_path / f"site-{seed}"
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", BUILD, str(root), str(site)], env=environment, check=True, capture_output=True, cwd=tmp_path)
        sites.append(_snapshot(site))
    assert any(b"Zigzag" in data for path, data in sites[0].items() if path.startswith("network/"))  # the tie is in the site
    for other in sites[1:]:
        assert sorted(other) == sorted(sites[0])
        differ = [path for path in sites[0] if _normalised(path, sites[0][path]) != _normalised(path, other[path])]
        assert not differ, f"{len(differ)} files differ with another PYTHONHASHSEED, e.g. {differ[:5]}"


def _normalised(path: str, data: bytes) -> bytes:
    """A file's bytes with the build date taken out (the only thing allowed to differ)."""
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    if path.startswith("sitemap.xml"):
        data = re.sub(rb"<lastmod>[^<]*</lastmod>", b"<lastmod/>", data)
    return data
