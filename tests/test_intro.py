"""Introduction paths on hand-made organisations with known answers, and `trombi intro`."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from generator.i18n import load_language
from generator.network.intro import SMALL_GROUP, describe_path, intro_graph, intro_path
from tests.conftest import REPO
from tests.test_pairing import make_org

GROUPS: dict[str, dict[str, Any]] = {
    "co": {"type": "company"},
    "dept": {"type": "department", "parent": "co"},
    "red": {"type": "team", "parent": "dept"},
    "blue": {"type": "team", "parent": "dept"},
    "green": {"type": "team", "parent": "dept"},
    "guild-rust": {"type": "community", "open": True},
}


def chain_org() -> Any:
    """jeanne -team- marc -guild- sofia -manager- boss; paul alone; a shortcut jeanne -manager- boss would be longer."""
    people = {
        "jeanne": {"team": "red"},
        "marc": {"team": "red", "groups": ["guild-rust"]},
        "sofia": {"team": "blue", "groups": ["guild-rust"], "manager": "boss"},
        "boss": {"team": "green"},
        "paul": {},
    }
    return make_org(people, GROUPS)


def test_the_shortest_chain_and_its_reasons() -> None:
    org = chain_org()
    hops = intro_path(org, "jeanne", "sofia")
    assert hops is not None
    assert [(h.source, h.relation, h.target) for h in hops] == [("jeanne", "team", "marc"), ("marc", "group", "sofia")]
    assert hops[1].group == "guild-rust"
    back = intro_path(org, "boss", "jeanne")
    assert back is not None
    assert [(h.source, h.relation, h.target) for h in back] == [("boss", "report", "sofia"), ("sofia", "group", "marc"), ("marc", "team", "jeanne")]


def test_the_chain_is_told_in_the_ui_language() -> None:
    org = chain_org()
    hops = intro_path(org, "jeanne", "boss")
    assert hops is not None
    text = describe_path(org, hops, load_language("fr"))
    assert text == "Jeanne → même équipe → Marc → Guild-Rust → Sofia → a pour manager → Boss"
    assert "same team" in describe_path(org, hops, load_language("en"))


def test_no_chain_and_same_person() -> None:
    org = chain_org()
    assert intro_path(org, "jeanne", "paul") is None
    assert intro_path(org, "paul", "jeanne") is None
    assert intro_path(org, "jeanne", "jeanne") == []


def test_a_big_group_does_not_mean_people_know_each_other() -> None:
    people: dict[str, dict[str, Any]] = {f"m{n:02d}": {"groups": ["guild-rust"]} for n in range(SMALL_GROUP + 1)}
    org = make_org(people, GROUPS)
    assert intro_path(org, "m00", "m01") is None
    small = make_org({h: p for h, p in list(people.items())[:SMALL_GROUP]}, GROUPS)
    hops = intro_path(small, "m00", "m01")
    assert hops is not None and len(hops) == 1


def test_shortest_on_a_ladder_of_teams() -> None:
    # t0..t5 teams linked by pairs of people sharing small groups: the answer is the number of rungs.
    groups: dict[str, dict[str, Any]] = {"co": {"type": "company"}}
    people: dict[str, dict[str, Any]] = {}
    for n in range(6):
        groups[f"t{n}"] = {"type": "team", "parent": "co"}
        groups[f"link{n}"] = {"type": "interest"}
        people[f"a{n}"] = {"team": f"t{n}", "groups": [f"link{n}"]}
        people[f"b{n}"] = {"team": f"t{n}", "groups": [f"link{n - 1}"] if n else []}
    org = make_org(people, groups)
    for end in range(1, 6):
        hops = intro_path(org, "b0", f"a{end}")
        assert hops is not None
        assert len(hops) == 2 * end + 1  # b0 -team- a0 -link0- b1 -team- a1 ...


def test_the_intro_command() -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "generator.cli.main", "intro", *args, "--root", str(REPO)], capture_output=True, text=True)

    found = run("jdupont", "fkeita", "--json")
    assert found.returncode == 0, found.stderr
    hops = json.loads(found.stdout)["hops"]
    assert hops[0]["from"] == "jdupont" and hops[-1]["to"] == "fkeita"
    text = run("jdupont", "fkeita")
    assert text.stdout.startswith("Jeanne Dupont → ") and " → " in text.stdout
    unknown = run("jdupont", "jdupon")
    assert unknown.returncode == 1
    assert "people/jdupon.yaml:1:1: error: personne n’a l’identifiant 'jdupon' ; vouliez-vous dire 'jdupont' ?" in unknown.stderr


def test_the_graph_for_the_pages_holds_the_same_acquaintances_without_hidden_people() -> None:
    people = {
        "jeanne": {"team": "red"},
        "marc": {"team": "red", "groups": ["guild-rust"]},
        "sofia": {"team": "blue", "groups": ["guild-rust"], "manager": "boss"},
        "boss": {"team": "green"},
        "ghost": {"team": "red", "search": "hidden"},
    }
    org = make_org(people, GROUPS)
    graph = json.loads(intro_graph(org, load_language("fr")))
    handles = [person[0] for person in graph["people"]]
    assert handles == ["boss", "jeanne", "marc", "sofia"]  # ghost asked to stay out of listings
    circles = [circle[0] for circle in graph["circles"]]
    by_handle = dict(zip(handles, graph["people"], strict=True))
    assert circles[by_handle["jeanne"][2]] == circles[by_handle["marc"][2]] == "red"
    assert handles[by_handle["sofia"][3]] == "boss" and by_handle["boss"][3] == -1
    assert [circles[i] for i in graph["member_of"][handles.index("marc")]] == ["guild-rust"]
    assert graph["labels"]["team"] == "même équipe"
    assert "@" not in json.dumps(graph)  # names and slugs only: no contact value
