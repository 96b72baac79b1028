"""One text analysis for both searches and the matching of people: folding, words, stems."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest
import snowballstemmer

from generator.search.analysis import _STEMMERS, fold, folding, stemming, without_stop_words

# Real names from many languages, and what a person types on a keyboard without their letters.
NAMES = [
    ("Paweł Wiśniewski", "pawel wisniewski"),
    ("Bjørn Ødegård", "bjorn odegard"),
    ("Emre Dalgıç", "emre dalgic"),
    ("Jón Friðriksson", "jon fridriksson"),
    ("Ida Mætzke", "ida maetzke"),
    ("Ægir Þórsson", "aegir thorsson"),
    ("Œuvre Straße", "oeuvre strasse"),
    ("Đorđe Đoković", "dorde dokovic"),
    ("François Müller-Lüdenscheidt", "francois muller-ludenscheidt"),
    ("Ngô Bảo Châu", "ngo bao chau"),
    ("Zoë  Brontë ", "zoe bronte"),
    ("Ｆｕｌｌ ｗｉｄｔｈ", "full width"),
]


@pytest.mark.parametrize(("name", "typed"), NAMES)
def test_every_letter_is_folded_to_what_a_keyboard_types(name: str, typed: str) -> None:
    assert fold(name) == typed
    assert fold(name.upper()) == typed


def test_names_are_words_folded_not_stemmed() -> None:
    assert folding().words("Paweł Dalgıç, node.js et C#") == ["pawel", "dalgic", "node.js", "et", "c#"]


def test_a_word_keeps_its_plus_and_sharp_signs_but_not_the_full_stop_after_it() -> None:
    assert folding().words("C++, F#, ASP.NET et Python. Node.js.") == ["c++", "f#", "asp.net", "et", "python", "node.js"]


def test_feminine_and_masculine_job_words_share_a_stem() -> None:
    french = stemming("fr")
    assert french.words("Développeuse") == french.words("développeur") == french.words("DEVELOPPEURS")
    assert french.words("ingénieure sécurité") == french.words("ingenieur securite")


def test_a_language_without_a_stemmer_is_folded_only() -> None:
    assert stemming("ja").words("Tōkyō Développeuse") == ["tokyo", "developpeuse"]
    assert stemming("en-GB").words("engineers") == stemming("en").words("engineer")


def test_every_stemmed_language_is_one_snowball_has() -> None:
    assert set(_STEMMERS.values()) <= set(snowballstemmer.algorithms())


def test_little_words_leave_the_query_unless_it_is_made_of_them() -> None:
    assert without_stop_words("chef de projet") == "chef projet"
    assert without_stop_words("de la") == "de la"


def test_matching_people_loads_no_search_engine() -> None:
    code = "import sys, generator.network.matching, generator.network.similar; print(any(m == 'whoosh' or m.startswith('whoosh.') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_index_keeps_only_the_language_of_its_analyzers() -> None:
    from generator.search.whooshtext import WordAnalyzer

    analyzer = WordAnalyzer("fr")
    again = pickle.loads(pickle.dumps(analyzer))
    assert again == analyzer and len(pickle.dumps(analyzer)) < 200
    assert [token.text for token in again("Développeuses Paweł")] == stemming("fr").words("Développeuses Paweł")


def test_the_browser_folds_the_same_letters() -> None:
    """assets/search.js keeps its own table (it runs in the browser): the same letters, spelled the same."""
    import json
    import re
    from pathlib import Path

    from generator.search.analysis import _APOSTROPHES, _UNDECOMPOSED

    script = (Path(__file__).parent.parent / "generator" / "assets" / "search.js").read_text(encoding="utf-8")
    table = json.loads(re.search(r"var PLAIN = (\{[^}]*\});", script).group(1))  # type: ignore[union-attr]
    expected = {chr(code): plain for code, plain in _UNDECOMPOSED.items()} | dict.fromkeys(_APOSTROPHES, "")
    assert table == expected
