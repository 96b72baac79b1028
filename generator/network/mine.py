"""The page "My network" (``network/mine/``): the facts its script suggests from, its script with its words, the schema of its export.

Everything a person writes on the page stays in their browser; the site only publishes what the
directory knows: :func:`facts_json` (``assets/my-network.json``), the :class:`~generator.network.circles.Facts`
that the script runs :mod:`generator.network.circles`' rules on, compact (people and groups as
indexes, reasons as the rules' ids, worded by the script in the site's language); and
:data:`NETWORK_SCHEMA`, the JSON Schema of the file the page exports and imports
(``schemas/my-network.schema.json``), whose rules the script checks by hand before an import.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

from generator import PACKAGE
from generator.i18n import Language
from generator.network.circles import CIRCLE_LABELS, CIRCLES, REASONS, Facts

FACTS_PATH = "assets/my-network.json"
SCRIPT_PATH = "assets/my-network.js"
SCHEMA_FILE = "my-network.schema.json"
SCHEMA_PATH = f"schemas/{SCHEMA_FILE}"  # published with the site too: the page links to it
PAGE = "network/mine.md"
_SCRIPT_SOURCE = PACKAGE / "assets" / "my-network.js"
_MESSAGES = "{/* messages: written by the build, generator/network/mine.py */}"

FREQUENCIES = ("week", "two-weeks", "month", "quarter", "half-year", "year")
BRINGS = ("information", "support", "help")
MAX_RELATIONSHIPS = 5000
# A pattern ends with (?![\s\S]), the end of the text in both ECMA-262 and Python, not with $: Python's
# $ (which jsonschema's re.search reads) also matches before a final line break, ECMA's does not.
_END = "(?![\\s\\S])"
_HANDLE = "^[a-z0-9][a-z0-9-]{1,39}" + _END  # HANDLE_PATTERN, ended as above
# No control character in a one-line text; line breaks (and tabs) allowed in a longer one. ECMA-262 and Python read these alike.
_LINE = {"type": "string", "maxLength": 200, "pattern": "^[^\\u0000-\\u001f\\u007f]*" + _END}
_TEXT = {"type": "string", "maxLength": 2000, "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*" + _END}
_DATE = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}" + _END}
_SCORE = {"type": "integer", "minimum": 1, "maximum": 5}


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


NETWORK_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_FILE,
    "title": "My network",
    "description": "A person's own network as the page My network (network/mine/) exports and imports it: "
    "their relationships in three circles, each qualified. Kept in the person's browser only.",
    "type": "object",
    "additionalProperties": False,
    "required": ["format", "version", "relationships"],
    "properties": {
        "format": {"const": "trombi-my-network", "description": "What the file is."},
        "version": {"const": 1, "description": "The version of this format."},
        "me": {**_or_null({"$ref": "#/$defs/handle"}), "description": "The handle of the person whose network it is."},
        "exported": {
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?Z" + _END,
            "description": "When the file was exported (UTC).",
        },
        "relationships": {"type": "array", "maxItems": MAX_RELATIONSHIPS, "items": {"$ref": "#/$defs/relationship"}},
    },
    "$defs": {
        "handle": {"type": "string", "pattern": _HANDLE},
        "line": _LINE,
        "text": _TEXT,
        "date": _DATE,
        "score": _SCORE,
        "relationship": {
            "type": "object",
            "additionalProperties": False,
            "required": ["id", "name", "circle"],
            "properties": {
                "id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}" + _END, "description": "Names the relationship in the file."},
                "handle": {**_or_null({"$ref": "#/$defs/handle"}), "description": "The person's handle in the directory; null for someone outside it."},
                "name": {**_LINE, "minLength": 1, "description": "The person's name (as the directory said it when they were added)."},
                "organisation": {"$ref": "#/$defs/line", "description": "For someone outside the directory: their company or organisation."},
                "outside": {"type": "boolean", "description": "Someone outside the directory (a partner's, a client's, a former colleague)."},
                "circle": {"enum": list(CIRCLES)},
                "frequency": {"enum": [*FREQUENCIES, None], "description": "How often to be in touch."},
                "last_contact": {**_or_null({"$ref": "#/$defs/date"}), "description": "The day of the last contact."},
                "last_nature": {"$ref": "#/$defs/line", "description": "What the last contact was (a lunch, a call...)."},
                "last_outcome": {"$ref": "#/$defs/text", "description": "What came of it."},
                "intensity": _or_null({"$ref": "#/$defs/score"}),
                "trust": _or_null({"$ref": "#/$defs/score"}),
                "reciprocal": {"type": ["boolean", "null"], "description": "Whether the relationship goes both ways."},
                "brings": {"type": "array", "items": {"enum": list(BRINGS)}, "uniqueItems": True, "description": "What it brings."},
                "interest": {"$ref": "#/$defs/text", "description": "The person's real interest in the matter."},
                "power": {**_or_null({"$ref": "#/$defs/score"}), "description": "Their power to act (1 to 5)."},
                "next_action": {"$ref": "#/$defs/text"},
                "next_date": _or_null({"$ref": "#/$defs/date"}),
                "added": {"$ref": "#/$defs/date", "description": "The day the relationship was added."},
            },
        },
    },
}


def schema_json() -> str:
    return json.dumps(NETWORK_SCHEMA, ensure_ascii=False, indent=2) + "\n"


def facts_json(facts: Facts) -> str:
    """The facts as compact JSON: columns of the people's values, indexes into ``handles``, ``groups``, ``titles``, ``sites``, ``months``.

    Measured on a 10,000-person organisation in benchmarks/RESULTS.md ("My network"): it must stay under 1 MB.
    """
    data = {
        "handles": facts.handles,
        "names": facts.names,
        "kinds": _sparse(facts.kinds, 0),
        "titles": facts.titles,
        "family": facts.family,
        "similar": facts.similar,
        "title": facts.title,
        "team": facts.team,
        "sites": facts.sites,
        "site": facts.site,
        "manager": facts.manager,
        "months": facts.months,
        "joined": facts.joined,
        "groups": [list(group) for group in facts.groups],
        "member": _sparse(facts.member, []),
        "serves": facts.serves,
        "served": facts.served,
        "past": facts.past,
        "since": _usual(facts.since, len(facts.handles)),
        "helped": facts.helped,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def facts_from_json(text: str) -> Facts:
    """:func:`facts_json` read back, as the page reads it: the same rules then give the same suggestions."""
    data = json.loads(text)
    count = len(data["handles"])
    usual, others = data["since"]
    since_of = {int(person): day for person, day in others.items()}
    since = {person: day for person in range(count) if (day := since_of.get(person, usual)) is not None}
    return Facts(
        handles=data["handles"],
        names=data["names"],
        kinds=[data["kinds"].get(str(person), 0) for person in range(count)],
        titles=data["titles"],
        family=data["family"],
        similar=data["similar"],
        title=data["title"],
        team=data["team"],
        sites=data["sites"],
        site=data["site"],
        manager=data["manager"],
        months=data["months"],
        joined=data["joined"],
        groups=[(slug, name, kind) for slug, name, kind in data["groups"]],
        member=[data["member"].get(str(person), []) for person in range(count)],
        serves={int(group): served for group, served in data["serves"].items()},
        served={int(group): people for group, people in data["served"].items()},
        past={int(person): [(day, team, manager) for day, team, manager in rows] for person, rows in data["past"].items()},
        since=since,
        helped={int(person): people for person, people in data["helped"].items()},
    )


def _usual(days: dict[int, int], count: int) -> list[Any]:
    """``[usual, {person: day or None}]``: most people's current tenure began on the same day (the history's first, often)."""
    column = [days.get(person) for person in range(count)]
    usual = Counter(column).most_common(1)[0][0] if column else None
    return [usual, {person: day for person, day in enumerate(column) if day != usual}]


def _sparse(values: list[Any], default: Any) -> dict[int, Any]:
    """Only the people whose value is not ``default``: most people are employees in no community."""
    return {index: value for index, value in enumerate(values) if value != default}


def script(language: Language) -> str:
    """``assets/my-network.js`` with its words in ``language``: the reasons with the same msgids as ``trombi network suggest``."""
    gettext = language.gettext
    messages: dict[str, Any] = {
        "lang": language.code,
        "dayOne": language.date(date(2001, 3, 1), "d"),  # "1er" in French
        "colon": language.before(":"),
        "semicolon": language.before(";"),
        "circles": {circle: gettext(CIRCLE_LABELS[circle]) for circle in CIRCLES},
        "circleShort": {"information": gettext("Information"), "support": gettext("Support"), "operational": gettext("Operational")},
        "reasons": {code: gettext(text) for code, text in REASONS.items()},
        "months": [language.month_year(_month(number)).rsplit(" ", 1)[0] for number in range(1, 13)],
        "monthYear": gettext("%(month)s %(year)s"),
        "frequencies": {
            "week": gettext("every week"),
            "two-weeks": gettext("every two weeks"),
            "month": gettext("every month"),
            "quarter": gettext("every quarter"),
            "half-year": gettext("every six months"),
            "year": gettext("every year"),
        },
        "brings": {"information": gettext("information"), "support": gettext("support"), "help": gettext("concrete help")},
        "kinds": {"1": gettext("Contractor"), "2": gettext("Partner")},
        "outside": gettext("outside the directory"),
        "who": gettext("Who are you?"),
        "whoLabel": gettext("Your handle or name"),
        "whoButton": gettext("That's me"),
        "youAre": gettext("You are %(name)s."),
        "change": gettext("Someone else"),
        "unknown": gettext("Nobody in the directory has this handle or name."),
        "loading": gettext("Loading the directory…"),
        "unavailable": gettext("The directory could not load; try again later. What you wrote is still here."),
        "add": gettext("Add someone"),
        "addLabel": gettext("Name or handle, or the name of someone outside the directory"),
        "addCircle": gettext("Circle"),
        "addButton": gettext("Add"),
        "addOutside": gettext("Nobody in the directory has this name: add %(name)s as someone outside it?"),
        "addOutsideButton": gettext("Add from outside the directory"),
        "addShort": gettext("Add"),
        "already": gettext("%(name)s is already in your network."),
        "added": gettext("%(name)s added to your %(circle)s."),
        "removed": gettext("%(name)s removed from your network."),
        "saved": gettext("Saved."),
        "full": gettext("Your network is full: remove someone first."),
        "notStored": gettext("This browser keeps nothing for this site (private browsing?): what you write will be lost when the page closes."),
        "unreadable": gettext("What this browser kept of your network could not be read: it is left as it is until you import a file or forget everything."),
        "circlesHeading": gettext("My circles"),
        "picture": gettext("The three circles: each dot is a relationship, the darker the more trust; a ring marks one going cold."),
        "empty": gettext("Nobody yet."),
        "suggestions": gettext("Suggested from the directory"),
        "noSuggestions": gettext("No suggestion left."),
        "addTo": gettext("Add %(name)s to your %(circle)s"),
        "actionsHeading": gettext("Next actions"),
        "noActions": gettext("No next action planned."),
        "overdue": gettext("overdue"),
        "coldHeading": gettext("Going cold"),
        "noCold": gettext("No relationship is going cold."),
        "cold": gettext("last contact %(date)s, to be in touch %(frequency)s"),
        "never": gettext("no contact noted, to be in touch %(frequency)s"),
        "edit": gettext("Edit"),
        "editing": gettext("Relationship with %(name)s"),
        "remove": gettext("Remove"),
        "save": gettext("Save"),
        "cancel": gettext("Cancel"),
        "fields": {
            "circle": gettext("Circle"),
            "organisation": gettext("Organisation"),
            "frequency": gettext("How often to be in touch"),
            "none": gettext("not set"),
            "last_contact": gettext("Last contact"),
            "last_nature": gettext("What it was"),
            "last_outcome": gettext("What came of it"),
            "intensity": gettext("Intensity (1 to 5)"),
            "trust": gettext("Trust (1 to 5)"),
            "reciprocal": gettext("Reciprocal"),
            "yes": gettext("yes"),
            "no": gettext("no"),
            "brings": gettext("What it brings"),
            "interest": gettext("Their real interest"),
            "power": gettext("Their power to act (1 to 5)"),
            "next_action": gettext("Next action"),
            "next_date": gettext("By"),
        },
        "summaryTrust": gettext("trust %(value)s/5"),
        "summaryLast": gettext("last contact %(date)s"),
        "summaryNext": gettext("next: %(action)s"),
        "dataHeading": gettext("Keep, move or forget"),
        "exportJson": gettext("Export (JSON)"),
        "exportCsv": gettext("Export (CSV)"),
        "importLabel": gettext("Import a file (JSON or CSV): it replaces what is here"),
        "schemaNote": gettext("The JSON file follows a published format:"),
        "schemaLink": gettext("its JSON Schema"),
        "imported": gettext("Imported: %(count)s relationships."),
        "refused": gettext("This file was not imported, and nothing changed:"),
        "notJson": gettext("it is neither a JSON file of My network nor its CSV."),
        "confirmImport": gettext("Replace the %(count)s relationships kept here by those of the file?"),
        "forget": gettext("Forget everything"),
        "confirmForget": gettext("Forget your whole network in this browser? Export it first to keep a copy."),
        "forgotten": gettext("Everything is forgotten in this browser."),
        "problems": {
            "type": gettext("%(path)s: expected %(expected)s"),
            "required": gettext("%(path)s: %(key)s is missing"),
            "unknown": gettext("%(path)s: %(key)s is not a field of the format"),
            "value": gettext("%(path)s: not one of the allowed values"),
            "pattern": gettext("%(path)s: not in the expected form"),
            "length": gettext("%(path)s: too long or empty"),
            "range": gettext("%(path)s: out of range"),
            "date": gettext("%(path)s: not a date"),
            "unique": gettext("%(path)s: listed twice"),
            "count": gettext("%(path)s: too many items"),
            "more": gettext("and %(count)s more"),
        },
    }
    source = _SCRIPT_SOURCE.read_text(encoding="utf-8")
    if source.count(_MESSAGES) != 1:
        raise ValueError(f"{_SCRIPT_SOURCE} must hold {_MESSAGES} once, where the build writes the messages")
    return source.replace(_MESSAGES, json.dumps(messages, ensure_ascii=False))


def _month(number: int) -> date:
    return date(2001, number, 1)
