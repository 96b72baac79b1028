"""Every message of the site has its French translation; language names and dates follow the UI."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from generator.i18n import load_language

REPO = Path(__file__).parent.parent
# Problems' words (generator/problems.py): Message("..."), counted("...", "...", n), refusal(kind, "...").
KEYWORDS = {**DEFAULT_KEYWORDS, "Message": None, "counted": (1, 2), "refusal": (2,)}


@cache
def _messages() -> set[str | tuple[str, str]]:
    # The package alone, as babel.cfg maps it: walking the whole checkout would walk what benchmarks
    # leave in benchmarks/work (half a million files at 100,000 people), once for each test.
    method_map = [("templates/**.j2", "jinja2"), ("**.py", "python")]
    options_map = {"templates/**.j2": {"extensions": "jinja2.ext.do"}}
    found: set[str | tuple[str, str]] = set()
    for _, _, message, _, _ in extract_from_dir(str(REPO / "generator"), method_map=method_map, options_map=options_map, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else tuple(message[:2]))
    return found


def test_extraction_finds_the_templates_messages() -> None:
    messages = _messages()
    assert "Skills" in messages
    assert ("%(num)s member", "%(num)s members") in messages


SAME_IN_FRENCH = ("Expert", "Notions", "Pages", "Sites", "Site", "LinkedIn", "Organisation", "", "{errors}, {warnings}")


def test_every_message_has_a_french_translation() -> None:
    french = load_language("fr")
    missing = []
    for message in _messages():
        if isinstance(message, tuple):
            if french.ngettext(message[0], message[1], 2) == message[1] and message != ("site", "sites"):
                missing.append(message)
        elif french.gettext(message) == message and message not in SAME_IN_FRENCH:
            missing.append(message)
    assert not missing, missing


def test_extraction_finds_the_problems_words() -> None:
    messages = _messages()
    assert "missing required field '{field}'" in messages  # Message(...)
    assert "'{value}' is not a valid date: write it as YYYY-MM-DD (ISO 8601), e.g. 2024-01-05" in messages  # refusal(...)
    assert ("{count} error", "{count} errors") in messages  # counted(...)
    assert "a person file must be a mapping of fields (name: value), found {found}" in messages  # N_(...)


def test_every_translation_names_the_values_of_its_message() -> None:
    """A translation that drops or renames a value would fall back to English: each one names the same fields."""
    import string

    french = load_language("fr")
    wrong = []
    for message in _messages():
        singular = message[0] if isinstance(message, tuple) else message
        if "{" not in singular:
            continue
        translated = french.ngettext(*message, 2) if isinstance(message, tuple) else french.gettext(message)
        def names(text: str) -> set[str]:
            return {name for _, name, _, _ in string.Formatter().parse(text) if name}
        expected = names(message[1]) if isinstance(message, tuple) else names(singular)
        if names(translated) != expected:
            wrong.append((message, translated))
    assert not wrong, wrong


def test_labels_that_are_not_in_templates_are_translated() -> None:
    from generator.i18n import GROUP_KIND_LABELS, GROUP_TYPE_LABELS, KIND_LABELS, LEVEL_LABELS, MEETING_LABELS

    french = load_language("fr")
    for labels in (GROUP_KIND_LABELS, GROUP_TYPE_LABELS, KIND_LABELS, LEVEL_LABELS, MEETING_LABELS):
        for label in labels.values():
            assert french.gettext(label) != label or label in ("Expert", "Notions", "Site", "Sites")


def test_language_names_and_dates_follow_the_ui_language() -> None:
    assert load_language("fr").language_name("de") == "Allemand"
    assert load_language("en").language_name("de") == "German"
    assert load_language("fr").date(date(2021, 3, 1)) == "1 mars 2021"
    assert load_language("en").date(date(2021, 3, 1)) == "March 1, 2021"
    assert load_language("xx-unknown").code == "en"


def test_the_catalogue_holds_each_message_once() -> None:
    # Babel keeps the last of two entries without a word; GNU gettext's tools refuse the file.
    import re
    from collections import Counter

    text = (REPO / "generator/locales/fr/LC_MESSAGES/trombi.po").read_text(encoding="utf-8")
    entries = Counter(re.findall(r'^msgid ((?:".*"\n)+)', text, re.MULTILINE))
    assert [entry for entry, count in entries.items() if count > 1 and entry != '""\n'] == []
