"""Calendars: group meetings as recurring events, lunch invitations, read back with icalendar; and a real build."""

from __future__ import annotations

import itertools
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from generator.directory.enrich import enrich
from generator.directory.model import Meetings
from generator.directory.settings import Settings, load_settings
from generator.directory.validate import validate_directory
from generator.directory.zones import Zones, known_zone
from generator.engine.publish import build_site
from generator.i18n import load_language
from generator.network.pairing import IN_PERSON, Lunch, MonthPairing
from generator.problems import TrombiError
from generator.site.ics import (
    ANCHOR,
    group_calendar,
    lunch_calendar,
    lunch_slot,
    meeting_this_week,
    meets_between,
    next_meeting,
    parse_recurrence,
    site_calendars,
)
from tests.conftest import REPO, make_directory, read_page, write_config
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
    ("description", "expected"),
    [
        (
            "#guilde-rust. On **aime** le [wiki](https://wiki.example/rust) et _Ferris_.\n\nLa suite.",
            "#guilde-rust. On aime le wiki <https://wiki.example/rust> et Ferris.",
        ),
        ("<p>Bienvenue &amp; <strong>bonjour</strong><br>à tous.</p><script>alert(1)</script><p>Deux</p>", "Bienvenue & bonjour à tous."),
        ("Voir https://k8s\\.io ou écrire à rust@example.com.", "Voir https://k8s.io ou écrire à rust@example.com."),
    ],
)
def test_a_meeting_is_described_by_the_first_paragraph_as_it_reads(description: str, expected: str) -> None:
    """A calendar shows no HTML: the description's Markdown marks and tags are not its words."""
    org = org_with({"every": "week", "on": "lundi", "at": "10:00"}, description=description)
    assert str(parse(group_calendar(org, "guild", today=TODAY, language=FR))["DESCRIPTION"]) == expected


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
    assert str(event["ORGANIZER"]) == "mailto:ana@example.com" and event["ORGANIZER"].params["CN"] == "Ana"
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


# --- time zones: where a meeting is held, and a VTIMEZONE that holds for every occurrence ---------


def occurrence(data: bytes | None, day: date, zone: str) -> datetime:
    """The event's occurrence on ``day``, resolved through the calendar's own VTIMEZONE, read in ``zone``.

    The TZID is not looked up in the reader's zone database: the embedded VTIMEZONE alone says
    the offset, as a calendar client without that zone would read it.
    """
    assert data is not None
    calendar = Calendar.from_ical(data)
    event = parse(data)
    tzid = str(event["DTSTART"].params["TZID"])
    (embedded,) = [c for c in calendar.walk("VTIMEZONE") if str(c["TZID"]) == tzid]
    local = event.decoded("DTSTART").replace(tzinfo=None)
    if "RRULE" in event:
        rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=local)
        (local,) = rule.between(datetime.combine(day, datetime.min.time()), datetime.combine(day + timedelta(days=1), datetime.min.time()))
    else:
        assert local.date() == day
    resolved = local.replace(tzinfo=embedded.to_tz(lookup_tzid=False))
    return resolved.astimezone(UTC).astimezone(zoneinfo.ZoneInfo(zone))


@pytest.fixture(scope="module")
def demo() -> Any:
    directory, _ = validate_directory(load_settings(REPO))
    return enrich(directory)


def test_the_platform_team_meets_at_ten_in_lyon_whatever_its_members_declare(demo: Any) -> None:
    # Most members who declare a zone say Europe/Dublin: a vote made it 11:00 in Paris.
    data = group_calendar(demo, "platform", today=TODAY, language=FR)
    assert str(parse(data)["DTSTART"].params["TZID"]) == "Europe/Paris"
    # Mondays on each side of the change to summer time (29 March 2026), a winter and a summer one in 2035.
    for day in (date(2026, 3, 23), date(2026, 3, 30), date(2035, 1, 8), date(2035, 7, 2), date(2035, 10, 29)):
        wall = occurrence(data, day, "Europe/Paris")
        assert (wall.date(), wall.hour, wall.minute) == (day, 10, 0), day
    zones = Zones(demo)
    assert zones.group("platform") == "Europe/Paris" and zones.named_site("Lyon, salle Saône et en visio") == "Lyon"
    assert zones.group("guild-rust") == zones.group("projet-migration-kubernetes") == zones.default == "Europe/Paris"


def org_at_sites(**settings: Any) -> Any:
    groups: dict[str, dict[str, Any]] = {
        "site-manhattan": {"type": "site", "name": "Bureau Manhattan", "timezone": "America/New_York", "owners": ["ana"]},
        "nyc-guild": {"type": "community", "parent": "site-manhattan", "meetings": {"every": "week", "on": "lundi", "at": "09:00"}},
        "tokyo-club": {"type": "interest", "meetings": {"every": "month", "on": "premier mardi", "at": "18:30", "place": "Tokyo, salle Fuji"}},
        "remote": {"type": "community", "meetings": {"every": "week", "on": "jeudi", "at": "16:00", "place": "En visio"}},
    }
    people = {handle: {"timezone": "Europe/Dublin", "location": "Tokyo", "contact": {"email": f"{handle}@example.com"}} for handle in ("ana", "bob")}
    org = make_org(people, groups)
    org.directory.settings = Settings(root=Path("."), **settings)
    return org


def test_a_site_declares_its_zone_or_its_name_makes_it_known() -> None:
    org = org_at_sites(sites=("Lyon", "Tokyo"))
    new_york = group_calendar(org, "nyc-guild", today=TODAY, language=FR)
    assert str(parse(new_york)["DTSTART"].params["TZID"]) == "America/New_York"
    # New York changes to summer time on 8 March 2026, Paris on 29 March: 9:00 there all along, 14:00 then 13:00 then 15:00 here.
    assert [occurrence(new_york, day, "America/New_York").hour for day in (date(2026, 3, 2), date(2026, 3, 9), date(2035, 7, 2))] == [9, 9, 9]
    assert [occurrence(new_york, day, "Europe/Paris").hour for day in (date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 30))] == [15, 14, 15]
    tokyo = group_calendar(org, "tokyo-club", today=TODAY, language=FR)
    for day in (date(2026, 1, 6), date(2026, 7, 7), date(2035, 7, 3)):
        wall = occurrence(tokyo, day, "Asia/Tokyo")
        assert (wall.hour, wall.minute) == (18, 30)
    # No site, and the first site (Lyon) of no known zone: the company's default.
    assert str(parse(group_calendar(org, "remote", today=TODAY, language=FR))["DTSTART"].params["TZID"]) == "Europe/Paris"
    assert known_zone("Bureau de New York") == "America/New_York" and known_zone("São Paulo") == "America/Sao_Paulo"
    assert known_zone("Lyon") is None and known_zone("Télétravail") is None


def test_the_company_zone_is_the_setting_else_the_first_known_site() -> None:
    assert Zones(org_at_sites(sites=("Tokyo", "Lyon"))).default == "Asia/Tokyo"
    assert Zones(org_at_sites(sites=("Lyon", "Tokyo"))).default == "Europe/Paris"
    org = org_at_sites(sites=("Tokyo",), timezone="America/Montreal")
    assert Zones(org).default == "America/Montreal"
    remote = group_calendar(org, "remote", today=TODAY, language=FR)
    assert occurrence(remote, date(2035, 6, 7), "America/Montreal").hour == 16


def test_a_lunch_is_at_its_site_time_and_sent_by_the_first_of_the_pair() -> None:
    org = org_at_sites()
    data = lunch_calendar(org, Lunch(("ana", "bob"), IN_PERSON, "Tokyo"), "2026-07", today=TODAY, language=FR)
    event = parse(data)
    assert str(event["DTSTART"].params["TZID"]) == "Asia/Tokyo"
    start = event.decoded("DTSTART")
    wall = occurrence(data, start.date(), "Asia/Tokyo")
    assert (wall.hour, wall.minute) == (12, 30)
    assert str(event["ORGANIZER"]) == "mailto:ana@example.com" and event["ORGANIZER"].params["CN"] == "Ana"
    assert [str(a) for a in event["ATTENDEE"]] == ["mailto:ana@example.com", "mailto:bob@example.com"]
    video = parse(lunch_calendar(org, Lunch(("bob", "ana"), "video", None), "2026-07", today=TODAY, language=FR))
    assert str(video["DTSTART"].params["TZID"]) == "Europe/Paris" and str(video["ORGANIZER"]) == "mailto:bob@example.com"


def test_no_organizer_without_a_public_address() -> None:
    org = org_with({"every": "week", "on": "lundi"})
    event = parse(lunch_calendar(org, Lunch(("bob", "ana"), IN_PERSON, "Lyon"), "2026-12", today=TODAY, language=FR))
    assert "ORGANIZER" not in event and str(event["ATTENDEE"]) == "mailto:ana@example.com"


def test_the_time_zone_is_written_as_rules_that_never_end() -> None:
    data = group_calendar(org_at_sites(), "nyc-guild", today=TODAY, language=FR) or b""
    (zone,) = Calendar.from_ical(data).walk("VTIMEZONE")
    rules = {sub.name: sub["RRULE"] for sub in zone.subcomponents}
    assert rules["DAYLIGHT"]["BYMONTH"] == [3] and rules["DAYLIGHT"]["BYDAY"] == ["2SU"] and "UNTIL" not in rules["DAYLIGHT"]
    assert rules["STANDARD"]["BYMONTH"] == [11] and rules["STANDARD"]["BYDAY"] == ["1SU"]
    # The same text whatever the year of the build: nothing in it depends on the build's date but DTSTAMP.
    later = group_calendar(org_at_sites(), "nyc-guild", today=date(2031, 5, 5), language=FR) or b""
    assert data.split(b"BEGIN:VEVENT")[0] == later.split(b"BEGIN:VEVENT")[0]


@pytest.mark.parametrize("zone", ["Asia/Jerusalem", "America/Nuuk", "Australia/Lord_Howe", "Africa/Casablanca", "Europe/Dublin", "Asia/Kolkata"])
def test_every_kind_of_zone_rule_resolves_as_zoneinfo_does(zone: str) -> None:
    # Jerusalem: the Friday before the last Sunday; Nuuk: at -1:00; Lord Howe: half an hour;
    # Casablanca: changes listed to 2087, then none; Dublin: tzdata's negative summer time.
    org = make_org({}, {"office": {"type": "site", "timezone": zone, "meetings": {"every": "week", "on": "samedi", "at": "12:00"}, "owners": []}})
    data = group_calendar(org, "office", today=TODAY, language=FR)
    for day in (date(2026, 3, 28), date(2026, 10, 31), date(2041, 4, 6), date(2088, 8, 7), date(2188, 4, 3)):
        saturday = day + timedelta(days=(5 - day.weekday()) % 7)
        assert occurrence(data, saturday, zone).hour == 12, (zone, saturday)


def test_the_company_time_zone_setting_is_checked_where_it_is_written(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "directory")
    write_config(root, extra="    timezone: Europe/Pariss\n")
    with pytest.raises(TrombiError) as caught:
        load_settings(root)
    (problem,) = caught.value.problems
    line = next(n for n, text in enumerate((root / "mkdocs.yml").read_text(encoding="utf-8").splitlines(), 1) if "timezone:" in text)
    assert (problem.path, problem.line, problem.col) == ("mkdocs.yml", line, 5)
    said = problem.message.said(load_language("fr"))
    assert "fuseau horaire IANA" in said and "Europe/Paris" in said
    write_config(root, extra="    timezone: Asia/Tokyo\n")
    assert load_settings(root).timezone == "Asia/Tokyo"


def test_only_a_site_has_a_time_zone(tmp_path: Path) -> None:
    root = make_directory(tmp_path / "directory")
    write_config(root)
    guild = root / "groups" / "guild-python.yaml"
    guild.write_text(guild.read_text(encoding="utf-8") + "timezone: Asia/Tokyo\n", encoding="utf-8")
    _, problems = validate_directory(load_settings(root))
    assert [(p.path, p.rule) for p in problems if p.rule == "group-timezone"] == [("groups/guild-python.yaml", "group-timezone")]


def test_the_next_meeting_is_counted_from_today() -> None:
    weekly = Meetings(every="week", on="lundi", at="10:00")
    assert next_meeting(weekly, date(2026, 12, 3)) == date(2026, 12, 7)
    assert next_meeting(weekly, date(2026, 12, 7)) == date(2026, 12, 7)
    assert next_meeting(Meetings(every="month", on="dernier vendredi"), date(2026, 11, 28)) == date(2026, 12, 25)
    assert next_meeting(Meetings(every="month"), date(2026, 12, 3)) is None
