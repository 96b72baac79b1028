"""The site's words in the UI language: a gettext catalogue per language, Babel for the rest.

Messages are written in English in the templates and translated through
``generator/locales/<lang>/LC_MESSAGES/trombi.po`` (read directly, no compile step).
"""

from __future__ import annotations

import datetime
import gettext
import io
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from generator import PACKAGE

LOCALES = PACKAGE / "locales"
DOMAIN = "trombi"
LEVEL_LABELS = {"notions": "Notions", "intermediate": "Intermediate", "advanced": "Advanced", "expert": "Expert"}
KIND_LABELS = {"employee": "Employee", "contractor": "Contractor", "partner": "Partner"}
GROUP_KIND_LABELS = {
    "company": "Company",
    "department": "Department",
    "team": "Team",
    "project": "Project",
    "site": "Site",
    "community": "Community",
    "interest": "Interest",
}
MEETING_LABELS = {"week": "every week", "two-weeks": "every two weeks", "month": "every month", "quarter": "every quarter"}
GROUP_TYPE_LABELS = {
    "company": "Company",
    "department": "Departments",
    "team": "Teams",
    "project": "Projects",
    "site": "Sites",
    "community": "Communities",
    "interest": "Interests",
}


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
        return format_date(value, format=form, locale=self.locale)

    def month_year(self, value: datetime.date) -> str:
        return format_date(value, format="MMMM y", locale=self.locale)

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def decimal(self, value: float) -> str:
        """``1.5`` with one decimal, as the language writes it (``1,5`` in French)."""
        return format_decimal(value, format="0.0", locale=self.locale)

    def ago(self, value: datetime.date, today: datetime.date) -> str:
        """``il y a 14 mois``: how long before ``today`` ``value`` was, in round units; months up to two years."""
        return format_timedelta(value - today, threshold=2, add_direction=True, locale=self.locale)


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
