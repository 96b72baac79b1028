"""A zone's VTIMEZONE (RFC 5545 3.6.5) that holds for every occurrence of a meeting that repeats forever.

icalendar's ``Timezone.from_tzinfo`` lists each change of offset as an RDATE up to a last date:
past it, a reader takes the last offset for good, and a weekly meeting in 2035 drifts by an hour
for half the year. Here the zone's current rules are written as yearly RRULEs (``last Sunday of
March at 02:00``), read from zoneinfo itself rather than parsed from the TZif file's rule string:
the changes of a far year follow that rule and nothing else, so each one's month, weekday, week
and time say the RRULE, checked over a full 28-year cycle of weekdays. The rule starts the year it
took over; changes before that, from a year before the anchor, stay RDATEs.
"""

from __future__ import annotations

import calendar
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_FAR = 2400  # far past every explicit change of any zone (Casablanca's run to 2087): its changes are the rule's
_CYCLE = 28  # weekdays of dates repeat every 28 years between century years that are not leap years
_LAST_EXPLICIT = 2100  # how far changes are compared with the rule to find the year it took over
_STEP = timedelta(hours=12)  # no zone changes its offset twice within 12 hours


@dataclass(frozen=True)
class _Change:
    at: datetime  # UTC, naive
    before: timedelta
    after: timedelta
    name: str
    daylight: bool

    @property
    def kind(self) -> tuple[timedelta, timedelta, str, bool]:
        return (self.before, self.after, self.name, self.daylight)

    @property
    def wall(self) -> datetime:
        """The change's local time on the clock it ends: how DTSTART and the RRULE say it."""
        return self.at + self.before


@dataclass(frozen=True)
class _Rule:
    """A yearly change: in ``month``, on the ``weekday`` of the days ``first``..``first + 6``, at ``clock``."""

    kind: tuple[timedelta, timedelta, str, bool]
    month: int
    weekday: int
    first: int  # the first of seven days; -1: the month's last seven
    clock: timedelta

    def wall(self, year: int) -> datetime:
        length = calendar.monthrange(year, self.month)[1]
        first = length - 6 if self.first == -1 else self.first
        day = first + (self.weekday - date(year, self.month, first).weekday()) % 7
        return datetime(year, self.month, day) + self.clock

    def rrule(self) -> dict[str, object]:
        day = _WEEKDAYS[self.weekday]
        if self.first == -1:
            return {"FREQ": "YEARLY", "BYMONTH": self.month, "BYDAY": f"-1{day}"}
        if self.first % 7 == 1:
            return {"FREQ": "YEARLY", "BYMONTH": self.month, "BYDAY": f"{self.first // 7 + 1}{day}"}
        return {"FREQ": "YEARLY", "BYMONTH": self.month, "BYDAY": day, "BYMONTHDAY": list(range(self.first, self.first + 7))}


@cache
def vtimezone(zone: str, since: date) -> bytes:
    """The VTIMEZONE of ``zone`` for any date from ``since`` on: a stable text, whatever the build's year."""
    tz = zoneinfo.ZoneInfo(zone)
    rules = _rules(tz)
    component = Timezone()
    component.add("tzid", zone)
    if rules is None:  # a rule no RRULE of this kind says: the changes, listed as far as they are compared
        listed = Timezone.from_tzinfo(tz, zone, first_date=since, last_date=date(_LAST_EXPLICIT, 1, 1))
        return bytes(listed.to_ical())
    start = since.year - 1
    # The year the rule took over: the changes of every later year are the rule's.
    took_over = start
    for year in range(_LAST_EXPLICIT, start - 1, -1):
        if _changes(tz, year) != [_applied(rule, year) for rule in rules]:
            took_over = year + 1
            break
    if took_over > start:
        history = Timezone.from_tzinfo(tz, zone, first_date=date(start, 1, 1), last_date=date(took_over, 1, 1))
        for sub in history.subcomponents:
            component.add_component(sub)
    if not rules:  # no change any more: one offset from the year it holds
        offset = datetime(took_over, 1, 1, tzinfo=UTC).astimezone(tz)
        standard = TimezoneStandard()
        standard.add("dtstart", datetime(took_over, 1, 1))
        standard.add("tzoffsetfrom", offset.utcoffset())
        standard.add("tzoffsetto", offset.utcoffset())
        standard.add("tzname", offset.tzname() or zone)
        component.add_component(standard)
    for rule in rules:
        before, after, name, daylight = rule.kind
        sub = TimezoneDaylight() if daylight else TimezoneStandard()
        sub.add("dtstart", rule.wall(took_over))
        sub.add("tzoffsetfrom", before)
        sub.add("tzoffsetto", after)
        sub.add("tzname", name)
        sub.add("rrule", rule.rrule())
        component.add_component(sub)
    return bytes(component.to_ical())


def _rules(tz: zoneinfo.ZoneInfo) -> list[_Rule] | None:
    """The zone's yearly changes as rules (none for a fixed offset), None if some change follows no such rule."""
    years = [_changes(tz, year) for year in range(_FAR, _FAR + _CYCLE)]
    if any(len(changes) != len(years[0]) for changes in years):
        return None
    rules = []
    for index in range(len(years[0])):
        seen = [changes[index] for changes in years]
        walls = [change.wall for change in seen]
        first = seen[0]
        clock = walls[0] - walls[0].replace(hour=0, minute=0, second=0)
        if any(c.kind != first.kind for c in seen) or any(
            (w.month, w.weekday(), w - w.replace(hour=0, minute=0, second=0)) != (walls[0].month, walls[0].weekday(), clock) for w in walls
        ):
            return None
        rule = None
        for start in (-1, *range(1, 26)):
            candidate = _Rule(first.kind, walls[0].month, walls[0].weekday(), start, clock)
            if all(candidate.wall(w.year) == w for w in walls):
                rule = candidate
                break
        if rule is None:
            return None
        rules.append(rule)
    return rules


def _applied(rule: _Rule, year: int) -> _Change:
    before, after, name, daylight = rule.kind
    return _Change(rule.wall(year) - before, before, after, name, daylight)


@cache
def _changes(tz: zoneinfo.ZoneInfo, year: int) -> list[_Change]:
    """The zone's changes of offset (or of name) in ``year``, in order, each to the second."""
    changes = []
    moment, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    state = _state(tz, moment)
    while moment < end:
        following = moment + _STEP
        now = _state(tz, following)
        if now != state:
            low, high = moment, following  # the change is in (low, high]
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if _state(tz, middle) == state:
                    low = middle
                else:
                    high = middle
            # Daylight is the greater offset of the two: Dublin's winter GMT is tzdata's "negative DST".
            changes.append(_Change(high, state[0], now[0], now[1], now[0] > state[0]))
            state = now
        moment = following
    return changes


def _state(tz: zoneinfo.ZoneInfo, moment: datetime) -> tuple[timedelta, str]:
    local = moment.replace(tzinfo=UTC).astimezone(tz)
    return (local.utcoffset() or timedelta(), local.tzname() or "")
