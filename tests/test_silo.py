"""The silo map: links between departments, pieces, isolated teams, and a deterministic SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from generator.directory.enrich import Org
from generator.network.silo import silo_map, silo_svg
from tests.test_pairing import make_org

GROUPS: dict[str, dict[str, Any]] = {
    "co": {"type": "company"},
    "eng": {"type": "department", "parent": "co", "owners": []},
    "ops": {"type": "department", "parent": "co"},
    "fin": {"type": "department", "parent": "co"},
    "web": {"type": "team", "parent": "eng"},
    "infra": {"type": "team", "parent": "eng"},
    "support": {"type": "team", "parent": "ops"},
    "pay": {"type": "team", "parent": "fin"},
    "guild": {"type": "community"},
    "big": {"type": "interest"},
}


def org_of(**memberships: list[str]) -> Org:
    people = {
        "w1": {"team": "web", "groups": memberships.get("w1", [])},
        "w2": {"team": "web"},
        "i1": {"team": "infra", "groups": memberships.get("i1", [])},
        "s1": {"team": "support", "groups": memberships.get("s1", [])},
        "s2": {"team": "support"},
        "p1": {"team": "pay"},
    }
    return make_org(people, GROUPS)


def test_shared_groups_and_lunches_link_departments() -> None:
    org = org_of(w1=["guild"], s1=["guild"])
    silos = silo_map(org)
    assert silos.departments == ["eng", "fin", "ops"]
    assert silos.link("eng", "ops") == 0.5  # one pair in a group of two
    assert silos.link("ops", "eng") == 0.5
    assert silos.link("eng", "fin") == 0.0
    assert [(a, b) for a, b, _ in silos.weakest(2)] == [("eng", "fin"), ("fin", "ops")]
    assert silos.pieces == [["eng", "ops"], ["fin"]]  # finance is cut off
    assert silos.isolated_teams == ["infra", "pay"]  # web and support link through w1 and s1
    with_lunch = silo_map(org, [("p1", "i1")])
    assert with_lunch.link("eng", "fin") == 1.0
    assert with_lunch.pieces == [["eng", "fin", "ops"]]
    assert "infra" not in with_lunch.isolated_teams and "pay" not in with_lunch.isolated_teams


def test_a_big_group_weighs_less_per_pair() -> None:
    small = silo_map(org_of(w1=["guild"], s1=["guild"]))
    big = silo_map(org_of(w1=["big"], s1=["big"], i1=["big"]))
    assert big.link("eng", "ops") < small.link("eng", "ops") * 2


def test_the_svg_is_valid_and_deterministic() -> None:
    silos = silo_map(org_of(w1=["guild"], s1=["guild"]), [("p1", "s2")])
    first = silo_svg(silos, title="Liens entre départements", caption="Force du lien")
    again = silo_svg(silos, title="Liens entre départements", caption="Force du lien")
    assert first == again
    root = ET.fromstring(first)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Liens entre départements" in first and "Ingénierie" not in first and "Eng" in first
    assert "http" not in first.replace("http://www.w3.org", "").replace("http://purl.org", "").replace("http://creativecommons.org", "").replace(
        "https://matplotlib.org", ""
    )  # nothing fetched from outside


def test_dark_mode_has_its_own_map_on_the_page_s_dark_colour() -> None:
    from generator.network.silo import DARK_PAGE, DARK_TEXT

    silos = silo_map(org_of(w1=["guild"], s1=["guild"]), [("p1", "s2")])
    light, dark = silo_svg(silos, title="Liens", caption="Force"), silo_svg(silos, title="Liens", caption="Force", dark=True)
    assert ET.fromstring(dark).tag == "{http://www.w3.org/2000/svg}svg" and dark == silo_svg(silos, title="Liens", caption="Force", dark=True)
    assert f"fill: {DARK_PAGE}" in dark and "fill: #ffffff" in light and f"fill: {DARK_PAGE}" not in light
    assert f"fill: {DARK_TEXT}" in dark  # the title and the departments' names, light on dark
