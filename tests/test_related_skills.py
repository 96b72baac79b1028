"""The skills related to a skill: those its holders hold too, most often first (each skill's page shows them)."""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

import pytest

from generator.directory.enrich import Org, Together, enrich
from generator.directory.settings import load_settings
from generator.directory.synth import write_synthetic_directory
from generator.directory.validate import valid_directory
from generator.site.render import Renderer
from tests.conftest import make_directory, needs_fork, write_config


def _counted(org: Org, skill: str, limit: int) -> list[tuple[str, int]]:
    """The definition, holder by holder."""
    counts: Counter[str] = Counter()
    for handle, _ in org.skill_people.get(skill, []):
        counts.update(entry.name for entry in org.people[handle].skills if entry.name != skill)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))[:limit]


def test_related_skills_are_those_the_holders_hold_too_by_count_then_name(tmp_path: Path) -> None:
    root = write_config(make_directory(tmp_path / "directory"))
    people = root / "people"
    (people / "ceo.yaml").write_text("name: Chloé Martin\ntitle: CEO\nskills: [py, Rust, Terraform]\n", encoding="utf-8")
    (people / "lead.yaml").write_text("name: Léo Lead\ntitle: Lead\nmanager: ceo\nskills: [py, Terraform]\n", encoding="utf-8")
    org = enrich(valid_directory(load_settings(root)))
    # dev holds py and Rust (tests/data/base): Python's holders also hold Rust twice and Terraform twice.
    assert org.related_skills("Python") == [("Rust", 2), ("Terraform", 2)]
    assert org.related_skills("Python", 1) == [("Rust", 2)]
    assert org.related_skills("Terraform") == [("Python", 2), ("Rust", 1)]
    assert org.related_skills("Kubernetes") == []  # held by nobody


def test_related_skills_match_their_definition_across_a_company(tmp_path: Path) -> None:
    write_synthetic_directory(tmp_path / "synth", 400, seed=3)
    org = enrich(valid_directory(load_settings(tmp_path / "synth")))
    assert len(org.skill_people) > 20
    for skill in org.skill_people:
        for limit in (1, 8, 100):
            assert org.related_skills(skill, limit) == _counted(org, skill, limit), skill


@needs_fork
def test_the_child_working_out_similar_people_hands_over_the_skills_held_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At scale a forked child works out similar people and how often skills are held together: skill pages rendered here take them from it."""
    write_synthetic_directory(tmp_path / "synth", 300, seed=5)
    org = enrich(valid_directory(load_settings(tmp_path / "synth")))
    expected = {planned.path: Renderer(org).render(planned).html for planned in Renderer(org).plan() if planned.path.startswith("skills/")}
    org = enrich(valid_directory(load_settings(tmp_path / "synth")))
    renderer = Renderer(org)
    renderer.foresee()  # forked with Org.held_together as it is
    worked_out_here: list[int] = []
    held_together = Org.held_together

    def counted(self: Org) -> Together:
        if self._together is None:
            worked_out_here.append(os.getpid())
        return held_together(self)

    monkeypatch.setattr(Org, "held_together", counted)
    deadline = time.monotonic() + 60
    while org._together is None and time.monotonic() < deadline:
        renderer.gather()  # takes the child's answer once it is there, never waits for it
        time.sleep(0.05)
    assert org._together is not None
    rendered = {planned.path: renderer.render(planned).html for planned in renderer.plan() if planned.path.startswith("skills/")}
    assert rendered == expected
    shown = renderer.language.gettext("Often found with")
    assert sum(shown in text for text in rendered.values()) > 10  # pages that show related skills
    assert worked_out_here == []
