"""``trombi search`` through its real entry point, and the indexes ``trombi build`` writes."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.directory.settings import load_settings
from generator.engine.publish import build_site
from generator.search.index import index_status
from generator.search.pagefind import DOCUMENTS_DIR
from tests.conftest import write_config
from tests.test_index import PEOPLE, make_search_directory

PRIVATE_PHONE = "+33 6 11 22 33 44"  # tests/data/base/people/lead.yaml, visibility: private


def trombi(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli.main", "search", "--root", str(root), *args], capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small directory, built once: (root, site)."""
    root = write_config(make_search_directory(tmp_path_factory.mktemp("built") / "directory"))
    return root, build_site(root, root / "site")


def test_a_missing_index_is_built_first_then_reused(tmp_path: Path) -> None:
    root = make_search_directory(tmp_path / "directory")
    first = trombi(root, "kubernetes")
    assert first.returncode == 0, first.stderr
    assert first.stderr.startswith("L’index de recherche n’existe pas : construction…")
    lines = first.stdout.splitlines()
    assert lines[:2] == ["Compétences, groupes et sites :", "  Kubernetes — Compétence · skills/kubernetes/"]
    assert lines[3:5] == ["Personnes :", "Katrin Weber (kexpert) — Ingénieure sécurité · Équipe Plateforme · Lyon"]
    second = trombi(root, "kubernetes")
    assert second.returncode == 0 and second.stderr == ""
    assert second.stdout == first.stdout


def test_a_stale_index_is_rebuilt(tmp_path: Path) -> None:
    root = make_search_directory(tmp_path / "directory")
    assert trombi(root, "x").returncode == 0
    person = root / "people" / "bioonly.yaml"
    person.write_text(person.read_text(encoding="utf-8").replace("Chargée de communication", "Astronome"), encoding="utf-8")
    later = time.time() + 5
    os.utime(person, (later, later))
    result = trombi(root, "astronome")
    assert "plus ancien que les fichiers de l’annuaire" in result.stderr
    assert result.stdout.startswith("Bérénice Morel (bioonly)")


def test_an_index_that_cannot_be_rebuilt_says_what_to_run(tmp_path: Path) -> None:
    root = make_search_directory(tmp_path / "directory")
    (root / "people" / "broken.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    result = trombi(root, "kubernetes")
    assert result.returncode == 1
    assert "people/broken.yaml:" in result.stderr
    assert "trombi build" in result.stderr
    assert "Traceback" not in result.stderr


def test_json_gives_the_matched_skills_and_the_score(built: tuple[Path, Path]) -> None:
    root, _ = built
    result = trombi(root, "--json", "--lang", "de", "--location", "lyon", "kubernetes")
    assert result.returncode == 0 and result.stderr == ""
    found = json.loads(result.stdout)
    assert found["pages"] == [{"id": "skill:kubernetes", "kind": "skill", "name": "Kubernetes", "url": "skills/kubernetes/", "people": 4}]
    hits = found["people"]
    assert [hit["handle"] for hit in hits] == ["kexpert", "knotions"]
    assert set(hits[0]) == {"handle", "name", "title", "team", "location", "kind", "skills", "score"}
    assert hits[0]["team"] == "Équipe Plateforme" and hits[0]["location"] == "Lyon"
    assert hits[0]["skills"] == [{"name": "Kubernetes", "level": "expert"}]
    assert hits[0]["score"] > hits[1]["score"] > 0


def test_options_filter_and_limit(built: tuple[Path, Path]) -> None:
    root, _ = built
    result = trombi(root, "--skill", "kube", "--level", "expert", "--json")
    assert {hit["handle"] for hit in json.loads(result.stdout)["people"]} == {"lead", "kexpert"}
    assert len(json.loads(trombi(root, "--limit", "2", "--json").stdout)["people"]) == 2
    assert trombi(root, "nobody-has-this-word").stdout == "Personne n’a été trouvé.\n"
    assert trombi(root, "--level", "guru").returncode == 2


def test_build_writes_the_terminal_index_next_to_the_site(built: tuple[Path, Path]) -> None:
    root, site = built
    assert index_status(load_settings(root)) == "fresh"
    assert (root / ".trombi" / "index").is_dir()
    assert not any(path.name == ".trombi" or path.suffix == ".seg" for path in site.rglob("*"))


def test_the_browser_index_covers_visible_people_only(built: tuple[Path, Path]) -> None:
    _, site = built
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["fr"]["page_count"] == 3 + len([text for text in PEOPLE.values() if "search: hidden" not in text])
    fragments = b"".join(gzip.decompress(path.read_bytes()) for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert b"Katrin Weber" in fragments and "Ingénieure sécurité".encode() in fragments
    assert PRIVATE_PHONE.encode() not in fragments and b"11 22 33 44" not in fragments
    assert "Cachée".encode() not in fragments
    vocabulary = json.loads((site / "assets" / "search-vocabulary.json").read_text(encoding="utf-8"))
    assert ["Kubernetes", "k8s", "kube"] in vocabulary["skills"]
    assert "Télétravail" in vocabulary["locations"] and "Guilde Python" in vocabulary["groups"]
    # The pages a query can name, filed by the first two letters of their names' words.
    assert "te" in vocabulary["namedKeys"]
    rows = json.loads((site / "assets" / "search-named" / "te.json").read_text(encoding="utf-8"))
    ((url, line),) = [(row[3], row[4]) for row in rows if row[0] == "site:teletravail"]
    assert (site / url / "index.html").is_file() and line.startswith("Site · ") and line.endswith((" personne", " personnes"))
    assert json.loads((site / "assets" / "search-teams.json").read_text(encoding="utf-8")) == ["Équipe Plateforme"]
    assert not (site / "search" / "search_index.json").exists()


def test_every_page_has_the_header_search_box_and_no_material_search(built: tuple[Path, Path]) -> None:
    _, site = built
    for page in (site / "index.html", site / "people" / "dev" / "index.html", site / "search" / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert "data-trombi-header-search" in html and "assets/trombi.js" in html
        assert 'data-md-component="search"' not in html
    # Pagefind reads a document of its own for each searched person; the site's pages carry none of its markup.
    root, _ = built
    document = (root / DOCUMENTS_DIR / "people" / "kexpert" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in document and 'data-pagefind-filter="expert">Kubernetes<' in document
    assert not (root / DOCUMENTS_DIR / "people" / "cachee").exists()
    for page in ("people/kexpert/index.html", "people/cachee/index.html", "index.html"):
        assert "data-pagefind" not in (site / page).read_text(encoding="utf-8")


def test_an_option_naming_what_the_directory_lacks_suggests_the_closest(built: tuple[Path, Path]) -> None:
    root, _ = built
    result = trombi(root, "--skill", "kubernets")
    assert result.stdout == "Personne n’a été trouvé.\nAucune compétence ne s’appelle 'kubernets' (vouliez-vous dire 'Kubernetes' ?).\n"
    result = trombi(root, "--location", "lyonn")
    assert result.stdout == "Personne n’a été trouvé.\nPersonne ne travaille à 'lyonn' (vouliez-vous dire 'Lyon' ?).\n"
    assert json.loads(trombi(root, "--skill", "k8s", "--location", "Lyon", "--json").stdout)["people"]  # an alias, a known site: no hint


def test_the_pages_a_query_names_come_before_the_people(built: tuple[Path, Path]) -> None:
    root, _ = built
    result = trombi(root, "guilde python")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == ["Compétences, groupes et sites :", "  Guilde Python — Communauté · groups/guild-python/", ""]
    assert "Personnes :" in lines
    assert "Compétences" not in trombi(root, "--skill", "python").stdout  # options name no page


def test_people_who_are_not_employees_are_marked(built: tuple[Path, Path]) -> None:
    root, _ = built
    hits = json.loads(trombi(root, "--json", "--limit", "100").stdout)["people"]
    external = {hit["handle"]: hit["kind"] for hit in hits if hit["kind"] != "employee"}
    assert external
    text = trombi(root, "--limit", "100").stdout
    for handle, kind in external.items():
        badge = {"contractor": "Prestataire", "partner": "Partenaire"}[kind]
        assert f"({handle}) [{badge}] — " in text


def test_words_that_find_nobody_get_the_closest_name(built: tuple[Path, Path]) -> None:
    root, _ = built
    result = trombi(root, "pyhton")
    assert result.stdout == "Personne n’a été trouvé.\nRien ne s’appelle 'pyhton' (vouliez-vous dire 'Python' ?).\n"
    assert trombi(root, "zzqx").stdout == "Personne n’a été trouvé.\n"  # nothing close: no guess
