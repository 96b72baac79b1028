"""Offers and seeks that meet, on hand-made profiles."""

from __future__ import annotations

from typing import Any

from generator.network.matching import OfferIndex, match_seeks
from tests.test_pairing import make_org

SKILLS = ("Kubernetes", "Python", "Sécurité réseau", "Excel")


def org_of(people: dict[str, dict[str, Any]], language: str = "fr") -> Any:
    return make_org(people, {}, skills=SKILLS, language=language)


PEOPLE: dict[str, dict[str, Any]] = {
    "seeker": {"seeks": ["recherche un mentor Kubernetes"], "offers": ["mentorat Kubernetes"]},
    "mentor": {"offers": ["mentorat Kubernetes", "relecture de code"]},
    "expert": {"skills": [{"name": "Kubernetes", "level": "expert"}]},
    "beginner": {"skills": [{"name": "Kubernetes", "level": "notions"}]},
    "asked": {"ask_me_about": ["clusters Kubernetes en production"]},
    "other": {"offers": ["cours de cuisine"], "skills": ["Excel"]},
    "secret": {"offers": ["mentorat Kubernetes"], "search": "hidden"},
    "netsec": {"offers": ["Sécurité réseau pour les débutants"]},
}


def test_a_seek_meets_offers_topics_and_skills_best_first() -> None:
    index = OfferIndex(org_of(PEOPLE))
    helpers = index.helpers("recherche un mentor Kubernetes", exclude="seeker", limit=10)
    handles = [h.handle for h in helpers]
    assert handles[0] == "mentor"
    assert helpers[0].via == "offer" and helpers[0].text == "mentorat Kubernetes"
    assert {"expert", "asked"} <= set(handles)
    assert handles.index("expert") < handles.index("beginner")
    assert "other" not in handles and "seeker" not in handles
    assert "secret" not in handles  # hidden people are suggested nowhere


def test_accents_and_case_do_not_matter() -> None:
    index = OfferIndex(org_of(PEOPLE))
    assert [h.handle for h in index.helpers("SECURITE RESEAU")][:1] == ["netsec"]
    assert index.helpers("des cours de cuisine")[0].handle == "other"
    assert index.helpers("la pêche à la mouche") == []


def test_english_profiles_are_stemmed_in_english() -> None:
    people = {"a": {"seeks": ["looking for mentoring in Python"]}, "b": {"offers": ["Python mentors"]}, "c": {"offers": ["baking"]}}
    index = OfferIndex(org_of(people, language="en"))
    assert [h.handle for h in index.helpers("looking for mentoring in Python", exclude="a")] == ["b"]


def test_match_seeks_lists_every_seek_with_its_helpers() -> None:
    matches = match_seeks(org_of(PEOPLE))
    assert [(m.handle, m.seek) for m in matches] == [("seeker", "recherche un mentor Kubernetes")]
    assert matches[0].helpers[0].handle == "mentor"
    assert len(matches[0].helpers) == 3
