"""Every message of the site has its French translation; language names and dates follow the UI."""

from __future__ import annotations

import os
import re
from datetime import date
from functools import cache
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from generator.i18n import load_language

REPO = Path(__file__).parent.parent
# Problems' words (generator/problems.py): Message("..."), counted("...", "...", n), refusal(kind, "...").
KEYWORDS = {**DEFAULT_KEYWORDS, "Message": None, "counted": (1, 2), "refusal": (2,)}


@cache
def _messages() -> set[str | tuple[str, str]]:
    """Every msgid of the code and the templates, extracted by Babel as babel.cfg says."""
    with (REPO / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    # babel.cfg maps files under generator/: walking the rest of the checkout would walk what
    # benchmarks leave in benchmarks/work (half a million files at 100,000 people), for nothing.
    package = str(REPO / "generator")
    found: set[str | tuple[str, str]] = set()
    for _, _, message, _, _ in extract_from_dir(
        str(REPO),
        method_map=method_map,
        options_map=options_map,
        keywords=KEYWORDS,
        directory_filter=lambda path: path == str(REPO) or path == package or path.startswith(package + os.sep),
    ):
        found.add(message if isinstance(message, str) else tuple(message[:2]))
    return found


@cache
def _catalogue() -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    with (REPO / "generator/locales/fr/LC_MESSAGES/trombi.po").open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    return {message.id if isinstance(message.id, str) else tuple(message.id[:2]): message.string for message in catalog if message.id}


def test_extraction_finds_the_templates_messages() -> None:
    messages = _messages()
    assert "Skills" in messages
    assert ("%(num)s member", "%(num)s members") in messages


SAME_IN_FRENCH = ("Expert", "Notions", "Pages", "Sites", "Site", "LinkedIn", "Organisation", "Information", "%(month)s %(year)s", "", "{errors}, {warnings}")


def test_every_message_has_a_french_translation() -> None:
    catalogue = _catalogue()
    missing = [message for message in _messages() if not all(catalogue.get(message) or [""])]
    assert not missing, missing
    french = load_language("fr")
    untranslated = []  # read back through gettext: an entry the catalogue does not load is no translation
    for message in _messages():
        if isinstance(message, tuple):
            if french.ngettext(message[0], message[1], 2) == message[1] and message != ("site", "sites"):
                untranslated.append(message)
        elif french.gettext(message) == message and message not in SAME_IN_FRENCH:
            untranslated.append(message)
    assert not untranslated, untranslated


# Entries that no code or template names, kept on purpose: none today. An entry the code stopped
# using is dead weight that translators keep translating; remove it with the code.
UNUSED_ALLOWED: frozenset[str | tuple[str, str]] = frozenset()


def test_no_catalogue_entry_is_unused() -> None:
    used = _messages()
    unused = [message for message in _catalogue() if message not in used and message not in UNUSED_ALLOWED]
    assert not unused, unused


# A "?" the user types (the interactive questions' "type ? to see them all"), not a question mark.
_TYPED_MARK = re.compile(r"(?:Tapez|,) \?(?= pour)")


def test_french_translations_set_a_narrow_no_break_space_before_high_punctuation() -> None:
    """``Aussi appelé : k8s`` with U+202F, never a space that lets the mark start a line, nor none at all."""
    wrong = []
    for message, translated in _catalogue().items():
        english = message if isinstance(message, str) else message[1]
        for text in [translated] if isinstance(translated, str) else translated:
            if re.search(r"[ \u00a0][:;?!]", _TYPED_MARK.sub("", text)):
                wrong.append(text)  # a space that breaks, or a no-break space of the wrong width
            elif re.search(r"[\w)»’'}][:;?!](\s|$)", english) and not re.search(r"\u202f[:;?!]", text) and re.search(r"\w[:;?!](\s|$)", text) is None:
                wrong.append(text)  # the English sentence has the mark, the French lost it
    assert not wrong, wrong


def test_the_language_punctuates_in_one_place() -> None:
    french, english = load_language("fr"), load_language("en")
    assert french.colon("Aussi appelé") == "Aussi appelé\u202f:" and english.colon("Also called") == "Also called:"
    assert french.before("?") == "\u202f?" and english.before("!") == "!"


def test_the_first_of_the_month_is_an_ordinal_in_french() -> None:
    french, english = load_language("fr"), load_language("en")
    assert french.date(date(2019, 3, 1)) == "1er mars 2019"
    assert french.date(date(2019, 3, 2)) == "2 mars 2019"
    assert french.date(date(2019, 3, 1), "EEEE d MMMM") == "vendredi 1er mars"
    assert french.date(date(2019, 3, 1), "full") == "vendredi 1er mars 2019"
    assert french.date(date(2019, 3, 1), "short") == "01/03/2019"  # digits: no ordinal
    assert french.date(date(2019, 3, 11)) == "11 mars 2019" and french.date(date(2019, 3, 21)) == "21 mars 2019"
    assert english.date(date(2019, 3, 1)) == "March 1, 2019"


def test_numbers_follow_the_language() -> None:
    french, english = load_language("fr"), load_language("en")
    assert french.decimal(10.66) == "10,7" and english.decimal(10.66) == "10.7"
    assert french.decimal(0.5, 2, trim=True) == "0,5" and french.decimal(2.0, 2, trim=True) == "2"
    assert french.number(12345) == "12\u202f345" and english.number(12345) == "12,345"
    assert french.percent(0.45) == "45\u00a0%" and english.percent(0.45) == "45%"


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
    assert load_language("fr").date(date(2021, 3, 1)) == "1er mars 2021"
    assert load_language("en").date(date(2021, 3, 1)) == "March 1, 2021"
    assert load_language("xx-unknown").code == "en"


def test_the_catalogue_holds_each_message_once() -> None:
    # Babel keeps the last of two entries without a word; GNU gettext's tools refuse the file.
    import re
    from collections import Counter

    text = (REPO / "generator/locales/fr/LC_MESSAGES/trombi.po").read_text(encoding="utf-8")
    entries = Counter(re.findall(r'^msgid ((?:".*"\n)+)', text, re.MULTILINE))
    assert [entry for entry, count in entries.items() if count > 1 and entry != '""\n'] == []


def test_the_templates_translate_as_jinjas_i18n_extension_does() -> None:
    """The pages' ``_``, ``gettext`` and ``ngettext`` (generator.site.jinja) call the translations directly: same text, same escaping."""
    from jinja2 import Environment

    from generator.site.jinja import environment

    source = (
        '{{ _("Groups") }}|{{ _("Updated on %(date)s", date="<b>1 mai</b>") }}|{{ gettext("Skills") }}|'
        '{{ ngettext("%(num)s direct report", "%(num)s direct reports", 1) }}|'
        '{{ ngettext("%(num)s direct report", "%(num)s direct reports", 3) }}|'
        '{{ ngettext("and %(count)s more", "and %(count)s more", 2, count="<i>") }}|'
        '{% set author %}<a href="people/ana/">Ana</a>{% endset %}{{ _("Updated on %(date)s by %(author)s", date="<d>", author=author) }}|'
        '{% trans %}Skills{% endtrans %}|{% autoescape false %}{{ _("For “%(seek)s”:", seek="<x>") }}{% endautoescape %}'
    )
    for code in ("fr", "en"):
        language = load_language(code)
        jinjas = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
        jinjas.install_gettext_translations(language.translations, newstyle=True)  # type: ignore[attr-defined]
        expected = jinjas.from_string(source).render()
        assert environment(language).from_string(source).render() == expected
        assert "&lt;b&gt;" in expected and "<x>" in expected and '<a href="people/ana/">Ana</a>' in expected
