"""Backstage's format as Trombi reads and writes it: the annotations and group types it maps, and files read
into User and Group entities, each value with where it was written, and what is wrong with the files themselves."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from generator.directory.enrich import strip_accents
from generator.directory.model import BACKSTAGE_ENTITY_NAME
from generator.directory.settings import Settings, chat_link
from generator.problems import Level, Message, Problem

MAX_FILE_BYTES = 64 * 1024 * 1024
API_VERSIONS = ("backstage.io/v1alpha1", "backstage.io/v1beta1")
# How Trombi reads and writes Backstage: its annotations, and Backstage group types by Trombi type.
TITLE_ANNOTATION = "trombi/title"
MANAGER_ANNOTATION = "trombi/manager"
OWNERS_ANNOTATION = "trombi/owners"
OPEN_ANNOTATION = "trombi/open"
SKILLS_ANNOTATION = "trombi/skills"  # JSON: [{"name": ..., "level": ...}], the person's public skills
PLACEHOLDER_TITLES = {"fr": "À compléter", "en": "To be completed"}
GROUP_TYPES = {
    "organization": "company", "organisation": "company", "company": "company", "root": "company", "enterprise": "company",
    "department": "department", "business-unit": "department", "product-area": "department", "division": "department",
    "sub-department": "department", "tribe": "department",
    "team": "team", "squad": "team", "sub-team": "team",
    "project": "project", "program": "project", "programme": "project",
    "site": "site", "location": "site", "office": "site",
    "community": "community", "guild": "community", "chapter": "community", "community-of-practice": "community",
    "interest": "interest", "club": "interest",
}  # fmt: skip
ORG_TYPES = ("company", "department", "team")
BACKSTAGE_NAME = re.compile(rf"^{BACKSTAGE_ENTITY_NAME}$")  # Backstage's rule for metadata.name
DEFAULT_NAMESPACE = "default"
# Backstage's rule for a tag (catalog-model's CommonValidatorFunctions.isValidTag), at most 63 characters.
BACKSTAGE_TAG = re.compile(r"^[a-z0-9:+#]+(?:-[a-z0-9:+#]+)*$")
# What Backstage computes or stamps itself (an entity read from its API has them): not kept, never written back.
DERIVED = {"metadata": ("uid", "etag", "generation"), "spec": ("ancestors", "descendants")}
STAMPED_ANNOTATIONS = (
    "backstage.io/managed-by-location",
    "backstage.io/managed-by-origin-location",
    "backstage.io/view-url",
    "backstage.io/edit-url",
    "backstage.io/source-location",
)


Loader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # every scalar stays text: `on`, `012` are names


@dataclass
class Entity:
    """One Backstage entity, with where it was read."""

    kind: str
    name: str
    data: dict[str, Any]
    display: str
    node: yaml.Node

    @property
    def namespace(self) -> str:
        namespace = self.get("metadata", "namespace")
        return namespace if isinstance(namespace, str) else DEFAULT_NAMESPACE

    @property
    def label(self) -> str:
        """The entity as people tell it apart: its name, after its namespace when that is not ``default``."""
        return self.name if self.namespace == DEFAULT_NAMESPACE else f"{self.namespace}/{self.name}"

    @property
    def ref(self) -> str:
        """The entity's full reference, as Backstage writes it: ``user:development/guest``."""
        return f"{self.kind.lower()}:{self.namespace}/{self.name}"

    @property
    def key(self) -> tuple[str, str, str]:
        """What tells entities apart: Backstage compares references without regard to case."""
        return key_of(self.kind, self.namespace, self.name)

    def get(self, *path: str) -> Any:
        value: Any = self.data
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        return None if value == "" else value

    def problem(self, path: Sequence[str | int], message: Message | str, rule: str, level: Level = Level.ERROR) -> Problem:
        node = self.node
        for part in path:
            found = child_node(node, part)
            if found is None:
                break
            node = found
        return Problem(self.display, node.start_mark.line + 1, node.start_mark.column + 1, message, rule, level)


def read_entities(paths: Iterable[Path], settings: Settings) -> tuple[list[Entity], list[Problem]]:
    """The ``User`` and ``Group`` entities of multi-document YAML files (other kinds are skipped)."""
    entities: list[Entity] = []
    problems: list[Problem] = []
    for path in paths:
        display = settings.display(path)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                problems.append(Problem(display, 1, 1, Message("file is larger than {size} MiB", size=MAX_FILE_BYTES // 2**20), "file-too-large"))
                continue
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as error:
            problems.append(Problem(display, 1, 1, Message("cannot read file: {reason}", reason=error.strerror), "file"))
            continue
        except UnicodeDecodeError as error:
            problems.append(Problem(display, 1, 1, Message("file is not UTF-8 (byte {position}); save it as UTF-8", position=error.start), "encoding"))
            continue
        found, file_problems = parse_entities(text, display)
        entities += found
        problems += file_problems
    return entities, problems


def parse_entities(text: str, display: str) -> tuple[list[Entity], list[Problem]]:
    problems = alias_problems(text, display) if "*" in text or "&" in text else []
    if problems:
        return [], problems
    entities: list[Entity] = []
    loader = Loader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            data = loader.construct_document(node)
            mark = (node.start_mark.line + 1, node.start_mark.column + 1)
            if data is None or data == "":
                continue
            if not isinstance(data, dict):
                problems.append(Problem(display, *mark, Message("a Backstage entity must be a mapping (apiVersion, kind, metadata, spec)"), "backstage"))
                continue
            kind = data.get("kind")
            if kind not in ("User", "Group"):
                continue  # Components, Systems, APIs...: not people
            entity = Entity(str(kind), "", data, display, node)
            name = entity.get("metadata", "name")
            if data.get("apiVersion") not in API_VERSIONS:
                message = Message("apiVersion '{found}' is not one of {versions}", found=data.get("apiVersion"), versions=", ".join(API_VERSIONS))
                problems.append(entity.problem(("apiVersion",), message, "backstage"))
            elif not isinstance(name, str):
                problems.append(entity.problem(("metadata",), Message("the entity has no metadata.name"), "backstage"))
            else:
                entity.name = name
                entities.append(entity)
    except yaml.MarkedYAMLError as error:
        mark_ = error.problem_mark
        line, col = (mark_.line + 1, mark_.column + 1) if mark_ else (1, 1)
        problems.append(Problem(display, line, col, Message("invalid YAML: {error}", error=error.problem), "yaml-syntax"))
    except yaml.YAMLError as error:
        problems.append(Problem(display, 1, 1, Message("invalid YAML: {error}", error=str(error)), "yaml-syntax"))
    finally:
        loader.dispose()
    return entities, problems


def alias_problems(text: str, display: str) -> list[Problem]:
    # An alias can make a small file expand into billions of values ("billion laughs"); entity
    # files never need one, so they are refused before anything is built.
    problems: list[Problem] = []
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.AliasEvent):
                line, col = (event.start_mark.line + 1, event.start_mark.column + 1) if event.start_mark else (1, 1)
                message = Message("YAML aliases (*{anchor}) are not accepted in imported files; write the value out", anchor=event.anchor)
                problems.append(Problem(display, line, col, message, "yaml-alias"))
    except yaml.YAMLError:
        pass  # reported with its position by the parse that follows
    return problems


def collision_message(entity: Entity, first: Entity, slug: str) -> Message:
    """Why a second entity cannot land on the same handle or slug as ``first``."""
    at = f"{first.display}:{first.problem(('metadata', 'name'), '', '').line}"
    if first.key == entity.key:
        return Message("{kind} '{name}' is defined twice (first at {at}); rename one", kind=entity.kind, name=entity.label, at=at)
    values = {"kind": entity.kind, "name": entity.label, "other": first.label, "slug": slug, "at": at}
    if entity.kind == "User":
        return Message("{kind} '{name}' and '{other}' both become the handle '{slug}' (first at {at}); rename one", **values)
    return Message("{kind} '{name}' and '{other}' both become the slug '{slug}' (first at {at}); rename one", **values)


def key_of(kind: str, namespace: str, name: str) -> tuple[str, str, str]:
    return kind.casefold(), namespace.casefold(), name.casefold()


def parse_ref(ref: str, kind: str, namespace: str) -> tuple[str, str, str]:
    """``[kind:][namespace/]name`` as (kind, namespace, name), the parts left out taken from where the reference is written.

    Backstage reads a reference this way: ``team-a`` in an entity of namespace ``development`` is
    ``group:development/team-a``, and ``group:default/team-a`` names the one in ``default``.
    """
    kind_part, colon, rest = ref.partition(":")
    if not colon:
        kind_part, rest = kind, ref
    namespace_part, slash, name = rest.partition("/")
    if not slash:
        namespace_part, name = namespace, rest
    return kind_part, namespace_part, name


def ref_from(source_namespace: str, kind: str, namespace: str, name: str) -> str:
    """How an entity of ``source_namespace`` refers to another: by its name in the same namespace, in full elsewhere."""
    return name if namespace == source_namespace else f"{kind}:{namespace}/{name}"


def skill_tag(name: str) -> str:
    """A skill's name as a Backstage tag: ``Prise de parole`` -> ``prise-de-parole``, ``C++`` -> ``c++``; empty when nothing is left."""
    text = strip_accents(name).lower()
    tag = "-".join(re.findall(r"[a-z0-9:+#]+", text))
    return tag[:63].rstrip("-")


def contact_links(contact: Mapping[str, Any], settings: Settings) -> list[dict[str, str]]:
    """The links an export gives a person from their public contact values: email, chat, GitHub (Backstage's own icon names)."""
    links: list[dict[str, str]] = []
    values = {kind: public_value(contact.get(kind)) for kind in ("email", "chat", "github")}
    if values["email"]:
        links.append({"url": f"mailto:{values['email']}", "title": "Email", "icon": "email"})
    if values["chat"] and settings.chat_url:
        links.append({"url": chat_link(settings.chat_url, values["chat"]), "title": "Chat", "icon": "chat"})
    if values["github"]:
        links.append({"url": f"https://github.com/{values['github']}", "title": "GitHub", "icon": "github"})
    return links


_GITHUB_LINK = re.compile(r"^https://github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/?$")


def contact_values(links: Any, settings: Settings) -> dict[str, str]:
    """The chat handle and GitHub login that links such as :func:`contact_links` writes point to."""
    found: dict[str, str] = {}
    chat = None
    if settings.chat_url:
        before, _, after = settings.chat_url.partition("{handle}")
        chat = re.compile(f"^{re.escape(before)}([^/?#]+){re.escape(after)}$")
    for link in links if isinstance(links, list) else []:
        url = link.get("url") if isinstance(link, dict) else None
        if not isinstance(url, str):
            continue
        if (match := _GITHUB_LINK.fullmatch(url)) and link.get("icon") == "github":
            found.setdefault("github", match.group(1))
        elif chat is not None and (match := chat.fullmatch(url)) and link.get("icon") == "chat":
            found.setdefault("chat", "@" + unquote(match.group(1)))
    return found


def public_value(value: Any) -> str | None:
    """A contact value as written (bare, or ``{value, visibility}``) when it is public."""
    if isinstance(value, Mapping):
        return value.get("value") if value.get("visibility", "public") == "public" and isinstance(value.get("value"), str) else None
    return value if isinstance(value, str) else None


def child_node(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                return value if isinstance(value, yaml.CollectionNode) or value.value else key
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        child: yaml.Node = node.value[part]
        return child
    return None


def strings_of(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str) and item] if isinstance(value, list) else []


def text_of(value: Any) -> str | None:
    """A short one-line text, as a name or title must be, else ``None``."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if value and "\n" not in value and len(value) <= 200 else None
