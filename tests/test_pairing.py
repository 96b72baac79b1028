"""The monthly lunch pairing: rules, quality, determinism, history files and the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from generator.directory.enrich import Org, enrich
from generator.directory.model import Group, Person, SkillDefinition
from generator.directory.settings import Settings, load_settings
from generator.directory.skills import Skills
from generator.directory.synth import write_synthetic_directory
from generator.directory.validate import Directory, validate_directory
from generator.network.lunchfiles import pairing_yaml, read_pairings, recorded_months, write_pairing
from generator.network.pairing import departments, eligible, listed_lunches, pair_month, quality, shift_month, site_months
from generator.problems import TrombiError
from tests.conftest import REPO


def make_org(people: dict[str, dict[str, Any]], groups: dict[str, dict[str, Any]] | None = None, *, skills: tuple[str, ...] = (), language: str = "en") -> Org:
    """An organisation made in memory: people and groups as their YAML would say."""
    definitions = {name: SkillDefinition(category="Tech") for name in skills}
    taxonomy = Skills(definitions, {name.casefold(): name for name in skills})
    directory = Directory(
        Settings(root=Path("."), language=language),
        taxonomy,
        {handle: Person.model_validate({"name": handle.title(), "title": "Engineer", **data}) for handle, data in people.items()},
        {slug: Group.model_validate({"name": slug.title(), **data}) for slug, data in (groups or {}).items()},
    )
    return enrich(directory)


def org_chart(departments: int, teams_per_department: int) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {"co": {"type": "company"}}
    for d in range(departments):
        groups[f"dept-{d}"] = {"type": "department", "parent": "co"}
        for t in range(teams_per_department):
            groups[f"team-{d}-{t}"] = {"type": "team", "parent": f"dept-{d}"}
    return groups


def lunch_people(count: int, *, location: str = "Lyon", teams: int = 4, prefix: str = "p") -> dict[str, dict[str, Any]]:
    return {
        f"{prefix}{n:03d}": {"team": f"team-{n % 2}-{(n // 2) % max(1, teams // 2)}", "location": location, "networking": {"lunch": True}}
        for n in range(count)
    }


@pytest.fixture(scope="module")
def demo_org() -> Org:
    directory, _ = validate_directory(load_settings(REPO))
    return enrich(directory)


@pytest.fixture(scope="module")
def synthetic_org(tmp_path_factory: pytest.TempPathFactory) -> Org:
    root = tmp_path_factory.mktemp("synth") / "directory"
    write_synthetic_directory(root, 1500, seed=3)
    directory, problems = validate_directory(load_settings(root))
    assert not [p for p in problems if p.level.name == "ERROR"]
    return enrich(directory)


def pairs_of(lunches: list[tuple[str, ...]]) -> set[frozenset[str]]:
    return {frozenset(pair) for lunch in lunches for pair in combinations(lunch, 2)}


def test_a_simulated_year_has_no_repeated_pair_and_everyone_lunches(demo_org: Org, tmp_path: Path) -> None:
    settings = Settings(root=tmp_path)
    month = "2026-01"
    seen: Counter[frozenset[str]] = Counter()
    for _ in range(12):
        history = read_pairings(settings)  # what --write wrote, read back and checked
        pairing = pair_month(demo_org, month, history)
        measures = quality(demo_org, pairing, history)
        assert measures.repeats == 0
        placed = [h for lunch in pairing.lunches for h in lunch.people]
        assert len(placed) == len(set(placed))
        assert sorted(placed + pairing.unmatched) == eligible(demo_org, month)
        assert len(pairing.unmatched) <= 1
        seen.update(pairs_of([lunch.people for lunch in pairing.lunches]))
        write_pairing(settings, pairing)
        month = shift_month(month, 1)
    assert max(seen.values()) == 1  # twelve months, all within one window: no pair twice
    assert len(list((tmp_path / "pairings").glob("*.yaml"))) == 12


def test_the_demo_pairs_mostly_across_teams(demo_org: Org) -> None:
    pairing = pair_month(demo_org, "2026-11", {})
    measures = quality(demo_org, pairing)
    assert measures.cross_team >= 0.7
    assert measures.unmatched == 0


def test_a_synthetic_company_pairs_across_teams_and_departments(synthetic_org: Org) -> None:
    history: dict[str, list[tuple[str, ...]]] = {}
    department = departments(synthetic_org)
    people = eligible(synthetic_org, "2026-01")
    largest = Counter(department.get(h) for h in people).most_common(1)[0][1]
    # At most every lunch can have someone from outside the largest department.
    best_cross_department = min(1.0, (len(people) - largest) / (len(people) // 2))
    month = "2026-01"
    for _ in range(6):
        pairing = pair_month(synthetic_org, month, history)
        measures = quality(synthetic_org, pairing, history)
        assert measures.repeats == 0
        assert measures.cross_team >= 0.9
        assert measures.cross_department >= 0.9 * best_cross_department
        assert measures.unmatched <= 1
        history[month] = [lunch.people for lunch in pairing.lunches]
        month = shift_month(month, 1)


@pytest.mark.parametrize("count", [2, 6, 7, 10, 11])
def test_trios_only_for_odd_counts(count: int) -> None:
    org = make_org(lunch_people(count), org_chart(2, 2))
    pairing = pair_month(org, "2026-03")
    sizes = Counter(len(lunch.people) for lunch in pairing.lunches)
    assert sizes[3] == count % 2
    assert set(sizes) <= {2, 3}
    assert not pairing.unmatched


def test_sites_meet_in_person_and_remote_people_by_video() -> None:
    people = lunch_people(6, location="Lyon") | lunch_people(4, location="Paris", prefix="q") | lunch_people(4, location="Télétravail", prefix="r")
    org = make_org(people, org_chart(2, 2))
    pairing = pair_month(org, "2026-03")
    for lunch in pairing.lunches:
        sites = {org.people[h].location for h in lunch.people}
        if lunch.mode == "in-person":
            assert sites == {lunch.site}
        else:
            assert sites == {"Télétravail"}
    assert sum(len(lunch.people) for lunch in pairing.lunches) == 14


def test_the_same_month_gives_the_same_pairs(synthetic_org: Org) -> None:
    first = pair_month(synthetic_org, "2026-05")
    again = pair_month(synthetic_org, "2026-05")
    other = pair_month(synthetic_org, "2026-06")
    assert first.lunches == again.lunches
    assert pairs_of([lunch.people for lunch in first.lunches]) != pairs_of([lunch.people for lunch in other.lunches])


def test_snoozed_people_skip_the_months_before_their_date() -> None:
    people = lunch_people(4)
    people["p000"]["networking"] = {"lunch": True, "snooze_until": "2026-04-15"}
    people["p001"]["networking"] = {"lunch": True, "snooze_until": "2026-03-01"}
    people["p002"]["networking"] = {"lunch": False}
    org = make_org(people, org_chart(2, 2))
    assert eligible(org, "2026-03") == ["p001", "p003"]
    assert eligible(org, "2026-04") == ["p001", "p003"]
    assert eligible(org, "2026-05") == ["p000", "p001", "p003"]


def test_a_written_month_reads_back(tmp_path: Path) -> None:
    org = make_org(lunch_people(7), org_chart(2, 2))
    pairing = pair_month(org, "2026-03")
    settings = Settings(root=tmp_path)
    path = write_pairing(settings, pairing)
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schemas/pairings.schema.json\n")
    assert path.read_text(encoding="utf-8") == pairing_yaml(pairing)
    assert read_pairings(settings) == {"2026-03": [lunch.people for lunch in pairing.lunches]}


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("2026-03.yaml", "month: 2026-03\npairs:\n  - [ab, cd]\n  - [ab, ef]\n", "pairings/2026-03.yaml:4:5: error: 'ab' already has lunch in pair 1"),
        ("2026-03.yaml", "month: 2026-04\npairs: []\n", "pairings/2026-03.yaml:1:8: error: month '2026-04' does not match the file name"),
        ("2026-03.yaml", "month: 2026-03\npairs:\n  - [ab]\n", "pairings/2026-03.yaml:3:5: error:"),
        ("2026-03.yaml", "month: 2026-03\npairs: [[ab, cd]\n", "pairings/2026-03.yaml:2:8: error: this '[' is not closed"),
        ("2026-03.yaml", "month: 2026-03\nextra: 1\n", "pairings/2026-03.yaml:2:1: error:"),
    ],
)
def test_a_broken_history_file_is_a_clear_error(tmp_path: Path, name: str, text: str, expected: str) -> None:
    (tmp_path / "pairings").mkdir()
    (tmp_path / "pairings" / name).write_text(text, encoding="utf-8")
    with pytest.raises(TrombiError) as caught:
        read_pairings(Settings(root=tmp_path))
    assert expected in str(caught.value)


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "directory"
    for folder in ("people", "groups"):
        shutil.copytree(REPO / folder, root / folder)
    for name in ("skills.yaml", "mkdocs.yml"):
        shutil.copyfile(REPO / name, root / name)
    return root


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli.main", *args], capture_output=True, text=True, cwd=REPO)


def test_the_pairs_command_writes_explains_and_prints_json(demo_copy: Path) -> None:
    result = run_cli("pairs", "--month", "2026-02", "--write", "--explain", "--json", "--root", str(demo_copy))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["month"] == "2026-02"
    assert data["quality"]["repeats"] == 0
    assert all(lunch["slot"].startswith("2026-02-") for lunch in data["lunches"])
    assert "entre équipes" in result.stderr and "pairings/2026-02.yaml est écrit" in result.stderr
    history = read_pairings(load_settings(demo_copy))
    assert history["2026-02"] == [tuple(lunch["people"]) for lunch in data["lunches"]]
    # The next month knows the history, and a broken history file stops the command with its place.
    (demo_copy / "pairings" / "2026-01.yaml").write_text("month: 2026-01\npairs:\n  - [x]\n", encoding="utf-8")
    broken = run_cli("pairs", "--month", "2026-03", "--root", str(demo_copy))
    assert broken.returncode == 1
    assert "pairings/2026-01.yaml:3:6: error: 'pairs' : 'x' n’est pas un identifiant valide" in broken.stderr  # the site's language
    assert run_cli("pairs", "--month", "2026-13", "--root", str(demo_copy)).returncode == 2


def test_the_site_shows_recorded_months_and_this_month_without_hidden_people() -> None:
    people = lunch_people(4)
    people["p003"]["search"] = "hidden"
    org = make_org(people, org_chart(2, 2))
    months = site_months(org, {"2026-01": [("p000", "p001"), ("p002", "p003"), ("p009", "p000")]}, date(2026, 3, 10))
    assert [(m.month, m.recorded) for m in months] == [("2026-03", False), ("2026-01", True)]
    assert [lunch.people for lunch in months[1].lunches] == [("p000", "p001"), ("p002", "p003")]  # p009 left the company
    assert [lunch.people for lunch in listed_lunches(org, months[1])] == [("p000", "p001")]


def test_the_checked_in_schema_matches_the_model() -> None:
    from generator.network.lunchfiles import PairingFile

    schema = json.loads((REPO / "schemas" / "pairings.schema.json").read_text(encoding="utf-8"))
    expected = PairingFile.model_json_schema()
    assert {key: value for key, value in schema.items() if key not in ("$schema", "title")} == {k: v for k, v in expected.items() if k != "title"}


def test_a_recorded_month_is_never_written_over_unless_forced(tmp_path: Path) -> None:
    org = make_org(lunch_people(7), org_chart(2, 2))
    settings = Settings(root=tmp_path)
    recorded = write_pairing(settings, pair_month(org, "2026-03"))
    before = recorded.read_bytes()
    with pytest.raises(TrombiError) as caught:
        write_pairing(settings, pair_month(make_org(lunch_people(9), org_chart(2, 2)), "2026-03"))
    assert str(caught.value).startswith("pairings/2026-03.yaml:1:1: error: 2026-03 is already recorded")
    assert recorded.read_bytes() == before
    again = pair_month(make_org(lunch_people(9), org_chart(2, 2)), "2026-03")
    write_pairing(settings, again, force=True)
    assert recorded.read_text(encoding="utf-8") == pairing_yaml(again)
    assert sorted(p.name for p in (tmp_path / "pairings").iterdir()) == ["2026-03.yaml"]  # no temporary file left


def test_a_month_earlier_than_the_history_is_not_recorded_unless_forced(tmp_path: Path) -> None:
    org = make_org(lunch_people(7), org_chart(2, 2))
    settings = Settings(root=tmp_path)
    write_pairing(settings, pair_month(org, "2026-05"))
    with pytest.raises(TrombiError) as caught:
        write_pairing(settings, pair_month(org, "2026-03"))
    assert str(caught.value).startswith("pairings/2026-03.yaml:1:1: error: 2026-03 is earlier than 2026-05, the last month recorded")
    assert recorded_months(settings) == ["2026-05"]
    write_pairing(settings, pair_month(org, "2026-06"))  # a later month is the usual case
    write_pairing(settings, pair_month(org, "2026-03"), force=True)
    assert recorded_months(settings) == ["2026-03", "2026-05", "2026-06"]


def test_writing_a_month_replaces_a_link_and_never_writes_through_it(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("precious\n", encoding="utf-8")
    (tmp_path / "directory" / "pairings").mkdir(parents=True)
    (tmp_path / "directory" / "pairings" / "2026-03.yaml").symlink_to(outside)
    settings = Settings(root=tmp_path / "directory")
    with pytest.raises(TrombiError, match="symbolic link"):
        read_pairings(settings)
    write_pairing(settings, pair_month(make_org(lunch_people(4), org_chart(2, 2)), "2026-03"), force=True)
    assert outside.read_text(encoding="utf-8") == "precious\n"
    assert not (tmp_path / "directory" / "pairings" / "2026-03.yaml").is_symlink()


def test_the_pairs_command_shows_a_recorded_month_as_recorded_and_keeps_it(tmp_path: Path) -> None:
    demo_copy = tmp_path / "directory"
    for folder in ("people", "groups"):
        shutil.copytree(REPO / folder, demo_copy / folder)
    for name in ("skills.yaml", "mkdocs.yml"):
        shutil.copyfile(REPO / name, demo_copy / name)
    history = demo_copy / "pairings"
    history.mkdir()
    record = history / "2025-06.yaml"
    # As announced then: one colleague has left since, and the pairs are not those a draw gives today.
    record.write_text('month: "2025-06"\npairs:\n  - [jdupont, aroussel]\n  - [fkeita, departed]\n', encoding="utf-8")
    before = record.read_bytes()
    shown = run_cli("pairs", "--month", "2025-06", "--json", "--root", str(demo_copy))
    assert shown.returncode == 0, shown.stderr
    assert [lunch["people"] for lunch in json.loads(shown.stdout)["lunches"]] == [["jdupont", "aroussel"], ["fkeita", "departed"]]
    refused = run_cli("pairs", "--month", "2025-06", "--write", "--root", str(demo_copy))
    assert refused.returncode == 1 and refused.stdout == ""
    assert "pairings/2025-06.yaml:1:1: error: 2025-06 est déjà enregistré : ses déjeuners ont été annoncés ; ajoutez --force" in refused.stderr
    assert record.read_bytes() == before
    forced = run_cli("pairs", "--month", "2025-06", "--write", "--force", "--json", "--root", str(demo_copy))
    assert forced.returncode == 0, forced.stderr
    drawn = [tuple(lunch["people"]) for lunch in json.loads(forced.stdout)["lunches"]]
    assert read_pairings(load_settings(demo_copy))["2025-06"] == drawn != [("jdupont", "aroussel"), ("fkeita", "departed")]
