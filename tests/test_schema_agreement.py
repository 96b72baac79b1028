"""The validator and the published JSON Schemas agree: what ``validate`` accepts, the schemas accept.

Documents are generated from the published schemas themselves (every property, pattern, enum and
nesting), with values taken from the model's fields (valid samples) and hostile strings (line
breaks, controls, invisible and bidi characters, curly quotes, spaces), written as YAML and read
back by the loader. Each is judged by ``validate``'s check and by ``jsonschema``: a file the
schemas refuse is refused by ``validate`` too, at the place of a value or key of the file.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from generator.directory.check import check_document
from generator.directory.load import Document, parse_text
from generator.directory.model import SCHEMA_MODELS
from generator.problems import Problem
from tests.conftest import REPO

Strategy = st.SearchStrategy[Any]

# Characters that break vCards, feeds, calendars and terminals, or hide text, with some that are
# fine (a joiner, accents, punctuation) so that generated strings sit on both sides of the line.
HOSTILE = "\t\n\r\x0b\x0c\x1b\x7f\x85\x9b\u2028\u2029\u200b\u200d\u200e\u202e\u2066\ufeff\u00ad\u00a0“”’ @:,.-_#/aZ9é"
HOSTILE_TEXT = st.text(alphabet=HOSTILE, max_size=8)

# Valid values by field name, from the model's fields: without them, a random two-letter code or
# time zone would make nearly every document invalid, and the accepted side would go untested.
HANDLES = ["jdupont", "ana-silva", "platform", "guild-python"]
SAMPLES: dict[str, list[str]] = {
    "name": ["Jeanne Dupont", "Zoë Aït-Kaci", "שרה לוי", "👩‍💻 Lin"],
    "title": ["Ingénieure plateforme"],
    "languages": ["fr", "en", "de", "pt"],
    "timezone": ["Europe/Paris", "America/Montreal"],
    "joined": ["2021-03-01"],
    "snooze_until": ["2027-01-01"],
    "photo": ["photos/jdupont.jpg", "https://intranet.example/p.png"],
    "team": HANDLES,
    "manager": HANDLES,
    "parent": HANDLES,
    "owners": HANDLES,
    "members": HANDLES,
    "groups": HANDLES,
    "at": ["12:30", "09:00"],
    "email": ["jeanne.dupont@example.com", "josé@acme.fr"],
    "mailing_list": ["guilde@acme.example"],
    "url": ["https://wiki.acme.example/guilde", "HTTP://intranet.example/x"],
    "github": ["jdupont", "a-b", "x"],
    "gitlab": ["j.dupont", "_bot", "jd-2"],
    "bio": ["Une ligne.\n\tPuis une autre.\n"],
    "description": ["Markdown\n\n- une liste\n"],
}


@cache
def published(kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return schema


def from_schema(schema: dict[str, Any], defs: dict[str, Any], name: str = "") -> Strategy:
    """Values of ``schema``: some that it accepts, some that it refuses."""
    if "$ref" in schema:
        return from_schema(defs[schema["$ref"].rsplit("/", 1)[-1]], defs, name)
    if "anyOf" in schema:
        return st.one_of(*(from_schema(option, defs, name) for option in schema["anyOf"]))
    if "enum" in schema:
        return mostly(st.sampled_from(schema["enum"]), HOSTILE_TEXT)
    kind = schema.get("type")
    if kind == "object":
        return _objects(schema, defs)
    if kind == "array":
        return st.lists(from_schema(schema.get("items", {}), defs, name), max_size=3)
    if kind == "string":
        return _strings(schema, name)
    if kind == "boolean":
        return mostly(st.booleans(), st.sampled_from(["yes", "true"]))
    if kind == "null":
        return st.none()
    return st.just("x")


def _objects(schema: dict[str, Any], defs: dict[str, Any]) -> Strategy:
    properties: dict[str, Any] = schema.get("properties", {})
    if not properties:  # skills.yaml: names -> definitions
        names = _strings(schema.get("propertyNames", {}), "skill")
        return st.dictionaries(names, from_schema(schema["additionalProperties"], defs), max_size=3)
    required = set(schema.get("required", []))
    mandatory = {key: from_schema(value, defs, key) for key, value in properties.items() if key in required}
    optional = {key: from_schema(value, defs, key) for key, value in properties.items() if key not in required}
    mappings = st.fixed_dictionaries(mandatory, optional=optional)
    # Now and then a key the schema does not know, or a required one left out.
    extra = st.tuples(mappings, st.sampled_from(["salle Ampère", "nom", "github"]), st.one_of(st.none(), HOSTILE_TEXT))
    with_extra = extra.map(lambda found: {**found[0], found[1]: found[2]})
    without_one = mappings.flatmap(lambda found: st.sampled_from([{k: v for k, v in found.items() if k != key} for key in [*found, ""]]))
    return mostly(mappings, st.one_of(with_extra, without_one))


def _strings(schema: dict[str, Any], name: str) -> Strategy:
    samples = SAMPLES.get(name, ["Lyon", "premier jeudi", "Kubernetes"])
    options: list[Strategy] = [HOSTILE_TEXT]
    # A valid value with one hostile character slipped in.
    options.append(st.tuples(st.sampled_from(samples), st.sampled_from(HOSTILE), st.integers(0, 30)).map(lambda t: t[0][: t[2]] + t[1] + t[0][t[2] :]))
    if "pattern" in schema:
        low, high = schema.get("minLength", 0), schema.get("maxLength", 10_000)
        options.append(st.from_regex(schema["pattern"], fullmatch=True).filter(lambda text: low <= len(text) <= high))
    return mostly(st.sampled_from(samples), st.one_of(*options))


def mostly(good: Strategy, bad: Strategy) -> Strategy:
    """``good`` nine times in ten: a document has many values, and one bad value is enough to refuse it."""
    return st.integers(0, 9).flatmap(lambda draw: bad if draw == 0 else good)


def documents(kind: str) -> Strategy:
    schema = published(kind)
    return from_schema(schema, schema.get("$defs", {}))


# --- writing a generated document as YAML ----------------------------------------------------------

# JSON is YAML; what YAML reads differently or refuses in a double-quoted scalar is escaped.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


def as_yaml(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"


def judge(kind: str, data: Any) -> tuple[Document, list[Problem], list[str]]:
    document, problems = parse_text(as_yaml(data), f"{kind}.yaml")
    assert document is not None, [p.as_text() for p in problems]
    assert document.data == data, "the YAML written reads back as generated"
    _, problems = check_document(document, SCHEMA_MODELS[kind], kind)
    validator = Draft202012Validator(published(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)
    refusals = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(document.data)]
    return document, problems, refusals


def assert_agree(kind: str, data: Any) -> None:
    document, problems, refusals = judge(kind, data)
    if not problems:
        assert not refusals, f"validate accepts what {kind}.schema.json refuses: {refusals}\n{as_yaml(data)}"
    if refusals:
        assert problems, f"{kind}.schema.json refuses what validate accepts: {refusals}"
    places = {*document.marks.values(), *document.key_marks.values()}
    for problem in problems:
        assert (problem.line, problem.col) in places, f"{problem.as_text()} points at no value or key of\n{as_yaml(data)}"


AGREEMENT = settings(max_examples=250, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@AGREEMENT
@given(documents("person"))
def test_person_files_validate_as_the_schema_says(data: Any) -> None:
    assert_agree("person", data)


@AGREEMENT
@given(documents("group"))
def test_group_files_validate_as_the_schema_says(data: Any) -> None:
    assert_agree("group", data)


@AGREEMENT
@given(documents("skills"))
def test_skills_files_validate_as_the_schema_says(data: Any) -> None:
    assert_agree("skills", data)


@settings(max_examples=300, deadline=None, database=None)
@given(st.sampled_from(["name", "title", "pronouns", "company", "location"]), HOSTILE_TEXT.filter(lambda text: text != ""))
def test_a_one_line_field_and_its_pattern_agree_on_every_character(field: str, value: str) -> None:
    data = {"name": "Jeanne Dupont", "title": "Ingénieure", field: value}
    _, problems, refusals = judge("person", data)
    assert bool(problems) == bool(refusals), (problems, refusals)


def test_the_generators_reach_both_verdicts() -> None:
    """Without valid documents among the generated ones, the agreement would be vacuous."""
    verdicts: set[tuple[str, bool]] = set()
    for kind in SCHEMA_MODELS:

        @settings(max_examples=60, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
        @given(documents(kind))
        def collect(data: Any) -> None:
            _, problems, _ = judge(kind, data)  # noqa: B023 - run at once, within this iteration
            verdicts.add((kind, not problems))  # noqa: B023

        collect()
    assert {(kind, ok) for kind in SCHEMA_MODELS for ok in (True, False)} <= verdicts
