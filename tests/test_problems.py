"""Problems and their three output formats."""

from __future__ import annotations

import json
import pickle

import pytest

from generator.i18n import load_language
from generator.problems import (
    FORMATTERS,
    Level,
    Message,
    Problem,
    TrombiError,
    count_line,
    counted,
    format_github,
    format_json,
    format_text,
    has_errors,
    sort_problems,
)

DATE = Problem("people/dev.yaml", 6, 9, "'joined': '2024-02-30' is not a valid date", "date")
SCHEMA = Problem("groups/guild-python.yaml", 1, 1, "the first line should be '# yaml-language-server: ...'", "schema-line", Level.WARNING)
REFERENCE = Problem("people/dev.yaml", 5, 10, "manager 'laed' is not a person (did you mean 'lead'?)", "reference")


def test_as_text() -> None:
    assert DATE.as_text() == "people/dev.yaml:6:9: error: 'joined': '2024-02-30' is not a valid date [date]"
    assert SCHEMA.as_text().startswith("groups/guild-python.yaml:1:1: warning: the first line")


def test_as_dict() -> None:
    assert SCHEMA.as_dict() == {
        "path": "groups/guild-python.yaml",
        "line": 1,
        "col": 1,
        "message": "the first line should be '# yaml-language-server: ...'",
        "rule": "schema-line",
        "level": "warning",
    }


def test_default_level_is_error() -> None:
    assert DATE.level is Level.ERROR
    assert str(Level.ERROR) == "error"
    assert str(Level.WARNING) == "warning"


def test_sort_problems_orders_and_removes_repeats() -> None:
    same_place = Problem("people/dev.yaml", 5, 10, "another", "duplicate")
    assert sort_problems([DATE, REFERENCE, SCHEMA, DATE, same_place]) == [SCHEMA, same_place, REFERENCE, DATE]


def test_line_sorts_as_a_number() -> None:
    assert [p.line for p in sort_problems([Problem("a", 10, 1, "m", "r"), Problem("a", 9, 1, "m", "r")])] == [9, 10]


def test_has_errors() -> None:
    assert has_errors([SCHEMA, DATE])
    assert not has_errors([SCHEMA])
    assert not has_errors([])


def test_trombi_error_carries_sorted_problems() -> None:
    error = TrombiError([DATE, SCHEMA])
    assert error.problems == [SCHEMA, DATE]
    assert str(error) == SCHEMA.as_text() + "\n" + DATE.as_text()


# --- text ----------------------------------------------------------------------------------------


def test_format_text() -> None:
    assert format_text([SCHEMA, REFERENCE, DATE]).splitlines() == [SCHEMA.as_text(), REFERENCE.as_text(), DATE.as_text(), "2 errors, 1 warning"]


def test_the_count_line_follows_the_languages_plural_rules() -> None:
    french = load_language("fr")
    assert count_line([DATE]) == "1 error, 0 warnings"
    assert count_line([DATE], french) == "1 erreur, 0 avertissement"  # zero takes the singular in French
    assert count_line([DATE, REFERENCE, SCHEMA, SCHEMA], french) == "2 erreurs, 2 avertissements"


# --- messages ------------------------------------------------------------------------------------

UNKNOWN = Message("unknown field '{field}'{hint}", field="skils", hint=Message(" (did you mean {choices}?)", choices="'skills'"))


def test_a_message_reads_as_english_and_is_said_in_the_sites_language() -> None:
    assert UNKNOWN == "unknown field 'skils' (did you mean 'skills'?)"
    assert UNKNOWN.said(load_language("fr")) == "champ inconnu : 'skils' (vouliez-vous dire 'skills' ?)"
    assert UNKNOWN.said(load_language("en")) == str(UNKNOWN)


def test_every_format_says_problems_in_the_language_given() -> None:
    french = load_language("fr")
    problem = Problem("people/dev.yaml", 3, 1, UNKNOWN, "unknown-field")
    assert "champ inconnu : 'skils'" in format_text([problem], french)
    assert "::champ inconnu : 'skils'" in format_github([problem], french)
    assert json.loads(format_json([problem], french))[0]["message"].startswith("champ inconnu")
    assert problem.as_text() == "people/dev.yaml:3:1: error: unknown field 'skils' (did you mean 'skills'?) [unknown-field]"


def test_a_message_keeps_its_words_across_processes() -> None:
    # Files are checked in worker processes: their problems come back pickled.
    again = pickle.loads(pickle.dumps(Problem("a", 1, 1, UNKNOWN, "r")))
    assert again.message.said(load_language("fr")) == UNKNOWN.said(load_language("fr"))
    plural = pickle.loads(pickle.dumps(counted("{count} error", "{count} errors", 3, count=3)))
    assert plural == "3 errors" and plural.said(load_language("fr")) == "3 erreurs"


def test_a_translation_that_names_another_value_falls_back_to_english() -> None:
    class Broken:
        def gettext(self, message: str) -> str:
            return "champ {nope}"

        def ngettext(self, singular: str, plural: str, n: int) -> str:
            return singular

    assert Message("unknown field '{field}'", field="x").said(Broken()) == "unknown field 'x'"


def test_values_are_made_visible_but_not_the_words() -> None:
    shown = UNKNOWN.with_values(str.upper)
    assert shown == "unknown field 'SKILS' (did you mean 'SKILLS'?)"


def test_format_text_of_nothing_is_empty() -> None:
    assert format_text([]) == ""


# --- GitHub ----------------------------------------------------------------------------------------


def test_format_github() -> None:
    assert format_github([SCHEMA, DATE]).splitlines() == [
        "::warning file=groups/guild-python.yaml,line=1,col=1,title=schema-line::the first line should be '# yaml-language-server: ...'",
        "::error file=people/dev.yaml,line=6,col=9,title=date::'joined': '2024-02-30' is not a valid date",
    ]
    assert format_github([]) == ""


def test_format_github_escapes_data() -> None:
    problem = Problem("people/dev.yaml", 1, 1, "100% sûr\r\nligne 2: a, b", "value")
    [line] = format_github([problem]).splitlines()
    # In the message, only %, \r and \n are escaped; ':' and ',' stay.
    assert line.endswith("::100%25 sûr%0D%0Aligne 2: a, b")


@pytest.mark.parametrize(
    ("path", "escaped"),
    [
        ("people/a:b.yaml", "people/a%3Ab.yaml"),
        ("people/a,b.yaml", "people/a%2Cb.yaml"),
        ("people/100%.yaml", "people/100%25.yaml"),
        ("people/a\nb.yaml", "people/a%0Ab.yaml"),
        ("people/a\rb.yaml", "people/a%0Db.yaml"),
        ("C:\\dir,x\\%0A.yaml", "C%3A\\dir%2Cx\\%250A.yaml"),
    ],
)
def test_format_github_escapes_properties(path: str, escaped: str) -> None:
    [line] = format_github([Problem(path, 3, 4, "message", "rule")]).splitlines()
    assert line == f"::error file={escaped},line=3,col=4,title=rule::message"


def test_format_github_escapes_the_title() -> None:
    [line] = format_github([Problem("x.yaml", 1, 1, "m", "a:b,c%")]).splitlines()
    assert "title=a%3Ab%2Cc%25::m" in line


def test_format_github_one_line_per_problem_even_with_newlines() -> None:
    problems = [Problem("a\nb.yaml", 1, 1, "x\ny", "r"), Problem("c.yaml", 2, 2, "z\r\n", "r")]
    assert len(format_github(problems).splitlines()) == 2


# --- JSON ---------------------------------------------------------------------------------------------


def test_format_json() -> None:
    data = json.loads(format_json([SCHEMA, DATE]))
    assert data == [SCHEMA.as_dict(), DATE.as_dict()]
    assert data[1]["level"] == "error"
    assert json.loads(format_json([])) == []


def test_format_json_keeps_accents_and_escapes_what_json_needs() -> None:
    problem = Problem("people/hélène.yaml", 1, 1, 'nom "Hélène"\n\\', "value")
    text = format_json([problem])
    assert "hélène" in text
    assert json.loads(text)[0]["message"] == 'nom "Hélène"\n\\'


def test_formatters_registry() -> None:
    assert {"text": format_text, "github": format_github, "json": format_json} == FORMATTERS
