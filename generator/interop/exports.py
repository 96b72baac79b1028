"""JSON and vCard files published with the site, built from an enriched :class:`~generator.directory.enrich.Org`.

Pure functions: they return ``(path, text)`` values and never touch files. What they export is
what a person page shows: private contacts and networking opt-ins are never exported. People with
``search: hidden`` keep their own JSON and vCard (their page exists), which say so (``listed`` and
``note``, a NOTE in the card), but are left out of the paged listing.

- ``api/people/<handle>.json``: one person (:class:`ExportPerson`, ``schemas/export-person.schema.json``);
- ``api/people/page-<n>.json``: everyone listed, 1000 a page (:class:`ExportListing`,
  ``schemas/export-list.schema.json``), with ``next`` and ``previous`` links and the total;
- ``people/<handle>.vcf``: a vCard 3.0, the version that Outlook, iOS and Android contacts all
  import (4.0 adds nothing this card uses).

Links inside the JSON files are relative to the file itself, like links in a web page, so the
site can be served under any path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from generator.controls import lines_of, one_line
from generator.directory.enrich import Org
from generator.directory.model import CONTACT_KINDS, Kind, Level
from generator.i18n import LEVEL_LABELS, Language, load_language

LISTING_PAGE_SIZE = 1000
SCHEMA_FILES = {"export-person.schema.json": "ExportPerson", "export-list.schema.json": "ExportListing"}
_VCARD_LINE_OCTETS = 75


class _Export(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExportRef(_Export):
    """A group, by slug and display name."""

    slug: str = Field(description="The group's slug (its file name in groups/).")
    name: str = Field(description="The group's display name.")


class ExportSkill(_Export):
    """A skill and its level."""

    name: str = Field(description="The skill's canonical name in the taxonomy.")
    level: Level = Field(description="notions, intermediate, advanced or expert.")


class ExportContact(_Export):
    """The public ways to reach a person; a private one is never exported."""

    email: str | None = None
    chat: str | None = None
    github: str | None = None
    gitlab: str | None = None
    phone: str | None = None
    linkedin: str | None = None
    website: str | None = None


class ExportLinks(_Export):
    """Where the person's other files are, relative to this JSON file."""

    page: str = Field(description="The person's page on the site.")
    vcard: str = Field(description="The person's vCard (.vcf).")


class ExportPerson(_Export):
    """One person as `api/people/<handle>.json` publishes them."""

    handle: str = Field(description="The person's handle (their file name in people/).")
    name: str
    pronouns: str | None = None
    title: str
    kind: Kind = Field(description="employee, contractor or partner.")
    company: str | None = Field(None, description="For contractors and partners: the company they work for.")
    team: ExportRef | None = None
    manager: str | None = Field(None, description="The manager's handle.")
    location: str | None = None
    timezone: str | None = None
    languages: list[str] = Field(description="ISO 639-1 codes.")
    joined: str | None = Field(None, description="YYYY-MM-DD.", json_schema_extra={"format": "date"})
    photo: str | None = Field(None, description="An https:// address, or a path relative to this file.")
    contact: ExportContact
    skills: list[ExportSkill]
    ask_me_about: list[str]
    offers: list[str]
    seeks: list[str]
    interests: list[str]
    groups: list[ExportRef] = Field(description="Every group the person belongs to (open ones they joined, closed ones that list them).")
    bio: str | None = Field(None, description="Markdown.")
    listed: bool = Field(True, description="false: the person asked to be left out of search and of listings other than their team's and groups'.")
    note: str | None = Field(None, description="For a person who is not listed: why, in the site's language.")
    links: ExportLinks


class ExportListItem(_Export):
    """One line of the listing."""

    handle: str
    name: str
    title: str
    team: str | None = Field(None, description="The team's slug.")
    location: str | None = None
    url: str = Field(description="The person's JSON file, relative to this listing page.")


class ExportListing(_Export):
    """One page of `api/people/page-<n>.json`: people in alphabetical order."""

    total: int = Field(description="How many people are listed over all pages.")
    page: int = Field(ge=1)
    pages: int = Field(ge=1)
    page_size: int = Field(ge=1)
    next: str | None = Field(description="The next page, relative to this one; null on the last page.")
    previous: str | None = Field(description="The previous page, relative to this one; null on the first page.")
    people: list[ExportListItem]


def person_json(org: Org, handle: str) -> str:
    """``api/people/<handle>.json``: everything the person's page shows, nothing private."""
    return _json(export_person(org, handle))


def export_person(org: Org, handle: str) -> ExportPerson:
    person = org.people[handle]
    contact = {kind: value.value for kind in CONTACT_KINDS if (value := getattr(person.contact, kind)) and value.visibility == "public"}
    photo = person.photo
    if photo and not photo.startswith("https://"):
        photo = f"../../{photo}"
    team = org.groups.get(person.team) if person.team else None
    return ExportPerson(
        handle=handle,
        name=person.name,
        pronouns=person.pronouns,
        title=person.title,
        kind=person.kind,
        company=person.company,
        team=ExportRef(slug=person.team, name=team.name) if person.team and team else None,
        manager=person.manager if person.manager in org.people else None,
        location=person.location,
        timezone=person.timezone,
        languages=list(person.languages),
        joined=person.joined.isoformat() if person.joined else None,
        photo=photo,
        contact=ExportContact(**contact),
        skills=[ExportSkill(name=entry.name, level=entry.level) for entry in person.skills],
        ask_me_about=list(person.ask_me_about),
        offers=list(person.offers),
        seeks=list(person.seeks),
        interests=list(person.interests),
        groups=[ExportRef(slug=slug, name=org.groups[slug].name) for slug in org.groups_of.get(handle, [])],
        bio=person.bio,
        listed=person.search == "visible",
        note=hidden_note(load_language(org.directory.settings.language)) if person.search == "hidden" else None,
        links=ExportLinks(page=f"../../{page_path(org, handle)}", vcard=f"../../people/{handle}.vcf"),
    )


@dataclass(frozen=True)
class ListingPage:
    """One page of the JSON listing, before it is written: where it goes, where it falls among the others, whom it lists."""

    path: str
    number: int
    pages: int
    total: int
    page_size: int
    handles: tuple[str, ...]

    def text(self, org: Org) -> str:
        """The page's JSON, read from ``org`` (this one, or a view of it that records what is read)."""
        number, pages = self.number, self.pages
        listing = ExportListing(
            total=self.total,
            page=number,
            pages=pages,
            page_size=self.page_size,
            next=f"page-{number + 1}.json" if number < pages else None,
            previous=f"page-{number - 1}.json" if number > 1 else None,
            people=[_list_item(org, handle) for handle in self.handles],
        )
        return _json(listing, keep_nulls=True)

    def files(self, org: Org) -> list[tuple[str, str]]:
        """The page as ``(path, text)``, as a person's exports are given (:func:`person_exports`)."""
        return [(self.path, self.text(org))]


def listing_pages(org: Org, page_size: int | None = None) -> list[ListingPage]:
    """``api/people/page-1.json``, ``page-2.json``...: the listed people, ``page_size`` a page (at least one page), not written yet."""
    size = page_size or LISTING_PAGE_SIZE
    handles = org.listed(org.sorted_people)
    pages = max(1, -(-len(handles) // size))
    return [
        ListingPage(f"api/people/page-{number}.json", number, pages, len(handles), size, tuple(handles[(number - 1) * size : number * size]))
        for number in range(1, pages + 1)
    ]


def people_listing_pages(org: Org, page_size: int | None = None) -> list[tuple[str, str]]:
    """:func:`listing_pages` written: ``(path, text)`` each."""
    return [file for page in listing_pages(org, page_size) for file in page.files(org)]


def person_vcard(org: Org, handle: str, site_url: str | None = None) -> str:
    """``people/<handle>.vcf``: a vCard 3.0 with the public contacts only (CRLF lines, folded at 75 octets).

    ``site_url`` (default: the site's ``site_url``) gives the card the person page's address; a
    vCard has no relative links, so without it there is no URL.
    """
    person = org.people[handle]
    settings = org.directory.settings
    site_url = site_url if site_url is not None else settings.raw.get("site_url")
    given, _, family = person.name.partition(" ")
    team = org.groups.get(person.team) if person.team else None
    organisation = [_company(org, handle)] + ([team.name] if team else [])
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:urn:trombi:{handle}",
        f"FN:{_escape(person.name)}",
        # A heuristic that suits most names written "Given Family Name": the first word is the given name.
        f"N:{_escape(family)};{_escape(given)};;;",
        f"TITLE:{_escape(person.title)}",
        "ORG:" + ";".join(_escape(part) for part in organisation),
    ]
    contact = person.contact
    if contact.email and contact.email.visibility == "public":
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{_escape(contact.email.value)}")
    if contact.phone and contact.phone.visibility == "public":
        lines.append(f"TEL;TYPE=WORK,VOICE:{_escape(contact.phone.value)}")
    if site_url:
        lines.append(f"URL:{one_line(site_url, '').rstrip('/')}/{page_path(org, handle)}")
    if person.photo and person.photo.startswith("https://"):
        lines.append(f"PHOTO;VALUE=uri:{one_line(person.photo, '')}")
    if person.skills or person.search == "hidden":
        words = load_language(settings.language)
        notes = [hidden_note(words)] if person.search == "hidden" else []
        if person.skills:
            skills = ", ".join(f"{entry.name} ({words.gettext(LEVEL_LABELS[entry.level])})" for entry in person.skills)
            notes.append(f"{words.colon(words.gettext('Skills'))} {skills}")
        lines.append("NOTE:" + _escape("\n".join(notes)))
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


def site_exports(org: Org, site_url: str | None = None) -> Iterator[tuple[str, str]]:
    """Every exported file of the site, as ``(path, text)``: each person's JSON and vCard, then the listing pages."""
    for handle in org.sorted_people:
        yield from person_exports(org, handle, site_url)
    yield from people_listing_pages(org)


def person_export_files(handle: str) -> tuple[str, str]:
    """Where a person's JSON and vCard are in the site."""
    return f"api/people/{handle}.json", f"people/{handle}.vcf"


def person_exports(org: Org, handle: str, site_url: str | None = None) -> list[tuple[str, str]]:
    """A person's JSON and vCard, as ``(path, text)``."""
    json_file, vcard_file = person_export_files(handle)
    return [(json_file, person_json(org, handle)), (vcard_file, person_vcard(org, handle, site_url))]


def export_schemas() -> dict[str, str]:
    """File name in ``schemas/`` -> JSON Schema text of the JSON exports."""
    models: dict[str, type[BaseModel]] = {"ExportPerson": ExportPerson, "ExportListing": ExportListing}
    files = {}
    for name, model_name in SCHEMA_FILES.items():
        schema = models[model_name].model_json_schema(mode="serialization")
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": name, **schema}
        files[name] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return files


def hidden_note(language: Language) -> str:
    """What a hidden person's page, JSON and vCard say: wherever they still appear, why they are not listed."""
    return language.gettext("Hidden from search and from listings other than their team's and groups' pages, at their request.")


def page_path(org: Org, handle: str) -> str:
    """The person page's address relative to the site root, as MkDocs writes it."""
    use_directory_urls = org.directory.settings.raw.get("use_directory_urls", True) is not False
    return f"people/{handle}/" if use_directory_urls else f"people/{handle}.html"


def _list_item(org: Org, handle: str) -> ExportListItem:
    person = org.people[handle]
    return ExportListItem(handle=handle, name=person.name, title=person.title, team=person.team, location=person.location, url=f"{handle}.json")


def _company(org: Org, handle: str) -> str:
    """The company the person works for: their team's company group, the only company group, or the site's name."""
    person = org.people[handle]
    if person.company:
        return person.company
    if person.team in org.groups:
        for slug in [*org.group_chain(person.team), person.team]:
            if org.groups[slug].type == "company":
                return org.groups[slug].name
    companies = [group.name for group in org.groups.values() if group.type == "company"]
    return companies[0] if len(companies) == 1 else org.directory.settings.site_name


def _json(model: BaseModel, *, keep_nulls: bool = False) -> str:
    data: Any = model.model_dump(mode="json", exclude_none=not keep_nulls)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _escape(text: str) -> str:
    """A vCard text value (RFC 2426 section 4): backslash, comma and semicolon escaped, each line break as ``\\n``.

    A line break is whatever a reader may split on, not only LF; other control characters, which
    a vCard's text may not hold, are dropped, so one value always stays one property.
    """
    return "\\n".join(one_line(line, "").replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;") for line in lines_of(text))


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space, never inside a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= _VCARD_LINE_OCTETS:
        return line
    parts: list[str] = []
    current = ""
    limit = _VCARD_LINE_OCTETS
    for character in line:
        if len((current + character).encode("utf-8")) > limit:
            parts.append(current)
            current = ""
            limit = _VCARD_LINE_OCTETS - 1  # continuation lines start with a space
        current += character
    parts.append(current)
    return "\r\n ".join(parts)
