"""Derived data: org trees, skill -> people, group -> members, back-links, URLs.

Everything a page needs is computed here once, in linear time, so rendering a page only reads.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.directory.model import LEVELS, Group, Person
from generator.directory.validate import Directory

MAX_SLUG = 80
_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
_STRONGEST_FIRST = {level: -rank for level, rank in _LEVEL_RANK.items()}
_ORG_TYPES = ("company", "department", "team")


Together = tuple[dict[str, int], Any]  # Org.held_together: the skills numbered, and how often each two are held by one person
_BLOCK = 8192  # people a block, when counting the skills they hold together (see Org.held_together)


@dataclass
class Org:
    """The directory with its back-links; built by :func:`enrich`, read by the renderer."""

    directory: Directory
    people: dict[str, Person]
    groups: dict[str, Group]
    reports: dict[str, list[str]] = field(default_factory=dict)
    team_members: dict[str, list[str]] = field(default_factory=dict)
    group_members: dict[str, list[str]] = field(default_factory=dict)
    groups_of: dict[str, list[str]] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    roots: list[str] = field(default_factory=list)
    top_managers: list[str] = field(default_factory=list)
    skill_people: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    skill_slugs: dict[str, str] = field(default_factory=dict)
    categories: dict[str, list[str]] = field(default_factory=dict)
    locations: dict[str, list[str]] = field(default_factory=dict)
    location_slugs: dict[str, str] = field(default_factory=dict)
    # A site is a person's `location`; a group of type site is its page (see _site_groups).
    site_groups: dict[str, str] = field(default_factory=dict)
    # How many listed people hold each skill of the taxonomy, 0 for a skill nobody holds yet.
    skill_counts: dict[str, int] = field(default_factory=dict)
    languages: dict[str, list[str]] = field(default_factory=dict)
    sorted_people: list[str] = field(default_factory=list)
    # A skill's pages (one per 200 people) all show its related skills: counted once per skill.
    _related: dict[tuple[str, int], list[tuple[str, int]]] = field(default_factory=dict, repr=False, compare=False)
    _together: Together | None = field(default=None, repr=False, compare=False)  # see held_together
    _hidden: frozenset[str] | None = field(default=None, repr=False, compare=False)  # see listed; the people are final once enriched

    def manager_chain(self, handle: str) -> list[str]:
        """From the top of the company down to ``handle``'s manager."""
        chain: list[str] = []
        seen = {handle}
        current = self.people[handle].manager
        while current is not None and current in self.people and current not in seen:
            chain.append(current)
            seen.add(current)
            current = self.people[current].manager
        return chain[::-1]

    def group_chain(self, slug: str) -> list[str]:
        chain: list[str] = []
        seen = {slug}
        current = self.groups[slug].parent
        while current is not None and current in self.groups and current not in seen:
            chain.append(current)
            seen.add(current)
            current = self.groups[current].parent
        return chain[::-1]

    def members_of(self, slug: str) -> list[str]:
        """Everyone in a group: a team's people, a department's or company's through their teams."""
        group = self.groups[slug]
        if group.type in _ORG_TYPES:
            return self.team_members.get(slug, [])
        return self.group_members.get(slug, [])

    def related_skills(self, skill: str, limit: int = 8) -> list[tuple[str, int]]:
        """The skills that people who have ``skill`` most often have too."""
        if (skill, limit) not in self._related:
            columns, together = self.held_together()
            row = columns.get(skill)
            counts = [] if row is None else [(name, int(together[row, column])) for name, column in columns.items() if column != row and together[row, column]]
            self._related[skill, limit] = sorted(counts, key=lambda item: (-item[1], item[0].casefold()))[:limit]
        return list(self._related[skill, limit])

    def know_together(self, together: Together) -> None:
        """Take :meth:`held_together` as another process worked it out from the same people (a child forked from this one), unless it is known here already."""
        if self._together is None:
            self._together = together

    def held_together(self) -> Together:
        """How often each two skills are held by one person: ``together[a, b]``, the skills numbered by the mapping.

        The product of the people-by-skills matrix with itself, made a block of people at a time,
        once an organisation. Counting the skills of every holder of each skill in turn grew as the
        people times the square of the skills each holds: 4.7 ms a skill at 10,000 people, the
        costliest question a page asks (:meth:`related_skills`), asked again by every build that
        keeps pages.
        """
        if self._together is None:
            import numpy as np  # not for the commands that never ask

            columns = {name: column for column, name in enumerate(sorted(self.skill_people))}
            together = np.zeros((len(columns), len(columns)))
            handles = list(self.people)
            for start in range(0, len(handles), _BLOCK):
                rows: list[int] = []
                held: list[int] = []
                for row, handle in enumerate(handles[start : start + _BLOCK]):
                    for entry in self.people[handle].skills:
                        rows.append(row)
                        held.append(columns[entry.name])
                block = np.zeros((min(_BLOCK, len(handles) - start), len(columns)))
                np.add.at(block, (rows, held), 1)  # a skill named twice counts twice, as holders are listed
                together += block.T @ block  # exact: small whole numbers in floating point
            self._together = columns, together
        return self._together

    def newest(self, limit: int = 8) -> list[str]:
        dated = [(p.joined, h) for h, p in self.people.items() if p.joined is not None and p.search == "visible"]
        dated.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [handle for _, handle in dated[:limit]]

    def listed(self, handles: list[str]) -> list[str]:
        """``handles`` without people who asked to be hidden from listings."""
        # Told by a small set, not by each person's field: at 100,000 people a build lists several
        # million handles (each skill's holders, twice), and reaching every person's record cost seconds.
        hidden = self.hidden()
        return [h for h in handles if h not in hidden] if hidden else list(handles)

    def hidden(self) -> frozenset[str]:
        """The people who asked to be hidden from listings (:meth:`listed` leaves them out)."""
        if self._hidden is None:
            self._hidden = frozenset(h for h, person in self.people.items() if person.search != "visible")
        return self._hidden

    @property
    def held_skills(self) -> list[str]:
        """The skills of the taxonomy that at least one listed person holds: the count every page shows."""
        return [name for name, count in self.skill_counts.items() if count]

    @property
    def unheld_skills(self) -> list[str]:
        """The skills of the taxonomy that no listed person holds yet, by name."""
        return sorted((name for name, count in self.skill_counts.items() if not count), key=sort_key)

    def site_people(self, name: str) -> list[str]:
        """The people of the site ``name``: the listed people whose location it is. The Sites page counts
        them, the site's group (its page) and its location page list them."""
        return self.listed(self.locations.get(name, []))


def enrich(directory: Directory) -> Org:
    """Compute every back-link of ``directory`` in one pass over people and groups."""
    people, groups = directory.people, directory.groups
    org = Org(directory, people, groups)
    org.sorted_people = sorted(people, key=lambda h: (sort_key(people[h].name), h))
    rank = {handle: index for index, handle in enumerate(org.sorted_people)}
    by_name = rank.__getitem__

    reports: defaultdict[str, list[str]] = defaultdict(list)
    direct_team: defaultdict[str, list[str]] = defaultdict(list)
    members: defaultdict[str, list[str]] = defaultdict(list)
    groups_of: defaultdict[str, list[str]] = defaultdict(list)
    skill_people: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    locations: defaultdict[str, list[str]] = defaultdict(list)
    languages: defaultdict[str, list[str]] = defaultdict(list)
    for handle in org.sorted_people:
        person = people[handle]
        if person.manager in people:
            reports[person.manager].append(handle)
        if person.team in groups:
            direct_team[person.team].append(handle)
        for slug in person.groups:
            if slug in groups and groups[slug].open:
                members[slug].append(handle)
        for entry in person.skills:
            skill_people[entry.name].append((handle, entry.level))
        if person.location:
            locations[person.location].append(handle)
        for code in person.languages:
            languages[code].append(handle)
    org.site_groups = _site_groups(groups, locations)
    site_of_group = {slug: name for name, slug in org.site_groups.items()}
    for slug, group in groups.items():
        if slug in site_of_group:
            # A site group's members are the site's people, whoever listed it in their groups
            # (site_people(), read before org.locations is set).
            members[slug] = org.listed(locations[site_of_group[slug]])
        else:
            for handle in group.members:
                if handle in people and handle not in members[slug]:
                    members[slug].append(handle)
            members[slug].sort(key=by_name)
        for handle in members[slug]:
            groups_of[handle].append(slug)

    children: defaultdict[str, list[str]] = defaultdict(list)
    for slug, group in groups.items():
        if group.parent in groups:
            children[group.parent].append(slug)
    group_key = {slug: (sort_key(group.name), slug) for slug, group in groups.items()}
    for kids in children.values():
        kids.sort(key=group_key.__getitem__)
    org.children = dict(children)
    org.roots = sorted((s for s, g in groups.items() if g.parent not in groups), key=group_key.__getitem__)
    org.team_members = _members_through_teams(org, direct_team, by_name)
    org.group_members = dict(members)
    org.groups_of = {h: sorted(slugs, key=group_key.__getitem__) for h, slugs in groups_of.items()}
    org.reports = dict(reports)
    org.top_managers = [h for h in org.sorted_people if people[h].manager not in people and h in reports]
    # Each skill's holders were met in the people's order: a stable sort by level alone keeps that order
    # among holders of one level (at 100,000 people, 0.3 s against 0.65 s for level and rank together).
    for entries in skill_people.values():
        entries.sort(key=lambda item: _STRONGEST_FIRST[item[1]])
    org.skill_people = dict(skill_people)
    org.skill_slugs = unique_slugs(directory.skills.definitions)
    hidden = org.hidden()
    org.skill_counts = {
        name: sum(handle not in hidden for handle, _ in skill_people.get(name, ())) if hidden else len(skill_people.get(name, ()))
        for name in directory.skills.definitions
    }
    categories: defaultdict[str, list[str]] = defaultdict(list)
    for name, definition in directory.skills.definitions.items():
        categories[definition.category].append(name)
    org.categories = {c: sorted(names, key=sort_key) for c, names in sorted(categories.items(), key=lambda item: sort_key(item[0]))}
    org.locations = dict(sorted(locations.items(), key=lambda item: sort_key(item[0])))
    org.location_slugs = unique_slugs(org.locations)
    org.languages = dict(sorted(languages.items(), key=lambda item: (-len(item[1]), item[0])))
    return org


def _site_groups(groups: dict[str, Group], locations: dict[str, list[str]]) -> dict[str, str]:
    """Location -> the group of type site that is its page: ``site-lyon`` or ``lyon`` for ``Lyon``."""
    by_slug = {slugify(name): name for name in locations}
    found: dict[str, str] = {}
    for slug in sorted(groups):
        if groups[slug].type == "site":
            name = by_slug.get(slug.removeprefix("site-")) or by_slug.get(slug)
            if name is not None and name not in found:
                found[name] = slug
    return found


def _members_through_teams(org: Org, direct: dict[str, list[str]], by_name: Callable[[str], int]) -> dict[str, list[str]]:
    """People of each team, department and company group, through the teams below it."""
    result: dict[str, list[str]] = {}

    def collect(slug: str, trail: frozenset[str]) -> list[str]:
        if slug in result:
            return result[slug]
        group = org.groups[slug]
        if group.type == "company" and sum(g.type == "company" for g in org.groups.values()) == 1:
            result[slug] = list(org.sorted_people)  # the one company: everyone, heads included
            return result[slug]
        # A department's owners are its heads; they have no team of their own.
        found = list(direct.get(slug, [])) + [h for h in group.owners if h in org.people]
        for child in org.children.get(slug, []):
            if child not in trail and org.groups[child].type in _ORG_TYPES:
                found.extend(collect(child, trail | {child}))
        found = sorted(set(found), key=by_name)
        result[slug] = found
        return found

    for slug, group in org.groups.items():
        if group.type in _ORG_TYPES:
            collect(slug, frozenset({slug}))
    return result


def sort_key(text: str) -> str:
    """Alphabetical order as people expect it: accents and case do not count."""
    return strip_accents(text).casefold()


def strip_accents(text: str) -> str:
    if text.isascii():  # most names: nothing to decompose, told at C's speed
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slugify(text: str) -> str:
    """A URL-safe name: ``C++`` -> ``c-plus-plus``, ``Sécurité réseau`` -> ``securite-reseau``."""
    text = text.replace("+", " plus ").replace("#", " sharp ").replace("&", " and ").replace(".", " dot ")
    text = strip_accents(text).casefold()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"
    if len(slug) <= MAX_SLUG:
        return slug
    # Slugs become file names (255 bytes at most on common file systems); a hash of the whole
    # slug keeps two long names that share a beginning apart, the same in every build.
    digest = hashlib.sha256(slug.encode("ascii")).hexdigest()[:8]
    return f"{slug[: MAX_SLUG - 9].rstrip('-')}-{digest}"


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """A distinct slug for each name, stable across builds (ties broken in sorted order)."""
    slugs: dict[str, str] = {}
    # ``index`` is each folder's own page (skills/index.md); a skill named "Index" gets index-2.
    taken: set[str] = {"index"}
    for name in sorted(names):
        base = slugify(name)
        slug, counter = base, 2
        while slug in taken:
            slug, counter = f"{base}-{counter}", counter + 1
        taken.add(slug)
        slugs[name] = slug
    return slugs
