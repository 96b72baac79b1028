"""The site's words in the UI language: a gettext catalogue per language, Babel for the rest.

Messages are written in English in the templates and translated through
``generator/locales/<lang>/LC_MESSAGES/trombi.po`` (read directly, no compile step).
"""

from __future__ import annotations

import datetime
import gettext
import io
from dataclasses import dataclass
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_timedelta, tokenize_pattern, untokenize_pattern
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from generator import PACKAGE
from generator.problems import N_

LOCALES = PACKAGE / "locales"
DOMAIN = "trombi"
LEVEL_LABELS = {"notions": N_("Notions"), "intermediate": N_("Intermediate"), "advanced": N_("Advanced"), "expert": N_("Expert")}
KIND_LABELS = {"employee": N_("Employee"), "contractor": N_("Contractor"), "partner": N_("Partner")}
GROUP_KIND_LABELS = {
    "company": N_("Company"),
    "department": N_("Department"),
    "team": N_("Team"),
    "project": N_("Project"),
    "site": N_("Site"),
    "community": N_("Community"),
    "interest": N_("Interest"),
}
MEETING_LABELS = {"week": N_("every week"), "two-weeks": N_("every two weeks"), "month": N_("every month"), "quarter": N_("every quarter")}
GROUP_TYPE_LABELS = {
    "company": N_("Company"),
    "department": N_("Departments"),
    "team": N_("Teams"),
    "project": N_("Projects"),
    "site": N_("Sites"),
    "community": N_("Communities"),
    "interest": N_("Interests"),
}
# French typography: a narrow no-break space (U+202F) before the high punctuation : ; ? ! so that
# the mark never starts a line. English sets them tight.
NARROW_NO_BREAK_SPACE = "\u202f"
_SPACE_BEFORE = {"fr": NARROW_NO_BREAK_SPACE}
# The first day of a month is an ordinal in French ("1er mars"), a cardinal otherwise; CLDR's
# patterns do not say it, so the day field of a pattern gets the suffix here.
_FIRST_DAY_SUFFIX = {"fr": "er"}


@dataclass(frozen=True)
class Language:
    """Everything the renderer needs to speak one UI language."""

    code: str
    translations: gettext.NullTranslations
    locale: Locale

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def language_name(self, code: str) -> str:
        """``de`` -> ``allemand`` in French, ``German`` in English."""
        name = self.locale.languages.get(code)
        return name[:1].upper() + name[1:] if name else code

    def date(self, value: datetime.date, form: str = "long") -> str:
        """``value`` in one of CLDR's forms (``short``, ``medium``, ``long``, ``full``) or a pattern
        (``EEEE d MMMM``); the first of the month is ``1er`` in French."""
        pattern = self.locale.date_formats[form].pattern if form in ("short", "medium", "long", "full") else form
        suffix = _FIRST_DAY_SUFFIX.get(self.code) if value.day == 1 else None
        if suffix:
            pattern = untokenize_pattern([token if token != ("field", ("d", 1)) else ("chars", f"1{suffix}") for token in tokenize_pattern(pattern)])
        return format_date(value, format=pattern, locale=self.locale)

    def month_year(self, value: datetime.date) -> str:
        return format_date(value, format="MMMM y", locale=self.locale)

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def decimal(self, value: float, digits: int = 1, *, trim: bool = False) -> str:
        """``1.5`` with ``digits`` decimals, as the language writes it (``1,5`` in French); with
        ``trim``, at most ``digits`` (``1``, ``1,25``)."""
        fraction = ("#" if trim else "0") * digits
        return format_decimal(value, format=f"#,##0.{fraction}" if digits else "#,##0", locale=self.locale)

    def percent(self, value: float) -> str:
        """``0.45`` as ``45%`` (``45 %`` in French)."""
        return format_percent(value, locale=self.locale)

    def before(self, mark: str) -> str:
        """``mark`` (one of ``: ; ? !``) with the space the language sets before it, if any."""
        return _SPACE_BEFORE.get(self.code, "") + mark

    def colon(self, label: str) -> str:
        """``label:`` as the language punctuates it, for a label followed by its value in code or a
        template (``Aussi appelé : k8s``); a whole sentence with a colon is punctuated in its msgstr."""
        return label + self.before(":")

    def ago(self, value: datetime.date, today: datetime.date) -> str:
        """``il y a 14 mois``: how long before ``today`` ``value`` was, in round units; months up to two years."""
        return _ago(value - today, self.locale)


@lru_cache(maxsize=4096)
def _ago(delta: datetime.timedelta, locale: Locale) -> str:
    # Asked for every stale profile, twice a build, and most were last changed on a few days.
    return format_timedelta(delta, threshold=2, add_direction=True, locale=locale)


@cache
def load_language(code: str) -> Language:
    """The catalogue for ``code``; English (the messages as written) when there is none."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = Locale("en")
    po = LOCALES / locale.language / "LC_MESSAGES" / f"{DOMAIN}.po"
    translations: gettext.NullTranslations = gettext.NullTranslations()
    if po.is_file():
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=locale.language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        translations = gettext.GNUTranslations(buffer)
    return Language(locale.language, translations, locale)


def available_languages() -> list[str]:
    return ["en", *sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file())]
