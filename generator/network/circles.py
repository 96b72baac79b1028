"""Whom one might count in one's own network, and why: suggestions for the information, support and operational circles.

The rules come from the practice of transverse management. Information: peers with the same or a
similar title in another team or site, fellow members of one's communities and interest groups.
Support: former managers and former teammates (from the git history of every profile, as
:class:`~generator.history.git.Tenure`), people who joined the same month, people whose seeks one's
offers answer. Operational: the managers of the members of one's projects, and the people of the
groups one's projects serve (``serves``).

The rules read :class:`Facts`, the directory reduced to what they need, with people and groups
as indexes: the same facts are published for the browser (``assets/my-network.json``,
:mod:`generator.network.mine`), whose script (``assets/my-network.js``) runs these rules again,
in the same order, so that the page and ``trombi network suggest`` say the same. Each rule gives
at most :data:`PER_RULE` people not suggested by an earlier rule, in its own order, then in an
order drawn from both handles (:func:`spread`): two colleagues with the same title do not see the
same six peers, and a build gives what the one before gave.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from generator.directory.enrich import Org
from generator.history.git import History
from generator.i18n import Language
from generator.network.matching import OfferIndex
from generator.problems import N_
from generator.search.analysis import stemming

Circle = Literal["information", "support", "operational"]
CIRCLES: tuple[Circle, ...] = ("information", "support", "operational")
PER_RULE = 6
SIMILAR_TITLES = 0.5  # the share of words two titles must have in common (Jaccard) to be similar
_EPOCH = date(1970, 1, 1).toordinal()
GROUP_KINDS = {"team": 0, "community": 1, "interest": 1, "project": 2}  # 3 for any other kind
KINDS = {"employee": 0, "contractor": 1, "partner": 2}
NOBODY = -1
CIRCLE_LABELS = {"information": N_("Information circle"), "support": N_("Support circle"), "operational": N_("Operational circle")}
# Why someone is suggested, by rule id: the page words them with the same msgids (generator/network/mine.py).
REASONS = {
    "same-title": N_("same title, in another team or site"),
    "similar-title": N_("similar title: %(title)s"),
    "community": N_("member of %(group)s, as you are"),
    "former-manager": N_("was your manager until %(month)s"),
    "former-teammate": N_("in %(group)s with you until %(month)s"),
    "joined": N_("joined in %(month)s, as you did"),
    "offers": N_("what you offer answers what they seek"),
    "lent": N_("manages %(person)s, on %(group)s"),
    "served": N_("%(group)s, which %(project)s serves"),
}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why someone is suggested: ``code`` (a rule's id) and what it names (indexes into :class:`Facts`, -1 for none; a month)."""

    code: str
    group: int = NOBODY
    person: int = NOBODY
    title: int = NOBODY
    month: str = ""
    project: int = NOBODY


@dataclass(slots=True)
class Suggestion:
    person: int
    circle: Circle
    reasons: list[Reason]


@dataclass
class Facts:
    """The listed people (``handles``, in directory order) and what the rules read of them, by index.

    ``past``: each person's tenures before the current one as (day, team, manager); ``since``: the
    day the current one began (None: as far as the history goes). Days count from 1970-01-01.
    """

    handles: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    kinds: list[int] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # distinct titles
    family: list[int] = field(default_factory=list)  # title -> the same title, said another way (same words once analysed)
    similar: list[list[int]] = field(default_factory=list)  # family -> similar families
    title: list[int] = field(default_factory=list)
    team: list[int] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    site: list[int] = field(default_factory=list)
    manager: list[int] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    joined: list[int] = field(default_factory=list)
    groups: list[tuple[str, str, int]] = field(default_factory=list)  # slug, name, kind (GROUP_KINDS)
    member: list[list[int]] = field(default_factory=list)  # person -> their communities, interest groups and projects
    serves: dict[int, list[int]] = field(default_factory=dict)  # project -> the groups it serves
    served: dict[int, list[int]] = field(default_factory=dict)  # served group -> its owners, then its members
    past: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)
    since: dict[int, int] = field(default_factory=dict)
    helped: dict[int, list[int]] = field(default_factory=dict)  # person -> people whose seeks their offers answer

    def index(self) -> dict[str, int]:
        return {handle: position for position, handle in enumerate(self.handles)}


def spread(me: str, other: str) -> int:
    """FNV-1a (32 bits) of ``me>other``: an order of people that differs from one person to the next and not from one build to the next."""
    value = 0x811C9DC5
    for byte in f"{me}>{other}".encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def day_number(day: date) -> int:
    return day.toordinal() - _EPOCH


def month_of(day: int) -> str:
    return date.fromordinal(day + _EPOCH).strftime("%Y-%m")


def facts_of(org: Org, history: History, *, today: date, offers: OfferIndex | None = None) -> Facts:
    """The facts the rules read, from the directory, its history and who answers whose seeks."""
    facts = Facts(handles=org.listed(sorted(org.people)))
    people = facts.index()
    group_index: dict[str, int] = {}

    def group(slug: str) -> int:
        if slug not in group_index:
            known = org.groups.get(slug)
            group_index[slug] = len(facts.groups)
            facts.groups.append((slug, known.name if known else slug, GROUP_KINDS.get(known.type, 3) if known else 0))
        return group_index[slug]

    analysis = stemming(org.directory.settings.language)
    title_index: dict[str, int] = {}
    families: dict[frozenset[str], int] = {}
    site_index: dict[str, int] = {}
    month_index: dict[str, int] = {}
    for handle in facts.handles:
        person = org.people[handle]
        facts.names.append(person.name)
        facts.kinds.append(KINDS[person.kind])
        if person.title not in title_index:
            title_index[person.title] = len(facts.titles)
            facts.titles.append(person.title)
            facts.family.append(families.setdefault(frozenset(analysis.terms(person.title)), len(families)))
        facts.title.append(title_index[person.title])
        facts.team.append(group(person.team) if person.team in org.groups else NOBODY)
        facts.site.append(_position(facts.sites, site_index, person.location) if person.location else NOBODY)
        facts.manager.append(people.get(person.manager or "", NOBODY))
        facts.joined.append(_position(facts.months, month_index, f"{person.joined:%Y-%m}") if person.joined else NOBODY)
        kept = [slug for slug in org.groups_of.get(handle, []) if org.groups[slug].type in ("community", "interest", "project")]
        facts.member.append([group(slug) for slug in kept])
    facts.similar = _similar_families(families)
    for slug, project in org.groups.items():
        if project.type == "project" and project.serves:
            facts.serves[group(slug)] = [group(served) for served in project.serves if served in org.groups]
    for served in {index for groups in facts.serves.values() for index in groups}:
        slug = facts.groups[served][0]
        ordered = dict.fromkeys([*org.groups[slug].owners, *org.members_of(slug)])
        facts.served[served] = [people[handle] for handle in ordered if handle in people]
    _tenures(facts, org, history, people, group, day_number(today))
    offers = offers or OfferIndex(org)
    for position, handle in enumerate(facts.handles):
        for seek in org.people[handle].seeks:
            for helper in offers.helpers(seek, exclude=handle):
                if helper.via == "offer" and helper.handle in people:
                    found = facts.helped.setdefault(people[helper.handle], [])
                    if position not in found:
                        found.append(position)
    return facts


def _position(table: list[str], positions: dict[str, int], value: str) -> int:
    if value not in positions:
        positions[value] = len(table)
        table.append(value)
    return positions[value]


def _similar_families(families: dict[frozenset[str], int]) -> list[list[int]]:
    """Family -> the families sharing at least :data:`SIMILAR_TITLES` of their words (Jaccard), in the families' order.

    Two similar families share a set of words that is at least that share of each, and the more
    words they share, the larger the other may be. Each family is filed under every such part of
    its own, with its size (a title has a few words, so a few parts), and looks for its
    candidates under its own parts and the sizes each allows; they are then checked whole.
    Counting the words every pair shares through each word's families took 4 s at 100,000
    people (5,000 titles, "ingénieur" in thousands of them). A family of more than
    :data:`_PARTS_UP_TO` words is compared that way still.
    """
    words = list(families)
    similar: list[set[int]] = [set() for _ in words]
    large = [position for position, terms in enumerate(words) if len(terms) > _PARTS_UP_TO]
    if large:
        postings: dict[str, list[int]] = {}
        for position, terms in enumerate(words):
            for term in terms:
                postings.setdefault(term, []).append(position)
        for position in large:
            for other in {other for term in words[position] for other in postings[term]} - {position}:
                if _alike(words[position], words[other]):
                    similar[position].add(other)
                    similar[other].add(position)
    filed: dict[tuple[frozenset[str], int], list[int]] = {}
    for position, terms in enumerate(words):
        if len(terms) <= _PARTS_UP_TO:
            for part in _parts(terms):
                filed.setdefault((part, len(terms)), []).append(position)
    for position, terms in enumerate(words):
        if len(terms) > _PARTS_UP_TO:
            continue
        for part in _parts(terms):
            # Sharing ``part`` alone, the other has at most part / share - (len(terms) - part) words.
            largest = math.floor(len(part) / SIMILAR_TITLES + len(part) - len(terms) + _ROUNDING)
            for size in range(len(part), min(largest, _PARTS_UP_TO) + 1):
                for other in filed.get((part, size), ()):
                    if other != position and _alike(terms, words[other]):
                        similar[position].add(other)
    return [[families[words[other]] for other in sorted(found)] for found in similar]


_PARTS_UP_TO = 12  # words: a family files 2**n parts at most
_ROUNDING = 1e-9  # the bounds are reckoned in floating point, as the share is: none is missed by a rounding


def _alike(one: frozenset[str], other: frozenset[str]) -> bool:
    return len(one & other) / len(one | other) >= SIMILAR_TITLES


def _parts(terms: frozenset[str]) -> Iterator[frozenset[str]]:
    """The parts of ``terms`` a similar family may share with them: those holding at least :data:`SIMILAR_TITLES` of them."""
    ordered = sorted(terms)
    for size in range(max(1, math.ceil(SIMILAR_TITLES * len(ordered) - _ROUNDING)), len(ordered) + 1):
        for part in itertools.combinations(ordered, size):
            yield frozenset(part)


def _tenures(facts: Facts, org: Org, history: History, people: dict[str, int], group: Callable[[str], int], today: int) -> None:
    """Each person's past tenures, teams and managers as indexes; the current one as the directory says, since its first day."""
    for handle, tenures in history.tenures.items():
        position = people.get(handle)
        if position is None or not tenures:
            continue
        person = org.people[handle]
        current = (person.team or "", person.manager or "")
        last = tenures[-1]
        settled = (last.team, last.manager) == current
        # A profile changed since the last commit: its current tenure begins with the build.
        facts.since[position] = day_number(last.since.date()) if settled else today
        past = tenures[:-1] if settled else tenures
        rows = [(day_number(t.since.date()), group(t.team) if t.team else NOBODY, people.get(t.manager, NOBODY)) for t in past]
        if rows:
            facts.past[position] = rows


def suggest(facts: Facts, me: int) -> list[Suggestion]:
    """The suggestions for person ``me``, circle by circle, each rule's in its order."""
    found: dict[int, Suggestion] = {}
    ordered: list[Suggestion] = []
    for circle, rule in RULES:
        added = 0
        for person, reason in rule(facts, me):
            if person in (me, NOBODY):
                continue
            if person in found:
                # One reason of a kind per group: a manager who lends five people to one's project is said once.
                if all((r.code, r.group, r.project) != (reason.code, reason.group, reason.project) for r in found[person].reasons):
                    found[person].reasons.append(reason)
                continue
            if added == PER_RULE:
                continue  # still read: a later candidate may add its reason to someone already suggested
            found[person] = Suggestion(person, circle, [reason])
            ordered.append(found[person])
            added += 1
    return ordered


def _by_spread(facts: Facts, me: int, people: list[int]) -> list[int]:
    mine = facts.handles[me]
    return sorted(people, key=lambda other: (spread(mine, facts.handles[other]), other))


def same_title(facts: Facts, me: int) -> Iterator[tuple[int, Reason]]:
    """Information: the same title (once analysed: gender and plural aside) in another team or site."""
    family = facts.family[facts.title[me]]
    peers = [p for p in range(len(facts.handles)) if facts.family[facts.title[p]] == family and _elsewhere(facts, me, p)]
    for person in _by_spread(facts, me, peers):
        yield person, Reason("same-title")


def similar_title(facts: Facts, me: int) -> Iterator[tuple[int, Reason]]:
    """Information: a similar title (:data:`SIMILAR_TITLES` of its words in common) in another team or site."""
    families = set(facts.similar[facts.family[facts.title[me]]])
    peers = [p for p in range(len(facts.handles)) if facts.family[facts.title[p]] in families and _elsewhere(facts, me, p)]
    for person in _by_spread(facts, me, peers):
        yield person, Reason("similar-title", title=facts.title[person])


def _close(facts: Facts, me: int, other: int) -> bool:
    """Whether ``other`` is in one's team, one's manager or one of one's reports."""
    same_team = facts.team[me] != NOBODY and facts.team[other] == facts.team[me]
    return same_team or facts.manager[me] == other or facts.manager[other] == me


def _elsewhere(facts: Facts, me: int, other: int) -> bool:
    return other != me and (facts.team[other] != facts.team[me] or facts.site[other] != facts.site[me])


def communities(facts: Facts, me: int) -> Iterator[tuple[int, Reason]]:
    """Information: fellow members of one's communities and interest groups (the first shared one named),
    but one's teammates, manager and reports, whom one knows already."""
    mine = [g for g in facts.member[me] if facts.groups[g][2] == 1]
    shared: dict[int, int] = {}
    for person in range(len(facts.handles)):
        common = [g for g in mine if g in facts.member[person]]
        if common and person != me and not _close(facts, me, person):
            shared[person] = common[0]
    for person in _by_spread(facts, me, list(shared)):
        yield person, Reason("community", group=shared[person])


def former_managers(facts: Facts, me: int) -> Iterator[tuple[int, Reason]]:
    """Support: one's managers before the current one, the latest first, with the last month they were."""
    ended: dict[int, int] = {}
    for span in _spans(facts, me):
        if span.manager not in (NOBODY, facts.manager[me]) and span.end is not None:
            ended[span.manager] = max(ended.get(span.manager, span.end), span.end)
    for manager in sorted(ended, key=lambda person: (-ended[person], person)):
        yield manager, Reason("former-manager", month=month_of(ended[manager] - 1))


def former_teammates(facts: Facts, me: int) -> Iterator[tuple[int, Reason]]:
    """Support: people who were in one's team at the same time, but are not in it with one now; the latest first."""
    mine = [span for span in _spans(facts, me) if span.team != NOBODY]
    teams = {span.team for span in mine}
    best: dict[int, tuple[int, int]] = {}  # person -> (the day the time together ended, the team)
    for person in range(len(facts.handles)):
        if person == me or (facts.team[person] == facts.team[me] and facts.team[me] != NOBODY):
            continue
        for span in _spans(facts, person):
            if span.team not in teams:
                continue
            for my_span in mine:
                if my_span.team == span.team and _before(span.start, my_span.end) and _before(my_span.start, span.end):
                    # Not both still going: then they would be in the same team now.
                    until = min(day for day in (span.end, my_span.end) if day is not None)
                    if person not in best or until > best[person][0]:
                        best[person] = (until, span.team)
    name = facts.handles[me]
    for person in sorted(best, key=lambda other: (-best[other][0], spread(name, facts.handles[other]), other)):
        yield person, Reason("former-teammate", group=best[person][1], month=month_of(best[person][0] - 1))


@dataclass(frozen=True, slots=True)
class _Span:
    """A tenure with its days: from ``start`` (None: no history tells) to ``end`` (None: still going)."""

    team: int
    manager: int
    start: int | None
    end: int | None


def _before(start: int | None, end: int | None) -> bool:
    """Whether what begins on ``start`` begins before what ends on ``end``."""
    return start is None or end is None or start < end


def _spans(facts: Facts, person: int) -> list[_Span]:
    """A person's tenures, oldest first: the past ones, then the current one, as the directory says."""
    rows = facts.past.get(person, [])
    spans = []
    for k, (day, team, manager) in enumerate(rows):
        spans.append(_Span(team, manager, day, rows[k + 1][0] if k + 1 < len(rows) else facts.since.get(person)))
    spans.append(_Span(facts.team[person], facts.manager[person], facts.since.get(person), None))
    return spans


def joined_together(facts: Facts, me: int) -> Iterator[tuple[int, Reason]]:
    """Support: those who joined the company the same month."""
    month = facts.joined[me]
    if month == NOBODY:
        return
    for person in _by_spread(facts, me, [p for p in range(len(facts.handles)) if facts.joined[p] == month and p != me]):
        yield person, Reason("joined", month=facts.months[month])


def helped(facts: Facts, me: int) -> Iterator[tuple[int, Reason]]:
    """Support: people whose seeks one's offers answer (``trombi helpers``), in directory order."""
    for person in facts.helped.get(me, []):
        yield person, Reason("offers")


def lent(facts: Facts, me: int) -> Iterator[tuple[int, Reason]]:
    """Operational: the managers of the people of one's projects (who lend them), project by project."""
    for project in (g for g in facts.member[me] if facts.groups[g][2] == 2):
        for person in range(len(facts.handles)):
            if person != me and project in facts.member[person] and facts.manager[person] not in (NOBODY, me):
                yield facts.manager[person], Reason("lent", group=project, person=person)


def served(facts: Facts, me: int) -> Iterator[tuple[int, Reason]]:
    """Operational: the people of the groups one's projects serve, owners first."""
    for project in (g for g in facts.member[me] if facts.groups[g][2] == 2):
        for group in facts.serves.get(project, []):
            for person in facts.served.get(group, []):
                if person != me:
                    yield person, Reason("served", group=group, project=project)


Rule = Callable[[Facts, int], Iterator[tuple[int, Reason]]]
RULES: tuple[tuple[Circle, Rule], ...] = (
    ("information", same_title),
    ("information", similar_title),
    ("information", communities),
    ("support", former_managers),
    ("support", former_teammates),
    ("support", joined_together),
    ("support", helped),
    ("operational", lent),
    ("operational", served),
)


def describe(facts: Facts, reason: Reason, language: Language) -> str:
    """A reason in words, in ``language``: ``a été votre manager jusqu’en mars 2025``."""
    values = {
        "title": facts.titles[reason.title] if reason.title != NOBODY else "",
        "group": facts.groups[reason.group][1] if reason.group != NOBODY else "",
        "person": facts.names[reason.person] if reason.person != NOBODY else "",
        "project": facts.groups[reason.project][1] if reason.project != NOBODY else "",
        "month": language.month_year(date.fromisoformat(reason.month + "-01")) if reason.month else "",
    }
    return language.gettext(REASONS[reason.code]) % values
