"""Every writer holds whatever the model lets through: each hostile string, in each field a writer
writes, is read back by the format's real reader as exactly the properties that were written.

The people and groups here are made valid, then given the hostile values with ``model_copy``
(which does not validate): the writers must not rely on the model refusing them.
"""

from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ElementTree
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import feedparser
import pytest
import vobject  # type: ignore[import-untyped]
from icalendar import Calendar

from generator.directory.enrich import Org
from generator.history.news import NewsItem, atom_feed
from generator.i18n import load_language
from generator.interop.exports import person_json, person_vcard
from generator.network.pairing import IN_PERSON, Lunch
from generator.network.silo import SiloMap, silo_svg
from generator.problems import Level, Problem, TrombiError, format_github, format_json, format_text
from generator.site.ics import group_calendar, lunch_calendar
from generator.site.markup import plain_text
from tests.test_pairing import make_org

HOSTILE = [
    "Ana\rBEGIN:VCARD",
    "Ana\nTEL:+33 6 66 66 66 66",
    "Ana\r\nEMAIL:evil@example.com",
    "Ana\vBob",
    "Ana\fBob",
    "Ana\x1b[31mRed\x1b[0m",
    "Ana\x00Bob",
    "Ana\x7fBob",
    "Ana\x85Bob",
    "Ana\x1cBob",
    "Ana\u2028Bob",
    "Ana\u2029Bob",
    "Ana\u202eboB",
    "Ana;Bob,Cid\\",
    "100% ::error file=x::forged",
    "$\\notacommand$",
    "<script>alert(1)</script>]]>",
    "Ana\ufffeBob",
]
TODAY = date(2026, 11, 23)
FR = load_language("fr")
LINE_BREAK = re.compile(r"\r\n|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def control(character: str) -> bool:
    return unicodedata.category(character) in ("Cc", "Zl", "Zp", "Cs") or "\u202a" <= character <= "\u202e"


def as_written(text: str, line_break: str) -> str:
    """What a writer keeps of ``text``: each line break as ``line_break``, no other control character."""
    return "".join(c for c in LINE_BREAK.sub(line_break, text) if c == line_break or not control(c))


def hostile_org(value: str) -> Org:
    """Two people and a group, valid, then every one-line field of Ana's and of the group set to ``value``."""
    people = {
        "ana": {"team": "team", "kind": "contractor", "company": "Acme", "contact": {"email": "ana@example.com", "phone": "+33 6"}},
        "bob": {"team": "team", "contact": {"email": "bob@example.com"}},
    }
    groups = {"team": {"type": "team", "meetings": {"every": "week", "on": "lundi", "at": "12:30", "place": "Lyon"}}}
    org = make_org(people, groups)
    ana = org.people["ana"]
    contact = ana.contact.model_copy(
        update={
            "email": ana.contact.email.model_copy(update={"value": f"ana{value}@example.com"}) if ana.contact.email else None,
            "phone": ana.contact.phone.model_copy(update={"value": value}) if ana.contact.phone else None,
        }
    )
    update: dict[str, Any] = {"name": value, "title": value, "company": value, "location": value, "pronouns": value, "contact": contact}
    org.people["ana"] = ana.model_copy(update=update)
    group = org.groups["team"]
    meetings = group.meetings.model_copy(update={"place": value}) if group.meetings else None
    org.groups["team"] = group.model_copy(update={"name": value, "description": f"{value}\n\n{value}", "meetings": meetings})
    return org


def raw_lines_are_clean(text: str) -> None:
    """Once cut at CRLF, the file holds no control character but TAB: no reader can find another line in it."""
    for line in text.split("\r\n"):
        assert not [c for c in line if control(c) and c != "\t"], repr(line)


@pytest.mark.parametrize("value", HOSTILE)
def test_a_vcard_keeps_one_property_per_field(value: str) -> None:
    text = person_vcard(hostile_org(value), "ana", site_url="https://trombi.example")
    raw_lines_are_clean(text)
    (card,) = vobject.readComponents(text)
    properties = {name: len(values) for name, values in card.contents.items()}
    assert properties == {"version": 1, "uid": 1, "fn": 1, "n": 1, "title": 1, "org": 1, "email": 1, "tel": 1, "url": 1}
    assert card.fn.value == as_written(value, "\n")
    assert card.title.value == as_written(value, "\n")
    assert card.tel.value == as_written(value, "\n")
    assert card.org.value[0] == as_written(value, "\n")


@pytest.mark.parametrize("value", HOSTILE)
def test_json_keeps_every_value_as_it_is(value: str) -> None:
    data = json.loads(person_json(hostile_org(value), "ana"))
    assert (data["name"], data["title"], data["contact"]["phone"]) == (value, value, value)


def calendar_name(calendar: Calendar) -> str:
    """X-WR-CALNAME as TEXT (RFC 5545 3.3.11): icalendar reads an X- property as it is written."""
    return re.sub(r"\\([\\;,Nn])", lambda match: "\n" if match[1] in "Nn" else match[1], str(calendar["X-WR-CALNAME"]))


def events_of(data: bytes) -> tuple[Calendar, Any]:
    raw_lines_are_clean(data.decode("utf-8"))
    calendar = Calendar.from_ical(data)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    assert [name for name, _ in events[0].property_items(recursive=False) if name == "SUMMARY"] == ["SUMMARY"]
    return calendar, events[0]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_lunch_invitation_holds_any_name_and_address(value: str) -> None:
    org = hostile_org(value)
    lunch = Lunch(("ana", "bob"), IN_PERSON, value)
    calendar, event = events_of(lunch_calendar(org, lunch, "2026-12", today=TODAY, language=FR))
    summary = FR.gettext("Lunch: %(names)s") % {"names": f"{as_written(value, ' ')}, Bob"}
    assert str(event["SUMMARY"]) == summary
    assert calendar_name(calendar) == summary
    assert str(event["LOCATION"]) == as_written(value, " ")
    attendees = event.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    # An address that holds a control character reaches nobody: that invitee is left out.
    expected = ["mailto:bob@example.com"] if any(map(control, value)) else [f"mailto:ana{value}@example.com", "mailto:bob@example.com"]
    assert sorted(unquote(str(a)) for a in attendees) == sorted(expected)


@pytest.mark.parametrize("value", HOSTILE)
def test_a_group_calendar_holds_any_name_place_and_description(value: str) -> None:
    org = hostile_org(value)
    data = group_calendar(org, "team", today=TODAY, language=FR, site_url="https://trombi.example")
    assert data is not None
    calendar, event = events_of(data)
    assert str(event["SUMMARY"]) == as_written(value, " ")
    assert calendar_name(calendar) == as_written(value, " ")
    assert str(event["LOCATION"]) == as_written(value, " ")
    # The description's first paragraph only, on one line, as it reads: no tag nor Markdown mark.
    first = str(event["DESCRIPTION"]).split("\n")[0]
    assert first == " ".join(as_written(plain_text(value).split("\n\n")[0], " ").split())
    assert "<script" not in first.lower() and not [c for c in first if control(c)]


@pytest.mark.parametrize("value", HOSTILE)
def test_the_feed_stays_well_formed_xml(value: str) -> None:
    when = datetime(2026, 11, 5, 8, tzinfo=UTC)
    items = [NewsItem(when, f"{value} nous rejoint", "people/ana.md", "k1", value), NewsItem(when, "Bob", None, "k2")]
    text = atom_feed(items, title=value, site_url="https://trombi.example/", language=FR)
    ElementTree.fromstring(text.encode("utf-8"))
    feed = feedparser.parse(text.encode("utf-8"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 2
    shown = as_written(value, " ").replace("\ufffe", "\ufffd")
    assert feed.feed.title == shown
    assert feed.entries[0].title == f"{shown} nous rejoint"
    assert feed.entries[0].author == shown


def forged(text: str) -> list[str]:
    """Control characters a terminal or GitHub's runner would act on."""
    return [c for c in text if control(c) and c != "\n"]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_output_shows_every_control_character(value: str) -> None:
    problems = [Problem(f"people/{value}.yaml", 1, 2, f"'name': {value}", "rule"), Problem("b.yaml", 3, 4, "fine", "rule", Level.WARNING)]
    text = format_text(problems)
    assert not forged(text)
    assert len(text.split("\n")) == 3 and text.split("\n")[1].startswith("b.yaml:3:4: warning: fine")


@pytest.mark.parametrize("value", HOSTILE)
def test_github_annotations_are_one_line_each(value: str) -> None:
    problems = [Problem(f"people/{value}.yaml", 1, 2, f"'name': {value}", f"rule{value}"), Problem("b.yaml", 3, 4, "fine", "rule")]
    lines = format_github(problems).split("\n")
    assert not forged("\n".join(lines))
    assert len(lines) == 2 and all(line.startswith("::error file=") for line in lines)
    # The properties end at the first "::" after the command and are cut at commas: the data holds neither.
    properties = lines[0].split("::")[1].removeprefix("error ").split(",")
    assert [item.split("=")[0] for item in properties] == ["file", "line", "col", "title"]


@pytest.mark.parametrize("value", [*HOSTILE, "\ud800 lone surrogate"])
def test_json_output_reads_back_the_same_and_prints_no_control(value: str) -> None:
    problem = Problem(f"people/{value}.yaml", 1, 2, value, "rule")
    text = format_json([problem])
    assert not forged(text)
    assert json.loads(text) == [problem.as_dict()]


@pytest.mark.parametrize("value", HOSTILE)
def test_the_silo_map_draws_any_department_name(value: str) -> None:
    silos = SiloMap(["a", "b"], {"a": value, "b": "Ventes"}, {"a": 2, "b": 3}, {("a", "b"): 0.5})
    svg = silo_svg(silos, title="Liens", caption="Force")
    root = ElementTree.fromstring(svg)
    texts = ["".join(element.itertext()) for element in root.iter("{http://www.w3.org/2000/svg}text")]
    shown = as_written(value, " ").replace("\ufffe", "\ufffd")
    assert shown in texts


def test_the_control_characters_are_unicodes_and_the_bidi_controls() -> None:
    from generator.controls import BIDI_CONTROLS, is_control

    for code in range(0x110000):
        character = chr(code)
        assert is_control(character) == (unicodedata.category(character) in ("Cc", "Zl", "Zp", "Cs") or character in BIDI_CONTROLS), hex(code)


@pytest.mark.parametrize("value", ["leo-gh\n/mkdocs.yml @evil", "leo-gh\r/mkdocs.yml @evil", "leo-gh @evil", "leo-gh\u2028/mkdocs.yml @evil"])
def test_codeowners_holds_no_rule_or_owner_from_a_github_login(tmp_path: Path, value: str) -> None:
    from generator.directory.settings import load_settings
    from generator.review.codeowners import codeowners_text
    from generator.review.platforms import PLATFORMS
    from tests.conftest import make_directory

    root = make_directory(tmp_path / "directory")
    lead = root / "people" / "lead.yaml"
    lead.write_text(lead.read_text(encoding="utf-8").replace("github: leo-gh", f"github: {json.dumps(value)}"), encoding="utf-8")

    def read(relative: str) -> bytes | None:
        path = root / relative
        return path.read_bytes() if path.is_file() else None

    # Not a login: CODEOWNERS is not written at all, and the error points at the value to fix.
    with pytest.raises(TrombiError) as refused:
        codeowners_text(load_settings(root), read, ["guild-python", "platform"], PLATFORMS["github"])
    [problem] = refused.value.problems
    assert (problem.path, problem.rule) == ("people/lead.yaml", "codeowners")
    assert "@evil" not in problem.message


@pytest.mark.parametrize("value", HOSTILE)
def test_the_terminal_commands_show_names_and_never_pass_their_controls_on(
    value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.cli import network as cli_network
    from generator.cli.main import main

    def output(name: str, command: list[str]) -> list[str]:
        org = hostile_org(name)
        monkeypatch.setattr(cli_network, "_org", lambda root: org)
        main([*command[:-1], command[-1].format(name=name)])
        return capsys.readouterr().out.splitlines()

    for command in (["intro", "bob", "ana"], ["similar", "ana"], ["helpers", "--text", "{name}"]):
        lines = output(value, command)
        # As many lines as for a plain name: no line was forged; and none holds a control character.
        assert len(lines) == len(output("Ana", command)), (command, lines)
        for line in lines:
            assert not [c for c in line if control(c)], (command, repr(line))
    monkeypatch.setattr(cli_network, "_org", lambda root: hostile_org(value))
    main(["intro", "bob", "ana", "--json"])
    assert json.loads(capsys.readouterr().out)["to"] == "ana"
