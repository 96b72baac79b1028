"""The page My network as the build publishes it: the facts it suggests from, the schema of its export.

What the page does in the browser is tested in tests/browser/test_my_network_browser.py; the
suggestion rules in tests/test_circles.py. The documents here are the ones the browser test feeds
the page: what the schema refuses, the page refuses, and the other way round.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from generator.directory.model import HANDLE_PATTERN
from generator.i18n import load_language
from generator.network import circles
from generator.network.mine import NETWORK_SCHEMA, SCHEMA_FILE, facts_from_json, facts_json, schema_json, script
from tests.test_circles import story  # noqa: F401 (the fixture: a small directory with a scripted history)

REPO = Path(__file__).parent.parent
VALIDATOR = Draft202012Validator(NETWORK_SCHEMA, format_checker=FormatChecker())

FULL = {
    "id": "r0123456789abcdef",
    "handle": "kbenali",
    "name": "Karim Benali",
    "organisation": "",
    "outside": False,
    "circle": "support",
    "frequency": "month",
    "last_contact": "2026-01-01",
    "last_nature": "un déjeuner",
    "last_outcome": "Il relit mon dossier.\nEt me présente à la DSI.",
    "intensity": 4,
    "trust": 5,
    "reciprocal": True,
    "brings": ["support", "information"],
    "interest": "Que le projet aboutisse",
    "power": 3,
    "next_action": "Lui envoyer le dossier",
    "next_date": "2026-02-01",
    "added": "2025-12-01",
}
OUTSIDE = {"id": "r2", "handle": None, "name": "Jeanne Externe", "organisation": "Cabinet Conseil", "outside": True, "circle": "information"}


def document(*relationships: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"format": "trombi-my-network", "version": 1, "me": "jdupont", "exported": "2026-03-04T10:11:12.345Z", "relationships": list(relationships), **top}


# Documents the schema accepts: the page must import them.
ACCEPTED = {
    "full": document(FULL, OUTSIDE),
    "minimal": {"format": "trombi-my-network", "version": 1, "relationships": []},
    "nulls": document(
        {
            **FULL,
            "handle": None,
            "frequency": None,
            "last_contact": None,
            "intensity": None,
            "trust": None,
            "reciprocal": None,
            "power": None,
            "next_date": None,
        },
        me=None,
    ),
    "leap day": document({**FULL, "last_contact": "2024-02-29"}),
    "long but not too long": document({**FULL, "name": "é" * 200, "last_outcome": "\U0001f600" * 2000}),
    "integer as a float": document({**FULL, "trust": 5.0}),
}


def _without(key: str) -> dict[str, Any]:
    item = dict(FULL)
    del item[key]
    return item


# Documents the schema refuses, by what is wrong with them: the page must refuse each and change nothing.
REFUSED = {
    "not an object": [FULL],
    "another format": document(FULL, format="something-else"),
    "another version": document(FULL, version=2),
    "an unknown field": document(FULL, extra=True),
    "no relationships": {"format": "trombi-my-network", "version": 1},
    "relationships not a list": document(relationships={"a": FULL}),
    "a relationship without a name": document(_without("name")),
    "a relationship without a circle": document(_without("circle")),
    "an unknown circle": document({**FULL, "circle": "friends"}),
    "an unknown field in a relationship": document({**FULL, "password": "x"}),
    "an empty name": document({**FULL, "name": ""}),
    "a name too long": document({**FULL, "name": "é" * 201}),
    "a line break in a name": document({**FULL, "name": "Karim\nBenali"}),
    "a line break at the end of a name": document({**FULL, "name": "Karim Benali\n"}),
    "a control character in a note": document({**FULL, "last_outcome": "bip\u0007"}),
    "a bad handle": document({**FULL, "handle": "Karim Benali"}),
    "a handle ending in a line break": document({**FULL, "handle": "kbenali\n"}),
    "a bad id": document({**FULL, "id": "r 1"}),
    "trust out of range": document({**FULL, "trust": 6}),
    "trust not an integer": document({**FULL, "trust": 2.5}),
    "trust a boolean": document({**FULL, "trust": True}),
    "trust as text": document({**FULL, "trust": "5"}),
    "no such day": document({**FULL, "last_contact": "2025-02-29"}),
    "no such month": document({**FULL, "next_date": "2025-13-01"}),
    "year zero": document({**FULL, "added": "0000-01-01"}),
    "a date in another form": document({**FULL, "last_contact": "01/02/2025"}),
    "an unknown frequency": document({**FULL, "frequency": "daily"}),
    "what it brings twice": document({**FULL, "brings": ["support", "support"]}),
    "what it brings unknown": document({**FULL, "brings": ["money"]}),
    "reciprocal as text": document({**FULL, "reciprocal": "yes"}),
    "outside as null": document({**FULL, "outside": None}),
    "a bad export date": document(FULL, exported="yesterday"),
    "a bad me": document(FULL, me="<script>"),
    "a note too long": document({**FULL, "interest": "x" * 2001}),
}


def test_the_schema_file_is_the_one_the_page_checks() -> None:
    assert (REPO / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8") == schema_json(), "run `trombi reference`"
    Draft202012Validator.check_schema(NETWORK_SCHEMA)


def test_the_schema_says_a_handle_as_the_directory_does() -> None:
    # Ended by a lookahead rather than $ (see mine.py), the same handles as HANDLE_PATTERN, and no line break after one.
    pattern = NETWORK_SCHEMA["$defs"]["handle"]["pattern"]
    for handle in ("ab", "jdupont", "a-2", "x" * 40, "A", "a", "-ab", "x" * 41, "jean dupont", "été"):
        assert bool(re.search(pattern, handle)) == bool(re.search(HANDLE_PATTERN, handle)), handle
    assert re.search(HANDLE_PATTERN, "jdupont\n") and not re.search(pattern, "jdupont\n")


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_the_schema_accepts_what_the_page_writes(name: str) -> None:
    assert not list(VALIDATOR.iter_errors(ACCEPTED[name]))


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_the_schema_refuses_what_is_wrong(name: str) -> None:
    assert list(VALIDATOR.iter_errors(REFUSED[name])), name


def test_the_facts_read_back_give_the_same_suggestions(story: tuple[Any, circles.Facts]) -> None:  # noqa: F811
    _, facts = story
    text = facts_json(facts)
    again = facts_from_json(text)
    assert again == facts
    for handle in facts.handles:
        me = facts.index()[handle]
        assert circles.suggest(again, me) == circles.suggest(facts, me)
    # Compact: indexes, not handles, after the one list of them.
    data = json.loads(text)
    assert text.count('"dev"') == 1 and set(data) >= {"handles", "names", "past", "since", "helped"}


def test_the_script_carries_its_words_in_the_site_language() -> None:
    french = script(load_language("fr"))
    assert "messages: written by the build" not in french
    start = french.index("var MESSAGES = ") + len("var MESSAGES = ")
    messages = json.JSONDecoder().raw_decode(french[start:])[0]
    assert messages["circles"]["support"] == "Cercle de soutien"
    assert messages["reasons"]["former-manager"] == "a été votre manager jusqu’en %(month)s"
    assert messages["dayOne"] == "1er" and messages["colon"] == "\u202f:"
    assert messages["months"][2] == "mars" and messages["monthYear"] == "%(month)s %(year)s"
    english = script(load_language("en"))
    assert '"dayOne": "1"' in english and '"Support circle"' in english
