"""The synthetic organisation's people and groups as they are drawn: the records the builder fills,
unique names, handles and slugs, and weighted pickers, all from one seeded random source.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import accumulate
from typing import Any

from faker import Faker

from generator.directory.model import HANDLE_RE
from generator.directory.synthdata import (
    FIRST_DAY,
    FRENCH_SHARE,
    Domain,
)


@cache
def ascii_letters(text: str) -> str:
    """Lowercase ASCII letters and digits only: ``Benaïssa-Le Gall`` -> ``benaissalegall``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


@cache
def slugify(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("&", " et ").replace("+", " plus "))
    out, dash = [], False
    for c in decomposed:
        if c.isascii() and c.isalnum():
            out.append(c.lower())
            dash = False
        elif not unicodedata.combining(c) and not dash and out:
            out.append("-")
            dash = True
    slug = "".join(out).strip("-")
    if len(slug) > 40:
        slug = slug[:40]
        slug = slug[: slug.rfind("-")] if "-" in slug[20:] else slug
    return slug.strip("-")


class Picker:
    """Weighted choice with precomputed cumulative weights: one random number per draw."""

    __slots__ = ("_cum", "_items", "_total")

    def __init__(self, items: list[Any] | tuple[Any, ...], weights: list[float] | tuple[float, ...]) -> None:
        self._items = list(items)
        self._cum = list(accumulate(weights))
        self._total = self._cum[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self._items[bisect_right(self._cum, rng.random() * self._total)]


SENTENCES = Picker((1, 2, 3, 4, 5), (15, 30, 30, 15, 10))  # sentences in a bio


class Slugs:
    """Distinct slugs for groups: ``payments``, ``payments-2``..."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, name: str) -> str:
        base = slugify(name) or "groupe"
        if len(base) < 2:
            base = f"groupe-{base}"
        slug, counter = base, 2
        while slug in self.taken:
            suffix = f"-{counter}"
            slug, counter = base[: 40 - len(suffix)].rstrip("-") + suffix, counter + 1
        self.taken.add(slug)
        return slug


@dataclass(slots=True, eq=False)
class SynthPerson:
    handle: str
    name: str
    first: str
    last: str
    female: bool
    french: bool
    title: str = ""
    team: str | None = None
    manager: str | None = None
    location: str = ""
    timezone: str | None = None
    languages: list[str] = field(default_factory=list)
    joined: date = FIRST_DAY
    kind: str = "employee"
    company: str | None = None
    pronouns: str | None = None
    contact: list[tuple[str, str, bool]] = field(default_factory=list)  # (kind, value, private)
    skills: list[tuple[str, str]] = field(default_factory=list)
    ask_me_about: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    seeks: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    lunch: bool = False
    snooze_until: date | None = None
    hidden: bool = False
    bio: str | None = None
    domain: Domain | None = None
    leader: bool = False


@dataclass(slots=True, eq=False)
class SynthGroup:
    slug: str
    name: str
    type: str
    description: str
    parent: str | None = None
    owners: list[str] = field(default_factory=list)
    open: bool = True
    members: list[str] = field(default_factory=list)
    channels: dict[str, str] = field(default_factory=dict)
    meetings: dict[str, str] = field(default_factory=dict)
    topic: str = ""
    site: str | None = None


class Names:
    """French and English names from Faker's tables, drawn with the generator's own random numbers."""

    def __init__(self, seed: int) -> None:
        fake = Faker(["fr_FR", "en_US"])
        fake.seed_instance(seed)
        self.fake = fake
        fr = fake["fr_FR"].provider("faker.providers.person")
        en = fake["en_US"].provider("faker.providers.person")
        self.tables: dict[bool, dict[str, Picker]] = {}
        for french, provider in ((True, fr), (False, en)):
            self.tables[french] = {key: table(getattr(provider, key)) for key in ("first_names_female", "first_names_male", "last_names")}
        self.taken: set[str] = {"true", "false", "null", "yes", "no", "on", "off"}
        self.emails: set[str] = set()

    def person(self, rng: random.Random) -> SynthPerson:
        french = rng.random() < FRENCH_SHARE
        female = rng.random() < 0.5
        table = self.tables[french]
        first = table["first_names_female" if female else "first_names_male"](rng)
        last = table["last_names"](rng)
        if french and rng.random() < 0.04:
            other = table["last_names"](rng)
            if other != last:
                last = f"{last}-{other}"
        name = f"{first} {last}"
        handle = self._handle(first, last)
        return SynthPerson(handle, name, first, last, female, french)

    def _handle(self, first: str, last: str) -> str:
        """``jdupont``; taken: ``jeanne-dupont``; taken: ``jdupont-2``, ``jdupont-3``..."""
        given, family = ascii_letters(first) or "x", ascii_letters(last) or "x"
        base = (given[0] + family)[:40]
        candidates = [base, f"{given}-{family}"[:40].rstrip("-")]
        for candidate in candidates:
            if candidate not in self.taken and HANDLE_RE.match(candidate):
                self.taken.add(candidate)
                return candidate
        counter = 2
        while True:
            suffix = f"-{counter}"
            candidate = base[: 40 - len(suffix)] + suffix
            if candidate not in self.taken and HANDLE_RE.match(candidate):
                self.taken.add(candidate)
                return candidate
            counter += 1

    def email(self, person: SynthPerson, domain: str) -> str:
        local = f"{ascii_letters(person.first) or 'x'}.{ascii_letters(person.last) or 'x'}"
        address, counter = f"{local}@{domain}", 2
        while address in self.emails:
            address, counter = f"{local}{counter}@{domain}", counter + 1
        self.emails.add(address)
        return address


def table(data: Any) -> Picker:
    if isinstance(data, dict):
        return Picker(list(data), list(data.values()))
    return Picker(list(data), [1.0] * len(data))
