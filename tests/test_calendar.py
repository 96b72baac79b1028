"""Calendars: group meetings as recurring events, lunch invitations, read back with icalendar; and a real build."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from generator.directory.model import Meetings
from generator.engine.publish import build_site
from generator.i18n import load_language
from generator.network.pairing import IN_PERSON, Lunch, MonthPairing
from generator.site.ics import ANCHOR, group_calendar, lunch_calendar, lunch_slot, meeting_this_week, meets_between, parse_recurrence, site_calendars
from tests.conftest import make_directory, read_page, write_config
from tests.test_pairing import make_org

FR = load_language("fr")
TODAY = date(2026, 11, 23)  # a Monday


def org_with(meetings: dict[str, Any], **group: Any) -> Any:
    groups = {"guild": {"type": "community", "meetings": meetings, **group}}
    people = {"ana": {"groups": ["guild"], "timezone": "Europe/Paris", "contact": {"email": "ana@example.com"}}}
    people["bob"] = {"groups": ["guild"], "contact": {"email": {"value": "bob@example.com", "visibility": "private"}}}
    return make_org(people, groups)


def parse(data: bytes | None) -> Any:
    assert data is not None
    calendar = Calendar.from_ical(data)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return events[0]


def test_a_monthly_meeting_is_a_recurring_event_in_the_group_time_zone() -> None:
    org = org_with({"every": "month", "on": "premier jeudi", "at": "12:30", "place": "Lyon, salle Rhône"}, channels={"chat": "#guild"})
    data = group_calendar(org, "guild", today=TODAY, language=FR, site_url="https://trombi.example/")
    event = parse(data)
    assert event["RRULE"]["FREQ"] == ["MONTHLY"] and event["RRULE"]["BYDAY"] == ["1TH"]
    start = event.decoded("DTSTART")
    assert isinstance(start, datetime) and start.weekday() == 3 and start.day <= 7 and (start.hour, start.minute) == (12, 30)
    assert str(start.tzinfo) == "Europe/Paris" and b"BEGIN:VTIMEZONE" in (data or b"")
    assert str(event["LOCATION"]) == "Lyon, salle Rhône"
    assert "#guild" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == "https://trombi.example/groups/guild/"
    assert event.decoded("DTSTAMP").date() == TODAY
    assert str(event["UID"]) == "meetings-guild@trombi"
    assert group_calendar(org, "guild", today=TODAY, language=FR, site_url="https://trombi.example/") == data  # byte for byte


@pytest.mark.parametrize(
    ("every", "on", "rule"),
    [
        ("week", "mercredi", {"FREQ": ["WEEKLY"], "BYDAY": ["WE"]}),
        ("two-weeks", "Tuesday", {"FREQ": ["WEEKLY"], "INTERVAL": [2], "BYDAY": ["TU"]}),
        ("month", "dernier vendredi", {"FREQ": ["MONTHLY"], "BYDAY": ["-1FR"]}),
        ("quarter", "deuxième lundi", {"FREQ": ["MONTHLY"], "INTERVAL": [3], "BYDAY": ["2MO"]}),
    ],
)
def test_recurrence_rules(every: str, on: str, rule: dict[str, list[Any]]) -> None:
    event = parse(group_calendar(org_with({"every": every, "on": on}), "guild", today=TODAY, language=FR))
    for key, value in rule.items():
        assert event["RRULE"][key] == value
    assert isinstance(event.decoded("DTSTART"), date)  # no time given: an all-day event


def test_a_meeting_without_a_weekday_has_no_calendar() -> None:
    assert group_calendar(org_with({"every": "month", "on": "à la demande"}), "guild", today=TODAY, language=FR) is None
    assert parse_recurrence(Meetings(every="week")) is None


def test_meeting_days_agree_with_the_rule() -> None:
    last_friday = Meetings(every="month", on="dernier vendredi")
    assert meets_between(last_friday, date(2026, 11, 1), date(2026, 11, 30)) == [date(2026, 11, 27)]
    fortnight = Meetings(every="two-weeks", on="jeudi")
    days = meets_between(fortnight, date(2026, 1, 1), date(2026, 3, 1))
    assert all((b - a) == timedelta(days=14) for a, b in itertools.pairwise(days))
    assert (days[0] - parse_recurrence(fortnight).first_from(ANCHOR)).days % 14 == 0  # type: ignore[union-attr]


def test_groups_meeting_this_week() -> None:
    org = org_with({"every": "week", "on": "mercredi", "at": "18:30"})
    assert meeting_this_week(org, TODAY) == [(date(2026, 11, 25), "guild")]
    monthly = org_with({"every": "month", "on": "premier jeudi"})
    assert meeting_this_week(monthly, TODAY) == []
    assert meeting_this_week(monthly, date(2026, 12, 1)) == [(date(2026, 12, 3), "guild")]


def test_a_lunch_invitation_has_a_slot_in_its_month_and_only_public_emails() -> None:
    org = org_with({"every": "week", "on": "lundi"})
    lunch = Lunch(("ana", "bob"), IN_PERSON, "Lyon")
    data = lunch_calendar(org, lunch, "2026-12", today=TODAY, language=FR)
    event = parse(data)
    start = event.decoded("DTSTART")
    assert start.date() == lunch_slot(lunch, "2026-12") and (start.year, start.month) == (2026, 12) and start.weekday() in (1, 3)
    assert str(event["LOCATION"]) == "Lyon"
    assert str(event["SUMMARY"]) == "Déjeuner : Ana, Bob"
    attendees = event.get("ATTENDEE")
    assert str(attendees) == "mailto:ana@example.com"
    assert b"bob@example.com" not in data
    assert lunch_calendar(org, lunch, "2026-12", today=TODAY, language=FR) == data


def test_two_lunches_never_share_a_calendar_file() -> None:
    # Handles may hold "-": joined by it, these two lunches were one file and one UID.
    people: dict[str, dict[str, Any]] = {handle: {"networking": {"lunch": True}} for handle in ("clement-roux", "jdupont", "clement", "roux-jdupont")}
    org = make_org(people)
    pairing = MonthPairing("2026-12", [Lunch(("clement-roux", "jdupont"), IN_PERSON, "Lyon"), Lunch(("clement", "roux-jdupont"), IN_PERSON, "Lyon")])
    files = dict(site_calendars(org, [pairing], today=TODAY, language=FR))
    assert len(files) == 2
    uids = {str(parse(data)["UID"]) for data in files.values()}
    assert len(uids) == 2
    names = {str(parse(data)["SUMMARY"]) for data in files.values()}
    assert names == {"Déjeuner : Clement-Roux, Jdupont", "Déjeuner : Clement, Roux-Jdupont"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_directory(tmp_path_factory.mktemp("build") / "directory")
    write_config(root)
    guild = root / "groups" / "guild-python.yaml"
    guild.write_text(guild.read_text(encoding="utf-8") + 'meetings: {every: week, "on": mercredi, at: "12:30", place: Salle Rhône}\n', encoding="utf-8")
    for handle, location in (("ines", "Lyon"), ("jules", "Lyon"), ("karl", "Télétravail")):
        lines = ["# yaml-language-server: $schema=../schemas/person.schema.json", f"name: {handle.title()}", "title: Testeur", "team: platform"]
        lines += [f"location: {location}", "networking: {lunch: true}"]
        (root / "people" / f"{handle}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "pairings").mkdir()
    (root / "pairings" / "2025-01.yaml").write_text('month: "2025-01"\npairs:\n  - [ines, jules]\n  - [dev, karl]\n', encoding="utf-8")
    return build_site(root, root / "site")


def test_the_site_links_group_and_lunch_calendars(site: Path) -> None:
    page = read_page(site / "groups" / "guild-python" / "index.html")
    assert 'href="../guild-python.ics"' in page
    event = parse((site / "groups" / "guild-python.ics").read_bytes())
    assert event["RRULE"]["BYDAY"] == ["WE"]
    home = read_page(site / "index.html")
    assert "Se réunissent cette semaine" in home and "Guilde Python" in home
    recorded = read_page(site / "lunch" / "2025-01" / "index.html")
    assert 'href="ines.jules.ics"' in recorded
    parse((site / "lunch" / "2025-01" / "ines.jules.ics").read_bytes())
    this_month = date.today().strftime("%Y-%m")
    assert (site / "lunch" / this_month / "index.html").is_file()
    assert list((site / "lunch" / this_month).glob("*.ics"))
    index = read_page(site / "lunch" / "index.html")
    assert 'href="2025-01/"' in index and f'href="{this_month}/"' in index
