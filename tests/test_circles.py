"""The suggestions of "my network", rule by rule, on a small directory with a scripted git history.

The story: Ana (dev) joined the platform team under Léo (lead); in March 2025 Dana (dana) became
her manager, in June 2025 she moved to Dana's data team. Zoé joined the same month as Ana and is
still in the platform team; Max holds Ana's title in the data team's other site. Ana and Zoé work
on the migration project, which serves the platform team.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.cli.main import main
from generator.directory.enrich import Org, enrich
from generator.directory.settings import load_settings
from generator.directory.validate import valid_directory
from generator.history.git import read_history
from generator.i18n import load_language
from generator.network import circles
from generator.network.circles import Facts, Reason, describe, facts_of, spread, suggest
from tests.conftest import make_directory
from tests.test_history import Repo

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
HEAD = "# yaml-language-server: $schema=../schemas/person.schema.json\n"
PEOPLE = {
    "lead": "name: Léo Durand\ntitle: Responsable plateforme\nteam: platform\nmanager: ceo\nlocation: Paris\njoined: 2018-05-02\n",
    "dev": "name: Ana Silva\ntitle: Développeuse\nteam: platform\nmanager: lead\nlocation: Lyon\njoined: 2021-03-01\n"
    "groups: [guild-python]\noffers: [mentorat Rust]\n",
    "zoe": "name: Zoé Martin\ntitle: Développeur\nteam: platform\nmanager: lead\nlocation: Lyon\njoined: 2021-03-15\ngroups: [guild-python]\n",
    "dana": "name: Dana Kim\ntitle: Responsable données\nteam: data\nmanager: ceo\nlocation: Lyon\njoined: 2019-09-01\n",
    "max": "name: Max Petit\ntitle: Développeuse backend\nteam: data\nmanager: dana\nlocation: Paris\njoined: 2022-01-10\nseeks: [un mentorat Rust]\n",
    "eve": "name: Ève Roux\ntitle: Développeuse\nteam: data\nmanager: dana\nlocation: Lyon\njoined: 2023-06-01\nsearch: hidden\n",
}
GROUPS = {
    "data": "# yaml-language-server: $schema=../schemas/group.schema.json\nname: Données\ntype: team\nparent: engineering\nowners: [dana]\n",
    "migration": "# yaml-language-server: $schema=../schemas/group.schema.json\n"
    "name: Projet migration\ntype: project\nowners: [dev]\nopen: false\nmembers: [dev, zoe, max]\nserves: [platform]\n",
}


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> tuple[Org, Facts]:
    root = make_directory(tmp_path_factory.mktemp("circles") / "d")
    repo = Repo(root)
    for handle, text in PEOPLE.items():
        repo.write(f"people/{handle}.yaml", HEAD + text)
    for slug, text in GROUPS.items():
        repo.write(f"groups/{slug}.yaml", text)
    repo.commit("the directory", "2024-01-10T09:00:00Z")
    dev = root / "people" / "dev.yaml"
    dev.write_text(dev.read_text(encoding="utf-8").replace("manager: lead", "manager: dana"), encoding="utf-8")
    repo.commit("Ana: Dana manages her", "2025-03-01T09:00:00Z")  # a manager change
    dev.write_text(dev.read_text(encoding="utf-8").replace("team: platform", "team: data"), encoding="utf-8")
    repo.commit("Ana moves to the data team", "2025-06-01T09:00:00Z")  # a team change
    settings = load_settings(root)
    org = enrich(valid_directory(settings))
    return org, facts_of(org, read_history(settings, now=NOW), today=NOW.date())


def found(facts: Facts, rule: circles.Rule, handle: str) -> list[tuple[str, Reason]]:
    return [(facts.handles[person], reason) for person, reason in rule(facts, facts.index()[handle])]


def test_facts_leave_out_people_who_are_not_listed(story: tuple[Org, Facts]) -> None:
    org, facts = story
    assert "eve" in org.people and "eve" not in facts.handles
    assert facts.handles == sorted(facts.handles)


def test_the_same_title_in_another_team_or_site(story: tuple[Org, Facts]) -> None:
    _, facts = story
    # Développeur and Développeuse are one title; Zoé is in Ana's former team, now another one; Ève is hidden.
    assert found(facts, circles.same_title, "dev") == [("zoe", Reason("same-title"))]
    # In Zoé's team and site (the platform team, Lyon), nobody: Ana is in another team now.
    assert found(facts, circles.same_title, "zoe") == [("dev", Reason("same-title"))]


def test_a_similar_title_shares_half_its_words(story: tuple[Org, Facts]) -> None:
    _, facts = story
    backend = facts.titles.index("Développeuse backend")
    assert found(facts, circles.similar_title, "dev") == [("max", Reason("similar-title", title=backend))]
    # Responsable plateforme and Responsable données share one word of three: not similar.
    assert found(facts, circles.similar_title, "lead") == []


def test_fellow_members_of_communities(story: tuple[Org, Facts]) -> None:
    _, facts = story
    guild = [slug for slug, _, _ in facts.groups].index("guild-python")
    assert found(facts, circles.communities, "dev") == [("zoe", Reason("community", group=guild))]
    assert found(facts, circles.communities, "dana") == []  # in no community


def test_former_managers_from_the_history_of_one_s_own_file(story: tuple[Org, Facts]) -> None:
    _, facts = story
    assert found(facts, circles.former_managers, "dev") == [("lead", Reason("former-manager", month="2025-02"))]
    assert found(facts, circles.former_managers, "zoe") == []  # Léo still manages her


def test_former_teammates_from_the_history_of_everyone_s_files(story: tuple[Org, Facts]) -> None:
    _, facts = story
    platform = [slug for slug, _, _ in facts.groups].index("platform")
    # Together in the platform team until Ana left it in June 2025: the latest month they were.
    expected = {("lead", Reason("former-teammate", group=platform, month="2025-05")), ("zoe", Reason("former-teammate", group=platform, month="2025-05"))}
    assert set(found(facts, circles.former_teammates, "dev")) == expected
    assert ("dev", Reason("former-teammate", group=platform, month="2025-05")) in found(facts, circles.former_teammates, "zoe")
    # Dana and Max are Ana's teammates now, not former ones; Léo and Zoé are still each other's.
    assert found(facts, circles.former_teammates, "max") == [] and ("zoe", Reason("former-teammate", group=platform, month="2025-05")) not in found(
        facts, circles.former_teammates, "lead"
    )


def test_people_who_joined_the_same_month(story: tuple[Org, Facts]) -> None:
    _, facts = story
    assert found(facts, circles.joined_together, "dev") == [("zoe", Reason("joined", month="2021-03"))]
    assert found(facts, circles.joined_together, "dana") == []


def test_people_whose_seeks_one_s_offers_answer(story: tuple[Org, Facts]) -> None:
    _, facts = story
    assert found(facts, circles.helped, "dev") == [("max", Reason("offers"))]
    assert found(facts, circles.helped, "max") == []  # the offer answers Max, not the other way round


def test_managers_of_the_people_of_one_s_projects(story: tuple[Org, Facts]) -> None:
    _, facts = story
    migration = [slug for slug, _, _ in facts.groups].index("migration")
    index = facts.index()
    secret = [slug for slug, _, _ in facts.groups].index("secret-project")
    # Project by project, its people in directory order: Max's manager, Zoé's, then Léo's on the other project.
    assert found(facts, circles.lent, "dev") == [
        ("dana", Reason("lent", group=migration, person=index["max"])),
        ("lead", Reason("lent", group=migration, person=index["zoe"])),
        ("ceo", Reason("lent", group=secret, person=index["lead"])),
    ]
    # Zoé is suggested Dana for Ana and again for Max: the rule says both, the suggestions once (see below).
    twice = [("dana", Reason("lent", group=migration, person=index["dev"])), ("dana", Reason("lent", group=migration, person=index["max"]))]
    assert found(facts, circles.lent, "zoe")[:2] == twice


def test_people_of_the_groups_one_s_projects_serve_owners_first(story: tuple[Org, Facts]) -> None:
    _, facts = story
    slugs = [slug for slug, _, _ in facts.groups]
    reason = Reason("served", group=slugs.index("platform"), project=slugs.index("migration"))
    assert found(facts, circles.served, "dev") == [("lead", reason), ("zoe", reason)]  # its owner, then its members
    assert found(facts, circles.served, "lead") == []  # not on the project


def test_each_person_is_suggested_once_with_every_reason(story: tuple[Org, Facts]) -> None:
    _, facts = story
    shown = [(facts.handles[s.person], s.circle, [r.code for r in s.reasons]) for s in suggest(facts, facts.index()["dev"])]
    assert shown == [
        ("zoe", "information", ["same-title", "community", "former-teammate", "joined", "served"]),
        ("max", "information", ["similar-title", "offers"]),
        ("lead", "support", ["former-manager", "former-teammate", "lent", "served"]),
        ("dana", "operational", ["lent"]),  # once, though she lends Max and, as Ana's manager, Ana
        ("ceo", "operational", ["lent"]),
    ]


def test_a_rule_gives_at_most_a_few_new_people_in_an_order_drawn_from_both_handles() -> None:
    facts = Facts(handles=[f"p{n:02d}" for n in range(20)])
    facts.names = facts.handles[:]
    facts.kinds = [0] * 20
    facts.titles, facts.family, facts.similar = ["Dev"], [0], [[]]
    facts.title, facts.team, facts.site, facts.manager, facts.joined = [0] * 20, list(range(20)), [-1] * 20, [-1] * 20, [-1] * 20
    facts.member = [[] for _ in range(20)]
    peers = [facts.handles[s.person] for s in suggest(facts, 0)]
    assert len(peers) == circles.PER_RULE
    assert peers == sorted(peers, key=lambda other: spread("p00", other))
    assert peers != [facts.handles[s.person] for s in suggest(facts, 1)][: circles.PER_RULE]
    assert spread("a", "b") == 817051356  # FNV-1a of "a>b": the page's script computes the same (test_my_network_browser.py)


def test_reasons_in_the_site_s_language(story: tuple[Org, Facts]) -> None:
    _, facts = story
    french = load_language("fr")
    platform = [slug for slug, _, _ in facts.groups].index("platform")
    assert describe(facts, Reason("former-manager", month="2025-02"), french) == "a été votre manager jusqu’en février 2025"
    assert describe(facts, Reason("former-teammate", group=platform, month="2025-05"), french) == "avec vous dans Équipe Plateforme jusqu’en mai 2025"
    assert describe(facts, Reason("joined", month="2021-03"), load_language("en")) == "joined in March 2021, as you did"


def test_only_a_project_serves_and_only_other_groups(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "d")
    head = "# yaml-language-server: $schema=../schemas/group.schema.json\n"
    (root / "groups" / "guild-python.yaml").write_text(head + "name: Guilde Python\ntype: community\nowners: [lead]\nserves: [platform]\n", encoding="utf-8")
    (root / "groups" / "secret-project.yaml").write_text(
        head + "name: Projet secret\ntype: project\nowners: [ceo]\nopen: false\nmembers: [lead, dev]\nserves: [secret-project, platfrom]\n", encoding="utf-8"
    )
    from generator.directory.validate import validate_directory

    _, problems = validate_directory(load_settings(root))
    said = sorted((p.path.rsplit("/", 1)[-1], p.line, p.rule, str(p.message)) for p in problems)
    assert said == [
        ("guild-python.yaml", 5, "group-serves", "only a project (type: project) serves other groups"),
        ("secret-project.yaml", 7, "reference", "'platfrom' in serves is not another group (did you mean 'platform'?)"),
        ("secret-project.yaml", 7, "reference", "'secret-project' in serves is not another group"),
    ]


def test_the_command_says_the_same_suggestions_and_reasons(story: tuple[Org, Facts], capsys: pytest.CaptureFixture[str]) -> None:
    root = story[0].directory.settings.root
    assert main(["network", "suggest", "dev", "--root", str(root)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Cercle d’information",
        "    Zoé Martin (zoe) — Développeur",
        "        même titre, dans une autre équipe ou un autre site",
        "        membre de Guilde Python, comme vous",
        "        avec vous dans Équipe Plateforme jusqu’en mai 2025",
        "        arrivé·e en mars 2021, comme vous",
        "        Équipe Plateforme, que sert Projet migration",
        "    Max Petit (max) — Développeuse backend",
        "        titre proche\u202f: Développeuse backend",
        "        ce que vous proposez répond à ce qu’il ou elle cherche",
        "Cercle de soutien",
        "    Léo Durand (lead) — Responsable plateforme",
        "        a été votre manager jusqu’en février 2025",
        "        avec vous dans Équipe Plateforme jusqu’en mai 2025",
        "        manage Zoé Martin, sur Projet migration",
        "        Équipe Plateforme, que sert Projet migration",
        "Cercle opérationnel",
        "    Dana Kim (dana) — Responsable données",
        "        manage Max Petit, sur Projet migration",
        "    Claire Éon (ceo) — Directrice générale",
        "        manage Léo Durand, sur Projet secret",
    ]
    assert main(["network", "suggest", "dev", "--json", "--root", str(root)]) == 0
    data = json.loads(capsys.readouterr().out)
    circles_of = [(s["handle"], s["circle"]) for s in data]
    assert circles_of == [("zoe", "information"), ("max", "information"), ("lead", "support"), ("dana", "operational"), ("ceo", "operational")]
    assert data[2]["reasons"][0] == {"code": "former-manager", "text": "a été votre manager jusqu’en février 2025"}
    assert main(["network", "suggest", "eve", "--root", str(root)]) == 1
    assert "people/eve.yaml:1:1: error: 'eve' est absent des listes" in capsys.readouterr().err.replace("\u202f", " ")


@pytest.mark.parametrize("share", [0.5, 0.25, 1 / 3, 0.67, 0.8, 1.0])
def test_similar_titles_are_those_the_definition_finds(share: float, monkeypatch: pytest.MonkeyPatch) -> None:
    """Titles sharing ``share`` of their words (Jaccard), found through their parts, are exactly those every pair compared finds."""
    import random

    monkeypatch.setattr(circles, "SIMILAR_TITLES", share)
    rng = random.Random(share)
    words = [f"w{number}" for number in range(30)]
    for _ in range(40):
        families: dict[frozenset[str], int] = {}
        # Short titles from a small vocabulary (many alike), an empty one, and some longer than the parts are reckoned for.
        for _ in range(rng.randint(0, 80)):
            size = rng.choice([0, 1, 2, 2, 3, 3, 4, 5, 6, circles._PARTS_UP_TO + 2])
            families.setdefault(frozenset(rng.sample(words[: rng.randint(size, 30)], size)), len(families))
        listed = list(families)
        expected = [[families[other] for other in listed if other != terms and terms and len(terms & other) / len(terms | other) >= share] for terms in listed]
        assert circles._similar_families(families) == expected
