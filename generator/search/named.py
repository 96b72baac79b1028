"""The pages a query names: skills, teams, groups, sites and languages, shown above the people found.

``guilde python`` names the Guilde Python group, ``python`` the Python skill (and, less closely,
the guild), ``guilde`` every guild, ``prise de parole`` the skill "Prise de parole en public".
One definition for both searches: the terminal's (:func:`named`, over the pages kept beside
its index) and the browser's (``namedPages`` in ``assets/search.js``, the same rules in the same
order, over the shards of :func:`shards`).

How closely a query names a page, from a word list (folded, split by :func:`words`, little
words left out) to one of the page's names (its own, or a skill's alias):

2. the same words: ``prise de parole en public``;
1. every word of the query is a word of the name, the last one possibly begun (three letters
   or more): ``parole``, ``guilde py``.

A query that holds a name and more (``python lyon``, ``python expert``) names no page: it asks for
people, Python's at Lyon, and the pages above them would only push them down.

Pages rank by how closely they are named, then skills before teams,
groups, sites and languages, then the shortest name (``sécurité``: "Sécurité applicative" before
"Réponse aux incidents de sécurité"), then by name. At most :data:`NAMED_LIMIT` are shown.

The browser does not download every name of a large company (12,000 teams at 100,000 people):
the names are filed by the first two letters of each of their words, one small file a key, and
a query fetches only the files of its words' keys. A word found in more than
:data:`COMMON_WORD` pages ("équipe", in every team's name) files nothing: it names none of them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.directory.enrich import Org
from generator.i18n import GROUP_KIND_LABELS, Language
from generator.search.analysis import STOP_WORDS, fold, joined
from generator.site.urls import page_url

NAMED_LIMIT = 5
EXACT = 2  # the query's words are the name's
KINDS = ("skill", "team", "group", "site", "language")  # the order of the section
COMMON_WORD = 200
# Between words: spaces, and the punctuation that joins words in names ("Saint-Denis", "CI/CD").
_SEPARATORS = re.compile(r"[\s\-/,;:()!?\"«»]+")
PREFIX_MIN = 3  # letters a begun word needs to name a page
SHARDS_DIR = "assets/search-named"
_PLAIN_KEY = re.compile(r"[a-z0-9]{1,2}")


@dataclass(frozen=True)
class NamedPage:
    """A page a query can name: ``id`` is ``<kind>:<slug>`` (``group:guilde-python``)."""

    id: str
    name: str
    aliases: tuple[str, ...]
    url: str  # from the site's root
    people: int
    group_type: str | None = None  # for groups and teams: the type the page shows

    @property
    def kind(self) -> str:
        return self.id.split(":", 1)[0]

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "name": self.name, "url": self.url, "people": self.people}

    def as_row(self) -> list[object]:
        return [self.id, self.name, list(self.aliases), self.url, self.people, self.group_type]

    @classmethod
    def from_row(cls, row: list[Any]) -> NamedPage:
        page_id, name, aliases, url, people, group_type = row
        return cls(page_id, name, tuple(aliases), url, people, group_type)


def words(text: str) -> list[str]:
    """``"Guilde Python"`` -> ``["guilde", "python"]``: folded, without apostrophes, split, little words left out."""
    return [word for word in (part.rstrip(".") for part in _SEPARATORS.split(joined(fold(text)))) if word and word not in STOP_WORDS]


def closeness(query: list[str], name: list[str]) -> int:
    """How closely the query's words name a page's name: 2, 1, or 0 (see the module's docstring)."""
    if not query or not name:
        return 0
    if query == name:
        return EXACT
    *whole, last = query
    if all(word in name for word in whole) and (last in name or (len(last) >= PREFIX_MIN and any(part.startswith(last) for part in name))):
        return 1
    return 0


def named(query: str, filed: Mapping[str, list[NamedPage]], limit: int = NAMED_LIMIT) -> list[NamedPage]:
    """The pages ``query`` names, most closely named first, among the pages ``filed`` by :func:`shards`.

    Only the keys of the query's words are read, as the browser fetches only their files.
    """
    asked = words(query)
    candidates = {page.id: page for word in asked for page in filed.get(key(word), [])}
    found = []
    for page in candidates.values():
        # The closest of its names, and of those the shortest.
        strength, shortness = max((closeness(asked, named), -len(named)) for named in map(words, (page.name, *page.aliases)))
        if strength:
            found.append((-strength, KINDS.index(page.kind), -shortness, fold(page.name), page.id, page))
    found.sort(key=lambda item: item[:5])
    return [item[-1] for item in found[:limit]]


def named_pages(org: Org, language: Language, *, directory_urls: bool = True) -> list[NamedPage]:
    """Every page a query can name: skills, groups and teams, sites, and languages by their name in ``language``."""

    def url(path: str) -> str:
        return page_url(path, directory_urls=directory_urls)

    definitions = org.directory.skills.definitions
    pages = [
        NamedPage(f"skill:{slug}", name, tuple(definitions[name].aliases), url(f"skills/{slug}.md"), len(org.skill_people.get(name, [])))
        for name, slug in org.skill_slugs.items()
    ]
    for slug, group in org.groups.items():
        kind = "team" if group.type == "team" else "group"
        pages.append(NamedPage(f"{kind}:{slug}", group.name, (), url(f"groups/{slug}.md"), len(org.members_of(slug)), group.type))
    pages += [NamedPage(f"site:{slug}", name, (), url(f"org/locations/{slug}.md"), len(org.locations[name])) for name, slug in org.location_slugs.items()]
    pages += [
        NamedPage(f"language:{code}", language.language_name(code), (), url(f"org/languages/{code}.md"), len(handles))
        for code, handles in org.languages.items()
    ]
    return pages


def kind_label(page: NamedPage) -> str:
    """What the section says a page is, untranslated: "Skill", "Team", "Community"…"""
    if page.group_type is not None:
        return GROUP_KIND_LABELS[page.group_type]
    return {"skill": "Skill", "site": "Location", "language": "Language"}[page.kind]


def key(word: str) -> str:
    """The file a word is filed in: its first two letters, spelled safely for a URL (``search.js`` spells it the same)."""
    start = word[:2]
    return start if _PLAIN_KEY.fullmatch(start) else "x" + "-".join(f"{ord(c):x}" for c in start)


def shards(pages: list[NamedPage]) -> dict[str, list[NamedPage]]:
    """The pages by the keys of their names' words; a word common to too many pages files nothing."""
    page_words = [{word for name in (page.name, *page.aliases) for word in words(name)} for page in pages]
    counts = Counter(word for found in page_words for word in found)
    filed: defaultdict[str, dict[str, NamedPage]] = defaultdict(dict)
    for page, found in zip(pages, page_words, strict=True):
        for word in found:
            if counts[word] <= COMMON_WORD:
                filed[key(word)][page.id] = page
    return {k: list(v.values()) for k, v in sorted(filed.items())}


def shard_rows(pages: list[NamedPage], language: Language) -> Iterator[list[object]]:
    """A shard's rows for the browser: id, name, aliases, URL, and the line under the name ("Équipe · 7 personnes")."""
    for page in pages:
        count = language.ngettext("%(num)s person", "%(num)s people", page.people) % {"num": language.number(page.people)}
        yield [page.id, page.name, list(page.aliases), page.url, f"{language.gettext(kind_label(page))} · {count}"]
