"""Validate the directory: every file against the model, then the rules between files.

Returns problems, never raises on bad input. With a list of paths (what a pull request
changed), only those files are parsed, plus the few files their references lead to; whether a
person or group exists is known from file names alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from generator.check import check_document, check_partially, did_you_mean
from generator.load import Document, Loc, iter_yaml_files, load_file, stems
from generator.model import HANDLE_PATTERN, Group, Person, SkillEntry
from generator.problems import Level, Problem, sort_problems
from generator.settings import Settings
from generator.skills import Skills, build_skills

SCHEMA_LINE = "# yaml-language-server: $schema="
_ORG_TYPES = ("team", "department", "company")


@dataclass
class Directory:
    """The validated directory: people and groups by handle and slug, skills canonicalised."""

    settings: Settings
    skills: Skills = field(default_factory=Skills)
    people: dict[str, Person] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)


def validate_directory(settings: Settings, paths: Sequence[Path] | None = None) -> tuple[Directory, list[Problem]]:
    """Check the whole directory, or only ``paths`` and what they reference."""
    checker = _Checker(settings, partial=paths is not None)
    if paths is None:
        person_files = list(iter_yaml_files(settings.people_path))
        group_files = list(iter_yaml_files(settings.groups_path))
        checker.problems += _misplaced_files(settings)
    else:
        person_files, group_files = checker.classify(paths)
    checker.load_groups(group_files)
    checker.load_people(person_files)
    checker.check_groups()
    checker.check_people()
    directory = Directory(settings, checker.skills, checker.people, checker.groups)
    return directory, sort_problems(checker.problems)


class _Checker:
    def __init__(self, settings: Settings, *, partial: bool) -> None:
        self.settings = settings
        self.partial = partial
        self.problems: list[Problem] = []
        self.people: dict[str, Person] = {}
        self.groups: dict[str, Group] = {}
        self.checked_people: list[str] = []
        self.checked_groups: list[str] = []
        self.known_people = stems(settings.people_path)
        self.known_groups = stems(settings.groups_path)
        self._documents: dict[str, Document] = {}
        self._lazy_people: dict[str, Person | None] = {}
        self._lazy_groups: dict[str, Group | None] = {}
        self._partial: dict[str, Person | Group | None] = {}
        self.skills = self._load_skills()

    # --- loading ---------------------------------------------------------------------------

    def classify(self, paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
        people, groups = [], []
        root = self.settings.root.resolve()
        for path in paths:
            full = path if path.is_absolute() else (Path.cwd() / path)
            if not full.exists() and not path.is_absolute() and (root / path).exists():
                full = root / path  # relative to the directory rather than to where we run
            full = full.resolve()
            display = self.settings.display(full)
            if not full.exists():
                self.problems.append(Problem(display, 1, 1, "file not found", "file"))
                continue
            parent = full.parent
            in_data_dir = parent in ((root / self.settings.people_dir).resolve(), (root / self.settings.groups_dir).resolve())
            if in_data_dir and full.suffix != ".yaml":
                message = f"'{full.name}' is ignored: the directory reads only <name>.yaml files here"
                self.problems.append(Problem(display, 1, 1, message, "file-name", Level.WARNING))
                continue
            if full.suffix == ".yaml" and parent == (root / self.settings.people_dir).resolve():
                people.append(full)
            elif full.suffix == ".yaml" and parent == (root / self.settings.groups_dir).resolve():
                groups.append(full)
            # skills.yaml is always checked; other files are not the directory's data.
        return people, groups

    def _load_skills(self) -> Skills:
        path = self.settings.skills_path
        display = self.settings.display(path)
        if not path.is_file():
            self.problems.append(Problem(display, 1, 1, "the skills taxonomy is missing; create it (see the README)", "file"))
            return Skills()
        document, problems = load_file(path, display)
        self.problems += problems
        if document is None:
            return Skills()
        self.problems += _schema_line(document, "skills")
        skills, problems = build_skills(document)
        self.problems += problems
        return skills

    def load_people(self, paths: Iterable[Path]) -> None:
        for path in paths:
            handle = path.name[: -len(".yaml")]
            person = self._load(path, Person, "person", handle, record=True)
            if person is not None:
                self.people[handle] = person
            self.checked_people.append(handle)

    def load_groups(self, paths: Iterable[Path]) -> None:
        for path in paths:
            slug = path.name[: -len(".yaml")]
            group = self._load(path, Group, "group", slug, record=True)
            if group is not None:
                self.groups[slug] = group
            self.checked_groups.append(slug)

    def _load(self, path: Path, model: type[_M], what: str, name: str, *, record: bool) -> _M | None:
        display = self.settings.display(path)
        document, problems = load_file(path, display)
        if document is not None:
            self._documents[display] = document
            problems += _schema_line(document, what)
            if not _valid_name(name):
                kind = "handle" if what == "person" else "slug"
                message = f"file name '{path.name}' is not a valid {kind}: use 2 to 40 lowercase letters, digits and '-' ({HANDLE_PATTERN})"
                problems.append(Problem(display, 1, 1, message, "handle"))
            entity, schema_problems = check_document(document, model, what)
            problems += schema_problems
            if entity is None and record:
                self._partial[display] = check_partially(document, model)
        else:
            entity = None
        if record:
            self.problems += problems
        return entity if not any(p.level is Level.ERROR for p in problems) else None

    def person(self, handle: str) -> Person | None:
        """A valid person, read from disk on demand when only some files are checked."""
        if handle in self.people or not self.partial:
            return self.people.get(handle)
        if handle not in self._lazy_people:
            path = self.settings.people_path / f"{handle}.yaml"
            self._lazy_people[handle] = self._load(path, Person, "person", handle, record=False) if handle in self.known_people else None
        return self._lazy_people[handle]

    def group(self, slug: str) -> Group | None:
        if slug in self.groups or not self.partial:
            return self.groups.get(slug)
        if slug not in self._lazy_groups:
            path = self.settings.groups_path / f"{slug}.yaml"
            self._lazy_groups[slug] = self._load(path, Group, "group", slug, record=False) if slug in self.known_groups else None
        return self._lazy_groups[slug]

    # --- rules between files ---------------------------------------------------------------

    def check_groups(self) -> None:
        parent_of: Callable[[str], str | None] = lambda slug: (g.parent if (g := self.group(slug)) else None)  # noqa: E731
        for slug in self.checked_groups:
            path = self.settings.groups_path / f"{slug}.yaml"
            group = self.groups.get(slug) or self._partial.get(self.settings.display(path))
            if not isinstance(group, Group):
                continue
            at = self._locator(path)
            if group.parent is not None:
                if group.parent == slug:
                    self.problems.append(at(("parent",), "a group cannot be its own parent", "parent-cycle"))
                elif group.parent not in self.known_groups:
                    hint = did_you_mean(group.parent, self.known_groups)
                    self.problems.append(at(("parent",), f"parent '{group.parent}' is not a group{hint}", "reference"))
                else:
                    cycle = _cycle_from(slug, parent_of)
                    if cycle:
                        self.problems.append(at(("parent",), "groups form a cycle through 'parent': " + " -> ".join(cycle), "parent-cycle"))
                    self._check_tree_level(slug, group, at)
            for key in ("owners", "members"):
                for index, handle in enumerate(getattr(group, key)):
                    if handle not in self.known_people:
                        hint = did_you_mean(handle, self.known_people)
                        self.problems.append(at((key, index), f"'{handle}' in {key} is not a person (no people/{handle}.yaml){hint}", "reference"))
            if not group.owners and group.type not in _ORG_TYPES:
                self.problems.append(at((), "a group needs at least one owner in 'owners'", "missing-field"))

    def _check_tree_level(self, slug: str, group: Group, at: _At) -> None:
        parent = self.group(group.parent or "")
        expected = {"team": "department", "department": "company"}.get(group.type)
        if parent is not None and expected and parent.type != expected:
            problem = at(("parent",), f"a {group.type} sits under a {expected}, but '{group.parent}' is a {parent.type}", "group-tree")
            self.problems.append(_as_warning(problem))

    def check_people(self) -> None:
        manager_of: Callable[[str], str | None] = lambda handle: (p.manager if (p := self.person(handle)) else None)  # noqa: E731
        sites = {site.casefold(): site for site in self.settings.sites}
        for handle in self.checked_people:
            path = self.settings.people_path / f"{handle}.yaml"
            person = self.people.get(handle) or self._partial.get(self.settings.display(path))
            if not isinstance(person, Person):
                continue
            at = self._locator(path)
            self._check_team(person, at)
            if person.manager is not None:
                if person.manager == handle:
                    self.problems.append(at(("manager",), "a person cannot be their own manager", "manager-cycle"))
                elif person.manager not in self.known_people:
                    hint = did_you_mean(person.manager, self.known_people)
                    self.problems.append(at(("manager",), f"manager '{person.manager}' is not a person (no people/{person.manager}.yaml){hint}", "reference"))
                else:
                    cycle = _cycle_from(handle, manager_of)
                    if cycle:
                        self.problems.append(at(("manager",), "managers form a cycle: " + " -> ".join(cycle), "manager-cycle"))
            self._check_groups_of(person, at)
            self._check_skills(person, at)
            _check_unique(person.languages, "languages", at, self.problems)
            if sites and person.location and person.location.casefold() not in sites:
                hint = did_you_mean(person.location, list(sites.values()))
                known = ", ".join(self.settings.sites)
                message = f"'{person.location}' is not one of the company's sites ({known}){hint}"
                self.problems.append(_as_warning(at(("location",), message, "unknown-location")))

    def _check_team(self, person: Person, at: _At) -> None:
        if person.team is None:
            return
        if person.team not in self.known_groups:
            hint = did_you_mean(person.team, self.known_groups)
            self.problems.append(at(("team",), f"team '{person.team}' is not a group (no groups/{person.team}.yaml){hint}", "reference"))
            return
        team = self.group(person.team)
        if team is not None and team.type != "team":
            self.problems.append(at(("team",), f"'{person.team}' is a group of type {team.type}, not a team", "team-type"))

    def _check_groups_of(self, person: Person, at: _At) -> None:
        _check_unique(person.groups, "groups", at, self.problems)
        for index, slug in enumerate(person.groups):
            if slug not in self.known_groups:
                hint = did_you_mean(slug, self.known_groups)
                self.problems.append(at(("groups", index), f"group '{slug}' does not exist (no groups/{slug}.yaml){hint}", "reference"))
                continue
            group = self.group(slug)
            if group is None:
                continue
            if group.type in _ORG_TYPES:
                how = "set it as 'team:'" if group.type == "team" else "people belong to it through their team"
                self.problems.append(at(("groups", index), f"'{slug}' is a {group.type}: {how}, not in 'groups'", "group-type"))
            elif not group.open:
                owners = ", ".join(group.owners) or "the directory admins"
                message = f"'{slug}' is a closed group: ask its owners ({owners}) to add you to 'members' in groups/{slug}.yaml"
                self.problems.append(at(("groups", index), message, "closed-group"))

    def _check_skills(self, person: Person, at: _At) -> None:
        canonical: list[SkillEntry] = []
        first_seen: dict[str, int] = {}
        for index, entry in enumerate(person.skills):
            name = self.skills.canonical(entry.name)
            if name is None:
                found = self.skills.suggestions(entry.name)
                hint = " (did you mean " + " or ".join(f"'{s}'" for s in found) + "?)" if found else ""
                message = f"unknown skill '{entry.name}'{hint}; to add a skill, add it to skills.yaml in the same pull request"
                self.problems.append(at(("skills", index, "name"), message, "unknown-skill"))
                continue
            if name in first_seen:
                self.problems.append(at(("skills", index, "name"), f"skill '{name}' is listed twice (first as item {first_seen[name] + 1})", "duplicate-skill"))
                continue
            first_seen[name] = index
            canonical.append(entry if entry.name == name else SkillEntry(name=name, level=entry.level))
        person.skills = canonical

    def _locator(self, path: Path) -> _At:
        display = self.settings.display(path)

        def at(loc: Loc, message: str, rule: str) -> Problem:
            document = self._documents.get(display)
            if document is None:
                document, _ = load_file(path, display)
            if document is None:
                return Problem(display, 1, 1, message, rule)
            return document.problem(loc, message, rule)

        return at


_At = Callable[[Loc, str, str], Problem]
_M = TypeVar("_M", Person, Group)


def _cycle_from(start: str, next_of: Callable[[str], str | None]) -> list[str]:
    """The cycle that ``start`` belongs to through ``next_of``, or an empty list."""
    path = [start]
    seen = {start}
    current = next_of(start)
    while current is not None:
        if current == start:
            return [*path, start]
        if current in seen:
            return []  # a cycle further up, reported on its own members
        path.append(current)
        seen.add(current)
        current = next_of(current)
    return []


def _check_unique(values: list[str], key: str, at: _At, problems: list[Problem]) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            problems.append(at((key, index), f"'{value}' is listed twice in '{key}'", "duplicate"))
        seen.add(value)


def _schema_line(document: Document, what: str) -> list[Problem]:
    if document.first_line.startswith(SCHEMA_LINE):
        return []
    schema = "schemas/skills.schema.json" if what == "skills" else f"../schemas/{what}.schema.json"
    message = f"the first line should be '{SCHEMA_LINE}{schema}' so editors can complete and check fields"
    return [Problem(document.path, 1, 1, message, "schema-line", Level.WARNING)]


def _misplaced_files(settings: Settings) -> list[Problem]:
    problems = []
    for folder in (settings.people_path, settings.groups_path):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix in (".yml", ".json") or (path.is_dir() and not path.name.startswith(".")):
                message = f"'{path.name}' is ignored: the directory reads only <name>.yaml files here"
                problems.append(Problem(settings.display(path), 1, 1, message, "file-name", Level.WARNING))
    return problems


def _valid_name(name: str) -> bool:
    import re

    return re.fullmatch(HANDLE_PATTERN, name) is not None


def _as_warning(problem: Problem) -> Problem:
    return Problem(problem.path, problem.line, problem.col, problem.message, problem.rule, Level.WARNING)
