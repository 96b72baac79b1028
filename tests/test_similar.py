"""Similar people: outside one's team, by weighted skills, top few, on hand-made and synthetic profiles."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from generator.directory.enrich import Org
from generator.network.similar import LIMIT, similar_people
from generator.site.reads import fingerprint
from generator.site.render import Renderer, foresee
from tests.conftest import needs_fork
from tests.test_pairing import make_org, synthetic_org  # noqa: F401  (a fixture)

SKILLS = ("Rust", "Kubernetes", "Python", "Excel", "Figma", "Go", "Paie")
GROUPS: dict[str, dict[str, Any]] = {"co": {"type": "company"}} | {t: {"type": "team", "parent": "co"} for t in ("t1", "t2", "t3", "t4")}


def profile(team: str, *skills: tuple[str, str], search: str = "visible") -> dict[str, Any]:
    return {"team": team, "skills": [{"name": n, "level": lv} for n, lv in skills], "search": search}


def hand_made() -> Org:
    people = {
        "ana": profile("t1", ("Rust", "expert"), ("Kubernetes", "advanced"), ("Excel", "notions")),
        "ben": profile("t2", ("Rust", "expert"), ("Kubernetes", "advanced"), ("Python", "notions")),
        "cyd": profile("t1", ("Rust", "expert"), ("Kubernetes", "advanced"), ("Excel", "notions")),  # ana's twin, same team
        "dan": profile("t3", ("Figma", "expert"), ("Paie", "advanced")),
        "eve": profile("t4", ("Rust", "intermediate"), ("Go", "advanced")),
        "fay": profile("t3", ("Rust", "expert"), ("Kubernetes", "advanced"), search="hidden"),
        "gus": profile("t4", ("Excel", "advanced")),
    }
    return make_org(people, GROUPS, skills=SKILLS)


def test_the_most_similar_outside_the_team_first() -> None:
    found = similar_people(hand_made())
    assert found["ana"][0][0] == "ben"
    assert "cyd" not in [h for h, _ in found["ana"]]  # same team
    assert "dan" not in [h for h, _ in found.get("ana", [])]  # nothing in common
    scores = [s for _, s in found["ana"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1.0001 for s in scores)


def test_similarity_is_symmetric() -> None:
    found = similar_people(hand_made())
    assert dict(found["ana"])["ben"] == dict(found["ben"])["ana"]
    assert "eve" in dict(found["ben"]) and "ben" in dict(found["eve"])


def test_hidden_people_are_not_suggested_but_get_suggestions() -> None:
    found = similar_people(hand_made())
    assert all("fay" not in dict(items) for items in found.values())
    assert dict(found["fay"])  # their own page may still show colleagues


def test_rare_skills_count_more() -> None:
    people = {
        "me": profile("t1", ("Paie", "advanced"), ("Excel", "advanced")),
        "rare": profile("t2", ("Paie", "advanced")),
        "common": profile("t3", ("Excel", "advanced")),
    } | {f"x{n}": profile("t4", ("Excel", "intermediate"), ("Go", "expert")) for n in range(8)}
    found = dict(similar_people(make_org(people, GROUPS, skills=SKILLS))["me"])
    assert found["rare"] > found["common"]


def test_on_a_synthetic_company(synthetic_org: Org) -> None:  # noqa: F811
    found = similar_people(synthetic_org)
    assert len(found) >= 0.9 * len(synthetic_org.people)
    for handle, items in found.items():
        assert len(items) <= LIMIT
        team = synthetic_org.people[handle].team
        assert all(synthetic_org.people[other].team != team or team is None for other, _ in items)
        assert handle not in dict(items)


def test_nobody_alike() -> None:
    people = {"a": profile("t1", ("Rust", "expert")), "b": profile("t2", ("Figma", "expert")), "c": profile("t3")}
    assert similar_people(make_org(people, GROUPS, skills=SKILLS)) == {}


@pytest.mark.parametrize("apart", [False, pytest.param(True, marks=needs_fork)], ids=["here", "by a child"])
def test_a_renderer_shows_and_answers_who_is_alike_as_it_would_work_it_out(synthetic_org: Org, apart: bool) -> None:  # noqa: F811
    """What a renderer's child sends back (each list as one text, each answer fingerprinted there) reads as the similarity it comes from."""
    found = similar_people(synthetic_org)
    renderer = Renderer(synthetic_org, today=date(2026, 12, 7), foreseen=foresee(synthetic_org) if apart else None)
    fresh = Renderer(synthetic_org, today=date(2026, 12, 7))
    asked = [*synthetic_org.people, "someone-gone"]
    for handle in asked:
        shown = [other for other, _ in found.get(handle, [])]
        assert renderer.similar_to(handle) == shown
        assert renderer.answer(("call", "similar_to", handle)) == fresh.answer(("call", "similar_to", handle)) == fingerprint(shown)
    # Known once worked out for everyone, for the people there are.
    for known in (renderer, fresh):
        answers = [known.known_answer(("call", "similar_to", handle)) for handle in asked]
        assert answers == [fingerprint(known.similar_to(handle)) for handle in synthetic_org.people] + [None]
    assert Renderer(synthetic_org, today=date(2026, 12, 7)).known_answer(("call", "similar_to", asked[0])) is None  # not worked out yet
    assert renderer.known_answer(("call", "helpers_for", asked[0])) is None
