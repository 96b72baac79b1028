"""Nothing leaks: private contact values are nowhere in the site, its search indexes or exports;
hidden people are only on their team's and groups' pages."""

from __future__ import annotations

import contextlib
import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from generator.directory.model import CONTACT_KINDS
from generator.engine.publish import build_site
from tests.conftest import NOINDEX, make_directory, read_page, site_files, write_config

MARKERS = {kind: f"zq{kind}{n}private" for n, kind in enumerate(CONTACT_KINDS)}
SECRET = """# yaml-language-server: $schema=../schemas/person.schema.json
name: Secrète Personne
title: Agente
team: platform
manager: lead
location: Lyon
languages: [fr, it]
skills: [Rust]
groups: [guild-python]
contact:
{contacts}
"""
HIDDEN = """# yaml-language-server: $schema=../schemas/person.schema.json
name: Zoé Cachée
title: Discrète
team: platform
manager: lead
location: Paris
languages: [fr, it]
joined: 2030-01-01
skills: [Rust]
groups: [guild-python]
search: hidden
"""


@pytest.fixture(scope="module")
def private_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = make_directory(tmp_path_factory.mktemp("privacy") / "directory")
    write_config(root)
    contacts = "\n".join(f"  {kind}: {{value: '{_value(kind)}', visibility: private}}" for kind in CONTACT_KINDS)
    (root / "people" / "secret.yaml").write_text(SECRET.format(contacts=contacts), encoding="utf-8")
    (root / "people" / "hidden.yaml").write_text(HIDDEN, encoding="utf-8")
    return root, build_site(root, root.parent / "site")


def test_private_values_are_in_no_file_of_the_site_or_its_indexes(private_site: tuple[Path, Path]) -> None:
    root, site = private_site
    index = root / ".trombi"
    files = [*site_files(site), *(p for p in index.rglob("*") if p.is_file())]
    assert any(p.suffix == ".vcf" for p in files) and any(p.suffix == ".json" for p in files)
    assert any("pagefind" in p.parts for p in files) and any(".trombi" in p.parts for p in files)
    needles = {needle for kind in CONTACT_KINDS for needle in _forms(_value(kind))}
    for path, data in _contents(files):
        lowered = data.lower()
        found = [n for n in needles if n.lower().encode() in lowered]
        assert not found, f"{found} leaked into {path}"


def test_public_markers_would_be_found(private_site: tuple[Path, Path]) -> None:
    """The search above finds what it looks for: the person's public name is in the same places."""
    _, site = private_site
    files = site_files(site)
    hits = {p.suffix for p, data in _contents(files) if b"Secr\xc3\xa8te Personne" in data or b"Secr\\u00e8te Personne" in data}
    assert {".html", ".json", ".vcf", ".pf_fragment"} <= hits, hits


def test_hidden_people_are_only_on_their_team_and_group_pages(private_site: tuple[Path, Path]) -> None:
    _, site = private_site
    listings = [
        site / "index.html",
        site / "people" / "index.html",
        site / "skills" / "rust" / "index.html",
        site / "org" / "locations" / "paris" / "index.html",
        site / "org" / "languages" / "it" / "index.html",
    ]
    for page in listings:
        assert "people/hidden/" not in page.read_text(encoding="utf-8"), page
    assert "Zoé Cachée" not in read_page(site / "index.html")
    for page in (site / "groups" / "platform" / "index.html", site / "groups" / "guild-python" / "index.html"):
        assert "people/hidden/" in page.read_text(encoding="utf-8"), page
    assert "people/secret/" in read_page(site / "org" / "languages" / "it" / "index.html")
    fragments = [data for path, data in _contents(site_files(site / "pagefind")) if path.suffix == ".pf_fragment"]
    assert fragments and not any("Cachée".encode() in data for data in fragments)
    assert any("Secrète".encode() in data for data in fragments)


def test_every_page_is_noindex(private_site: tuple[Path, Path]) -> None:
    _, site = private_site
    for path in site_files(site):
        if path.suffix == ".html":
            assert NOINDEX.search(read_page(path)), path


def _value(kind: str) -> str:
    marker = MARKERS[kind]
    return {
        "email": f"{marker}@example.com",
        "phone": f"+33 6 {marker}",
        "website": f"https://{marker}.example/",
        "linkedin": f"https://linkedin.example/in/{marker}",
    }.get(kind, marker)


def _forms(value: str) -> set[str]:
    """A value and the ways a page, a URL or an export could write it."""
    return {value, value.replace(" ", ""), quote(value), quote(value, safe=""), MARKERS[next(k for k in MARKERS if MARKERS[k] in value)]}


def _contents(files: list[Path]) -> Iterator[tuple[Path, bytes]]:
    for path in files:
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        elif data[:1] == b"\x78":  # zlib-compressed blocks (Whoosh may store fields so)
            with contextlib.suppress(zlib.error):
                data += zlib.decompress(data)
        yield path, data
