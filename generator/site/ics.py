"""Calendars (RFC 5545): a group's regular meetings and the lunch invitations of a month.

Written with ``icalendar``. The output depends only on the directory and the build date: DTSTAMP
is the build date, UIDs are made of slugs and handles, and recurring meetings start from a fixed
anchor so that a fortnightly meeting keeps the same weeks from one build to the next.

Text from the directory goes through :func:`_text` first: icalendar escapes LF but writes other
control characters as they are (a bare CR ends a line for some readers) and asserts on a line
break in a value it does not escape, so whatever the model lets through, the calendar stays valid.
"""

from __future__ import annotations

import hashlib
import json
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from urllib.parse import quote

import icalendar
from icalendar import Calendar, Event, vDatetime, vText

from generator.controls import is_control, lines_of, one_line
from generator.directory.enrich import Org, sort_key, strip_accents
from generator.directory.model import Meetings
from generator.directory.zones import Zones
from generator.i18n import Language
from generator.network.pairing import Lunch, MonthPairing, listed_lunches
from generator.site.kept import KeptFiles
from generator.site.markup import plain_text
from generator.site.vtimezone import vtimezone

ANCHOR = date(2024, 1, 1)  # a Monday: fortnightly and quarterly meetings count from here
MEETING_MINUTES = 60
LUNCH_TIME = time(12, 30)
PRODUCT = "-//Trombi//Trombi directory//FR"
# DTSTAMP, the one property that changes with the day, on a line of its own: a line break in a
# value is escaped, and a folded line goes on after CRLF and a space.
_STAMP_LINE = re.compile(rb"\r\nDTSTAMP:[0-9]{8}T[0-9]{6}Z\r\n")
# What an address may hold as it is in a mailto: URI (RFC 6068); the rest, a backslash say, is percent-encoded.
_MAILTO_SAFE = "@.!$'*+-=^_`{|}~"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_WORDS = {
    "lundi": 0, "monday": 0, "mardi": 1, "tuesday": 1, "mercredi": 2, "wednesday": 2, "jeudi": 3, "thursday": 3,
    "vendredi": 4, "friday": 4, "samedi": 5, "saturday": 5, "dimanche": 6, "sunday": 6,
}  # fmt: skip
_ORDINAL_WORDS = {
    "premier": 1, "premiere": 1, "1er": 1, "1re": 1, "first": 1, "1st": 1,
    "deuxieme": 2, "second": 2, "seconde": 2, "2e": 2, "2eme": 2, "2nd": 2,
    "troisieme": 3, "third": 3, "3e": 3, "3eme": 3, "3rd": 3,
    "quatrieme": 4, "fourth": 4, "4e": 4, "4eme": 4, "4th": 4,
    "dernier": -1, "derniere": -1, "last": -1,
}  # fmt: skip


@dataclass(frozen=True)
class Recurrence:
    """A meeting's rule: ``every`` on ``weekday`` (0 = Monday), the ``ordinal``-th of the month (-1: last) if monthly."""

    every: Literal["week", "two-weeks", "month", "quarter"]
    weekday: int
    ordinal: int = 1

    def rrule(self) -> dict[str, object]:
        day = WEEKDAYS[self.weekday]
        if self.every == "week":
            return {"FREQ": "WEEKLY", "BYDAY": day}
        if self.every == "two-weeks":
            return {"FREQ": "WEEKLY", "INTERVAL": 2, "BYDAY": day}
        interval = 3 if self.every == "quarter" else 1
        return {"FREQ": "MONTHLY", "INTERVAL": interval, "BYDAY": f"{self.ordinal}{day}"}

    def occurs_on(self, day: date) -> bool:
        if day.weekday() != self.weekday or day < ANCHOR:
            return False
        if self.every == "week":
            return True
        if self.every == "two-weeks":
            return ((day - ANCHOR).days // 7) % 2 == 0
        if self.every == "quarter" and (day.month - ANCHOR.month) % 3:
            return False
        return _ordinal_in_month(day) == self.ordinal or (self.ordinal == -1 and (day + timedelta(days=7)).month != day.month)

    def first_from(self, start: date) -> date:
        day = start
        while not self.occurs_on(day):
            day += timedelta(days=1)
        return day


def parse_recurrence(meetings: Meetings) -> Recurrence | None:
    """The rule of ``meetings`` (``premier jeudi``, ``last friday``, ``mardi``…), or None when no weekday is given."""
    words = re.findall(r"[\w]+", strip_accents(meetings.on or "").casefold())
    weekday = next((_DAY_WORDS[w] for w in words if w in _DAY_WORDS), None)
    if weekday is None:
        return None
    ordinal = next((_ORDINAL_WORDS[w] for w in words if w in _ORDINAL_WORDS), 1)
    return Recurrence(meetings.every, weekday, ordinal)


def meets_between(meetings: Meetings, start: date, end: date) -> list[date]:
    """The days from ``start`` to ``end`` (included) on which a group meets."""
    rule = parse_recurrence(meetings)
    if rule is None:
        return []
    return [start + timedelta(days=n) for n in range((end - start).days + 1) if rule.occurs_on(start + timedelta(days=n))]


def next_meeting(meetings: Meetings, today: date) -> date | None:
    """The first day from ``today`` on (included) on which a group meets, None if its meetings name no weekday."""
    rule = parse_recurrence(meetings)
    return rule.first_from(max(today, ANCHOR)) if rule is not None else None


def upcoming_meetings(meetings: Meetings, today: date, count: int) -> list[tuple[date, date]]:
    """The next ``count`` meetings from ``today`` on, each with the first day it is the next one (the first: ``today``)."""
    found: list[tuple[date, date]] = []
    since = today
    while len(found) < count and (day := next_meeting(meetings, since)) is not None:
        found.append((since, day))
        since = day + timedelta(days=1)
    return found


Parameters = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Invitation:
    """Everything one calendar file says, as plain values: what decides its bytes, whole.

    ``properties`` are the event's after its UID and DTSTAMP, in order, each with its parameters.
    DTSTAMP, the one thing that changes with the day of the build, is kept apart as ``stamp``:
    a kept calendar (:func:`site_calendars`) is made once for everything else.
    """

    name: str  # the calendar's, X-WR-CALNAME
    uid: str
    stamp: date
    properties: tuple[tuple[str, object, Parameters], ...]

    def zones(self) -> list[str]:
        """The time zones its times are in, whose VTIMEZONE the file holds."""
        return sorted({str(value.tzinfo) for name, value, _ in self.properties if name == "dtstart" and isinstance(value, datetime)})

    def key(self) -> tuple[Any, ...]:
        """Its values but ``stamp``, as text and numbers, zones named (a time's offset alone would let Paris and Berlin meet)."""
        return (self.name, self.uid, *((name, *_plain(value), parameters) for name, value, parameters in self.properties))

    def ical(self) -> bytes:
        """The ``.ics`` file."""
        event = Event()
        event.add("uid", self.uid)
        event.add("dtstamp", _stamp(self.stamp))
        for name, value, parameters in self.properties:
            if parameters:
                event.add(name, value, parameters=dict(parameters))
            else:
                event.add(name, value)
        return _calendar([event], self.name)


def group_invitation(org: Org, slug: str, *, today: date, language: Language, site_url: str | None = None, zones: Zones | None = None) -> Invitation | None:
    """What the group's calendar says, or None if its meetings name no weekday."""
    group = org.groups[slug]
    if group.meetings is None:
        return None
    rule = parse_recurrence(group.meetings)
    if rule is None:
        return None
    zone = zoneinfo.ZoneInfo((zones or Zones(org)).group(slug))
    first = rule.first_from(ANCHOR)
    properties: list[tuple[str, object, Parameters]] = [("summary", _text(group.name), ())]
    if group.meetings.at:
        hours, minutes = (int(part) for part in group.meetings.at.split(":"))
        properties.append(("dtstart", datetime.combine(first, time(hours, minutes), tzinfo=zone), ()))
        properties.append(("duration", timedelta(minutes=MEETING_MINUTES), ()))
    else:
        properties.append(("dtstart", first, ()))
    properties.append(("rrule", rule.rrule(), ()))
    if group.meetings.place:
        properties.append(("location", _text(group.meetings.place), ()))
    # The first paragraph as it reads, on one line: no Markdown mark nor HTML tag.
    paragraph = plain_text(group.description).split("\n\n", 1)[0] if group.description else ""
    lines = [" ".join(one_line(paragraph).split())] if paragraph else []
    if group.channels is not None:
        if group.channels.chat:
            lines.append(f"{language.colon(language.gettext('Chat'))} {group.channels.chat}")
        if group.channels.mailing_list:
            lines.append(f"{language.colon(language.gettext('Mailing list'))} {group.channels.mailing_list}")
        if group.channels.url:
            lines.append(group.channels.url)
    if lines:
        properties.append(("description", _text("\n".join(lines), multiline=True), ()))
    if site_url:
        properties.append(("url", f"{one_line(site_url, '').rstrip('/')}/groups/{slug}/", ()))
    return Invitation(group.name, f"meetings-{slug}@trombi", today, tuple(properties))


def group_calendar(org: Org, slug: str, *, today: date, language: Language, site_url: str | None = None, zones: Zones | None = None) -> bytes | None:
    """The group's recurring meeting as an ``.ics`` file, or None if its meetings name no weekday."""
    invitation = group_invitation(org, slug, today=today, language=language, site_url=site_url, zones=zones)
    return invitation.ical() if invitation is not None else None


def lunch_slot(lunch: Lunch, month: str) -> date:
    """A Tuesday or Thursday of ``month`` for the lunch, the same one at every build."""
    year, number = (int(part) for part in month.split("-"))
    days = [date(year, number, d) for d in range(4, 26) if date(year, number, d).weekday() in (1, 3)]
    digest = hashlib.sha256(":".join((month, *lunch.people)).encode()).digest()
    return days[int.from_bytes(digest[:4], "big") % len(days)]


def lunch_invitation(org: Org, lunch: Lunch, month: str, *, today: date, language: Language, zones: Zones | None = None) -> Invitation:
    """What the invitation to one lunch of ``month`` says: a suggested slot, the place or video, who is invited.

    The slot is at lunch time where the lunch is: its site's zone; a lunch by video, the company's.
    """
    names = [org.people[h].name for h in lunch.people]
    site = lunch.site if lunch.mode == "in-person" else None
    zone = zoneinfo.ZoneInfo((zones or Zones(org)).lunch(site))
    summary = _text(language.gettext("Lunch: %(names)s") % {"names": ", ".join(names)})
    properties: list[tuple[str, object, Parameters]] = [
        ("summary", summary, ()),
        ("dtstart", datetime.combine(lunch_slot(lunch, month), LUNCH_TIME, tzinfo=zone), ()),
        ("duration", timedelta(minutes=MEETING_MINUTES), ()),
        ("location", _text(lunch.site) if lunch.mode == "in-person" and lunch.site else language.gettext("Video call"), ()),
        ("description", language.gettext("A suggested slot: move it to suit you both."), ()),
    ]
    for index, handle in enumerate(lunch.people):
        address = _address(org, handle)
        if address is not None:
            # The first of the pair sends the invitation (RFC 5546 wants an ORGANIZER with attendees);
            # without a public address of theirs, the invitation has none rather than a made-up one.
            if index == 0:
                properties.append(("organizer", address[0], address[1]))
            properties.append(("attendee", address[0], address[1]))
    return Invitation(summary, f"lunch-{month}-{'.'.join(lunch.people)}@trombi", today, tuple(properties))


def lunch_calendar(org: Org, lunch: Lunch, month: str, *, today: date, language: Language, zones: Zones | None = None) -> bytes:
    """An invitation for one lunch of ``month`` as an ``.ics`` file (:func:`lunch_invitation`)."""
    return lunch_invitation(org, lunch, month, today=today, language=language, zones=zones).ical()


def _address(org: Org, handle: str) -> tuple[str, Parameters] | None:
    """``mailto:`` and CN of ``handle`` for an invitation; None when the address is private or holds a control character."""
    email = org.people[handle].contact.email
    # An address with a control character in it reaches nobody: such an invitee is left out.
    if email is None or email.visibility != "public" or any(map(is_control, email.value)):
        return None
    # A parameter value has no escapes (RFC 5545 3.2), yet readers take a backslash in one
    # for an escape: the name, a display hint only (the summary has it whole), goes without.
    return f"mailto:{quote(email.value, safe=_MAILTO_SAFE)}", (("CN", _text(org.people[handle].name).replace("\\", "")),)


def _calendar(events: list[Event], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # An X- property is TEXT by default (RFC 5545 3.8.8.2), but icalendar only escapes it as such when told.
    calendar.add("x-wr-calname", vText(_text(name)))
    for event in events:
        calendar.add_component(event)
    zones = sorted({str(start.tzinfo) for event in events if isinstance(start := event.decoded("dtstart"), datetime)})
    text = bytes(calendar.to_ical())
    # The time zone rules are the same for thousands of invitations: serialised once, put before the events.
    at = text.index(b"BEGIN:VEVENT")
    return text[:at] + b"".join(vtimezone(zone, ANCHOR) for zone in zones) + text[at:]


def _plain(value: object) -> tuple[str, object]:
    """A property's value as its type and plain text or numbers, for a key."""
    if isinstance(value, datetime):
        return "datetime", [value.replace(tzinfo=None).isoformat(), str(value.tzinfo)]
    if isinstance(value, date):
        return "date", value.isoformat()
    if isinstance(value, timedelta):
        return "duration", [value.days, value.seconds, value.microseconds]
    if isinstance(value, dict):
        return "dict", [[name, _plain(item)] for name, item in value.items()]
    if isinstance(value, str | int):
        return type(value).__name__, value
    raise TypeError(f"a calendar's {type(value).__name__} has no plain form: add it to generator.site.ics._plain")


def _text(value: str, *, multiline: bool = False) -> str:
    """A TEXT value: one line (every line break a space) unless ``multiline``, no other control character."""
    if multiline:
        return "\n".join(one_line(line, "") for line in lines_of(value))
    return one_line(value)


def _stamp(today: date) -> datetime:
    return datetime.combine(today, time(0, 0), tzinfo=zoneinfo.ZoneInfo("UTC"))


def _ordinal_in_month(day: date) -> int:
    return (day.day - 1) // 7 + 1


def group_calendar_path(org: Org, slug: str) -> str | None:
    """Where the group's calendar is in the site, if its meetings say on which day."""
    meetings = org.groups[slug].meetings
    return f"groups/{slug}.ics" if meetings is not None and parse_recurrence(meetings) is not None else None


def lunch_calendar_path(month: str, lunch: Lunch) -> str:
    """``lunch/<month>/<handle>.<handle>.ics``: a handle holds no dot, so two lunches never share a name.

    Handles joined by ``-``, which a handle may hold, made ``[clement-roux, jdupont]`` and
    ``[clement, roux-jdupont]`` one file.
    """
    return f"lunch/{month}/{'.'.join(lunch.people)}.ics"


def site_calendars(
    org: Org, months: list[MonthPairing], *, today: date, language: Language, site_url: str | None = None, kept: KeptFiles | None = None
) -> Iterator[tuple[str, bytes]]:
    """Every calendar file of the site: one per group that meets, one per listed lunch of the months shown.

    With ``kept`` (the build's state, :mod:`generator.site.kept`), a calendar whose invitation says
    the same as when it was kept is not written again by icalendar: the kept file is used, with
    this build's DTSTAMP, so that the calendars of a month are made once, not at every build.
    """
    zones = Zones(org)
    for slug in sorted(org.groups):
        path = group_calendar_path(org, slug)
        invitation = group_invitation(org, slug, today=today, language=language, site_url=site_url, zones=zones) if path else None
        if path is not None and invitation is not None:
            yield path, _made(path, invitation, kept)
    for pairing in months:
        for lunch in listed_lunches(org, pairing):
            path = lunch_calendar_path(pairing.month, lunch)
            yield path, _made(path, lunch_invitation(org, lunch, pairing.month, today=today, language=language, zones=zones), kept)
    if kept is not None:
        kept.finish()


def _made(path: str, invitation: Invitation, kept: KeptFiles | None) -> bytes:
    """The calendar of ``invitation``: kept, with its DTSTAMP line made this build's, or written (and kept)."""
    if kept is None:
        return invitation.ical()
    # What decides the file but the day: the invitation, icalendar (outside the state's stamp),
    # and the rules of its zones as this machine's tz database has them.
    key = kept.key(
        icalendar.__version__,
        json.dumps(invitation.key(), ensure_ascii=False),
        *(part for zone in invitation.zones() for part in (zone, vtimezone(zone, ANCHOR))),
    )
    stamp = _stamp_line(invitation.stamp)
    content = kept.get(path, key)
    if content is not None:
        found = _STAMP_LINE.findall(content)
        if len(found) == 1:
            return content.replace(found[0], stamp)
    content = invitation.ical()
    # Kept only if its one DTSTAMP line is the one this module writes in another day's file.
    if len(_STAMP_LINE.findall(content)) == 1 and content.count(stamp) == 1:
        kept.put(path, key, content)
    return content


def _stamp_line(day: date) -> bytes:
    written: bytes = vDatetime(_stamp(day)).to_ical()  # type: ignore[no-untyped-call]
    return b"\r\nDTSTAMP:" + written + b"\r\n"


def meeting_this_week(org: Org, today: date) -> list[tuple[date, str]]:
    """(day, slug) of the groups that meet in the week (Monday to Sunday) of ``today``, by day then name."""
    monday = today - timedelta(days=today.weekday())
    found = [
        (day, slug)
        for slug, group in org.groups.items()
        if group.meetings is not None
        for day in meets_between(group.meetings, monday, monday + timedelta(days=6))
    ]
    return sorted(found, key=lambda item: (item[0], _meeting_time(org, item[1]), sort_key(org.groups[item[1]].name)))


def meetings_ahead(org: Org, today: date, weeks: int, *, limit: int = 20) -> list[tuple[date, date, date, str]]:
    """(week's Monday, its Sunday, day, slug) of the meetings of the week of ``today`` and the ``weeks - 1`` after, ``limit`` a week.

    The home page lists them all, the weeks to come hidden until they come (assets/dated.js).
    """
    monday = today - timedelta(days=today.weekday())
    found: list[tuple[date, date, date, str]] = []
    for week in range(weeks):
        start = monday + timedelta(weeks=week)
        found += [(start, start + timedelta(days=6), day, slug) for day, slug in meeting_this_week(org, start)[:limit]]
    return found


def _meeting_time(org: Org, slug: str) -> str:
    meetings = org.groups[slug].meetings
    return meetings.at or "" if meetings is not None else ""
