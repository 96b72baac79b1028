"""JSON and vCard exports: valid against the published schemas, read by a vCard library, nothing private."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import vobject  # type: ignore[import-untyped]

from generator.directory.enrich import Org, enrich
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.engine.publish import build_site
from generator.interop.exports import export_schemas, people_listing_pages, person_json, person_vcard, site_exports
from tests.conftest import REPO, make_directory, read_page, write_config

SCHEMAS = REPO / "schemas"


def org_of(root: Path) -> Org:
    directory, problems = validate_directory(load_settings(root))
    assert not [p for p in problems if p.level.name == "ERROR"], problems
    return enrich(directory)


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def private_values(org: Org) -> list[str]:
    return [entry.value for person in org.people.values() for _, entry in person.contact if entry is not None and entry.visibility == "private"]


@pytest.fixture(scope="module")
def demo() -> Org:
    return org_of(REPO)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base directory with a hidden person, a private email and a name that needs escaping and folding."""
    root = make_directory(tmp_path_factory.mktemp("exports") / "directory")
    dev = root / "people" / "dev.yaml"
    dev.write_text(dev.read_text(encoding="utf-8") + "search: hidden\n", encoding="utf-8")
    lead = root / "people" / "lead.yaml"
    lead.write_text(lead.read_text(encoding="utf-8") + "  email: {value: leo.secret@acme.example, visibility: private}\n", encoding="utf-8")
    ceo = root / "people" / "ceo.yaml"
    long_title = "title: Directrice générale; présidente, fondatrice et responsable des études stratégiques à long terme"
    text = ceo.read_text(encoding="utf-8").replace("title: Directrice générale", long_title)
    ceo.write_text(text + "  phone: +33 4 00 00 00 00\nskills: [{name: Python, level: expert}]\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def small_org(small: Path) -> Org:
    return org_of(small)


def test_every_demo_person_json_matches_the_published_schema(demo: Org) -> None:
    person_schema = validator("export-person.schema.json")
    for handle in demo.people:
        data = json.loads(person_json(demo, handle))
        assert [e.message for e in person_schema.iter_errors(data)] == [], handle
        assert data["handle"] == handle and data["name"] == demo.people[handle].name


def test_listing_pages_link_to_each_other_and_match_the_schema(demo: Org) -> None:
    list_schema = validator("export-list.schema.json")
    pages = people_listing_pages(demo, page_size=7)
    listed = demo.listed(demo.sorted_people)
    assert [path for path, _ in pages] == [f"api/people/page-{n}.json" for n in range(1, len(pages) + 1)]
    assert len(pages) == -(-len(listed) // 7) > 2
    seen: list[str] = []
    for number, (_, text) in enumerate(pages, start=1):
        data = json.loads(text)
        assert [e.message for e in list_schema.iter_errors(data)] == []
        assert (data["total"], data["page"], data["pages"], data["page_size"]) == (len(listed), number, len(pages), 7)
        assert data["previous"] == (f"page-{number - 1}.json" if number > 1 else None)
        assert data["next"] == (f"page-{number + 1}.json" if number < len(pages) else None)
        seen += [item["handle"] for item in data["people"]]
        assert all(item["url"] == f"{item['handle']}.json" for item in data["people"])
    assert seen == listed


def test_an_empty_directory_still_has_a_first_listing_page(small_org: Org) -> None:
    small_org_empty = Org(small_org.directory, {}, {})
    [(path, text)] = people_listing_pages(small_org_empty)
    assert path == "api/people/page-1.json"
    assert json.loads(text) == {"total": 0, "page": 1, "pages": 1, "page_size": 1000, "next": None, "previous": None, "people": []}


def test_hidden_people_keep_their_own_files_but_are_not_listed(small_org: Org) -> None:
    files = dict(site_exports(small_org))
    assert "api/people/dev.json" in files and "people/dev.vcf" in files
    listing = json.loads(files["api/people/page-1.json"])
    assert [item["handle"] for item in listing["people"]] == ["ceo", "lead"]
    assert listing["total"] == 2


def test_nothing_private_is_exported(small_org: Org, demo: Org) -> None:
    for org in (small_org, demo):
        secrets = private_values(org)
        assert secrets
        for path, text in site_exports(org, "https://trombi.example/"):
            leaked = [value for value in secrets if value in text]
            assert leaked == [], path
            if path.endswith(".json") and "page-" not in path:
                assert {"networking", "search"}.isdisjoint(json.loads(text)), path
    lead = json.loads(person_json(small_org, "lead"))
    assert "email" not in lead["contact"] and "phone" not in lead["contact"]


def test_person_json_carries_the_profile_with_relative_links(small_org: Org) -> None:
    data = json.loads(person_json(small_org, "lead"))
    assert data["team"] == {"slug": "platform", "name": "Équipe Plateforme"}
    assert data["manager"] == "ceo"
    assert data["skills"] == [{"name": "Kubernetes", "level": "expert"}, {"name": "Python", "level": "intermediate"}]
    assert [g["slug"] for g in data["groups"]] == ["guild-python", "secret-project"]
    assert data["links"] == {"page": "../../people/lead/", "vcard": "../../people/lead.vcf"}
    assert data["contact"] == {"github": "leo-gh"}


def test_vcards_are_read_by_a_vcard_library(small_org: Org) -> None:
    card: Any = vobject.readOne(person_vcard(small_org, "ceo", "https://trombi.example/"))
    assert card.version.value == "3.0"
    assert card.fn.value == "Claire Éon"
    assert (card.n.value.given, card.n.value.family) == ("Claire", "Éon")
    assert card.title.value == "Directrice générale; présidente, fondatrice et responsable des études stratégiques à long terme"
    assert card.org.value == ["Acme"]
    assert card.email.value == "claire@acme.example"
    assert card.tel.value == "+33 4 00 00 00 00"
    assert card.url.value == "https://trombi.example/people/ceo/"
    assert "Python (" in card.note.value
    lead: Any = vobject.readOne(person_vcard(small_org, "lead"))
    assert "email" not in lead.contents and "tel" not in lead.contents  # both private
    assert "url" not in lead.contents  # no site_url: a vCard has no relative links
    assert lead.org.value == ["Acme", "Équipe Plateforme"]


def test_vcard_lines_are_folded_at_75_octets_with_crlf(small_org: Org) -> None:
    text = person_vcard(small_org, "ceo", "https://trombi.example/")
    assert text.endswith("END:VCARD\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert any(line.startswith(" ") for line in lines)  # the long title was folded
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert "TITLE:Directrice générale\\; présidente\\, fondatrice" in text.replace("\r\n ", "")


def test_the_schema_files_are_generated_from_the_export_models() -> None:
    for name, text in export_schemas().items():
        assert (SCHEMAS / name).read_text(encoding="utf-8") == text, "run `trombi reference`"


def test_the_site_publishes_the_exports_and_links_them_from_the_person_page(small: Path, tmp_path: Path) -> None:
    write_config(small, extra="site_url: https://trombi.example/\n")
    site = build_site(small, tmp_path / "site")
    assert json.loads((site / "api" / "people" / "lead.json").read_text(encoding="utf-8"))["handle"] == "lead"
    assert json.loads((site / "api" / "people" / "page-1.json").read_text(encoding="utf-8"))["total"] == 2
    card: Any = vobject.readOne((site / "people" / "lead.vcf").read_text(encoding="utf-8"))
    assert card.fn.value == "Léo Durand"
    page = read_page(site / "people" / "lead" / "index.html")
    assert 'href="../lead.vcf"' in page and "Ajouter à mes contacts" in page
    assert 'href="../../api/people/lead.json"' in page
    assert "leo.secret" not in "".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.suffix in (".json", ".vcf"))


def test_a_hidden_person_is_only_on_their_team_and_group_pages_and_says_so_where_they_are(small: Path, tmp_path: Path) -> None:
    # dev (Ana Silva) asked to be hidden; lead, her manager, lists no report of hers.
    write_config(small, extra="site_url: https://trombi.example/\n")
    site = build_site(small, tmp_path / "site")
    note = "Absent de la recherche et des listes autres que les pages de son équipe et de ses groupes, à sa demande."
    assert "Ana Silva" not in read_page(site / "people" / "lead" / "index.html")
    assert "Ana Silva" not in read_page(site / "org" / "management" / "index.html")
    assert "Ana Silva" in read_page(site / "groups" / "platform" / "index.html")
    assert note in read_page(site / "people" / "dev" / "index.html")
    assert note not in read_page(site / "people" / "lead" / "index.html")
    data = json.loads((site / "api" / "people" / "dev.json").read_text(encoding="utf-8"))
    assert (data["listed"], data["note"]) == (False, note)
    assert validator("export-person.schema.json").is_valid(data)
    lead = json.loads((site / "api" / "people" / "lead.json").read_text(encoding="utf-8"))
    assert lead["listed"] is True and "note" not in lead
    card: Any = vobject.readOne((site / "people" / "dev.vcf").read_text(encoding="utf-8"))
    assert [entry.value.split("\n")[0] for entry in card.contents["note"]] == [note]
    ceo: Any = vobject.readOne((site / "people" / "ceo.vcf").read_text(encoding="utf-8"))
    assert [entry.value for entry in ceo.contents["note"]] == ["Compétences : Python (Expert)"]
