"""Bounded cost on bad input: each hostile shape is refused (or handled) quickly, in bounded memory."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.directory.check import check_document
from generator.directory.enrich import MAX_SLUG, slugify, unique_slugs
from generator.directory.load import MAX_DEPTH, MAX_FILE_BYTES, load_file, parse_bytes
from generator.directory.model import HANDLE_RE, RESERVED_RE, Person
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.engine.publish import build_site
from generator.problems import Problem
from generator.progress import Reporter
from tests.conftest import make_directory, read_page, write_config

SECONDS = 2.0
BYTES = 100 * 1024 * 1024


def _measure(work: Callable[[], list[Problem]]) -> tuple[list[Problem], float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        problems = work()
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return problems, elapsed, peak


def _check(text: bytes) -> list[Problem]:
    document, problems = parse_bytes(text, "people/x.yaml")
    if document is None:
        return problems
    _, schema_problems = check_document(document, Person, "person")
    return problems + schema_problems


CASES = {
    "huge file": (b"name: " + b"a" * (MAX_FILE_BYTES + 1), "the limit is 65536 bytes"),
    "one-megabyte string": (b"name: " + b"a" * 1_000_000, "the limit is 65536 bytes"),
    "deep flow nesting": (b"name: " + b"[" * 30_000 + b"]" * 30_000, f"nested more than {MAX_DEPTH} levels"),
    "deep block nesting": (b"name:\n" + b"".join(b"  " * n + b"- \n" for n in range(1, 200)), f"nested more than {MAX_DEPTH} levels"),
    "alias bomb": (b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n", "aliases"),
    "30,000 items in a flow list": (b"name: x\ntitle: y\ninterests: [" + b",".join([b"1"] * 30_000) + b"]\n", "at most 30 items"),
    "10,000 items in a block list": (b"name: x\ntitle: y\noffers:\n" + b"- a\n" * 10_000, "at most 30 items"),
    "6,000 keys": (b"".join(b"k%d: v\n" % n for n in range(6_000)), "unknown field"),
    "a 20,000-character bio": (b"name: x\ntitle: y\nbio: '" + b"b" * 20_000 + b"'\n", "at most 10000 characters"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_quickly_in_bounded_memory(case: str) -> None:
    text, expected = CASES[case]
    problems, elapsed, peak = _measure(lambda: _check(text))
    # tracemalloc slows Python several times over: time a second, unobserved run.
    started = time.perf_counter()
    _check(text)
    elapsed = time.perf_counter() - started
    assert problems, case
    assert any(expected in p.message for p in problems), [p.as_text() for p in problems[:3]]
    assert all(p.line >= 1 and p.col >= 1 for p in problems)
    assert elapsed < SECONDS, f"{case}: {elapsed:.2f} s"
    assert peak < BYTES, f"{case}: {peak / 1e6:.0f} MB"
    print(f"\n{case}: {len(text):,} bytes refused in {elapsed * 1000:.0f} ms, peak {peak / 1e6:.1f} MB")


def test_a_huge_file_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024**3)  # a sparse 2 GiB file: reading it would take seconds and memory
    problems, elapsed, peak = _measure(lambda: load_file(path, "people/big.yaml")[1])
    assert [p.rule for p in problems] == ["file-too-large"]
    assert elapsed < 0.5 and peak < 1024 * 1024


# --- names that become paths ----------------------------------------------------------------------


def test_slugs_are_bounded_distinct_and_stable() -> None:
    long_a, long_b = "Sécurité " * 40 + "A", "Sécurité " * 40 + "B"
    assert len(slugify(long_a)) <= MAX_SLUG and len(slugify(long_b)) <= MAX_SLUG
    assert slugify(long_a) != slugify(long_b)
    assert slugify(long_a) == slugify("Sécurité " * 40 + "A")
    assert slugify(long_a).startswith("securite-securite-")
    assert slugify("x" * MAX_SLUG) == "x" * MAX_SLUG
    assert slugify("Sécurité réseau") == "securite-reseau"


def test_a_skill_named_index_does_not_take_the_skills_index() -> None:
    assert unique_slugs(["Index", "Python"]) == {"Index": "index-2", "Python": "python"}


@pytest.mark.parametrize("handle", ["index", "page-2", "page-10"])
def test_handles_of_listing_pages_are_reserved(handle: str, directory: Callable[..., Path], write: Callable[[str, str | bytes], Path]) -> None:
    root = directory()
    write(f"people/{handle}.yaml", "# yaml-language-server: $schema=../schemas/person.schema.json\nname: X\ntitle: Y\n")
    write(f"groups/{handle}.yaml", "# yaml-language-server: $schema=../schemas/group.schema.json\nname: X\ntype: team\n")
    write("people/dev.yaml", f"# yaml-language-server: $schema=../schemas/person.schema.json\nname: Ana\ntitle: Dév\nmanager: {handle}\n")
    _, problems = validate_directory(load_settings(root))
    found = {(p.path, p.line, p.col, p.rule) for p in problems if "reserved" in p.message}
    assert found == {(f"people/{handle}.yaml", 1, 1, "handle"), (f"groups/{handle}.yaml", 1, 1, "handle"), ("people/dev.yaml", 4, 10, "handle")}
    assert all("'page-<number>' name the site's listing pages" in p.message for p in problems if "reserved" in p.message)


def test_handles_like_the_reserved_ones_are_fine() -> None:
    for handle in ("indexer", "page-two", "pages-2", "my-page-2", "page-2a"):
        assert HANDLE_RE.fullmatch(handle) and not RESERVED_RE.fullmatch(handle), handle
    for handle in ("index", "page-2", "page-0"):
        assert RESERVED_RE.fullmatch(handle), handle


@pytest.fixture(scope="module")
def long_names_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A real build where a location and a skill have names whose plain slugs would be too long for a file name."""
    root = make_directory(tmp_path_factory.mktemp("long") / "directory")
    write_config(root)
    config = root / "mkdocs.yml"
    # A location outside the configured sites is a warning, which a strict build stops on.
    config.write_text(config.read_text(encoding="utf-8").replace("    sites: [Lyon, Paris, Télétravail]\n", ""), encoding="utf-8")
    # 200 characters, the most a name may have, but a slug of 300: '+' and '#' are spelt out.
    long_skill = "C++ " * 49 + "fin"
    skills = (root / "skills.yaml").read_text(encoding="utf-8")
    (root / "skills.yaml").write_text(skills + f"{long_skill}: {{category: Langages}}\n", encoding="utf-8")
    dev = (root / "people" / "dev.yaml").read_text(encoding="utf-8")
    dev = dev.replace("location: Télétravail", "location: " + "Lyon#" * 38 + "Part-Dieu").replace("skills: [py,", f"skills: [{long_skill}, py,")
    (root / "people" / "dev.yaml").write_text(dev, encoding="utf-8")
    return root, build_site(root, root / "site", reporter=Reporter())


def test_long_names_make_bounded_file_names(long_names_site: tuple[Path, Path]) -> None:
    _, site = long_names_site
    longest = max(len(p.name) for p in site.rglob("*"))
    assert longest <= MAX_SLUG + 10
    skill_pages = [p for p in (site / "skills").iterdir() if p.name.startswith("c-plus-plus-")]
    location_pages = [p for p in (site / "org" / "locations").iterdir() if p.name.startswith("lyon-sharp-")]
    assert len(skill_pages) == 1 and len(location_pages) == 1
    assert "Part-Dieu" in read_page(location_pages[0] / "index.html")
    assert "href=\"../../skills/" + skill_pages[0].name + "/\"" in read_page(site / "people" / "dev" / "index.html")
