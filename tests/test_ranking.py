"""One reading of a query for both engines: level words and sites become filters, the rest is searched."""

from __future__ import annotations

import pytest

from generator.directory.model import LEVELS
from generator.search.ranking import LEVEL_WORDS, SKILL_WEIGHTS, WEIGHTS, Understood, understand

SITES = ("Lyon", "Paris", "Saint-Étienne", "Télétravail")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("python expert", Understood(("python",), "expert")),
        ("Expert Python Lyon", Understood(("Python",), "expert", "Lyon")),
        ("kotlin senior", Understood(("kotlin",), "advanced")),
        ("sql confirmée paris", Understood(("sql",), "advanced", "Paris")),
        ("rust saint-etienne", Understood(("rust",), None, "Saint-Étienne")),
        ("data teletravail", Understood(("data",), None, "Télétravail")),
        ("chef de projet", Understood(("chef", "de", "projet"))),
        ("lyon", Understood(("lyon",))),  # a site alone is searched: its people are found by it
        ("expert", Understood(("expert",))),
        ("expert lyon", Understood(("expert", "lyon"))),
    ],
)
def test_a_query_is_read_as_words_and_filters(query: str, expected: Understood) -> None:
    assert understand(query, SITES) == expected


def test_every_level_has_a_weight_and_a_stronger_level_weighs_more() -> None:
    assert set(SKILL_WEIGHTS) == set(LEVELS)
    weights = [SKILL_WEIGHTS[level] for level in LEVELS]
    assert weights == sorted(weights) and len(set(weights)) == len(weights)


def test_a_skill_holder_outranks_a_title_and_a_bio_comes_last() -> None:
    assert min(SKILL_WEIGHTS.values()) > max(WEIGHTS["title"], WEIGHTS["ask"], WEIGHTS["offers"])
    assert WEIGHTS["bio"] == min(WEIGHTS.values())
    assert all(0 < weight <= 10 for weight in WEIGHTS.values())  # Pagefind's scale


def test_every_level_word_names_a_level() -> None:
    assert set(LEVEL_WORDS.values()) <= set(LEVELS)


def test_the_browser_ranks_with_the_same_options() -> None:
    import json
    import re
    from pathlib import Path

    from generator.weights import PAGEFIND_RANKING

    script = (Path(__file__).parent.parent / "generator" / "assets" / "search.js").read_text(encoding="utf-8")
    found = re.search(r"ranking: (\{[^}]*\})", script)
    assert found is not None
    assert json.loads(re.sub(r"(\w+):", r'"\1":', found.group(1))) == PAGEFIND_RANKING


def test_the_terminal_boosts_its_fields_by_the_same_weights() -> None:
    from generator.search.index import FIELD_BOOSTS, LEVEL_FIELDS

    assert FIELD_BOOSTS[LEVEL_FIELDS["expert"]] == WEIGHTS["skill_expert"] and FIELD_BOOSTS["bio"] == WEIGHTS["bio"]
