"""A page reads what it shows, and no more: what it reads is what a later build compares.

A build that keeps pages asks again what each kept page read (:mod:`generator.build.incremental`):
a page that read more than it shows (a score that only orders people, a list that only its first
page shows) was made again whenever that moved, though not a byte of it changed. At 100,000
people one skill added made 1,295 person pages again for the scores of similar people, and every
page of four skills for the skills found with them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from generator.build import incremental
from generator.directory.enrich import Org, enrich
from generator.directory.settings import load_settings
from generator.directory.synth import write_synthetic_directory
from generator.directory.validate import valid_directory
from generator.network.matching import Helper, Match
from generator.parallel import can_fork
from generator.site.reads import weighed
from generator.site.render import Renderer

TODAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Org:
    root = tmp_path_factory.mktemp("directory")
    write_synthetic_directory(root, 600, seed=5)
    return enrich(valid_directory(load_settings(root)))


def test_only_the_first_page_of_a_skill_reads_the_skills_found_with_it(org: Org) -> None:
    renderer = Renderer(org, today=TODAY)
    pages = [planned for planned in renderer.skills() if planned.template == "skill.html.j2"]
    name = next(planned.context["name"] for planned in pages if planned.context["pager"].number == 2)
    first, second = (next(p for p in pages if p.context["name"] == name and p.context["pager"].number == n) for n in (1, 2))
    asked = {query for planned in (first, second) for query in renderer.render_reading(planned)[1] if query[:2] == ("org.call", "related_skills")}
    assert asked == {query for query in renderer.render_reading(first)[1] if query[:2] == ("org.call", "related_skills")}
    assert asked, "the first page shows the skills found with it"
    assert not {query for query in renderer.render_reading(second)[1] if query[:2] == ("org.call", "related_skills")}


def test_only_the_first_page_of_a_group_reads_its_subgroups(org: Org) -> None:
    renderer = Renderer(org, today=TODAY)
    pages = [planned for planned in renderer.groups() if planned.template == "group.html.j2"]
    second = next(planned for planned in pages if planned.context["pager"].number == 2)
    first = next(planned for planned in pages if planned.context["slug"] == second.context["slug"] and planned.context["pager"].number == 1)
    subgroups = ("item", "children", second.context["slug"])
    assert subgroups in renderer.render_reading(first)[1]
    assert subgroups not in renderer.render_reading(second)[1]


def test_similar_people_answer_who_and_in_which_order_not_how_much(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    handle, first, second = sorted(org.people)[:3]
    query = ("call", "similar_to", handle)

    def answer(found: list[tuple[str, float]]) -> str:
        monkeypatch.setattr("generator.network.similar.similar_people", lambda _: {handle: found})
        return Renderer(org, today=TODAY).answer(query)

    before = answer([(first, 0.9), (second, 0.5)])
    assert answer([(first, 0.8), (second, 0.45)]) == before  # one skill added elsewhere moved every score
    assert answer([(second, 0.8), (first, 0.45)]) != before


class _Offers:
    """An offer index whose helpers are given: the same people, for the same reasons, at the scores set."""

    def __init__(self, helpers: list[Helper]) -> None:
        self.found = helpers

    def helpers(self, text: str, *, exclude: str | None = None) -> list[Helper]:
        return list(self.found)


def test_who_can_help_answers_who_and_why_not_the_scores(org: Org) -> None:
    seeker = next(handle for handle, person in sorted(org.people.items()) if person.seeks)
    others = [handle for handle in sorted(org.people) if handle != seeker][:2]
    helpers = [Helper(others[0], 3.0, "offer", "mentorat Python", "words", "python"), Helper(others[1], 1.0, "skill", "Python", "skill", "Python")]
    renderer = Renderer(org, today=TODAY)
    query = ("call", "helpers_for", seeker)
    renderer._offers = _Offers(helpers)
    before = renderer.answer(query)
    renderer._offers = _Offers([replace(helper, score=helper.score / 2) for helper in helpers])
    assert renderer.answer(query) == before
    renderer._offers = _Offers([replace(helpers[0], detail="mentorat")])
    assert renderer.answer(query) != before


def test_the_matches_pages_are_given_who_and_why_not_the_scores(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    seeker, helper = sorted(org.people)[:2]
    weights = []
    for score in (2.0, 1.5):
        match = Match(seeker, "Python", (Helper(helper, score, "skill", "Python", "skill", "Python"),))
        monkeypatch.setattr("generator.network.matching.match_seeks", lambda org, offers, match=match: [match])
        renderer = Renderer(org, today=TODAY)
        page = next(planned for planned in renderer.network() if planned.path == "network/matches.md")
        weights.append(weighed(page.context))
        shown = renderer.render(page).html
        assert f"people/{seeker}" in shown and f"people/{helper}" in shown and "(même compétence\u202f: Python)" in shown
    assert weights[0] == weights[1]


@pytest.mark.skipif(not can_fork(), reason="answered by forked workers")
def test_answers_asked_of_workers_work_out_the_skills_held_together_only_for_related_skills(org: Org, monkeypatch: pytest.MonkeyPatch) -> None:
    """A merge asks its own workers only of similar people: the skills held together (0.9 s at 100,000 people) wait for a page that needs them."""
    monkeypatch.setattr(incremental, "PARALLEL_FROM", 1)
    monkeypatch.setattr(org, "_together", None)
    renderer = Renderer(org, today=TODAY)
    handles = sorted(org.people)[:3]
    answers = incremental.answer_all(renderer, [("call", "similar_to", handle) for handle in handles])
    assert answers == [renderer.answer(("call", "similar_to", handle)) for handle in handles]
    assert org._together is None
    skill = sorted(org.skill_people)[0]
    incremental.answer_all(renderer, [("call", "similar_to", handles[0]), ("org.call", "related_skills", skill)])
    assert org._together is not None
