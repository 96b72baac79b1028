"""The monthly lunch pairing: who has lunch with whom, across teams and departments.

Everyone who opted in (``networking.lunch``) and is not snoozed is paired with someone of the
same site, remote people with remote people (or, for the odd one out, anyone by video). No pair
is repeated within :data:`HISTORY_MONTHS` months, read from ``pairings/YYYY-MM.yaml``. The draw is
seeded by the month: the same month and the same people give the same pairs.

The cost is linear: people are bucketed by site and shuffled, then matched greedily, each one
looking at most :data:`LOOKAHEAD` places ahead for a partner of another team and department with
whom they have not lunched lately; the few left over are repaired by swaps with existing pairs.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from generator.directory.enrich import Org, strip_accents
from generator.directory.model import Person
from generator.problems import Message

HISTORY_MONTHS = 12
LOOKAHEAD = 32
REPAIR_TRIES = 400
REMOTE_NAMES = frozenset({"teletravail", "remote", "a distance", "distanciel", "home office", "full remote"})
Mode = Literal["in-person", "video"]
VIDEO: Mode = "video"
IN_PERSON: Mode = "in-person"
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

Pairings = Mapping[str, Sequence[Sequence[str]]]


@dataclass(frozen=True, slots=True)
class Lunch:
    """Two (or, for an odd count, three) people having lunch together."""

    people: tuple[str, ...]
    mode: Mode
    site: str | None = None


@dataclass
class MonthPairing:
    """The lunches of one month; ``recorded`` when read from ``pairings/`` rather than drawn."""

    month: str
    lunches: list[Lunch] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    recorded: bool = False


@dataclass(frozen=True)
class Quality:
    """How good a month's pairing is: the shares count lunches, repeats count pairs of people."""

    lunches: int
    people: int
    cross_team: float
    cross_department: float
    repeats: int
    trios: int
    unmatched: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "lunches": self.lunches,
            "people": self.people,
            "cross_team": round(self.cross_team, 4),
            "cross_department": round(self.cross_department, 4),
            "repeats": self.repeats,
            "trios": self.trios,
            "unmatched": self.unmatched,
        }


# --- who takes part --------------------------------------------------------------------------


def check_month(text: str) -> str:
    """``text`` if it is a month ``YYYY-MM``; raise :class:`ValueError` (with the ``Message`` to say) otherwise."""
    if not MONTH_RE.match(text):
        raise ValueError(Message("'{text}' is not a month: write it as YYYY-MM, e.g. 2026-11", text=text))
    return text


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def first_day(month: str) -> date:
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, 1)


def shift_month(month: str, delta: int) -> str:
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def is_remote(location: str | None) -> bool:
    """Remote work (or no site given): such people meet by video."""
    return location is None or strip_accents(location).casefold().strip() in REMOTE_NAMES


def eligible(org: Org, month: str) -> list[str]:
    """Handles that take part in ``month``'s pairing: opted in and not snoozed past its first day."""
    start = first_day(month)
    return [handle for handle in sorted(org.people) if _takes_part(org.people[handle], start)]


def departments(org: Org) -> dict[str, str]:
    """Each person's department slug (through their team's parents), for those who have one."""
    by_team: dict[str, str | None] = {}
    result: dict[str, str] = {}
    for handle, person in org.people.items():
        team = person.team
        if team is None or team not in org.groups:
            continue
        if team not in by_team:
            chain = [*org.group_chain(team), team]
            by_team[team] = next((slug for slug in reversed(chain) if org.groups[slug].type == "department"), None)
        department = by_team[team]
        if department is not None:
            result[handle] = department
    return result


def recent_partners(history: Pairings, month: str, months: int = HISTORY_MONTHS) -> dict[str, set[str]]:
    """Who lunched with whom in the ``months`` months before ``month``."""
    window = {shift_month(month, -delta) for delta in range(1, months + 1)}
    partners: defaultdict[str, set[str]] = defaultdict(set)
    for recorded, lunches in history.items():
        if recorded not in window:
            continue
        for lunch in lunches:
            for handle in lunch:
                partners[handle].update(other for other in lunch if other != handle)
    return dict(partners)


# --- the draw --------------------------------------------------------------------------------


def pair_month(org: Org, month: str, history: Pairings | None = None) -> MonthPairing:
    """Draw ``month``'s lunches; the same month, people and history always give the same lunches."""
    recent = recent_partners(history or {}, month)
    teams = {h: p.team for h, p in org.people.items()}
    matcher = _Matcher(recent, teams, departments(org))
    buckets: defaultdict[str, list[str]] = defaultdict(list)
    remote: list[str] = []
    for handle in eligible(org, month):
        location = org.people[handle].location
        if is_remote(location):
            remote.append(handle)
        else:
            assert location is not None
            buckets[location].append(handle)
    result = MonthPairing(month)
    site_people = {handle for people in buckets.values() for handle in people}
    leftovers: dict[str, list[str]] = {}
    site_lunches: dict[str, list[list[str]]] = {}
    for site in sorted(buckets):
        pairs, left = matcher.match(_shuffled(buckets[site], month, site))
        site_lunches[site], leftovers[site] = pairs, left
    remote_pairs, remote_left = matcher.match(_shuffled(remote, month, VIDEO))
    # Those left over anywhere (the odd ones out, those who met every neighbour lately) lunch by video.
    pool = remote_left + [handle for site in sorted(leftovers) for handle in leftovers[site]]
    video_pairs, video_left = matcher.match(_shuffled(pool, month, "leftovers"))
    for site in sorted(site_lunches):
        stuck = [handle for handle in video_left if handle in leftovers[site]]
        video_left = [handle for handle in video_left if handle not in stuck]
        video_left += matcher.add_trios(site_lunches[site], stuck)
    by_video = remote_pairs + video_pairs
    video_left = matcher.add_trios(by_video, video_left)
    # Still alone: join an in-person lunch, which then happens by video.
    for site in sorted(site_lunches):
        video_left = matcher.add_trios(site_lunches[site], video_left)
        by_video += [people for people in site_lunches[site] if len(people) == 3 and people[2] not in site_people]
        site_lunches[site] = [people for people in site_lunches[site] if len(people) < 3 or people[2] in site_people]
        result.lunches += [Lunch(tuple(people), IN_PERSON, site) for people in site_lunches[site]]
    result.lunches += [Lunch(tuple(people), VIDEO) for people in by_video]
    result.unmatched = list(video_left)
    result.unmatched.sort()
    return result


def quality(org: Org, pairing: MonthPairing, history: Pairings | None = None) -> Quality:
    """Shares of lunches mixing teams and departments, repeats within the last months, people left out."""
    recent = recent_partners(history or {}, pairing.month)
    department = departments(org)
    cross_team = cross_department = repeats = 0
    for lunch in pairing.lunches:
        teams = [org.people[h].team if h in org.people else None for h in lunch.people]
        cross_team += len({t for t in teams if t is not None}) == len(teams)
        depts = [department.get(h) for h in lunch.people]
        cross_department += None not in depts and len(set(depts)) == len(depts)
        repeats += sum(1 for i, a in enumerate(lunch.people) for b in lunch.people[i + 1 :] if b in recent.get(a, ()))
    count = max(1, len(pairing.lunches))
    return Quality(
        lunches=len(pairing.lunches),
        people=sum(len(lunch.people) for lunch in pairing.lunches),
        cross_team=cross_team / count,
        cross_department=cross_department / count,
        repeats=repeats,
        trios=sum(len(lunch.people) == 3 for lunch in pairing.lunches),
        unmatched=len(pairing.unmatched),
    )


class _Matcher:
    def __init__(self, recent: dict[str, set[str]], teams: Mapping[str, str | None], departments: Mapping[str, str]) -> None:
        self.recent = recent
        self.teams = teams
        self.departments = departments

    def allowed(self, a: str, b: str) -> bool:
        return b not in self.recent.get(a, ())

    def score(self, a: str, b: str) -> int:
        """2: other department, 1: other team, 0: same team (still better than nobody)."""
        team_a, team_b = self.teams.get(a), self.teams.get(b)
        if team_a is not None and team_a == team_b:
            return 0
        dept_a, dept_b = self.departments.get(a), self.departments.get(b)
        return 1 if dept_a is not None and dept_a == dept_b else 2

    def match(self, people: list[str]) -> tuple[list[list[str]], list[str]]:
        """Greedy pairs with a bounded look-ahead, then a repair of those left over."""
        used = [False] * len(people)
        pairs: list[list[str]] = []
        left: list[str] = []
        for i, person in enumerate(people):
            if used[i]:
                continue
            used[i] = True
            best, best_score, seen, j = -1, -1, 0, i + 1
            while j < len(people) and seen < LOOKAHEAD:
                if not used[j]:
                    seen += 1
                    other = people[j]
                    if self.allowed(person, other):
                        score = self.score(person, other)
                        if score > best_score:
                            best, best_score = j, score
                            if score == 2:
                                break
                j += 1
            if best >= 0:
                used[best] = True
                pairs.append([person, people[best]])
            else:
                left.append(person)
        return pairs, self._repair(pairs, left)

    def _repair(self, pairs: list[list[str]], left: list[str]) -> list[str]:
        """Pair the leftovers together, or through a swap with an existing pair: (u, v) + (a, b) -> (u, a) + (v, b)."""
        remaining: list[str] = []
        for person in left:
            partner = next((other for other in remaining if self.allowed(person, other)), None)
            if partner is not None:
                remaining.remove(partner)
                pairs.append([partner, person])
            else:
                remaining.append(person)
        still: list[str] = []
        while len(remaining) >= 2:
            u, v = remaining.pop(), remaining.pop()
            for pair in pairs[:REPAIR_TRIES]:
                a, b = pair
                if self.allowed(u, a) and self.allowed(v, b):
                    pair[:] = [u, a]
                    pairs.append([v, b])
                    break
                if self.allowed(u, b) and self.allowed(v, a):
                    pair[:] = [u, b]
                    pairs.append([v, a])
                    break
            else:
                still += [u, v]
        return remaining + still

    def add_trios(self, pairs: list[list[str]], left: list[str]) -> list[str]:
        """Each leftover joins a pair with neither of whom they lunched lately; return who could not."""
        unmatched = []
        for person in left:
            target = next((pair for pair in pairs[:REPAIR_TRIES] if len(pair) == 2 and all(self.allowed(person, p) for p in pair)), None)
            if target is None:
                unmatched.append(person)
            else:
                target.append(person)
        return unmatched


def _shuffled(handles: Iterable[str], month: str, bucket: str) -> list[str]:
    seed = int.from_bytes(hashlib.sha256(f"trombi-lunch:{month}:{bucket}".encode()).digest()[:8], "big")
    people = sorted(handles)
    random.Random(seed).shuffle(people)
    return people


# --- history files ---------------------------------------------------------------------------


def recorded_pairing(org: Org, month: str, lunches: Sequence[Sequence[str]], *, everyone: bool = False) -> MonthPairing:
    """A month read from the history, with today's sites of the people still in the directory.

    The site shows only those still here; with ``everyone`` (``trombi pairs``), every lunch is
    kept as recorded, people who have left included.
    """
    result = MonthPairing(month, recorded=True)
    for people in lunches:
        present = tuple(h for h in people if h in org.people)
        if everyone and present != tuple(people):
            result.lunches.append(Lunch(tuple(people), VIDEO, None))
            continue
        if len(present) < 2:
            continue
        sites = {org.people[h].location for h in present}
        site = next(iter(sites)) if len(sites) == 1 else None
        in_person = site is not None and not is_remote(site)
        result.lunches.append(Lunch(present, IN_PERSON if in_person else VIDEO, site if in_person else None))
    return result


def _takes_part(person: Person, start: date) -> bool:
    snooze = person.networking.snooze_until
    return person.networking.lunch and (snooze is None or snooze <= start)


def site_months(org: Org, history: Pairings, today: date) -> list[MonthPairing]:
    """The months the site shows, newest first: every recorded month, and this month (drawn if not recorded)."""
    current = month_of(today)
    months = [recorded_pairing(org, month, history[month]) for month in sorted(history, reverse=True)]
    if current not in history:
        months.insert(0, pair_month(org, current, history))
        months.sort(key=lambda pairing: pairing.month, reverse=True)
    return months


def listed_lunches(org: Org, pairing: MonthPairing) -> list[Lunch]:
    """The lunches a page may show: none with someone who asked to stay out of listings."""
    return [lunch for lunch in pairing.lunches if all(org.people[h].search == "visible" for h in lunch.people)]
