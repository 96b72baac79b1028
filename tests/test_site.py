"""Real `mkdocs build`s: the demo organisation and small directories made in tmp_path."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.directory.enrich import enrich
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.engine.publish import build_site
from tests.conftest import CARD, NOINDEX, REPO, make_directory, read_page, site_files, write_config

TROMBI = Path(sys.executable).parent / "trombi"
# A person card of a listing: initials or photo, then the name's link.


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(REPO, tmp_path_factory.mktemp("demo") / "site")


@pytest.fixture(scope="module")
def demo_org():  # type: ignore[no-untyped-def]
    directory, _ = validate_directory(load_settings(REPO))
    return enrich(directory)


def test_every_person_has_a_page_with_their_details(demo_site: Path, demo_org) -> None:  # type: ignore[no-untyped-def]
    assert len(demo_org.people) >= 50
    for handle, person in demo_org.people.items():
        page = read_page(demo_site / "people" / handle / "index.html")
        assert _text(person.name) in page
        assert _text(person.title) in page
        if person.team:
            assert f'href="../../groups/{person.team}/"' in page
        for entry in person.skills:
            assert _text(entry.name) in page


def test_every_skill_group_location_and_language_has_a_page(demo_site: Path, demo_org) -> None:  # type: ignore[no-untyped-def]
    for name, slug in demo_org.skill_slugs.items():
        page = read_page(demo_site / "skills" / slug / "index.html")
        assert _text(name) in page
        for handle, _ in demo_org.skill_people.get(name, [])[:200]:
            assert f'href="../../people/{handle}/"' in page
    for slug, group in demo_org.groups.items():
        assert _text(group.name) in read_page(demo_site / "groups" / slug / "index.html")
    for name, slug in demo_org.location_slugs.items():
        page = read_page(demo_site / "org" / "locations" / slug / "index.html")
        assert all(f"../../../people/{h}/" in page for h in demo_org.listed(demo_org.locations[name]))
    for code in demo_org.languages:
        assert (demo_site / "org" / "languages" / code / "index.html").is_file()


def test_person_page_shows_manager_chain_reports_and_external_marks(demo_site: Path, demo_org) -> None:  # type: ignore[no-untyped-def]
    deep = max(demo_org.people, key=lambda h: len(demo_org.manager_chain(h)))
    assert len(demo_org.manager_chain(deep)) >= 3
    page = read_page(demo_site / "people" / deep / "index.html")
    for boss in demo_org.manager_chain(deep):
        assert f'href="../{boss}/"' in page
    manager = next(h for h in demo_org.people if len(demo_org.reports.get(h, [])) >= 3)
    page = read_page(demo_site / "people" / manager / "index.html")
    assert all(f'href="../{r}/"' in page for r in demo_org.reports[manager])
    external = [h for h, p in demo_org.people.items() if p.kind != "employee"]
    assert external
    for handle in external:
        page = read_page(demo_site / "people" / handle / "index.html")
        assert "trombi-badge--external" in page
        assert re.search(r"Partenaire|Prestataire", page)


def test_private_contact_values_appear_nowhere(demo_site: Path, demo_org) -> None:  # type: ignore[no-untyped-def]
    private = [entry.value for person in demo_org.people.values() for _, entry in person.contact if entry is not None and entry.visibility == "private"]
    assert private, "the demo should have private contact values"
    needles = {value.encode() for value in private} | {value.replace(" ", "").encode() for value in private}
    for path in site_files(demo_site):
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"{needle!r} leaked into {path}"


def test_pages_are_noindex_and_load_nothing_from_outside(demo_site: Path) -> None:
    html_files = [p for p in site_files(demo_site) if p.suffix == ".html"]
    assert len(html_files) > 100
    for path in html_files:
        text = read_page(path)
        assert NOINDEX.search(text), path
        external = _external_resources(text)
        assert not external, f"{path} loads {external}"
    for path in site_files(demo_site):
        if path.suffix == ".css":
            assert not re.search(r"@import\s+url\(\s*['\"]?https?://|url\(\s*['\"]?https?://", path.read_text(encoding="utf-8")), path


def test_navigation_lists_only_section_indexes(demo_site: Path) -> None:
    page = read_page(demo_site / "people" / "index.html")
    nav = re.search(r'<nav [^>]*class="md-tabs".*?</nav>', page, re.S)
    assert nav is not None
    links = re.findall(r'href="([^"]+)"', nav.group(0))
    assert links == ["..", "./", "../skills/", "../groups/", "../org/", "../news/", "../lunch/", "../contribuer/"], links
    sidebar = re.search(r'<nav [^>]*class="md-nav md-nav--primary".*?</nav>', page, re.S)
    assert sidebar is None or "kbenali" not in sidebar.group(0)


def test_home_has_counts_newest_people_and_groups_to_join(demo_site: Path, demo_org) -> None:  # type: ignore[no-untyped-def]
    page = read_page(demo_site / "index.html")
    assert f"<strong>{len(demo_org.people)}</strong>" in page
    assert 'name="q"' in page
    assert "Nouveaux arrivants" in page and "Groupes à rejoindre" in page
    for handle in demo_org.newest(8):
        assert f'href="people/{handle}/"' in page


def test_english_build(tmp_path: Path) -> None:
    root = tmp_path / "en"
    ignored = shutil.ignore_patterns(".venv", ".git", "site", "tests", "work", ".trombi", "*.egg-info", "__pycache__", "node_modules")
    shutil.copytree(REPO, root, ignore=ignored)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8").replace("language: fr", "language: en")
    config = config.replace("hooks/trombi.py", str(REPO / "hooks" / "trombi.py"))
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    site = build_site(root, tmp_path / "site")
    person = read_page(site / "people" / "kbenali" / "index.html")
    assert ">Skills<" in person and ">Compétences<" not in person
    assert "Expert" in person and "Advanced" in person and "Avancé" not in person
    assert "French" in person and "Français" not in person
    assert re.search(r"March \d+, 2016|\d+ March 2016", person)
    assert re.search(r'<html [^>]*lang="en"', person)
    assert "<h1>Page not found</h1>" in read_page(site / "404.html")


def test_the_404_page_speaks_the_site_s_language_and_offers_the_search(demo_site: Path) -> None:
    page = read_page(demo_site / "404.html")
    assert "<h1>Page introuvable</h1>" in page and "Not found" not in page and "quitté l’entreprise" in page
    assert re.search(r'<form [^>]*role="search"[^>]*>', page) and 'action="/search/"' in page and 'name="q"' in page


def test_the_browser_tab_names_the_site_once(demo_site: Path) -> None:
    title = re.compile(r"<title>([^<]*)</title>")
    assert title.findall(read_page(demo_site / "index.html")) == ["Hélios Mobilité — Trombi"]
    assert title.findall(read_page(demo_site / "people" / "aboyer" / "index.html")) == ["Antoine Boyer - Hélios Mobilité — Trombi"]


def test_pagination_at_200(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "big")
    write_config(root)
    for number in range(450):
        handle = f"p{number:04d}"
        (root / "people" / f"{handle}.yaml").write_text(
            f"# yaml-language-server: $schema=../schemas/person.schema.json\nname: Personne {number:04d}\ntitle: Testeuse\n"
            f"team: platform\nmanager: lead\nlocation: Lyon\nskills: [Python]\n",
            encoding="utf-8",
        )
    site = build_site(root, tmp_path / "site")
    assert (site / "people" / "page-3" / "index.html").is_file()
    assert not (site / "people" / "page-4").exists()
    first = read_page(site / "people" / "index.html")
    assert len(CARD.findall(first)) == 200
    third = read_page(site / "people" / "page-3" / "index.html")
    assert len(CARD.findall(third)) == 453 - 400
    assert 'href="../page-2/"' in third
    team = site / "groups" / "platform"
    assert (team / "page-3" / "index.html").is_file()
    skill = read_page(site / "skills" / "python" / "index.html")
    assert len(CARD.findall(skill)) == 200
    assert (site / "skills" / "python" / "page-3" / "index.html").is_file()


def test_a_yaml_error_fails_the_build_and_publishes_nothing(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "broken")
    write_config(root)
    site = tmp_path / "site"
    assert subprocess.run([TROMBI, "build", "--root", root, "--site-dir", site], capture_output=True).returncode == 0
    before = sorted(p.relative_to(site) for p in site_files(site))
    (root / "people" / "dev.yaml").write_text("name: Ana\ntitle: Dev\nmanager: nobody\nskills: [Cobol]\n", encoding="utf-8")
    result = subprocess.run([TROMBI, "build", "--root", root, "--site-dir", site], capture_output=True, text=True)
    assert result.returncode == 1
    assert "people/dev.yaml:3:10: error:" in result.stderr
    assert "people/dev.yaml:4:10: error: compétence inconnue : 'Cobol'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert sorted(p.relative_to(site) for p in site_files(site)) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-")], "staging folder left behind"


def test_mkdocs_build_itself_fails_on_errors(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "broken")
    write_config(root)
    (root / "groups" / "platform.yaml").write_text("name: P\ntype: squad\n", encoding="utf-8")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    result = subprocess.run([mkdocs, "build", "-d", tmp_path / "out"], cwd=root, capture_output=True, text=True)
    assert result.returncode != 0
    assert "groups/platform.yaml:2:7: error: 'type' doit valoir" in result.stderr + result.stdout
    assert not (tmp_path / "out" / "index.html").exists()


def _text(value: str) -> str:
    """How a value appears in the HTML (escaped as the templates escape it)."""
    from markupsafe import escape

    return str(escape(value))


def _external_resources(text: str) -> list[str]:
    found: list[str] = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = dict(attrs)
            urls = []
            if tag in ("script", "img", "iframe", "source", "video", "audio"):
                urls.append(values.get("src") or "")
            if tag == "link" and (values.get("rel") or "") not in ("canonical",):
                urls.append(values.get("href") or "")
            for url in urls:
                if url.startswith(("http://", "https://", "//")):
                    found.append(url)

    Finder().feed(text)
    return found


def test_pages_speak_to_employees_about_the_person_they_show(demo_site: Path) -> None:
    # A profile's page is about its person: who can help *them*; an employee is shown no admin command.
    person = read_page(demo_site / "people" / "kbenali" / "index.html")  # her seeks meet offers in the demo
    assert 'id="qui-peut-aider">Qui peut aider</h2>' in person and "vous aider" not in person
    months = [read_page(page) for page in sorted((demo_site / "lunch").glob("*/index.html"))]
    assert months and not any("trombi pairs" in month for month in months)
    proposals = [month for month in months if "Une proposition tirée" in month]  # the month of the build, until it is recorded
    assert all("enregistrée par les organisateurs des déjeuners" in month for month in proposals)
