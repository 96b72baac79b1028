"""The model on its own: edge values of each field type, and the JSON Schemas derived from it."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from generator.directory.check import check_document
from generator.directory.load import parse_text
from generator.directory.model import HANDLE_PATTERN, SCHEMA_MODELS, Group, Person, SkillEntry, Taxonomy
from generator.directory.reference import json_schemas


def person(**fields: Any) -> Person:
    return Person.model_validate({"name": "Ana Silva", "title": "Développeuse", **fields})


def group(**fields: Any) -> Group:
    return Group.model_validate({"name": "Guilde Python", "type": "community", **fields})


def errors(build: Any, **fields: Any) -> list[tuple[tuple[str | int, ...], str, str]]:
    """(loc, type, message) of each error ``build(**fields)`` raises; fails if it raises none."""
    with pytest.raises(ValidationError) as info:
        build(**fields)
    return [(tuple(e["loc"]), e["type"], e["msg"]) for e in info.value.errors(include_url=False)]


def error_type(build: Any, **fields: Any) -> str:
    [(_, kind, _)] = errors(build, **fields)
    return kind


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [("2024-02-29", date(2024, 2, 29)), ("2015-01-05", date(2015, 1, 5)), ("1999-12-31", date(1999, 12, 31))])
def test_valid_dates(text: str, expected: date) -> None:
    assert person(joined=text).joined == expected
    assert person(networking={"snooze_until": text}).networking.snooze_until == expected


@pytest.mark.parametrize(
    "text", ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "05/01/2024", "2024-1-5", "20240105", "2024-01-05T10:00", "2024-W01-1", "hier", ""]
)
def test_invalid_dates(text: str) -> None:
    [(loc, kind, message)] = errors(person, joined=text)
    assert (loc, kind) == (("joined",), "date")
    assert "YYYY-MM-DD" in message


def test_date_must_be_text_or_date() -> None:
    assert error_type(person, joined=20240105) == "date_type"


# --- languages -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["fr", "en", "pt", "de", "zh", "ar"])
def test_language_codes(code: str) -> None:
    assert person(languages=[code]).languages == [code]


@pytest.mark.parametrize(
    ("text", "hint"),
    [("French", "fr"), ("français", "fr"), ("Anglais", "en"), ("eng", "en"), ("fra", "fr"), ("GER", "de"), ("Portuguese", "pt")],
)
def test_language_names_suggest_their_code(text: str, hint: str) -> None:
    [(loc, kind, message)] = errors(person, languages=["fr", text])
    assert (loc, kind) == (("languages", 1), "language")
    assert f"did you mean '{hint}'?" in message


@pytest.mark.parametrize("text", ["FR", "fr-FR", "xx", "klingon", "f"])
def test_unknown_languages(text: str) -> None:
    [(_, kind, message)] = errors(person, languages=[text])
    assert kind == "language"
    if "did you mean" not in message:
        assert "ISO 639-1" in message


def test_three_letter_code_that_babel_knows_is_still_refused() -> None:
    # 'por' is not two letters: refused even though it is a real ISO 639-2 code.
    assert error_type(person, languages=["por"]) == "language"


# --- time zones ------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Argentina/Buenos_Aires", "UTC", "Asia/Kolkata"])
def test_valid_timezones(zone: str) -> None:
    assert person(timezone=zone).timezone == zone


@pytest.mark.parametrize("zone", ["Europe/Lyon", "europe/paris", "Paris", "GMT+2", "UTC+1", ""])
def test_invalid_timezones(zone: str) -> None:
    assert error_type(person, timezone=zone) == "timezone"


# --- handles -------------------------------------------------------------------------------------


@pytest.mark.parametrize("handle", ["ab", "a1", "0a", "jean-dupont", "j-", "a" * 40, "a" + "-" * 39, "x9" * 20])
def test_valid_handles(handle: str) -> None:
    assert person(manager=handle).manager == handle
    assert person(team=handle).team == handle
    assert group(owners=[handle]).owners == [handle]


@pytest.mark.parametrize("handle", ["a", "a" * 41, "-ab", "Ab", "jean.dupont", "jean_dupont", "jean dupont", "jéan", "ab/cd", "../ab", ""])
def test_invalid_handles(handle: str) -> None:
    assert error_type(person, manager=handle) == "handle"
    assert error_type(group, parent=handle) == "handle"


@pytest.mark.parametrize("handle", ["lead\n", "\nlead", "lead\r\n"])
def test_handle_with_a_newline_is_refused(handle: str) -> None:
    assert error_type(person, manager=handle) == "handle"


def test_handle_pattern_bounds() -> None:
    assert HANDLE_PATTERN == r"^[a-z0-9][a-z0-9-]{1,39}$"


# --- photos ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "photo",
    [
        "photos/jdupont.jpg",
        "photos/equipe/ana.PNG",
        "photos/a.jpeg",
        "photos/a.webp",
        "photos/a.gif",
        "https://cdn.acme.example/p/ana.jpg",
        "HTTPS://cdn.acme.example/ana",
    ],
)
def test_valid_photos(photo: str) -> None:
    assert person(photo=photo).photo == photo


@pytest.mark.parametrize(
    "photo",
    [
        "../etc/passwd",
        "photos/x.exe",
        "photos/../../etc/passwd.jpg",
        "photos/./a.jpg",
        "photos//a.jpg",
        "/photos/a.jpg",
        "/etc/a.jpg",
        "photos\\a.jpg",
        "photos/",
        "photos",
        "images/a.jpg",
        "http://cdn.acme.example/ana.jpg",
        "file:///etc/passwd",
        "https://",
        "https://cdn example/a.jpg",
        "ana.jpg",
    ],
)
def test_invalid_photos(photo: str) -> None:
    kinds = {kind for _, kind, _ in errors(person, photo=photo)}
    assert kinds <= {"photo", "url"}
    assert kinds


# --- other values ------------------------------------------------------------------------------------


@pytest.mark.parametrize("at", ["12:30", "00:00", "23:59", "09:05"])
def test_valid_meeting_times(at: str) -> None:
    assert group(meetings={"every": "month", "at": at}).meetings is not None


@pytest.mark.parametrize("at", ["24:00", "9:30", "12h30", "12:60", "midi", "12:30:00"])
def test_invalid_meeting_times(at: str) -> None:
    assert error_type(group, meetings={"every": "month", "at": at}) == "time"


@pytest.mark.parametrize(
    ("address", "kind"), [("guilde@acme.example", None), ("guilde.acme.example", "email"), ("a b@acme.example", "email"), ("guilde@acme", "email")]
)
def test_mailing_list(address: str, kind: str | None) -> None:
    if kind is None:
        assert group(channels={"mailing_list": address}).channels is not None
    else:
        assert error_type(group, channels={"mailing_list": address}) == kind


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://wiki.acme.example/guilde", True),
        ("http://intranet/x", True),
        ("www.acme.example", False),
        ("ftp://acme.example", False),
        ("https://a b", False),
    ],
)
def test_url(url: str, ok: bool) -> None:
    if ok:
        assert group(channels={"url": url}).channels is not None
    else:
        assert error_type(group, channels={"url": url}) == "url"


def test_strict_booleans() -> None:
    assert person(networking={"lunch": True}).networking.lunch is True
    for text in ("true", "yes", "oui", 1):
        assert error_type(person, networking={"lunch": text}) == "bool_type"
    assert error_type(group, open="false") == "bool_type"


def test_strings_are_not_coerced_from_other_types() -> None:
    assert error_type(person, title=12) == "string_type"
    assert error_type(person, skills="Python") == "list_type"


@pytest.mark.parametrize(("field", "limit"), [("name", 200), ("title", 200), ("bio", 10_000)])
def test_text_lengths(field: str, limit: int) -> None:
    assert getattr(person(**{field: "x" * limit}), field) == "x" * limit
    assert error_type(person, **{field: "x" * (limit + 1)}) == "string_too_long"
    assert error_type(person, **{field: ""}) == "string_too_short"


def test_list_lengths() -> None:
    assert len(person(interests=["x"] * 30).interests) == 30
    assert error_type(person, interests=["x"] * 31) == "too_long"


def test_empty_values_mean_unset() -> None:
    ana = person(team=None, manager=None, languages=None, skills=None, contact=None, networking={"lunch": None}, bio=None)
    assert ana.team is None
    assert ana.languages == []
    assert ana.skills == []
    assert ana.contact.email is None
    assert ana.networking.lunch is False


def test_required_fields() -> None:
    assert {(loc, kind) for loc, kind, _ in errors(Person.model_validate, obj={})} == {(("name",), "missing"), (("title",), "missing")}
    assert {(loc, kind) for loc, kind, _ in errors(Group.model_validate, obj={"name": "x"})} == {(("type",), "missing")}


def test_skills_and_contacts_from_text() -> None:
    ana = person(
        skills=["Python", {"name": "Rust", "level": "notions"}], contact={"email": "ana@acme.example", "phone": {"value": "+33 6", "visibility": "private"}}
    )
    assert ana.skills == [SkillEntry(name="Python", level="intermediate"), SkillEntry(name="Rust", level="notions")]
    assert ana.contact.email is not None
    assert (ana.contact.email.value, ana.contact.email.visibility) == ("ana@acme.example", "public")
    assert ana.contact.phone is not None
    assert ana.contact.phone.visibility == "private"
    assert error_type(person, contact={"phone": {"value": "+33 6", "visibility": "secret"}}) == "literal_error"


def test_unknown_fields_are_refused_at_every_level() -> None:
    assert error_type(person, titre="x") == "extra_forbidden"
    assert error_type(person, contact={"fax": "x"}) == "extra_forbidden"
    assert error_type(person, skills=[{"name": "Python", "years": 3}]) == "extra_forbidden"


def test_taxonomy() -> None:
    taxonomy = Taxonomy.model_validate({"Python": {"category": "Langages", "aliases": ["py"]}})
    assert taxonomy.root["Python"].aliases == ["py"]
    with pytest.raises(ValidationError):
        Taxonomy.model_validate({"Python": {"aliases": ["py"]}})


# --- through check_document: positions and rules --------------------------------------------------


def test_check_document_points_at_the_value() -> None:
    text = "name: Ana\ntitle: Dév\nlanguages: [fr, French]\nphoto: photos/x.exe\n"
    document, _ = parse_text(text, "people/x.yaml")
    assert document is not None
    entity, problems = check_document(document, Person, "person")
    assert entity is None
    assert [(p.line, p.col, p.rule) for p in problems] == [(3, 17, "language"), (4, 8, "photo")]
    assert "did you mean 'fr'?" in problems[0].message


def test_check_document_refuses_a_list() -> None:
    document, _ = parse_text("- name: Ana\n", "people/x.yaml")
    assert document is not None
    entity, problems = check_document(document, Person, "person")
    assert entity is None
    assert [(p.line, p.col, p.rule) for p in problems] == [(1, 1, "type")]
    assert "mapping" in problems[0].message


# --- JSON Schemas ----------------------------------------------------------------------------------


def schema(kind: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json_schemas()[f"{kind}.schema.json"])
    return loaded


def non_null(prop: dict[str, Any]) -> dict[str, Any]:
    """The one non-null option of an optional property."""
    options = [option for option in prop.get("anyOf", [prop]) if option != {"type": "null"}]
    assert len(options) == 1, prop
    return options[0]


def test_one_schema_per_kind_export_and_import_map() -> None:
    kinds = {f"{kind}.schema.json" for kind in SCHEMA_MODELS}
    assert kinds == {"person.schema.json", "group.schema.json", "skills.schema.json"}
    assert set(json_schemas()) == kinds | {"export-person.schema.json", "export-list.schema.json", "hr-map.schema.json"}
    for name, text in json_schemas().items():
        data = json.loads(text)
        assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert data["$id"] == name
        assert text.endswith("\n")


def test_person_schema() -> None:
    data = schema("person")
    assert data["type"] == "object"
    assert data["additionalProperties"] is False
    assert set(data["required"]) == {"name", "title"}
    assert set(data["properties"]) == set(Person.model_fields)
    assert {"name", "title", "team", "manager", "languages", "skills", "contact", "photo", "joined", "kind", "groups", "networking"} <= set(data["properties"])
    team = data["properties"]["team"]
    assert {"type": "string", "pattern": HANDLE_PATTERN} in team["anyOf"]
    assert {"type": "string", "format": "date"} in data["properties"]["joined"]["anyOf"]
    assert non_null(data["properties"]["languages"])["items"] == {"type": "string", "pattern": "^[a-z]{2}$"}
    assert {"type": "null"} in data["properties"]["languages"]["anyOf"], "an empty value is allowed, as in validation"
    assert non_null(data["properties"]["kind"])["enum"] == ["employee", "contractor", "partner"]
    assert data["properties"]["name"]["description"]
    defs = data["$defs"]
    assert set(non_null(defs["SkillEntry"]["properties"]["level"])["enum"]) == {"notions", "intermediate", "advanced", "expert"}
    assert defs["Contact"]["additionalProperties"] is False
    assert set(defs["ContactValue"]["properties"]) == {"value", "visibility"}


def test_group_schema() -> None:
    data = schema("group")
    assert set(data["required"]) == {"name", "type"}
    assert data["additionalProperties"] is False
    assert set(data["properties"]) == set(Group.model_fields)
    assert data["properties"]["type"]["enum"] == ["company", "department", "team", "project", "site", "community", "interest"]
    assert non_null(data["properties"]["owners"])["items"] == {"type": "string", "pattern": HANDLE_PATTERN}


def test_skills_schema() -> None:
    data = schema("skills")
    assert data["type"] == "object"
    ref = data["additionalProperties"]["$ref"]
    definition = data["$defs"][ref.rsplit("/", 1)[-1]]
    assert set(definition["properties"]) == {"category", "aliases", "description"}
    assert definition["required"] == ["category"]
