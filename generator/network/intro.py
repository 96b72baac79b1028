"""Introduction paths: the shortest chain of people who know each other, from one person to another.

People know each other when they are in the same team, when one manages the other, or when
they share a small group (:data:`SMALL_GROUP` members or fewer: sharing a 500-member community
does not mean two people have met). The search is a bidirectional breadth-first search that
grows the smaller side first; neighbours are read from the :class:`~generator.directory.enrich.Org`'s
back-links on the way, so a query costs what it visits, not the size of the company.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from generator import PACKAGE
from generator.directory.enrich import Org
from generator.i18n import Language
from generator.problems import N_

SMALL_GROUP = 30
# How one person knows the next, read from the first to the second: "A → their manager → B".
RELATION_LABELS = {"team": N_("same team"), "manager": N_("their manager"), "report": N_("their direct report")}
# The graph that the person pages' "who can introduce you" form searches in the browser, and the script that does.
GRAPH_PATH = "assets/intro-graph.json"
_SCRIPT_SOURCE = PACKAGE / "assets" / "intro.js"
_MESSAGES = "{/* messages: written by the build, generator/network/intro.py */}"
Relation = Literal["team", "manager", "report", "group"]


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a path: ``source`` knows ``target`` through ``relation`` (and ``group`` for a group)."""

    source: str
    target: str
    relation: Relation
    group: str | None = None


def intro_path(org: Org, start: str, goal: str) -> list[Hop] | None:
    """The hops of a shortest chain from ``start`` to ``goal``; ``[]`` if they are the same, ``None`` if there is none."""
    if start == goal:
        return []
    graph = _Graph(org)
    # Each side: handle -> the hop that reached it (None at the side's origin).
    forward: dict[str, Hop | None] = {start: None}
    backward: dict[str, Hop | None] = {goal: None}
    forward_frontier, backward_frontier = [start], [goal]
    while forward_frontier and backward_frontier:
        grow_forward = len(forward_frontier) <= len(backward_frontier)
        frontier = forward_frontier if grow_forward else backward_frontier
        seen, other = (forward, backward) if grow_forward else (backward, forward)
        next_frontier: list[str] = []
        for handle in frontier:
            for hop in graph.neighbours(handle):
                if hop.target in seen:
                    continue
                seen[hop.target] = hop
                if hop.target in other:
                    return _join(forward, backward, hop.target)
                next_frontier.append(hop.target)
        if grow_forward:
            forward_frontier = next_frontier
        else:
            backward_frontier = next_frontier
    return None


def describe_path(org: Org, hops: list[Hop], language: Language) -> str:
    """``Jeanne Dupont → même équipe → Marc Petit → Guilde Rust → Sofia Rossi`` in the UI language."""
    if not hops:
        return ""
    parts = [org.people[hops[0].source].name]
    for hop in hops:
        parts += [relation_label(org, hop, language), org.people[hop.target].name]
    return " → ".join(parts)


def relation_label(org: Org, hop: Hop, language: Language) -> str:
    if hop.relation == "group" and hop.group is not None:
        return org.groups[hop.group].name
    return language.gettext(RELATION_LABELS[hop.relation])


def hop_dict(org: Org, hop: Hop) -> dict[str, str | None]:
    return {
        "from": hop.source,
        "to": hop.target,
        "relation": hop.relation,
        "group": hop.group,
        "group_name": org.groups[hop.group].name if hop.group else None,
    }


class _Graph:
    """Who knows whom, read from the org's back-links on demand."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.small_groups: dict[str, list[str]] = {}
        for slug, group in org.groups.items():
            if group.type in ("company", "department", "team"):
                continue
            members = org.members_of(slug)
            if 1 < len(members) <= SMALL_GROUP:
                self.small_groups[slug] = members

    def neighbours(self, handle: str) -> Iterator[Hop]:
        """Every acquaintance of ``handle``, in a stable order: manager, reports, team, then small groups."""
        person = self.org.people[handle]
        if person.manager in self.org.people:
            yield Hop(handle, person.manager, "manager")
        for report in self.org.reports.get(handle, []):
            yield Hop(handle, report, "report")
        if person.team in self.org.groups:
            members = self.org.team_members.get(person.team, [])
            for member in members:
                if member != handle and self.org.people[member].team == person.team:
                    yield Hop(handle, member, "team")
        for slug in self.org.groups_of.get(handle, []):
            for member in self.small_groups.get(slug, []):
                if member != handle:
                    yield Hop(handle, member, "group", slug)


def _join(forward: dict[str, Hop | None], backward: dict[str, Hop | None], meeting: str) -> list[Hop]:
    """The path through ``meeting``: the forward hops as found, the backward ones turned around."""
    hops: list[Hop] = []
    current = meeting
    while (hop := forward[current]) is not None:
        hops.append(hop)
        current = hop.source
    hops.reverse()
    current = meeting
    while (hop := backward[current]) is not None:
        hops.append(_reverse(hop))
        current = hop.source
    return hops


def _reverse(hop: Hop) -> Hop:
    flipped: dict[Relation, Relation] = {"manager": "report", "report": "manager", "team": "team", "group": "group"}
    return Hop(hop.target, hop.source, flipped[hop.relation], hop.group)


def intro_graph(org: Org, language: Language) -> str:
    """Who knows whom, as compact JSON for the person pages' introduction search.

    The same acquaintances as :func:`intro_path`, among the people who are listed (those who
    chose ``search: hidden`` are left out): ``people`` as ``[handle, name, team, manager]`` with
    indexes into ``circles`` and ``people`` (-1 for none), ``circles`` (teams and small groups) as
    ``[slug, name, is_team]``, ``member_of`` the small-group circles of each person. No contact
    value is in it.
    """
    handles = org.listed(sorted(org.people))
    position = {handle: index for index, handle in enumerate(handles)}
    small = _Graph(org).small_groups
    slugs = sorted({p.team for p in (org.people[h] for h in handles) if p.team in org.groups} | set(small))
    circle = {slug: index for index, slug in enumerate(slugs)}
    people = []
    member_of = []
    for handle in handles:
        person = org.people[handle]
        people.append([handle, person.name, circle.get(person.team or "", -1), position.get(person.manager or "", -1)])
        member_of.append([circle[slug] for slug in org.groups_of.get(handle, []) if slug in small])
    labels = {key: language.gettext(text) for key, text in RELATION_LABELS.items()}
    data = {
        "people": people,
        "circles": [[slug, org.groups[slug].name, org.groups[slug].type == "team"] for slug in slugs],
        "member_of": member_of,
        "labels": labels,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def intro_script(language: Language, *, directory_urls: bool = True) -> str:
    """The person pages' introduction search (``generator/assets/intro.js``, published in ``assets/trombi.js``) with its words in ``language``.

    A person page carries an empty section naming its person; the script writes the section's
    heading, form and messages into it: the form works only with the script, and its words were
    0.9 kB in every profile. It also says, under the name, when the reader keeps this person in
    their own network (the page My network: :mod:`generator.network.mine`).
    """
    from generator.network.circles import CIRCLE_LABELS
    from generator.network.mine import PAGE

    page = PAGE.removesuffix(".md") + ("/" if directory_urls else ".html")  # as MkDocs names the page

    messages = {
        "heading": language.gettext("Who can introduce you?"),
        "explain": language.gettext("Colleagues know each other through their team, their manager or a group of %(size)s people or fewer.")
        % {"size": SMALL_GROUP},
        "label": language.gettext("Your handle or name"),
        "button": language.gettext("Find a chain"),
        "searching": language.gettext("Searching…"),
        "unknown": language.gettext("Nobody in the directory has this handle or name."),
        "noPath": language.gettext("No chain of colleagues leads there yet."),
        "same": language.gettext("That is this profile."),
        "unavailable": language.gettext("The introduction search could not load; try again later."),
        "network": language.gettext("In my network: %(circle)s"),
        "circles": {circle: language.gettext(label) for circle, label in CIRCLE_LABELS.items()},
        "networkPage": page,
    }
    source = _SCRIPT_SOURCE.read_text(encoding="utf-8")
    if source.count(_MESSAGES) != 1:
        raise ValueError(f"{_SCRIPT_SOURCE} must hold {_MESSAGES} once, where the build writes the messages")
    return source.replace(_MESSAGES, json.dumps(messages, ensure_ascii=False))
