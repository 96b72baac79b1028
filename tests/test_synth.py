"""The synthetic organisation: valid, reproducible, shaped like a real company."""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

import pytest

from generator.directory.settings import load_settings
from generator.directory.synth import SynthSummary, write_synthetic_directory
from generator.directory.synthdata import SITES
from generator.directory.validate import Directory, validate_directory

REPO = Path(__file__).parent.parent
CASES = [(seed, size) for seed in (0, 1) for size in (50, 300)]
IDS = [f"seed{seed}-n{size}" for seed, size in CASES]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, int], tuple[Path, SynthSummary]]:
    out = {}
    for seed, size in CASES:
        root = tmp_path_factory.mktemp(f"synth-{seed}-{size}")
        out[(seed, size)] = (root, write_synthetic_directory(root, size, seed))
    return out


@pytest.fixture(scope="module")
def validated(generated: dict[tuple[int, int], tuple[Path, SynthSummary]]) -> dict[tuple[int, int], tuple[Directory, list[object]]]:
    return {case: validate_directory(load_settings(root)) for case, (root, _) in generated.items()}


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_directory_is_valid(case: tuple[int, int], generated: dict, validated: dict) -> None:
    directory, problems = validated[case]
    assert problems == []  # not even a warning
    _, summary = generated[case]
    assert len(directory.people) == summary.people == case[1]
    assert len(directory.groups) == summary.groups
    assert summary.skills == len(directory.skills)
    assert summary.files == len(tree(generated[case][0]))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_same_seed_gives_the_same_bytes(case: tuple[int, int], generated: dict, tmp_path: Path) -> None:
    seed, size = case
    write_synthetic_directory(tmp_path, size, seed)
    first, again = tree(generated[case][0]), tree(tmp_path)
    assert list(first) == list(again)
    for name, content in first.items():
        assert again[name] == content, name


@pytest.mark.parametrize("size", [50, 300])
def test_different_seeds_give_different_directories(size: int, generated: dict) -> None:
    assert tree(generated[(0, size)][0]) != tree(generated[(1, size)][0])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_org_is_a_tree(case: tuple[int, int], validated: dict) -> None:
    directory, _ = validated[case]
    people = directory.people
    roots = [handle for handle, person in people.items() if person.manager is None]
    assert len(roots) == 1
    depths = []
    for handle in people:
        depth, current = 1, handle
        while people[current].manager is not None:
            current = people[current].manager
            depth += 1
            assert depth <= len(people)
        depths.append(depth)
    assert 3 <= max(depths) <= 6
    spans = Counter(person.manager for person in people.values() if person.manager)
    assert max(spans.values()) <= 15


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_teams_departments_and_groups(case: tuple[int, int], validated: dict) -> None:
    directory, _ = validated[case]
    groups, people = directory.groups, directory.people
    types = Counter(group.type for group in groups.values())
    assert types["company"] == 1 and types["department"] >= 2 and types["project"] >= 2
    teams = Counter(person.team for person in people.values() if person.team)
    assert set(teams) == {slug for slug, group in groups.items() if group.type == "team"}
    assert all(5 <= size <= 12 for size in teams.values())
    for slug, group in groups.items():
        if group.type == "team":
            assert groups[group.parent or ""].type == "department"
            lead = people[group.owners[0]]
            assert lead.team == slug
        if group.type == "project":
            assert not group.open and 3 <= len(group.members) <= 20 and set(group.owners) <= set(group.members)
    listed = {slug for person in people.values() for slug in person.groups}
    assert all(groups[slug].open and groups[slug].type in ("site", "community", "interest") for slug in listed)


def test_team_members_report_to_their_lead(validated: dict) -> None:
    directory, _ = validated[(0, 300)]
    leads = {slug: group.owners[0] for slug, group in directory.groups.items() if group.type == "team"}
    for handle, person in directory.people.items():
        if person.team and handle != leads[person.team]:
            assert person.manager == leads[person.team]


@pytest.mark.parametrize("seed", [0, 1])
def test_contractors_and_partners(seed: int, validated: dict) -> None:
    directory, _ = validated[(seed, 300)]
    external = [person for person in directory.people.values() if person.kind != "employee"]
    assert external
    assert all(person.company for person in external)


@pytest.mark.parametrize("seed", [0, 1])
def test_skills_have_a_long_tail(seed: int, validated: dict) -> None:
    directory, _ = validated[(seed, 300)]
    people = directory.people.values()
    assert all(3 <= len(person.skills) <= 15 for person in people)
    holders = Counter(entry.name for person in people for entry in person.skills)
    counts = [holders.get(name, 0) for name in directory.skills.definitions]
    assert max(counts) >= 5 * statistics.median(counts)
    levels = Counter(entry.level for person in people for entry in person.skills)
    assert levels["intermediate"] > levels["advanced"] > levels["notions"] > levels["expert"]


def test_settings_taxonomy_and_site(generated: dict) -> None:
    root, _ = generated[(0, 50)]
    settings = load_settings(root)
    assert settings.sites == tuple(site for site, *_ in SITES)
    assert settings.repo_url is None
    assert settings.site_name == "Synthétique (50 personnes)"
    hooks = settings.raw["hooks"]
    assert len(hooks) == 1 and Path(hooks[0]).is_absolute() and Path(hooks[0]) == (REPO / "hooks" / "trombi.py").resolve()
    assert (root / "skills.yaml").read_bytes() == (REPO / "skills.yaml").read_bytes()
    first_lines = {path.read_text(encoding="utf-8").split("\n", 1)[0] for path in (root / "people").iterdir()}
    assert first_lines == {"# yaml-language-server: $schema=../schemas/person.schema.json"}


def test_refuses_to_write_over_a_directory(generated: dict) -> None:
    root, _ = generated[(0, 50)]
    with pytest.raises(FileExistsError):
        write_synthetic_directory(root, 50, 0)


def test_refuses_a_tiny_organisation(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_synthetic_directory(tmp_path, 5)


def test_the_site_builds(tmp_path: Path) -> None:
    from generator.engine.publish import build_site

    root = tmp_path / "directory"
    write_synthetic_directory(root, 40, seed=3)
    site = build_site(root, tmp_path / "site")
    assert (site / "index.html").is_file()
    assert len(list((site / "people").glob("*/index.html"))) == 40


def test_trombi_synth_writes_a_valid_directory(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "org"
    command = [sys.executable, "-m", "generator.cli.main", "synth", "--people", "40", "--seed", "3", "--out", str(out)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "40 personnes" in result.stdout
    again = subprocess.run([*command[:-1], str(tmp_path / "again")], capture_output=True, text=True)
    assert again.returncode == 0
    assert tree(out) == tree(tmp_path / "again")
    validate = subprocess.run([sys.executable, "-m", "generator.cli.main", "validate", "--root", str(out)], capture_output=True, text=True)
    assert validate.returncode == 0 and validate.stdout.strip() == "Aucun problème trouvé."
    refused = subprocess.run(command, capture_output=True, text=True)  # people/ already holds YAML files
    assert refused.returncode == 1 and "[synth]" in refused.stderr and "Traceback" not in refused.stderr


def test_the_synthetic_config_follows_the_demo(generated: dict) -> None:
    import yaml

    root, _ = generated[(0, 50)]
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    demo = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["hooks"] == [str(REPO.resolve() / "hooks" / "trombi.py")]
    for key in ("theme", "plugins", "markdown_extensions"):
        assert config.get(key) == demo.get(key), key
