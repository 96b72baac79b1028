"""What validates, builds: small directories with arbitrary text in every free-text field, built for real.

Hypothesis writes a company of three people and four groups whose every free-text field holds
arbitrary Unicode, hostile snippets (controls, bidi overrides, ``$`` for mathtext, ``<script>``,
Jinja and Markdown syntax, RTL, combining marks, emoji) or a string at the field's maximum
length. Each directory that ``trombi validate`` accepts is built with :func:`build_site`, and
every file of the site is read back by its real consumer.
"""

from __future__ import annotations

import json
import math
import tempfile
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import vobject  # type: ignore[import-untyped]
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.engine.publish import build_site
from generator.problems import has_errors
from generator.progress import Reporter
from tests.conftest import REPO, site_files, write_config

SNIPPETS = (
    "$\\notacommand$",
    "$x^2$",
    "<script>alert(1)</script>",
    "</ul></div><h1>",
    "{{ 7 * 7 }}",
    "{% raw %}{% endraw %}",
    "**gras** _italique_ [lien](javascript:alert(1))",
    "# Titre\n\n- liste\n\n| a | b |\n|---|---|",
    "`code` > citation",
    "مرحبا بالعالم",
    "שלום",
    "e\u0301\u0301\u0301",
    "👩🏽‍💻🇫🇷",
    "\u202eevil\u202c",
    "Ana\rTEL:+1",
    "Ana\nEMAIL:x@y.z",
    "\x1b[31mrouge\x1b[0m",
    "\v\f\x85\u2028\u2029",
    "&amp; &lt; &#0;",
    "\\;,:",
    "]]><!--",
    "%0A::error::forged",
)
SCHEMAS = REPO / "schemas"
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
# Elements whose end tag HTML lets a page leave out (the theme's own markup does, for <li>).
OPTIONAL_END = frozenset({"html", "head", "body", "li", "p", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot"})
SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/{}.schema.json\n"


def free_text(max_size: int) -> st.SearchStrategy[str]:
    """Text for a field of at most ``max_size`` characters: snippets and arbitrary Unicode, or the longest allowed."""
    piece = st.one_of(st.sampled_from(SNIPPETS), st.text(min_size=1, max_size=12))
    short = st.lists(piece, min_size=1, max_size=4).map("".join).map(lambda text: text[:max_size])
    longest = piece.map(lambda text: (text * math.ceil(max_size / len(text)))[:max_size])
    return st.one_of(short, short, longest)


def address(text: str) -> str:
    local = "".join(c for c in text if c.isalnum())[:40] or "x"
    return f"{local}@example.com"


@st.composite
def directories(draw: st.DrawFn) -> dict[str, Any]:
    """people/<handle>.yaml, groups/<slug>.yaml and skills.yaml, as data."""
    skill, category = draw(free_text(200)), draw(free_text(200))
    groups: dict[str, dict[str, Any]] = {
        "co": {"name": draw(free_text(200)), "type": "company", "owners": ["ana"]},
        "dept": {"name": draw(free_text(200)), "type": "department", "parent": "co", "owners": ["ana"]},
        "team": {"name": draw(free_text(200)), "type": "team", "parent": "dept", "owners": ["ana"]},
        "guild": {
            "name": draw(free_text(200)),
            "type": "community",
            "owners": ["bob"],
            "description": draw(free_text(10_000)),
            "channels": {"chat": draw(free_text(200)), "mailing_list": address(draw(free_text(40)))},
            "meetings": {"every": "month", "on": draw(free_text(180)) + " premier jeudi", "at": "12:30", "place": draw(free_text(200))},
        },
    }
    people: dict[str, dict[str, Any]] = {}
    for handle, manager in (("ana", None), ("bob", "ana"), ("cid", "ana")):
        person: dict[str, Any] = {
            "name": draw(free_text(200)),
            "pronouns": draw(free_text(200)),
            "title": draw(free_text(200)),
            "team": "team",
            # A site not in the configured list is a warning, which a strict build (CI's) turns into a failure.
            "location": draw(st.sampled_from(["Lyon", "Paris", "Télétravail"])),
            "languages": ["fr", "en"],
            "joined": "2024-01-05",
            "contact": {"email": address(draw(free_text(40))), "phone": draw(free_text(200)), "chat": draw(free_text(200))},
            "skills": [{"name": skill, "level": draw(st.sampled_from(["notions", "expert"]))}],
            "ask_me_about": draw(st.lists(free_text(200), max_size=3)),
            "offers": draw(st.lists(free_text(200), max_size=3)),
            "seeks": draw(st.lists(free_text(200), max_size=3)),
            "interests": draw(st.lists(free_text(200), max_size=3)),
            "groups": ["guild"],
            "networking": {"lunch": True},
            "search": draw(st.sampled_from(["visible", "visible", "hidden"])),
            "bio": draw(free_text(10_000)),
        }
        if manager:
            person["manager"] = manager
        if handle == "cid":
            person |= {"kind": "contractor", "company": draw(free_text(200))}
        people[handle] = person
    return {"people": people, "groups": groups, "skills": {skill: {"category": category, "description": draw(free_text(200))}}}


def write_directory(root: Path, data: dict[str, Any]) -> None:
    def dump(path: Path, schema: str, value: Any) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=math.inf)
        path.write_text(SCHEMA_LINE.format(schema) + text, encoding="utf-8")

    for handle, person in data["people"].items():
        dump(root / "people" / f"{handle}.yaml", "person", person)
    for slug, group in data["groups"].items():
        dump(root / "groups" / f"{slug}.yaml", "group", group)
    dump(root / "skills.yaml", "skills", data["skills"])
    (root / "skills.yaml").write_text((root / "skills.yaml").read_text(encoding="utf-8").replace("../schemas", "schemas"), encoding="utf-8")
    write_config(root, extra="site_url: https://trombi.example/\n")


class StrictHTML(HTMLParser):
    """An HTML reader that notes every end tag that does not close the element last opened (or one whose end HTML implies)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # <path/> in an SVG, <br/>: opened and closed at once

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.open and self.open[-1] != tag and self.open[-1] in OPTIONAL_END and tag in self.open:
            self.open.pop()
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.open[-1] if self.open else ''}> ({'/'.join(self.open[-4:])})")
            while self.open and tag in self.open and self.open[-1] != tag:
                self.open.pop()
        if self.open and self.open[-1] == tag:
            self.open.pop()


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))


def check_site(site: Path) -> dict[str, int]:
    """Every file of the built site read by its consumer; how many of each kind were read."""
    person, listing = validator("export-person.schema.json"), validator("export-list.schema.json")
    seen: dict[str, int] = {}
    for path in site_files(site):
        relative = path.relative_to(site).as_posix()
        seen[path.suffix] = seen.get(path.suffix, 0) + 1
        if path.suffix == ".vcf":
            cards = list(vobject.readComponents(path.read_text(encoding="utf-8")))
            assert len(cards) == 1 and len(cards[0].contents["fn"]) == 1, relative
        elif path.suffix == ".ics":
            events = [c for c in Calendar.from_ical(path.read_bytes()).walk() if c.name == "VEVENT"]
            assert len(events) == 1, relative
        elif path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            if relative.startswith("api/people/"):
                schema = listing if path.name.startswith("page-") else person
                assert not [error.message for error in schema.iter_errors(data)], relative
        elif path.suffix in (".xml", ".svg"):
            ElementTree.fromstring(path.read_bytes())
            if path.name == "feed.xml":
                feed = feedparser.parse(path.read_bytes())
                assert not feed.bozo, (relative, feed.get("bozo_exception"))
        elif path.suffix == ".html":
            reader = StrictHTML()
            reader.feed(path.read_text(encoding="utf-8"))
            reader.close()
            assert not reader.errors and not [tag for tag in reader.open if tag not in OPTIONAL_END], (relative, reader.errors, reader.open)
    return seen


@settings(max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(directories())
def test_whatever_validates_builds(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory(prefix="trombi-hypothesis-") as temporary:
        root = Path(temporary) / "directory"
        write_directory(root, data)
        _, problems = validate_directory(load_settings(root))
        assume(not has_errors(problems))
        site = build_site(root, Path(temporary) / "site", reporter=Reporter())
        seen = check_site(site)
        assert seen[".vcf"] == 3 and seen[".ics"] >= 1, seen
