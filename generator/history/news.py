"""What's new, in words: events of the history as sentences, stale profiles, and the Atom feed."""

from __future__ import annotations

import functools
import hashlib
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from generator.controls import one_line, xml_text
from generator.directory.enrich import Org
from generator.history.editors import Editors
from generator.history.git import Event, History
from generator.i18n import LEVEL_LABELS, Language

FEED_PATH = "feed.xml"
FEED_LIMIT = 200
NEWS_PAGE = "news/index.md"
NEWS_URL = "news/"
STALE_PAGE = "news/stale.md"
ATOM = "http://www.w3.org/2005/Atom"
_ABOUT_A_PERSON = frozenset({"joined", "left", "title", "team", "skill", "level", "group-joined"})


@dataclass(frozen=True, slots=True)
class NewsItem:
    """One event, told in the UI language, with the page it is about (a path under docs/)."""

    when: datetime
    text: str
    target: str | None
    key: str
    author: str = ""

    @property
    def day(self) -> date:
        return self.when.date()


def news_items(history: History, org: Org, language: Language, editors: Editors | None = None) -> list[NewsItem]:
    """The history's events about what still exists (or is gone), newest first, as sentences.

    ``editors``: the directory's :class:`Editors`, when the caller has them (0.4 s to make at 100,000 people).
    """
    items = []
    editors = editors if editors is not None else Editors(org.people)
    for event in history.events:
        if event.kind in _ABOUT_A_PERSON and event.subject in org.people and org.people[event.subject].search != "visible":
            continue  # people who asked to stay out of listings stay out of the news too
        told = _tell(event, org, language)
        if told is not None:
            items.append(NewsItem(event.when, told[0], told[1], event.key, _author(editors, event, org)))
    return items


def _author(editors: Editors, event: Event, org: Org) -> str:
    """Who made the change, as a reader knows them: a person by their directory name, else the commit's
    name; nobody for automation (an import, a bot)."""
    editor = editors.editor(event.author, event.email)
    if editor is None:
        return ""
    return org.people[editor.handle].name if editor.handle is not None else editor.name


def stale_profiles(history: History, org: Org, *, months: int, today: date, ahead: int = 0) -> list[tuple[str, list[tuple[str, date]]]]:
    """Profiles not updated for ``months``, by team (teams by name), oldest first within a team.

    With ``ahead``, those that will be so within that many days too: a page lists them, hidden
    until the day :func:`stale_since` says (assets/dated.js).
    """
    limit = _months_before(today + timedelta(days=ahead), months)
    by_team: dict[str, list[tuple[str, date]]] = {}
    for handle in org.listed(org.sorted_people):
        change = history.last_change(f"{org.directory.settings.people_dir}/{handle}.yaml")
        if change is not None and change.when.date() < limit:
            by_team.setdefault(org.people[handle].team or "", []).append((handle, change.when.date()))
    for entries in by_team.values():
        entries.sort(key=lambda item: (item[1], item[0]))
    names = {slug: org.groups[slug].name if slug in org.groups else "" for slug in by_team}
    return sorted(by_team.items(), key=lambda item: (item[0] == "", names[item[0]].casefold()))


def new_joiners(history: History, org: Org, limit: int, *, today: date, ahead: int = 28) -> list[tuple[str, date, date | None]]:
    """The newest people by their ``joined`` date (else the day their file first appeared), each with the days it is among them.

    (handle, first day, last day or None): the ``limit`` newest as of ``today``, and those who join in
    the ``ahead`` days after it, newest first. A profile written before its owner's first day shows
    from that day, and pushes the oldest out as it comes, so that a page built before shows who is
    new on the day it is read (assets/dated.js).
    """
    dated = []
    for handle in org.listed(org.sorted_people):
        joined = org.people[handle].joined
        if joined is None and (first := history.first_seen.get(f"{org.directory.settings.people_dir}/{handle}.yaml")):
            joined = first.date()
        if joined is not None and joined <= today + timedelta(days=ahead):
            dated.append((joined, handle))
    dated.sort(reverse=True)
    coming = [item for item in dated if item[0] > today]
    shown = coming + [item for item in dated if item[0] <= today][:limit]
    found: list[tuple[str, date, date | None]] = []
    for index, (joined, handle) in enumerate(shown):
        # Out the day the limit-th of those newer than it has joined.
        newer = sorted(day for day, _ in shown[:index])
        found.append((handle, joined, newer[limit - 1] - timedelta(days=1) if len(newer) >= limit else None))
    return found


@functools.lru_cache(maxsize=8192)
def stale_since(updated: date, months: int) -> date:
    """The first day a profile last updated on ``updated`` counts as stale (as :func:`is_stale` says).

    Kept for each day asked: at 100,000 people the profiles to refresh share a few hundred days,
    and working each out again (a loop of days) was a second of the plan.
    """
    year, month = divmod(updated.year * 12 + updated.month - 1 + months, 12)
    day = date(year, month + 1, 1) - timedelta(days=1)  # the day before the same month's first: never past a month's end
    while _months_before(day, months) <= updated:
        day += timedelta(days=1)
    return day


def is_stale(history: History, source: str, *, months: int, today: date) -> bool:
    """Whether git says the profile in ``source`` (``people/ana.yaml``) was last changed more than ``months`` ago (unknown: not stale).

    Asked of the file, which is all it reads of the directory (:func:`generator.build.incremental.settled`).
    """
    change = history.last_change(source)
    return change is not None and change.when.date() < _months_before(today, months)


def atom_feed(
    items: list[NewsItem], *, title: str, site_url: str | None, language: Language, authority: str | None = None, updated: datetime | None = None
) -> str:
    """An Atom 1.0 feed of the newest FEED_LIMIT items.

    With the site's address (``site_url``) every link and id is absolute. Without it, links stay
    relative to the feed (readers resolve them against where they fetched it). Ids are ``tag:``
    URIs on the site's host name, else ``authority`` (e.g. the repository's host), and stay the
    same from one build to the next.
    """
    base = one_line(site_url, "").rstrip("/") + "/" if site_url else ""
    authority = urlsplit(base).hostname or authority or "trombi.invalid"
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language.code})
    _text(feed, "title", title)
    _text(feed, "id", f"{base}{FEED_PATH}" if base else f"tag:{authority},2026:{FEED_PATH}")
    newest = items[0].when if items else (updated or datetime(1970, 1, 1, tzinfo=UTC))
    _text(feed, "updated", _iso(newest))
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": f"{base}{FEED_PATH}"})
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": f"{base}{NEWS_URL}"})
    author = ElementTree.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", title)
    _text(feed, "generator", "Trombi")
    for item in items[:FEED_LIMIT]:
        entry = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", item.text)
        digest = hashlib.sha1(item.key.encode("utf-8")).hexdigest()[:20]
        _text(entry, "id", f"tag:{authority},{item.when.date().isoformat()}:event/{digest}")
        _text(entry, "updated", _iso(item.when))
        _text(entry, "published", _iso(item.when))
        href = f"{base}{page_url(item.target)}" if item.target else f"{base}{NEWS_URL}"
        ElementTree.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": href})
        _text(entry, "summary", item.text)
        if item.author:
            _text(ElementTree.SubElement(entry, f"{{{ATOM}}}author"), "name", item.author)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(feed, encoding="unicode") + "\n"


def page_url(target: str) -> str:
    """The URL of a page under docs/, as MkDocs writes it with directory URLs."""
    path = target.removesuffix(".md")
    if path == "index":
        return ""
    return path.removesuffix("/index") + "/"


def _tell(event: Event, org: Org, language: Language) -> tuple[str, str | None] | None:
    _ = language.gettext
    data = event.data
    person = f"people/{event.subject}.md" if event.subject in org.people else None
    name = data.get("name", event.subject)
    group_name = org.groups[data["group"]].name if data.get("group") in org.groups else data.get("name", data.get("group", ""))
    group_page = f"groups/{data['group']}.md" if data.get("group") in org.groups else None
    if event.kind == "joined":
        team = org.groups[data["team"]].name if data.get("team") in org.groups else ""
        text = _("%(name)s joined: %(title)s, %(team)s") if team else _("%(name)s joined: %(title)s")
        return text % {"name": name, "title": data.get("title", ""), "team": team}, person
    if event.kind == "left":
        return _("%(name)s left the directory") % {"name": name}, None
    if event.kind == "title":
        return _("%(name)s is now %(title)s") % {"name": name, "title": data["new"]}, person
    if event.kind == "team":
        team = org.groups[data["new"]].name if data["new"] in org.groups else data["new"]
        return _("%(name)s moved to %(team)s") % {"name": name, "team": team}, person
    if event.kind == "skill":
        level = _level(data["level"], language)
        return _("%(name)s added the skill %(skill)s (%(level)s)") % {"name": name, "skill": data["skill"], "level": level}, person
    if event.kind == "level":
        level = _level(data["level"], language)
        return _("%(name)s moved up in %(skill)s: %(level)s") % {"name": name, "skill": data["skill"], "level": level}, person
    if event.kind == "group-joined":
        who = org.people[event.subject].name if event.subject in org.people else event.subject
        return _("%(name)s joined %(group)s") % {"name": who, "group": group_name}, group_page or person
    if event.kind == "group-created":
        return _("New group: %(group)s") % {"group": group_name}, group_page
    if event.kind == "group-closed":
        return _("The group %(group)s was closed") % {"group": data.get("name", event.subject)}, None
    if event.kind == "import":
        people, groups, skills = (int(data.get(kind, "0")) for kind in ("people", "groups", "skills"))
        parts = [
            text % {"num": language.number(count)}
            for count, text in (
                (people, language.ngettext("%(num)s profile", "%(num)s profiles", people)),
                (groups, language.ngettext("%(num)s group", "%(num)s groups", groups)),
                (skills, language.ngettext("%(num)s skill", "%(num)s skills", skills)),
            )
            if count
        ]
        return _("Import of %(what)s") % {"what": _join(parts, language)}, "people/index.md"
    if event.kind == "skill-added":
        skill = data["skill"]
        target = f"skills/{org.skill_slugs[skill]}.md" if skill in org.skill_slugs else None
        return _("New skill in the taxonomy: %(skill)s") % {"skill": skill}, target
    return None


def _level(level: str, language: Language) -> str:
    label = LEVEL_LABELS[level]
    return language.gettext(label).lower()


def _join(parts: list[str], language: Language) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return language.gettext("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def _months_before(today: date, months: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    day = min(today.day, 28)
    return date(year, month + 1, day)


def _text(parent: ElementTree.Element, tag: str, text: str) -> None:
    # Every text of the feed is one line, and XML 1.0 cannot hold most control characters at all:
    # ElementTree would write them and leave a document that no feed reader parses.
    ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}").text = xml_text(one_line(text))


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
