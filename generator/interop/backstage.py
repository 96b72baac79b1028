"""Backstage ``User`` and ``Group`` entities, in both directions.

Import (``trombi import backstage``) maps Backstage's organisation onto people and groups:

- names become handles and slugs: lowercase, accents dropped, any other character ``-``
  (``breanna.davison`` -> ``breanna-davison``); outside the namespace ``default`` the namespace
  comes first (``user:development/guest`` -> ``development-guest``); two entities landing on the
  same handle is an error;
- references are read as Backstage reads them, relative to the entity's own namespace
  (``team-a`` in namespace ``development`` is ``group:development/team-a``; ``group:default/team-a``,
  ``default/team-a`` name the one in ``default``);
- what Backstage knows that the directory has no place for is kept in the file's ``backstage:``
  block: the entity's reference, a group's Backstage type, a picture the site does not show, and
  every other field (links, labels, tags, other annotations, ...) under ``kept``; the export
  writes them back, so that import then export gives the same entities;
- group types map onto ours (``organization``/``root`` -> company, ``business-unit``/
  ``product-area``/``division`` -> department, ``squad`` -> team, ``guild`` -> community, ...);
  an unknown type becomes a community, with a warning;
- a user's team is their first ``memberOf`` group of type team; every other membership (and
  every name in a group's ``spec.members``) goes into that group's ``members`` (imported
  non-org groups are closed: Backstage's list is the authority), or into the person's
  ``groups`` when the group already exists in Trombi as an open group;
- a person's ``title`` is required here but Backstage has none: it comes from the annotation
  ``trombi/title`` (what the export writes), else ``metadata.description`` when it is one short
  line, else it is set to "À compléter" ("To be completed" in English) and a warning lists
  the person, so a curator can fill the titles in;
- groups other than teams, departments and companies need an owner: the annotation
  ``trombi/owners`` (comma-separated handles), else ``--default-owner``, else an error.

Existing files are edited, not replaced: only the fields Backstage gives are written, and
comments and self-written fields stay. Export (``trombi export backstage``) writes one
multi-document ``org.yaml`` (groups, then users, by name), ready to register as one catalog
location; private contacts and people with ``search: hidden`` are left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import TypeAdapter, ValidationError

from generator.directory.enrich import strip_accents
from generator.directory.model import HANDLE_RE, Email, Photo
from generator.directory.settings import Settings
from generator.interop.backstageformat import (
    DEFAULT_NAMESPACE,
    DERIVED,
    GROUP_TYPES,
    MANAGER_ANNOTATION,
    OPEN_ANNOTATION,
    ORG_TYPES,
    OWNERS_ANNOTATION,
    PLACEHOLDER_TITLES,
    SKILLS_ANNOTATION,
    STAMPED_ANNOTATIONS,
    TITLE_ANNOTATION,
    Entity,
    collision_message,
    contact_links,
    contact_values,
    key_of,
    parse_ref,
    read_entities,
    skill_tag,
    strings_of,
    text_of,
)
from generator.interop.yamlwrite import Change, Existing, Key, Kind, Plan, UnsafeEdit, already_applied, edit_file, new_file, read_folder
from generator.problems import Level, Message, Problem, TrombiError, counted, has_errors, some_of

_EMAIL = TypeAdapter(Email)
_PHOTO = TypeAdapter(Photo)


# --- import -------------------------------------------------------------------------------------


def import_backstage(settings: Settings, paths: Sequence[Path], *, default_owner: str | None = None) -> Plan:
    """The changes that bring Backstage's users and groups into the directory; raises :class:`TrombiError` on any error."""
    entities, problems = read_entities(paths, settings)
    if has_errors(problems):
        raise TrombiError(problems)
    importer = _Importer(settings, entities, default_owner)
    importer.problems += problems
    importer.run()
    if has_errors(importer.problems):
        raise TrombiError(importer.problems)
    importer.plan.warnings = [p for p in importer.problems if p.level is Level.WARNING]
    return importer.plan


def to_handle(name: str) -> str:
    """A Backstage name as a Trombi handle or slug: ``Jane.Doe_2`` -> ``jane-doe-2`` (may still be invalid)."""
    text = strip_accents(name).lower()
    return re.sub(r"[^a-z0-9-]", "-", text).lstrip("-")[:40]


def handle_of(namespace: str, name: str) -> str:
    """The handle or slug of an entity: its name, after its namespace when that is not ``default``."""
    return to_handle(name if namespace.casefold() == DEFAULT_NAMESPACE else f"{namespace}-{name}")


@dataclass
class _Membership:
    slug: str
    entity: Entity
    at: tuple[str | int, ...]


@dataclass
class _Draft:
    entity: Entity
    values: dict[str, Any] = field(default_factory=dict)


class _Importer:
    def __init__(self, settings: Settings, entities: list[Entity], default_owner: str | None) -> None:
        self.settings = settings
        self.entities = entities
        self.default_owner = default_owner
        self.problems: list[Problem] = []
        self.plan = Plan()
        self.people_files = read_folder(settings.people_path, settings)
        self.group_files = read_folder(settings.groups_path, settings)
        self.users: dict[str, _Draft] = {}
        self.groups: dict[str, _Draft] = {}
        self.user_slugs: dict[tuple[str, str, str], str] = {}  # entity key -> handle
        self.group_slugs: dict[tuple[str, str, str], str] = {}
        # Files that an earlier import tied to an entity are found by its reference, whatever their name now.
        self.known = {key: slug for files in (self.people_files, self.group_files) for key, slug in _refs_of(files).items()}
        self.memberships: dict[str, list[_Membership]] = {}
        self.placeholder = PLACEHOLDER_TITLES.get(settings.language, PLACEHOLDER_TITLES["en"])
        self.untitled: list[Entity] = []
        self.unnamed: list[Entity] = []
        self.unshown: dict[str, list[Entity]] = {}  # pictures on a host the site does not load, by host

    def run(self) -> None:
        for entity in self.entities:
            self._name(entity)
        if has_errors(self.problems):
            return
        for slug, draft in self.groups.items():
            self._group(slug, draft)
        for handle, draft in self.users.items():
            self._user(handle, draft)
        self._summarise_missing()
        for slug, draft in self.groups.items():
            self._group_members(slug, draft)
        self._memberships()
        self._owners()
        if not has_errors(self.problems):
            self._plan("group", self.groups, self.group_files)
            self._plan("person", self.users, self.people_files)

    def _summarise_missing(self) -> None:
        """One warning for the users without a name, one for those without a title, one per host of pictures the site does not show."""
        for host, entities in sorted(self.unshown.items()):
            count, names = len(entities), some_of([entity.label for entity in entities])
            unshown = counted(
                "{count} picture is on {host}, which is not in extra.trombi.photo_hosts: kept for Backstage, not shown on the site: {names}",
                "{count} pictures are on {host}, which is not in extra.trombi.photo_hosts: kept for Backstage, not shown on the site: {names}",
                count,
                count=count,
                host=host,
                names=names,
            )
            self._summarise(entities, unshown, "photo")
        if self.unnamed:
            count, names = len(self.unnamed), some_of([entity.label for entity in self.unnamed])
            unnamed = counted(
                "{count} user has no spec.profile.displayName: the Backstage name is used as their name, to complete: {names}",
                "{count} users have no spec.profile.displayName: the Backstage name is used as their name, to complete: {names}",
                count,
                count=count,
                names=names,
            )
            self._summarise(self.unnamed, unnamed, "missing-name")
        if self.untitled:
            count, names = len(self.untitled), some_of([entity.label for entity in self.untitled])
            untitled = counted(
                "{count} user has no job title (annotation {annotation} or metadata.description): set to '{placeholder}', to complete: {names}",
                "{count} users have no job title (annotation {annotation} or metadata.description): set to '{placeholder}', to complete: {names}",
                count,
                count=count,
                annotation=TITLE_ANNOTATION,
                placeholder=self.placeholder,
                names=names,
            )
            self._summarise(self.untitled, untitled, "missing-title")

    def _name(self, entity: Entity) -> None:
        is_user = entity.kind == "User"
        drafts, slugs = (self.users, self.user_slugs) if is_user else (self.groups, self.group_slugs)
        slug = self.known.get(entity.key) or handle_of(entity.namespace, entity.name)
        if not HANDLE_RE.fullmatch(slug):
            if is_user:
                message = Message(
                    "'{name}' cannot become a valid handle ('{slug}'): handles have 2 to 40 lowercase letters, digits and '-'", name=entity.label, slug=slug
                )
            else:
                message = Message(
                    "'{name}' cannot become a valid slug ('{slug}'): slugs have 2 to 40 lowercase letters, digits and '-'", name=entity.label, slug=slug
                )
            self.problems.append(entity.problem(("metadata", "name"), message, "handle"))
        elif slug in drafts:
            self.problems.append(entity.problem(("metadata", "name"), collision_message(entity, drafts[slug].entity, slug), "name-collision"))
        else:
            drafts[slug] = _Draft(entity)
            slugs[entity.key] = slug

    def _group(self, slug: str, draft: _Draft) -> None:
        entity, values = draft.entity, draft.values
        display_name = text_of(entity.get("spec", "profile", "displayName"))
        values["name"] = display_name or text_of(entity.get("metadata", "title")) or entity.name
        backstage_type = str(entity.get("spec", "type") or "")
        kind = GROUP_TYPES.get(backstage_type.lower())
        if kind is None:
            message = Message("Backstage group type '{kind}' has no equivalent here: imported as a community", kind=backstage_type)
            self.problems.append(entity.problem(("spec", "type"), message, "group-type", Level.WARNING))
            kind = "community"
        values["type"] = kind
        description = entity.get("metadata", "description")
        if isinstance(description, str):
            values["description"] = description
        picture = entity.get("spec", "profile", "picture")
        kept = _kept(entity, used_title=display_name is None and values["name"] != entity.name)
        values["backstage"] = _backstage(entity, picture=_photo(picture) if isinstance(picture, str) else None, kept=kept, kind=backstage_type)
        is_open = entity.get("metadata", "annotations", OPEN_ANNOTATION)
        if kind not in ORG_TYPES and (is_open is not None or slug not in self.group_files):
            # Backstage's member list is the authority: a new group is closed unless the export said otherwise.
            values["open"] = is_open == "true"
        email = self._email(entity, ("spec", "profile", "email"))
        if email:
            values["channels"] = {"mailing_list": email}
        parent = entity.get("spec", "parent")
        parent_slug = self._group_ref(entity, parent, ("spec", "parent")) if isinstance(parent, str) else None
        if parent_slug:
            values["parent"] = parent_slug
        for index, child in enumerate(strings_of(entity.get("spec", "children"))):
            child_slug = self._group_ref(entity, child, ("spec", "children", index))
            # ``children`` repeats what ``parent`` says; it only counts for a child that names no parent.
            if child_slug in self.groups and self.groups[child_slug].entity.get("spec", "parent") is None:
                self.groups[child_slug].values["parent"] = slug

    def _user(self, handle: str, draft: _Draft) -> None:
        entity, values = draft.entity, draft.values
        profile_name = text_of(entity.get("spec", "profile", "displayName"))
        display_name = profile_name or text_of(entity.get("metadata", "title"))
        if display_name is None:
            self.unnamed.append(entity)
        values["name"] = display_name or entity.name
        annotated_title = text_of(entity.get("metadata", "annotations", TITLE_ANNOTATION))
        title = annotated_title or text_of(entity.get("metadata", "description"))
        if title is not None:
            values["title"] = title
        elif handle not in self.people_files:
            values["title"] = self.placeholder
            self.untitled.append(entity)
        manager = entity.get("metadata", "annotations", MANAGER_ANNOTATION)
        if isinstance(manager, str):
            slug = self._resolve(entity, manager, "user")
            if slug is not None:
                values["manager"] = slug
            else:
                at = ("metadata", "annotations", MANAGER_ANNOTATION)
                message = Message("manager '{manager}' is not a user here: left out", manager=manager)
                self.problems.append(entity.problem(at, message, "reference", Level.WARNING))
        email = self._email(entity, ("spec", "profile", "email"))
        if email:
            values["contact"] = {"email": email}
        picture = entity.get("spec", "profile", "picture")
        kept_picture = None
        if isinstance(picture, str):
            photo = _photo(picture)
            at = ("spec", "profile", "picture")
            if photo is None:
                self.problems.append(entity.problem(at, Message("the picture is not an https:// address: left out"), "photo", Level.WARNING))
            elif urlsplit(photo).hostname not in self.settings.photo_hosts:
                # The site loads nothing from outside the intranet: only hosts the directory trusts.
                # The picture stays Backstage's, kept for the export.
                self.unshown.setdefault(urlsplit(photo).hostname or "", []).append(entity)
                kept_picture = photo
            else:
                values["photo"] = photo
        existing = self.people_files.get(handle)
        written = (existing.data or {}).get("contact") if existing is not None else None
        contact = dict(written) if isinstance(written, dict) else {}
        # The links an export gives (chat, GitHub) bring their values back.
        for kind, value in contact_values(entity.get("metadata", "links"), self.settings).items():
            if kind not in contact:
                values.setdefault("contact", {})[kind] = contact[kind] = value
        if email:
            contact["email"] = email
        kept = _kept(
            entity,
            used_title=profile_name is None and display_name is not None,
            used_description=title is not None and title == text_of(entity.get("metadata", "description")),
            links=contact_links(contact, self.settings),
        )
        values["backstage"] = _backstage(entity, picture=kept_picture, kept=kept)
        for index, ref in enumerate(strings_of(entity.get("spec", "memberOf"))):
            group = self._group_ref(entity, ref, ("spec", "memberOf", index))
            if group:
                self.memberships.setdefault(handle, []).append(_Membership(group, entity, ("spec", "memberOf", index)))

    def _summarise(self, entities: list[Entity], message: Message, rule: str) -> None:
        """One warning for many users, at the first of them: a large organisation gets a readable report."""
        self.problems.append(entities[0].problem(("metadata", "name"), message, rule, Level.WARNING))

    def _group_members(self, slug: str, draft: _Draft) -> None:
        for index, ref in enumerate(strings_of(draft.entity.get("spec", "members"))):
            handle = self._resolve(draft.entity, ref, "user")
            if handle is None:
                message = Message("member '{member}' is not a user here: left out", member=ref)
                self.problems.append(draft.entity.problem(("spec", "members", index), message, "reference", Level.WARNING))
                continue
            self.memberships.setdefault(handle, []).append(_Membership(slug, draft.entity, ("spec", "members", index)))

    def _memberships(self) -> None:
        members: dict[str, set[str]] = {}
        joined: dict[str, set[str]] = {}
        for handle, entries in self.memberships.items():
            user = self.users.get(handle)
            for entry in entries:
                kind, is_open = self._group_kind(entry.slug)
                if kind == "team" and user is not None and "team" not in user.values:
                    user.values["team"] = entry.slug
                elif user is not None and user.values.get("team") == entry.slug:
                    continue
                elif is_open and kind not in ORG_TYPES:
                    joined.setdefault(handle, set()).add(entry.slug)
                else:
                    members.setdefault(entry.slug, set()).add(handle)
        for handle, user in self.users.items():
            if handle in joined:
                user.values["groups"] = sorted(joined[handle])
        for slug, group in self.groups.items():
            if slug in members:
                group.values["members"] = sorted(members[slug])
        for slug, handles in sorted(members.items()):
            if slug not in self.groups:
                message = Message("'{slug}' exists only in Trombi: add {handles} to its members by hand", slug=slug, handles=", ".join(sorted(handles)))
                self.problems.append(Problem(self.group_files[slug].display, 1, 1, message, "closed-group", Level.WARNING))

    def _owners(self) -> None:
        for slug, group in self.groups.items():
            owners = group.entity.get("metadata", "annotations", OWNERS_ANNOTATION)
            if isinstance(owners, str):
                names = [self._resolve(group.entity, owner.strip(), "user") for owner in owners.split(",") if owner.strip()]
                group.values["owners"] = [name for name in names if name is not None]
            if group.values.get("owners") or group.values["type"] in ORG_TYPES:
                continue
            existing = self.group_files.get(slug)
            if existing is not None and existing.data and existing.data.get("owners"):
                continue
            if self.default_owner:
                group.values["owners"] = [self.default_owner]
                continue
            message = Message(
                "group '{name}' needs an owner: add the annotation {annotation}, or pass --default-owner HANDLE",
                name=group.entity.label,
                annotation=OWNERS_ANNOTATION,
            )
            self.problems.append(group.entity.problem(("metadata", "name"), message, "missing-owner"))

    def _plan(self, kind: Kind, drafts: dict[str, _Draft], files: dict[str, Existing]) -> None:
        folder = self.settings.people_path if kind == "person" else self.settings.groups_path
        for slug, draft in sorted(drafts.items()):
            existing = files.get(slug)
            try:
                if existing is None:
                    path = folder / f"{slug}.yaml"
                    text = new_file(kind, draft.values)
                    self.plan.changes.append(Change(path, self.settings.display(path), None, text))
                    continue
                if existing.data is None:
                    self.problems.append(existing.broken())
                    continue
                updates: dict[Key, Any] = {(k,): v for k, v in draft.values.items() if k not in ("contact", "channels", "backstage")}
                if kind == "person" and "groups" in draft.values:
                    # ``groups`` is the person's own list: Backstage adds to it, never takes away.
                    mine = [g for g in existing.data.get("groups") or [] if isinstance(g, str)]
                    updates[("groups",)] = mine + [g for g in draft.values["groups"] if g not in mine]
                for nested in ("contact", "channels", "backstage"):
                    for key, value in (draft.values.get(nested) or {}).items():
                        updates[(nested, key)] = value
                if kind == "group" and isinstance(existing.data.get("members"), list) and "members" in draft.values:
                    # Keep the curators' order; newcomers go at the end.
                    kept = [m for m in existing.data["members"] if m in draft.values["members"]]
                    updates[("members",)] = kept + [m for m in draft.values["members"] if m not in kept]
                if already_applied(existing.data, updates):
                    self.plan.unchanged += 1
                    continue
                before = existing.text()
                after = edit_file(before, kind, updates, existing.display)
            except UnsafeEdit as error:
                self.problems.append(error.problem)
                continue
            if after == before:
                self.plan.unchanged += 1
            else:
                self.plan.changes.append(Change(existing.path, existing.display, before, after))

    def _group_kind(self, slug: str) -> tuple[str, bool]:
        data = self.group_files[slug].data or {} if slug in self.group_files else {}
        values = self.groups[slug].values if slug in self.groups else {}
        is_open = values.get("open", data.get("open", True))
        return str(values.get("type") or data.get("type", "")), is_open is True

    def _resolve(self, entity: Entity, ref: str, kind: str) -> str | None:
        """The handle or slug that ``ref``, written in ``entity``, names, if it is here: imported now or earlier, or already a file."""
        ref_kind, namespace, name = parse_ref(ref, kind, entity.namespace)
        if ref_kind.casefold() != kind:
            return None
        key = key_of(kind, namespace, name)
        drafts, slugs, files = (self.users, self.user_slugs, self.people_files) if kind == "user" else (self.groups, self.group_slugs, self.group_files)
        slug = slugs.get(key) or self.known.get(key) or handle_of(namespace, name)
        return slug if slug in drafts or slug in files else None

    def _group_ref(self, entity: Entity, ref: str, at: tuple[str | int, ...]) -> str | None:
        slug = self._resolve(entity, ref, "group")
        if slug is not None:
            return slug
        message = Message("group '{group}' is neither among the imported groups nor in groups/: left out", group=ref)
        self.problems.append(entity.problem(at, message, "reference", Level.WARNING))
        return None

    def _email(self, entity: Entity, at: tuple[str, ...]) -> str | None:
        email = entity.get(*at)
        if not isinstance(email, str):
            return None
        try:
            return _EMAIL.validate_python(email)
        except ValidationError:
            self.problems.append(entity.problem(at, Message("'{value}' is not an email address: left out", value=email), "email", Level.WARNING))
            return None


# --- what Backstage keeps -----------------------------------------------------------------------


def _backstage(entity: Entity, *, picture: str | None, kept: dict[str, Any] | None, kind: str | None = None) -> dict[str, Any]:
    """The file's ``backstage:`` block: the entity's reference, and what only Backstage has a place for."""
    block: dict[str, Any] = {"ref": entity.ref}
    if kind:
        block["type"] = kind
    if picture:
        block["picture"] = picture
    if kept:
        block["kept"] = kept
    return block


def _kept(entity: Entity, *, used_title: bool, used_description: bool = True, links: Sequence[dict[str, str]] = ()) -> dict[str, Any] | None:
    """The entity's fields that the directory has no place for, as written; ``None`` when there are none.

    Left out: what the import reads into the file (the name, namespace, profile, relations, a
    title or description it used, its own ``trombi/`` annotations), what Backstage computes
    itself (``uid``, ``ancestors``...), and what the export derives from the profile (its contact
    links, the tags of its skills), so that importing an export keeps nothing twice.
    """
    read = {
        "metadata": {"name", "namespace", "title" if used_title else "", "description" if used_description else "", *DERIVED["metadata"]},
        "spec": {"type" if entity.kind == "Group" else "", "parent", "children", "members", "memberOf", *DERIVED["spec"]},
    }
    derived_tags = {skill_tag(name) for name in _skills_of(entity)}
    derived_links = [dict(link) for link in links]
    kept: dict[str, Any] = {}
    for part in ("metadata", "spec"):
        section = entity.data.get(part)
        if not isinstance(section, dict):
            continue
        rest: dict[str, Any] = {}
        for key, value in section.items():
            if key in read[part]:
                continue
            if part == "metadata" and key == "annotations" and isinstance(value, dict):
                value = {name: text for name, text in value.items() if not name.startswith("trombi/") and name not in STAMPED_ANNOTATIONS}
            elif part == "metadata" and key == "tags" and isinstance(value, list):
                value = [tag for tag in value if tag not in derived_tags]
            elif part == "metadata" and key == "links" and isinstance(value, list):
                value = [link for link in value if not (isinstance(link, dict) and link in derived_links)]
            elif part == "spec" and key == "profile" and isinstance(value, dict):
                value = {name: text for name, text in value.items() if name not in ("displayName", "email", "picture")}
            if value not in ({}, [], None, ""):
                rest[key] = value
        if rest:
            kept[part] = rest
    return kept or None


def _skills_of(entity: Entity) -> list[str]:
    """The skills an export wrote in the entity's ``trombi/skills`` annotation."""
    written = entity.get("metadata", "annotations", SKILLS_ANNOTATION)
    try:
        skills = json.loads(written) if isinstance(written, str) else []
    except ValueError:
        return []
    return [item["name"] for item in skills if isinstance(item, dict) and isinstance(item.get("name"), str)] if isinstance(skills, list) else []


def _refs_of(files: dict[str, Existing]) -> dict[tuple[str, str, str], str]:
    """The entity that each file was imported from, by its key."""
    refs: dict[tuple[str, str, str], str] = {}
    for slug, existing in files.items():
        block = (existing.data or {}).get("backstage")
        ref = block.get("ref") if isinstance(block, dict) else None
        if isinstance(ref, str) and ref.count(":") == 1 and "/" in ref:
            kind, namespace, name = parse_ref(ref, "", "")
            refs.setdefault(key_of(kind, namespace, name), slug)
    return refs


# --- reading ------------------------------------------------------------------------------------


def _photo(picture: str) -> str | None:
    if not picture.startswith("https://"):
        return None
    try:
        return _PHOTO.validate_python(picture)
    except ValidationError:
        return None
