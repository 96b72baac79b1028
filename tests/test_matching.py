"""Offers and seeks that meet, on hand-made profiles."""

from __future__ import annotations

from typing import Any

from generator.directory.enrich import enrich
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.network.matching import OfferIndex, match_seeks, why_it_meets
from tests.test_pairing import make_org

SKILLS = ("Kubernetes", "Python", "Sécurité réseau", "Excel")


def org_of(people: dict[str, dict[str, Any]], language: str = "fr") -> Any:
    return make_org(people, {}, skills=SKILLS, language=language)


PEOPLE: dict[str, dict[str, Any]] = {
    "seeker": {"seeks": ["recherche un mentor Kubernetes"], "offers": ["mentorat Kubernetes"]},
    "mentor": {"offers": ["mentorat Kubernetes", "relecture de code"]},
    "expert": {"skills": [{"name": "Kubernetes", "level": "expert"}]},
    "beginner": {"skills": [{"name": "Kubernetes", "level": "notions"}]},
    "asked": {"ask_me_about": ["clusters Kubernetes en production"]},
    "other": {"offers": ["cours de cuisine"], "skills": ["Excel"]},
    "secret": {"offers": ["mentorat Kubernetes"], "search": "hidden"},
    "netsec": {"offers": ["Sécurité réseau pour les débutants"]},
}


def test_a_seek_meets_offers_topics_and_skills_best_first() -> None:
    index = OfferIndex(org_of(PEOPLE))
    helpers = index.helpers("recherche un mentor Kubernetes", exclude="seeker", limit=10)
    handles = [h.handle for h in helpers]
    assert handles[0] == "mentor"
    assert helpers[0].via == "offer" and helpers[0].text == "mentorat Kubernetes"
    assert {"expert", "asked"} <= set(handles)
    assert handles.index("expert") < handles.index("beginner")
    assert "other" not in handles and "seeker" not in handles
    assert "secret" not in handles  # hidden people are suggested nowhere


def test_accents_and_case_do_not_matter() -> None:
    index = OfferIndex(org_of(PEOPLE))
    assert [h.handle for h in index.helpers("SECURITE RESEAU")][:1] == ["netsec"]
    assert index.helpers("des cours de cuisine")[0].handle == "other"
    assert index.helpers("la pêche à la mouche") == []


def test_english_profiles_are_stemmed_in_english() -> None:
    people = {"a": {"seeks": ["looking for mentoring in Python"]}, "b": {"offers": ["Python mentors"]}, "c": {"offers": ["baking"]}}
    index = OfferIndex(org_of(people, language="en"))
    assert [h.handle for h in index.helpers("looking for mentoring in Python", exclude="a")] == ["b"]


def test_match_seeks_lists_every_seek_with_its_helpers() -> None:
    matches = match_seeks(org_of(PEOPLE))
    assert [(m.handle, m.seek) for m in matches] == [("seeker", "recherche un mentor Kubernetes")]
    assert matches[0].helpers[0].handle == "mentor"
    assert len(matches[0].helpers) == 3


def org_with_aliases(people: dict[str, dict[str, Any]], taxonomy: dict[str, list[str]], language: str = "fr") -> Any:
    """Like :func:`tests.test_pairing.make_org`, with a taxonomy whose skills have aliases."""
    from pathlib import Path

    from generator.directory.enrich import enrich
    from generator.directory.model import Person, SkillDefinition
    from generator.directory.settings import Settings
    from generator.directory.skills import Skills
    from generator.directory.validate import Directory

    definitions = {name: SkillDefinition(category="Tech", aliases=aliases) for name, aliases in taxonomy.items()}
    lookup = {term.casefold(): name for name, aliases in taxonomy.items() for term in (name, *aliases)}
    persons = {handle: Person.model_validate({"name": handle.title(), "title": "Engineer", **data}) for handle, data in people.items()}
    return enrich(Directory(Settings(root=Path("."), language=language), Skills(definitions, lookup), persons, {}))


TAXONOMY = {"Kubernetes": ["k8s", "kube"], "PCI DSS": ["pci", "pci-dss"], "GTFS": [], "GTFS-RT": ["gtfs realtime"]}
DEMO_LIKE: dict[str, dict[str, Any]] = {
    # The demo's own texts: one shared word ("conversation", "certification") met before.
    "jschneider": {"seeks": ["a French conversation partner (I'm B2 and want to improve)"]},
    "mlopez": {"offers": ["Spanish conversation over lunch"]},
    "cobrien": {"offers": ["English conversation practice"]},
    "jdupont": {"seeks": ["un binôme pour préparer la certification CKS"]},
    "aroussel": {"ask_me_about": ["certification PCI DSS"], "skills": [{"name": "PCI DSS", "level": "advanced"}]},
    "kbenali": {"offers": ["préparation aux entretiens de tech lead"]},
}


def test_one_shared_word_is_not_a_match() -> None:
    index = OfferIndex(org_with_aliases(DEMO_LIKE, TAXONOMY))
    assert index.helpers("a French conversation partner (I'm B2 and want to improve)", exclude="jschneider") == []
    assert index.helpers("un binôme pour préparer la certification CKS", exclude="jdupont") == []


def test_two_spoken_languages_never_meet_however_many_words_they_share() -> None:
    people = {
        "fr": {"offers": ["French conversation partner over lunch"]},
        "es": {"offers": ["Spanish conversation partner over lunch"]},
        "any": {"offers": ["conversation partner over lunch"]},
    }
    index = OfferIndex(org_with_aliases(people, TAXONOMY, language="en"))
    found = index.helpers("a French conversation partner over lunch")
    assert [h.handle for h in found] == ["fr", "any"]
    assert found[0].reason == "words" and found[0].detail == "French, conversation, partner, lunch"
    # In French too: « espagnol » is Spanish, whichever language the site speaks.
    index = OfferIndex(org_with_aliases({"es": {"offers": ["conversation en espagnol le midi"]}}, TAXONOMY))
    assert index.helpers("conversation en anglais le midi") == []
    assert [h.handle for h in index.helpers("conversation en espagnol")] == ["es"]


def test_a_named_skill_meets_its_offers_topics_and_holders_with_the_reason() -> None:
    people = {
        "offer": {"offers": ["mentorat Kubernetes"]},
        "alias": {"ask_me_about": ["nos clusters k8s"]},
        "holder": {"skills": [{"name": "Kubernetes", "level": "expert"}]},
        "pci": {"skills": [{"name": "PCI DSS", "level": "expert"}], "offers": ["certification PCI DSS"]},
    }
    index = OfferIndex(org_with_aliases(people, TAXONOMY))
    found = index.helpers("un binôme pour la certification CKS sur Kubernetes")
    assert [(h.handle, h.via, h.reason, h.detail) for h in found] == [
        ("offer", "offer", "skill", "Kubernetes"),
        ("alias", "ask", "alias", "k8s"),
        ("holder", "skill", "skill", "Kubernetes"),
    ]
    # Named by an alias in the seek: the alias is the reason.
    assert next((h.handle, h.reason, h.detail) for h in index.helpers("aide sur K8S")) == ("offer", "alias", "k8s")
    # A skill is a whole phrase, the longest first: "pci" alone is PCI DSS, GTFS-RT is not GTFS.
    assert [h.handle for h in index.helpers("conformité PCI")] == ["pci"]
    gtfs = OfferIndex(org_with_aliases({"rt": {"offers": ["flux GTFS-RT"]}, "static": {"offers": ["flux GTFS"]}}, TAXONOMY))
    assert [(h.handle, h.reason) for h in gtfs.helpers("un flux gtfs realtime")] == [("rt", "alias")]


def test_the_reason_is_said_in_the_site_language_on_pages_and_by_the_command(capsys: Any) -> None:
    from generator.cli.main import main
    from generator.i18n import load_language
    from tests.conftest import REPO

    index = OfferIndex(org_with_aliases({"offer": {"offers": ["mentorat Kubernetes"]}, "alias": {"ask_me_about": ["nos clusters k8s"]}}, TAXONOMY))
    found = index.helpers("un mentor Kubernetes ou K8S")
    assert [why_it_meets(h, load_language("fr")) for h in found] == [
        "propose\u202f: mentorat Kubernetes · même compétence\u202f: Kubernetes",
        "demandez-moi\u202f: nos clusters k8s · alias\u202f: k8s",
    ]
    assert why_it_meets(found[0], load_language("en")) == "offers: mentorat Kubernetes · same skill: Kubernetes"
    # The command speaks as the site does (the demo is in French): no English word in its reasons.
    assert main(["helpers", "--text", "mentorat Kubernetes", "--root", str(REPO)]) == 0
    out = capsys.readouterr().out
    assert "propose\u202f: mentorat" in out and "même compétence\u202f: " in out
    assert "same skill" not in out and "offer:" not in out


def test_the_demo_no_longer_pairs_conversations_in_other_languages_nor_cks_with_pci_dss() -> None:
    from tests.conftest import REPO

    directory, _ = validate_directory(load_settings(REPO))
    org = enrich(directory)
    matches = {(m.handle, m.seek): m.helpers for m in match_seeks(org)}
    french = matches[("jschneider", "a French conversation partner (I'm B2 and want to improve)")]
    assert "mlopez" not in {h.handle for h in french}
    cks = matches[("jdupont", "un binôme pour préparer la certification CKS")]
    assert not [h for h in cks if "PCI" in h.text]
    for helpers in matches.values():
        for helper in helpers:
            assert helper.reason in ("skill", "alias", "words") and helper.detail
