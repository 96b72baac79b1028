"""Who made a change, for a reader: a git author mapped to a person of the directory, a name, or no one."""

from __future__ import annotations

from typing import Any

import pytest

from generator.directory.model import Person
from generator.history.editors import Editor, Editors, is_automated


def person(**contact: Any) -> Person:
    return Person.model_validate({"name": "X", "title": "Engineer", "contact": contact})


PEOPLE = {
    "jdupont": person(email="Jeanne.Dupont@example.com", github="jdupont"),
    "private": person(email={"value": "secret@example.com", "visibility": "private"}),
    "octo": person(github="OctoCat"),
}


@pytest.mark.parametrize(
    ("name", "email", "expected"),
    [
        ("Jeanne D.", "jeanne.dupont@EXAMPLE.com", Editor("jdupont", "Jeanne D.")),  # case does not matter
        ("S", "secret@example.com", Editor("private", "S")),  # a private address still says who it is; it is never shown
        ("Octo", "583231+octocat@users.noreply.github.com", Editor("octo", "Octo")),  # GitHub's per-user address: the login
        ("Octo", "octocat@users.noreply.github.com", Editor("octo", "Octo")),
        ("Léo  Durand\n", "leo@elsewhere.example", Editor(None, "Léo Durand")),  # nobody matches: the name, on one line
        ("Someone", "999+stranger@users.noreply.github.com", Editor(None, "Someone")),  # a person, just not in the directory
        ("Seed bc8c16f7 maintainers", "maintainers@users.noreply.h-seed-bc8c16f7.example", None),  # the demo's seed
        ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", None),
        ("renovate-bot", "bot@renovateapp.com", None),
        ("github-actions", "41898282+github-actions[bot]@users.noreply.github.com", None),
        ("HR import", "noreply@example.com", None),
        ("", "nobody@example.com", None),
    ],
)
def test_an_author_is_a_person_a_name_or_no_one(name: str, email: str, expected: Editor | None) -> None:
    assert Editors(PEOPLE).editor(name, email) == expected


def test_a_bot_that_is_a_person_of_the_directory_is_that_person() -> None:
    # A service account with a people file is someone readers can look up.
    editors = Editors({"robot": person(email="robot-bot@example.com")})
    assert editors.editor("robot-bot", "robot-bot@example.com") == Editor("robot", "robot-bot")
    assert is_automated("robot-bot", "robot-bot@example.com")
    assert not is_automated("Abbot Costello", "abbot@example.com")
    assert not is_automated("Jean Laction", "jean@example.com")
