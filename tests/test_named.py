"""The pages a query names (generator.search.named): how closely, in what order, filed how."""

from __future__ import annotations

import pytest

from generator.search.named import COMMON_WORD, NAMED_LIMIT, NamedPage, closeness, key, named, shards, words


def page(page_id: str, name: str, *aliases: str, people: int = 3) -> NamedPage:
    return NamedPage(page_id, name, aliases, f"{page_id.replace(':', '/')}/", people)


PAGES = [
    page("skill:python", "Python"),
    page("skill:prise-de-parole", "Prise de parole en public", "public speaking"),
    page("skill:cpp", "C++"),
    page("skill:incidents", "Réponse aux incidents de sécurité"),
    page("skill:appsec", "Sécurité applicative"),
    page("group:guilde-python", "Guilde Python"),
    page("group:club-escalade", "Club escalade"),
    page("team:plateforme", "Équipe Plateforme"),
    page("site:lyon", "Lyon"),
    page("site:saint-denis", "Saint-Denis"),
    page("group:obrien", "Club O’Brien"),
    page("language:de", "allemand"),
]


def ids(query: str, pages: list[NamedPage] = PAGES) -> list[str]:
    return [found.id for found in named(query, shards(pages))]


def test_words_are_folded_split_and_little_words_left_out() -> None:
    assert words("Prise de parole en public") == ["prise", "parole", "public"]
    assert words("Saint-Denis, CI/CD") == ["saint", "denis", "ci", "cd"]
    assert words("Node.js. C++ C#") == ["node.js", "c++", "c#"]
    assert words("Équipe Łódź O’Brien") == ["equipe", "lodz", "obrien"]


@pytest.mark.parametrize(
    ("query", "name", "strength"),
    [
        ("prise parole public", "prise parole public", 2),
        ("python lyon", "lyon", 0),  # people: Python's at Lyon
        ("guilde python", "python", 0),
        ("python", "guilde python", 1),
        ("guilde py", "guilde python", 0),  # a begun word needs three letters
        ("guilde pyt", "guilde python", 1),
        ("pyt guilde", "guilde python", 0),  # only the last word may be begun
        ("python rust", "guilde python", 0),
    ],
)
def test_how_closely_a_query_names_a_name(query: str, name: str, strength: int) -> None:
    assert closeness(query.split(), name.split()) == strength


def test_the_closest_pages_come_first_then_skills_before_groups_and_sites() -> None:
    assert ids("lyon") == ["site:lyon"]
    assert ids("python") == ids("pyth") == ["skill:python", "group:guilde-python"]
    assert ids("guilde") == ["group:guilde-python"]
    assert ids("guilde python") == ["group:guilde-python"]
    assert ids("python lyon") == ids("python expert") == []
    assert ids("prise de parole") == ["skill:prise-de-parole"]
    assert ids("public speaking") == ["skill:prise-de-parole"]  # an alias names its skill
    assert ids("escalade") == ["group:club-escalade"]
    assert ids("plateforme") == ["team:plateforme"]
    assert ids("saint denis") == ids("Saint-Denis") == ["site:saint-denis"]
    assert ids("obrien") == ["group:obrien"]
    assert ids("c++") == ["skill:cpp"]
    assert ids("securite") == ["skill:appsec", "skill:incidents"]  # the shortest name first
    assert ids("allemand") == ["language:de"]


def test_little_words_and_unknown_words_name_nothing() -> None:
    assert ids("de la") == ids("") == ids("astronomie") == []


def test_at_most_the_limit_is_named() -> None:
    many = [page(f"group:python-{n}", f"Python {n}") for n in range(NAMED_LIMIT + 3)]
    assert len(ids("python", many)) == NAMED_LIMIT
    assert ids("python", many)[:2] == ["group:python-0", "group:python-1"]


def test_keys_are_two_letters_or_spelled_for_a_url() -> None:
    assert key("python") == "py" and key("c") == "c" and key("c++") == "x63-2b" and key("日本") == "x65e5-672c"


def test_a_word_common_to_too_many_pages_files_nothing() -> None:
    teams = [page(f"team:t{n}", f"Équipe T{n:04d}") for n in range(COMMON_WORD + 1)]
    filed = shards(teams)
    assert "eq" not in filed  # "équipe" names none of them
    assert [found.id for found in named("equipe t0007", filed)] == ["team:t7"]
    assert named("equipe", filed) == []
