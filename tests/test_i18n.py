"""Every message of the site has its French translation; language names and dates follow the UI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from babel.messages.extract import extract_from_dir

from generator.i18n import load_language

REPO = Path(__file__).parent.parent


def _messages() -> set[str | tuple[str, str]]:
    method_map = [("generator/templates/**.j2", "jinja2"), ("generator/**.py", "python")]
    options_map = {"generator/templates/**.j2": {"extensions": "jinja2.ext.do"}}
    found: set[str | tuple[str, str]] = set()
    for _, _, message, _, _ in extract_from_dir(str(REPO), method_map=method_map, options_map=options_map):
        found.add(message if isinstance(message, str) else tuple(message[:2]))
    return found


def test_extraction_finds_the_templates_messages() -> None:
    messages = _messages()
    assert "Skills" in messages
    assert ("%(num)s member", "%(num)s members") in messages


def test_every_message_has_a_french_translation() -> None:
    french = load_language("fr")
    missing = []
    for message in _messages():
        if isinstance(message, tuple):
            if french.ngettext(message[0], message[1], 2) == message[1] and message != ("site", "sites"):
                missing.append(message)
        elif french.gettext(message) == message and message not in ("Expert", "Notions", "Pages", "Sites", "Site", "LinkedIn", "Organisation"):
            missing.append(message)
    assert not missing, missing


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
