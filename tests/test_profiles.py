"""What a profile lets a reader act on: contacts, colleagues, topics, who updated it, matches; on the real demo site."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.directory.enrich import enrich
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.engine.publish import build_site
from generator.network.topics import TopicGroups
from generator.site.render import COLLEAGUES_SHOWN, render_site
from tests.conftest import REPO, read_page
from tests.test_pairing import make_org


@pytest.fixture(scope="module")
def demo_org() -> Any:
    directory, _ = validate_directory(load_settings(REPO))
    return enrich(directory)


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(REPO, tmp_path_factory.mktemp("demo") / "site")


@pytest.mark.parametrize(
    ("topic", "slug"),
    [
        ("escalade", "club-escalade"),  # the name without "Club"
        ("Course à pied", "course-a-pied"),  # the whole name, accents and case aside
        ("COURSE A PIED", "course-a-pied"),
        ("club-escalade", "club-escalade"),  # the slug
        ("Lyon", "site-lyon"),  # "Site de": the kind and its little word
        ("le projet billettique Nantes", "projet-billettique-nantes"),  # a whole name inside the topic
        ("billettique", None),  # a team and a project: the search lists both
        ("Kubernetes", None),  # a part of "Projet migration Kubernetes" is not the project
        ("photographie", None),
        ("de", None),
        ("", None),
    ],
)
def test_a_topic_leads_to_the_one_group_it_names(demo_org: Any, topic: str, slug: str | None) -> None:
    assert TopicGroups(demo_org.groups).group_for(topic) == slug


def test_colleagues_are_capped_with_a_link_to_the_rest() -> None:
    people: dict[str, dict[str, Any]] = {"boss": {"team": "team-t"}}
    people |= {f"m{n:02d}": {"team": "team-t", "manager": "boss"} for n in range(COLLEAGUES_SHOWN + 3)}
    people |= {"peer": {"team": "team-u", "manager": "boss"}, "hidden": {"team": "team-t", "search": "hidden"}}
    org = make_org(people, {"team-t": {"type": "team"}, "team-u": {"type": "team"}}, language="fr")
    html = {p.path: p.html for p in render_site(org, today=date(2026, 1, 15))}["people/m00.md"]
    mates = html[html.index('id="dans-son-equipe"') : html.index('id="meme-responsable"')]
    names = re.findall(r'<li><a href="\.\./(\w+)/">', mates)
    assert names == ["boss", *[f"m{n:02d}" for n in range(1, COLLEAGUES_SHOWN)]], "themselves and hidden people left out"
    assert '<li><a href="../../groups/team-t/">et 3 autres</a></li>' in mates
    peers = html[html.index('id="meme-responsable"') :]
    assert re.findall(r'<li><a href="\.\./(\w+)/">', peers.split("</ul>")[0]) == ["peer"], "teammates are not peers again"


def test_the_demo_profile_can_be_acted_on(demo_site: Path) -> None:
    page = read_page(demo_site / "people" / "jdupont" / "index.html")
    # The demo's chat_url: the handle is a link; email and phone open what they name.
    assert 'href="https://chat.example.com/jdupont" title="Messagerie">@jdupont</a>' in page
    assert 'href="mailto:jeanne.dupont@helios-mobilite.example"' in page
    # Topics: a group, else the search for them.
    assert '<a href="../../groups/club-escalade/">escalade</a>' in page
    assert '<a href="../../search/?q=photographie%20argentique">photographie argentique</a>' in page
    assert re.search(r'<h2 id="dans-son-equipe">Dans son équipe</h2>.*?href="\.\./kbenali/">Karim Benali</a>', page, re.S)
    # The local time's place, filled in by assets/localtime.js.
    zone = re.search(r"\(Europe/Paris<span ([^>]*)></span>\)", page)
    assert zone is not None and {'data-trombi-time="Europe/Paris"', 'data-trombi-format=", %(time)s heure locale"'} <= set(
        re.findall(r'\S+="[^"]*"', zone.group(1))
    )
    # The demo's files were all last changed by its seed commit: a date, and no "by" that names no one.
    updated = re.search(r'<p class="trombi-updated">([^<]*)<', page)
    assert updated is not None and updated.group(1).startswith("Mis à jour le ") and " par " not in updated.group(1)
    assert "Seed" not in page and "maintainers" not in page


def test_the_demo_matches_say_why_and_pair_no_other_language(demo_site: Path) -> None:
    page = read_page(demo_site / "network" / "matches" / "index.html")
    assert "alias\N{NARROW NO-BREAK SPACE}: astreinte" in page
    assert "Spanish conversation" not in page and "PCI DSS" not in page
    kbenali = read_page(demo_site / "people" / "kbenali" / "index.html")
    assert "Qui peut aider" in kbenali and "alias\N{NARROW NO-BREAK SPACE}: astreinte" in kbenali
    jschneider = read_page(demo_site / "people" / "jschneider" / "index.html")
    assert "Spanish conversation over lunch" not in jschneider.split('id="qui-peut-aider"')[-1]
