"""What one value may hold: one-line text, long text, logins and addresses, in the model and the schemas."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from generator.directory.check import check_document
from generator.directory.load import parse_text
from generator.directory.model import Group, Person, Taxonomy
from generator.directory.reference import json_schemas
from generator.directory.values import EMAIL_PATTERN, GITHUB_PATTERN, GITLAB_PATTERN, LONG_TEXT_PATTERN, ONE_LINE_PATTERN, URL_PATTERN


def person(**fields: Any) -> Person:
    return Person.model_validate({"name": "Ana Silva", "title": "Développeuse", **fields})


def refusal(build: Any, **fields: Any) -> tuple[str, str]:
    """(type, message) of the one error ``build(**fields)`` raises."""
    with pytest.raises(ValidationError) as info:
        build(**fields)
    [error] = info.value.errors(include_url=False)
    return error["type"], error["msg"]


def schema_accepts(pattern: str, value: str) -> bool:
    """As jsonschema reads a ``pattern``: a search with Python's re."""
    return re.search(pattern, value) is not None


# Each breaks a line, drives a terminal or hides text; the code each message must name.
BAD_IN_ONE_LINE = [
    ("\r", "U+000D"),
    ("\n", "U+000A"),
    ("\x0b", "U+000B"),
    ("\x0c", "U+000C"),
    ("\t", "U+0009"),
    ("\x1b", "U+001B"),
    ("\x00", "U+0000"),
    ("\x7f", "U+007F"),
    ("\x85", "U+0085"),
    ("\x9b", "U+009B"),
    ("\u2028", "U+2028"),
    ("\u2029", "U+2029"),
    ("\u200b", "U+200B"),
    ("\u2060", "U+2060"),
    ("\u00ad", "U+00AD"),
    ("\u202e", "U+202E"),
    ("\u2066", "U+2066"),
    ("\ufeff", "U+FEFF"),
]
# Each field of one line, with how to set it on a person or a group.
ONE_LINE_FIELDS = [
    (person, "name", lambda v: {"name": v}),
    (person, "title", lambda v: {"title": v}),
    (person, "pronouns", lambda v: {"pronouns": v}),
    (person, "company", lambda v: {"company": v}),
    (person, "location", lambda v: {"location": v}),
    (person, "contact.phone", lambda v: {"contact": {"phone": v}}),
    (person, "contact.chat", lambda v: {"contact": {"chat": {"value": v, "visibility": "private"}}}),
    (person, "contact.linkedin", lambda v: {"contact": {"linkedin": v}}),
    (person, "skills.name", lambda v: {"skills": [v]}),
    (person, "ask_me_about", lambda v: {"ask_me_about": [v]}),
    (person, "offers", lambda v: {"offers": [v]}),
    (person, "seeks", lambda v: {"seeks": [v]}),
    (person, "interests", lambda v: {"interests": [v]}),
]
GROUP_FIELDS = [
    lambda v: {"name": v},
    lambda v: {"channels": {"chat": v}},
    lambda v: {"meetings": {"every": "month", "on": v}},
    lambda v: {"meetings": {"every": "month", "place": v}},
]


@pytest.mark.parametrize(("character", "code"), BAD_IN_ONE_LINE)
@pytest.mark.parametrize(("build", "field", "set_value"), ONE_LINE_FIELDS, ids=[f for _, f, _ in ONE_LINE_FIELDS])
def test_one_line_fields_refuse_breaks_controls_and_hidden_characters(build: Any, field: str, set_value: Any, character: str, code: str) -> None:
    value = f"Jeanne{character}Dupont"
    kind, message = refusal(build, **set_value(value))
    assert kind == "character"
    assert code in message and "after 'Jeanne'" in message
    assert not schema_accepts(ONE_LINE_PATTERN, value)


@pytest.mark.parametrize("set_value", GROUP_FIELDS)
@pytest.mark.parametrize(("character", "code"), BAD_IN_ONE_LINE[:3])
def test_group_one_line_fields(set_value: Any, character: str, code: str) -> None:
    kind, message = refusal(Group.model_validate, obj={"name": "Guilde", "type": "community", **set_value(f"Paris{character}")})
    assert (kind, code in message) == ("character", True)


def test_skills_taxonomy_names_aliases_and_categories_are_one_line() -> None:
    for data in ({"Py\rthon": {"category": "Langages"}}, {"Python": {"category": "Lang\x1bages"}}, {"Python": {"category": "L", "aliases": ["p\u202ey"]}}):
        with pytest.raises(ValidationError, match="U\\+"):
            Taxonomy.model_validate(data)
    names = json.loads(json_schemas()["skills.schema.json"])["propertyNames"]
    assert names["pattern"] == ONE_LINE_PATTERN, "the schema says what a skill name may hold, not only its length"


@pytest.mark.parametrize("value", ["Zoë Aït-Kaci", "שרה\u200fלוי", "👩\u200d💻 Lin", "Renée O’Brien", "Lyon, salle Rhône #2", "x" * 200])
def test_one_line_fields_keep_what_names_need(value: str) -> None:
    assert person(name=value).name == value
    assert schema_accepts(ONE_LINE_PATTERN, value)


def test_a_final_line_break_is_refused_by_the_schema_too() -> None:
    # Python's re (jsonschema) lets "$" match before a final "\n"; the pattern does not.
    assert not schema_accepts(ONE_LINE_PATTERN, "Jeanne\n")
    assert not schema_accepts(GITHUB_PATTERN, "jdupont\n")
    assert refusal(person, name="Jeanne\n")[0] == "character"


def test_long_texts_keep_line_breaks_and_tabs_only() -> None:
    bio = "Première ligne.\n\n\t- une liste\n"
    assert person(bio=bio).bio == bio
    assert schema_accepts(LONG_TEXT_PATTERN, bio)
    for character, code in [("\r", "U+000D"), ("\x1b", "U+001B"), ("\u2028", "U+2028"), ("\u202e", "U+202E"), ("\x85", "U+0085")]:
        kind, message = refusal(person, bio=f"Bonjour{character}")
        assert (kind, code in message) == ("character", True)
        assert not schema_accepts(LONG_TEXT_PATTERN, f"Bonjour{character}")
    assert refusal(Group.model_validate, obj={"name": "G", "type": "community", "description": "a\x1b[31m"})[0] == "character"


def test_the_message_names_the_character_and_the_fix() -> None:
    document, _ = parse_text('name: "Ana\\rSilva"\ntitle: Dév\n', "people/x.yaml")
    assert document is not None
    _, [problem] = check_document(document, Person, "person")
    assert problem.as_text() == (
        "people/x.yaml:1:7: error: 'name': character U+000D (carriage return) after 'Ana': "
        "a one-line field holds no line break, control or invisible character: keep the value on one line [character]"
    )


# --- logins ------------------------------------------------------------------------------------

GITHUB_GOOD = ["a", "jdupont", "j-dupont", "JDupont42", "a" * 39, "0-1-2"]
GITHUB_BAD = ["", "-jd", "jd-", "j--d", "j_d", "j.d", "a" * 40, "jd upont", "jdupont\u200b", "jé"]
GITLAB_GOOD = ["jd", "j.dupont", "_bot", "j_d-2", "a" * 255, "J.Dupont"]
GITLAB_BAD = ["j", "-jd", ".jd", "jd.", "jd.git", "jd.atom", "a" * 256, "j d", "jé", "j+d"]


@pytest.mark.parametrize("login", GITHUB_GOOD)
def test_github_logins(login: str) -> None:
    assert person(contact={"github": login}).contact.github is not None
    assert schema_accepts(GITHUB_PATTERN, login)


@pytest.mark.parametrize("login", GITHUB_BAD)
def test_not_github_logins(login: str) -> None:
    kind, _ = refusal(person, contact={"github": login})
    assert kind in ("login", "character", "string_too_short")
    assert not schema_accepts(GITHUB_PATTERN, login)


@pytest.mark.parametrize("login", GITLAB_GOOD)
def test_gitlab_usernames(login: str) -> None:
    assert person(contact={"gitlab": {"value": login, "visibility": "private"}}).contact.gitlab is not None
    assert schema_accepts(GITLAB_PATTERN, login)


@pytest.mark.parametrize("login", GITLAB_BAD)
def test_not_gitlab_usernames(login: str) -> None:
    assert refusal(person, contact={"gitlab": login})[0] == "login"
    assert not schema_accepts(GITLAB_PATTERN, login)


@pytest.mark.parametrize("site", ["github", "gitlab"])
def test_a_login_with_an_at_sign_gets_a_hint(site: str) -> None:
    kind, message = refusal(person, contact={site: "@jdupont"})
    assert kind == "login"
    assert "without '@': 'jdupont' rather than '@jdupont'" in message


# --- email addresses ---------------------------------------------------------------------------

EMAIL_GOOD = ["jeanne.dupont@example.com", "j+tag@acme.example", "josé@acme.fr", "o'brien@acme.example", "Jeanne@ACME.example"]
EMAIL_BAD = [
    ("“jeanne”@acme.fr", "U+201C"),
    ("jeanne’s@acme.fr", "U+2019"),
    ("jeanne\u200b@acme.fr", "U+200B"),
    ("jeanne dupont@acme.fr", "U+0020"),
    ("jeanne\u00a0dupont@acme.fr", "U+00A0"),
    ("jeanne@acme.fr\n", "U+000A"),
    ("jeanne@@acme.fr", "U+0040"),
    ("jeanne.acme.fr", "name@domain"),
    ("jeanne@acme", "name@domain"),
    ("jeanne..d@acme.fr", "two periods"),
    ("jeanne@acme.test", "special-use"),
]


@pytest.mark.parametrize("address", EMAIL_GOOD)
def test_email_addresses(address: str) -> None:
    assert person(contact={"email": address}).contact.email is not None
    assert schema_accepts(EMAIL_PATTERN, address)


@pytest.mark.parametrize(("address", "said"), EMAIL_BAD)
def test_not_email_addresses(address: str, said: str) -> None:
    kind, message = refusal(person, contact={"email": address})
    assert kind in ("email", "character")
    assert said in message
    mailing_list = refusal(Group.model_validate, obj={"name": "G", "type": "community", "channels": {"mailing_list": address}})
    assert mailing_list[0] in ("email", "character")


def test_the_schema_refuses_the_characters_an_address_cannot_hold() -> None:
    for address, _ in EMAIL_BAD[:7]:
        assert not schema_accepts(EMAIL_PATTERN, address), address


URLS = [("HTTPS://wiki.acme.example", True), ("https://a\x1b[31m", False), ("https://a\u202eb", False), ("https://a b", False)]


@pytest.mark.parametrize(("url", "ok"), URLS)
def test_urls_in_the_model_and_the_schema(url: str, ok: bool) -> None:
    data = {"name": "G", "type": "community", "channels": {"url": url}}
    assert schema_accepts(URL_PATTERN, url) is ok
    if ok:
        assert Group.model_validate(data).channels is not None
    else:
        assert refusal(Group.model_validate, obj=data)[0] in ("url", "character")


def test_an_unknown_key_left_empty_is_refused_not_dropped() -> None:
    # {place: Paris, salle Ampère} gives a key "salle Ampère" with no value: the schema refuses
    # it (additionalProperties), and so does the model, instead of losing it with the empty values.
    meetings = {"every": "month", "place": "Paris", "salle Ampère": None}
    kind, _ = refusal(Group.model_validate, obj={"name": "G", "type": "community", "meetings": meetings})
    assert kind == "extra_forbidden"
    assert person(team=None).team is None, "an empty known field still means 'not set'"


def test_a_refused_value_is_quoted_with_its_hidden_characters_escaped() -> None:
    # The message goes to a terminal, a CI log, a GitHub annotation: the value must not drive them.
    document, _ = parse_text('name: x\ntitle: y\nmanager: "a\\x1b[31mb"\nkind: "emp\\u202eloyee"\ncontact: {"fa\\u0085x": z}\n', "people/x.yaml")
    assert document is not None
    _, problems = check_document(document, Person, "person")
    messages = [problem.message for problem in problems]
    assert "'a\\u001b[31mb' is not a valid handle" in messages[0]
    assert "found 'emp\\u202eloyee'" in messages[1]
    assert "unknown field 'contact.fa\\u0085x'" in messages[2]
    assert not [message for message in messages if re.search(ONE_LINE_PATTERN, message) is None]


def test_the_special_use_domains_are_email_validators() -> None:
    import email_validator

    from generator.directory.values import _SPECIAL_USE

    assert set(email_validator.SPECIAL_USE_DOMAIN_NAMES) == _SPECIAL_USE


@settings(max_examples=400, deadline=None)
@given(
    st.from_regex(
        r"\A[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,20}(\.[A-Za-z0-9_-]{1,8}){0,2}@([A-Za-z0-9]([A-Za-z0-9-]{0,8}[A-Za-z0-9])?\.){1,3}[A-Za-z][A-Za-z0-9-]{0,6}[A-Za-z0-9]\Z"
    )
)
def test_an_address_of_the_plain_shape_is_one_email_validator_accepts(address: str) -> None:
    from email_validator import EmailNotValidError, validate_email

    from generator.directory.values import is_plain_address

    try:
        validate_email(address, check_deliverability=False)
        accepted = True
    except EmailNotValidError:
        accepted = False
    # The shortcut may leave an address to email-validator, never take one it would refuse.
    assert accepted or not is_plain_address(address), address
