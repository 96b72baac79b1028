"""The skills related to a skill: those its holders hold too, most often first (each skill's page shows them)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from generator.directory.enrich import Org, enrich
from generator.directory.settings import load_settings
from generator.directory.synth import write_synthetic_directory
from generator.directory.validate import valid_directory
from tests.conftest import make_directory, write_config


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
