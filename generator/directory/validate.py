"""Validate the directory: every file against the model, then the rules between files.

Returns problems, never raises on bad input. With a list of paths (what a pull request
changed), only those files are parsed, plus the few files their references lead to; whether a
person or group exists is known from file names alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.directory.check import did_you_mean, either
from generator.directory.filechecks import given_files, misplaced_files, photo_problem, schema_line, symlinks, unsafe_files
from generator.directory.load import Document, Loc, iter_yaml_files, load_file, stems
from generator.directory.model import Group, Person, SkillEntry
from generator.directory.perfile import PARALLEL_FROM, M, check_file, check_files
from generator.directory.referrers import referrers
from generator.directory.rules import logins as login_rules
from generator.directory.rules.flow_commas import with_split_values
from generator.directory.rules.placeholders import RULE as PLACEHOLDER
from generator.directory.rules.placeholders import placeholders
from generator.directory.settings import Settings
from generator.directory.skills import Skills, build_skills
from generator.parallel import BESIDE, InChild, collector_paused, cores
from generator.problems import N_, Level, Message, Problem, TrombiError, has_errors, sort_problems
from generator.progress import Reporter

_ORG_TYPES = ("team", "department", "company")
# What a profile listing an organisation's group in 'groups' is told, by the group's type.
_NOT_IN_GROUPS = {
    "team": N_("'{slug}' is a team: set it as 'team:', not in 'groups'"),
    "department": N_("'{slug}' is a department: people belong to it through their team, not in 'groups'"),
    "company": N_("'{slug}' is a company: people belong to it through their team, not in 'groups'"),
}


@dataclass
class Directory:
    """The validated directory: people and groups by handle and slug, skills canonicalised."""

    settings: Settings
    skills: Skills = field(default_factory=Skills)
    people: dict[str, Person] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)


SCAN_APART_FROM = PARALLEL_FROM  # profiles; below, the folders are scanned in this process once the files are loaded


def validate_directory(settings: Settings, paths: Sequence[Path] | None = None, *, reporter: Reporter | None = None) -> tuple[Directory, list[Problem]]:
    """Check the whole directory, or only ``paths`` and what they reference (stages ``load`` and ``validate``)."""
    reporter = reporter if reporter is not None else Reporter()
    reporter.begin("load")
    checker = _Checker(settings, partial=paths is not None)
    scanning: InChild[list[Problem]] | None = None
    if paths is None:
        person_files = list(iter_yaml_files(settings.people_path))
        group_files = list(iter_yaml_files(settings.groups_path))
        checker.problems += misplaced_files(settings)
        # Every folder the build reads, looked through for links on the other core while the files load
        # (the build's own state alone is 100,000 folders at 100,000 people): the files are read
        # without following any link meanwhile, and the build stops on what the scan finds.
        scanning = InChild(lambda: unsafe_files(settings), apart=len(person_files) >= SCAN_APART_FROM and cores() >= 2, nice=BESIDE)
    else:
        checker.problems += unsafe_files(settings, paths)
        person_files, group_files = checker.classify(paths)
    reporter.expect(len(person_files) + len(group_files))
    with collector_paused():
        try:
            checker.load_groups(group_files, reporter)
            checker.load_people(person_files, reporter)
            if scanning is not None:
                checker.problems += scanning.result()
        finally:
            if scanning is not None:
                scanning.stop()
        with reporter.stage("validate", total=len(checker.checked_groups) + len(checker.checked_people)):
            checker.check_groups()
            checker.check_people()
            checker.check_logins()
    directory = Directory(settings, checker.skills, checker.people, checker.groups)
    return directory, sort_problems(checker.problems)


def valid_directory(settings: Settings, warn: Callable[[list[Problem]], None] | None = None) -> Directory:
    """The whole directory, for commands that need it valid; raises :class:`TrombiError` on any error.

    Its warnings, if any, go to ``warn``: a command says them (never a silent pass) and goes on.
    """
    directory, problems = validate_directory(settings)
    if has_errors(problems):
        raise TrombiError(problems)
    if problems and warn is not None:
        warn(problems)
    return directory


class _Checker:
    def __init__(self, settings: Settings, *, partial: bool) -> None:
        self.settings = settings
        self.partial = partial
        self.problems: list[Problem] = []
        self.people: dict[str, Person] = {}
        self.groups: dict[str, Group] = {}
        self.checked_people: list[str] = []
        # In a partial check, the profiles given (changed), as opposed to those checked again
        # because they reference a changed group or skill: only the given ones can claim a new login.
        self.changed_people: set[str] = set()
        self.checked_groups: list[str] = []
        self.known_people = stems(settings.people_path)
        self.known_groups = stems(settings.groups_path)
        self._documents: dict[str, Document] = {}
        self._lazy_people: dict[str, Person | None] = {}
        self._lazy_groups: dict[str, Group | None] = {}
        self._partial: dict[str, Person | Group | None] = {}
        self._folders: dict[Path, tuple[str, set[str]] | None] = {}  # a folder's display prefix and its symlinks' names
        self._skill_names: dict[str, str | None] = {}  # a skill's name as written, and its canonical one (None: unknown)
        self.skills = self._load_skills()

    # --- loading ---------------------------------------------------------------------------

    def classify(self, paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
        """The people and group files among ``paths``, and those that reference what the others change.

        ``skills.yaml`` is always checked; a path that is not a file of the directory is an error
        (``trombi validate README.md`` must not say that all is well).
        """
        people, groups, skills_changed = given_files(self.settings, paths, self.problems)
        people_dir, groups_dir = self.settings.people_path.resolve(), self.settings.groups_path.resolve()
        # What references a changed group or the taxonomy is checked again: its members and
        # subgroups, the profiles using a skill that is gone.
        slugs = {path.name[: -len(".yaml")] for path in groups}
        known_skills = set(self.skills.lookup) if skills_changed else None
        self.changed_people = {path.name[: -len(".yaml")] for path in people}
        people += referrers(people_dir, slugs=slugs, known_skills=known_skills)
        groups += referrers(groups_dir, slugs=slugs)
        return list(dict.fromkeys(people)), list(dict.fromkeys(groups))

    def _load_skills(self) -> Skills:
        path = self.settings.skills_path
        display = self.settings.display(path)
        if not path.is_file():
            self.problems.append(Problem(display, 1, 1, Message("the skills taxonomy is missing; create it (see the README)"), "file"))
            return Skills()
        document, problems = load_file(path, display)
        self.problems += problems
        if document is None:
            return Skills()
        self.problems += schema_line(document, "skills")
        skills, problems = build_skills(document)
        self.problems += with_split_values(document, path, problems)
        return skills

    def load_people(self, paths: Iterable[Path], reporter: Reporter) -> None:
        for handle, person in self._load_all(paths, Person, "person", reporter):
            if person is not None:
                self.people[handle] = person
            self.checked_people.append(handle)

    def load_groups(self, paths: Iterable[Path], reporter: Reporter) -> None:
        for slug, group in self._load_all(paths, Group, "group", reporter):
            if group is not None:
                self.groups[slug] = group
            self.checked_groups.append(slug)

    def _load_all(self, paths: Iterable[Path], model: type[M], what: str, reporter: Reporter) -> Iterator[tuple[str, M | None]]:
        """Check every file of ``paths`` on its own, in worker processes when there are many."""
        files = [(path, self._display(path)) for path in paths]
        checked = check_files(files, model, what, parallel=not (self.partial or len(files) < PARALLEL_FROM or cores() < 2))
        for (path, display), (document, entity, partial, problems) in zip(files, checked, strict=True):
            reporter.advance()
            if document is not None:
                self._documents[display] = document
            if partial is not None:
                self._partial[display] = partial
            self.problems += problems
            yield path.name[: -len(".yaml")], entity

    def _load(self, path: Path, model: type[M], what: str) -> M | None:
        """A file read only for what it tells about others: its own problems are not reported."""
        display = self._display(path)
        document, entity, _, _ = check_file(path, display, model, what, partial=False)
        if document is not None:
            self._documents[display] = document
        return entity

    def _display(self, path: Path) -> str:
        """``settings.display(path)`` without resolving every file: resolving costs system calls per path part.

        A file that is not a symlink resolves to its resolved folder plus its name, so each folder
        is resolved and listed once (its entries know which are symlinks without a system call
        each); symlinks and folders outside the root take the general way.
        """
        parent = path.parent
        if parent not in self._folders:
            try:
                relative = parent.resolve().relative_to(self.settings.root.resolve()).as_posix()
                self._folders[parent] = ("" if relative == "." else relative + "/"), symlinks(parent)
            except (OSError, ValueError):
                self._folders[parent] = None
        known = self._folders[parent]
        if known is None or path.name in ("", ".", "..") or path.name in known[1]:
            return self.settings.display(path)
        return known[0] + path.name

    def person(self, handle: str) -> Person | None:
        """A valid person, read from disk on demand when only some files are checked."""
        if handle in self.people or not self.partial:
            return self.people.get(handle)
        if handle not in self._lazy_people:
            path = self.settings.people_path / f"{handle}.yaml"
            self._lazy_people[handle] = self._load(path, Person, "person") if handle in self.known_people else None
        return self._lazy_people[handle]

    def group(self, slug: str) -> Group | None:
        if slug in self.groups or not self.partial:
            return self.groups.get(slug)
        if slug not in self._lazy_groups:
            path = self.settings.groups_path / f"{slug}.yaml"
            self._lazy_groups[slug] = self._load(path, Group, "group") if slug in self.known_groups else None
        return self._lazy_groups[slug]

    # --- rules between files ---------------------------------------------------------------

    def check_groups(self) -> None:
        parent_of: Callable[[str], str | None] = lambda slug: g.parent if (g := self.group(slug)) else None  # noqa: E731
        for slug in self.checked_groups:
            path = self.settings.groups_path / f"{slug}.yaml"
            group = self.groups.get(slug) or self._partial.get(self._display(path))
            if not isinstance(group, Group):
                continue
            at = self._locator(path.parent, path.name)
            if group.parent is not None:
                if group.parent == slug:
                    self.problems.append(at(("parent",), Message("a group cannot be its own parent"), "parent-cycle"))
                elif group.parent not in self.known_groups:
                    hint = did_you_mean(group.parent, self.known_groups)
                    self.problems.append(at(("parent",), Message("parent '{parent}' is not a group{hint}", parent=group.parent, hint=hint), "reference"))
                else:
                    cycle = _cycle_from(slug, parent_of)
                    if cycle:
                        message = Message("groups form a cycle through 'parent': {cycle}", cycle=" -> ".join(cycle))
                        self.problems.append(at(("parent",), message, "parent-cycle"))
                    self._check_tree_level(slug, group, at)
            for key in ("owners", "members"):
                for index, handle in enumerate(getattr(group, key)):
                    if handle not in self.known_people:
                        hint = did_you_mean(handle, self.known_people)
                        message = Message("'{handle}' in {field} is not a person (no people/{handle}.yaml){hint}", handle=handle, field=key, hint=hint)
                        self.problems.append(at((key, index), message, "reference"))
            for index, served in enumerate(group.serves):
                if group.type != "project":
                    message = Message("only a project (type: project) serves other groups")
                    self.problems.append(at(("serves",), message, "group-serves"))
                    break
                if served == slug or served not in self.known_groups:
                    hint = "" if served == slug else did_you_mean(served, self.known_groups)
                    message = Message("'{slug}' in serves is not another group{hint}", slug=served, hint=hint)
                    self.problems.append(at(("serves", index), message, "reference"))
            if not group.owners and group.type not in _ORG_TYPES:
                self.problems.append(at((), Message("a group needs at least one owner in 'owners'"), "missing-field"))
            if group.timezone is not None and group.type != "site":
                # A group meets at its site's time: a zone of its own would make two clocks for one meeting.
                message = Message("only a site (type: site) has a time zone: this group meets at its site's time, or the company's")
                self.problems.append(at(("timezone",), message, "group-timezone"))

    def _check_tree_level(self, slug: str, group: Group, at: _At) -> None:
        parent = self.group(group.parent or "")
        # Departments nest (business units, sub-departments); a team belongs to a department.
        expected = {"team": ("department",), "department": ("company", "department")}.get(group.type)
        if parent is not None and expected and parent.type not in expected:
            if group.type == "team":
                message = Message("a team sits under a department, but '{parent}' is a {type}", parent=group.parent, type=parent.type)
            else:
                message = Message(
                    "a department sits under the company or another department, but '{parent}' is a {type}", parent=group.parent, type=parent.type
                )
            self.problems.append(_as_warning(at(("parent",), message, "group-tree")))

    def check_people(self) -> None:
        manager_of: Callable[[str], str | None] = lambda handle: p.manager if (p := self.person(handle)) else None  # noqa: E731
        sites = {site.casefold(): site for site in self.settings.sites}
        people_path = self.settings.people_path
        reach_the_top: set[str] = set()
        for handle in self.checked_people:
            person = self.people.get(handle) or self._partial.get(self._display(people_path / f"{handle}.yaml"))
            if not isinstance(person, Person):
                continue
            at = self._locator(people_path, f"{handle}.yaml")
            self._check_team(person, at)
            if person.manager is not None:
                if person.manager == handle:
                    self.problems.append(at(("manager",), Message("a person cannot be their own manager"), "manager-cycle"))
                elif person.manager not in self.known_people:
                    hint = did_you_mean(person.manager, self.known_people)
                    message = Message("manager '{manager}' is not a person (no people/{manager}.yaml){hint}", manager=person.manager, hint=hint)
                    self.problems.append(at(("manager",), message, "reference"))
                else:
                    cycle = _cycle_from(handle, manager_of, reach_the_top)
                    if cycle:
                        self.problems.append(at(("manager",), Message("managers form a cycle: {cycle}", cycle=" -> ".join(cycle)), "manager-cycle"))
            self._check_groups_of(person, at)
            self._check_skills(person, at)
            self._check_own_values(person, handle, at)
            _check_unique(person.languages, "languages", at, self.problems)
            if person.photo:
                wrong = photo_problem(self.settings, person.photo)
                if wrong:
                    self.problems.append(at(("photo",), wrong, "photo"))
            if sites and person.location and person.location.casefold() not in sites:
                hint = did_you_mean(person.location, list(sites.values()))
                known = ", ".join(self.settings.sites)
                message = Message("'{location}' is not one of the company's sites ({sites}){hint}", location=person.location, sites=known, hint=hint)
                self.problems.append(_as_warning(at(("location",), message, "unknown-location")))

    def _check_own_values(self, person: Person, handle: str, at: _At) -> None:
        """Rules on one profile's values that a schema cannot say."""
        self.problems += [at(loc, message, PLACEHOLDER) for loc, message in placeholders(person)]
        # A profile with errors of its own lost its invalid fields: a login may be there, but wrong.
        if handle in self.people or "contact" in person.model_fields_set:
            self.problems += login_rules.missing_login(person, at)

    def check_logins(self) -> None:
        """Two profiles may not claim the same login; when only some files are checked, the others are searched too."""
        checked = {handle: person for handle in self.checked_people if (person := self._checked_person(handle)) is not None}
        others: dict[str, Person] = {}
        if self.partial:
            changed = [person for handle, person in checked.items() if handle in self.changed_people]
            claimed = {login for person in changed for login in login_rules.logins(person).values()}
            for handle in login_rules.files_mentioning(self.settings.people_path, claimed, skip=set(checked)):
                other = self.person(handle)
                if other is not None:
                    others[handle] = other
        at_of = lambda handle: self._locator(self.settings.people_path, f"{handle}.yaml")  # noqa: E731
        self.problems += login_rules.duplicate_logins(checked, others, at_of)

    def _checked_person(self, handle: str) -> Person | None:
        """A checked person, valid or without their invalid fields."""
        person = self.people.get(handle) or self._partial.get(self._display(self.settings.people_path / f"{handle}.yaml"))
        return person if isinstance(person, Person) else None

    def _check_team(self, person: Person, at: _At) -> None:
        if person.team is None:
            return
        if person.team not in self.known_groups:
            hint = did_you_mean(person.team, self.known_groups)
            self.problems.append(at(("team",), Message("team '{team}' is not a group (no groups/{team}.yaml){hint}", team=person.team, hint=hint), "reference"))
            return
        team = self.group(person.team)
        if team is not None and team.type != "team":
            self.problems.append(at(("team",), Message("'{team}' is a group of type {type}, not a team", team=person.team, type=team.type), "team-type"))

    def _check_groups_of(self, person: Person, at: _At) -> None:
        _check_unique(person.groups, "groups", at, self.problems)
        for index, slug in enumerate(person.groups):
            if slug not in self.known_groups:
                hint = did_you_mean(slug, self.known_groups)
                message = Message("group '{slug}' does not exist (no groups/{slug}.yaml){hint}", slug=slug, hint=hint)
                self.problems.append(at(("groups", index), message, "reference"))
                continue
            group = self.group(slug)
            if group is None:
                continue
            if group.type in _ORG_TYPES:
                self.problems.append(at(("groups", index), Message(_NOT_IN_GROUPS[group.type], slug=slug), "group-type"))
            elif not group.open:
                self.problems.append(at(("groups", index), _closed(slug, group.owners), "closed-group"))

    def _check_skills(self, person: Person, at: _At) -> None:
        canonical: list[SkillEntry] = []
        first_seen: dict[str, int] = {}
        written = self._skill_names
        renamed = False  # whether any skill is named otherwise, or left out
        for index, entry in enumerate(person.skills):
            try:
                name = written[entry.name]
            except KeyError:  # each name as written is looked up once: a few hundred names, a million times at scale
                name = written[entry.name] = self.skills.canonical(entry.name)
            if name is None:
                self.problems.append(at(("skills", index, "name"), self._unknown_skill(entry.name), "unknown-skill"))
                renamed = True
                continue
            if name in first_seen:
                message = Message("skill '{skill}' is listed twice (first as item {item})", skill=name, item=first_seen[name] + 1)
                self.problems.append(at(("skills", index, "name"), message, "duplicate-skill"))
                renamed = True
                continue
            first_seen[name] = index
            if entry.name == name:
                canonical.append(entry)
            else:
                canonical.append(SkillEntry(name=name, level=entry.level))
                renamed = True
        if renamed:  # else the list holds what it held: not set again through pydantic's checks of an assignment
            person.skills = canonical

    def _unknown_skill(self, name: str) -> Message:
        # Suggested through aliases too: "k8s" may be close to no name but to an alias of one.
        found = self.skills.suggestions(name)
        if not found:
            return Message("unknown skill '{skill}'; to add a skill, add it to skills.yaml in the same pull request", skill=name)
        choices = either(f"'{suggestion}'" for suggestion in found)
        return Message(
            "unknown skill '{skill}' (did you mean {choices}?); to add a skill, add it to skills.yaml in the same pull request", skill=name, choices=choices
        )

    def _locator(self, folder: Path, name: str) -> _At:
        """Where each problem of the file ``name`` of ``folder`` is: made for every file, called for few (its path is made then)."""

        def at(loc: Loc, message: str, rule: str) -> Problem:
            path = folder / name
            display = self._display(path)
            # Files checked in worker processes come back without their positions (sending them
            # would cost more than reading again the few files with problems between files).
            document = self._documents.get(display)
            if document is None:
                document, _ = load_file(path, display)
                if document is not None:
                    self._documents[display] = document
            if document is None:
                return Problem(display, 1, 1, message, rule)
            return document.problem(loc, message, rule)

        return at


_At = Callable[[Loc, str, str], Problem]


def _cycle_from(start: str, next_of: Callable[[str], str | None], reach_the_top: set[str] | None = None) -> list[str]:
    """The cycle that ``start`` belongs to through ``next_of``, or an empty list.

    ``reach_the_top``, shared between calls, holds the names already known to lead to an end
    (no cycle): a walk stops there, so that checking everyone costs N steps, not N × depth.
    """
    known_ends = reach_the_top if reach_the_top is not None else set()
    path = [start]
    seen = {start}
    current = next_of(start)
    while current is not None and current not in known_ends:
        if current == start:
            return [*path, start]
        if current in seen:
            return []  # a cycle further up, reported on its own members
        path.append(current)
        seen.add(current)
        current = next_of(current)
    known_ends.update(path)
    return []


def _closed(slug: str, owners: list[str]) -> Message:
    """What a person who lists a closed group is told: whom to ask."""
    if not owners:
        return Message("'{slug}' is a closed group: ask the directory admins to add you to 'members' in groups/{slug}.yaml", slug=slug)
    return Message("'{slug}' is a closed group: ask its owners ({owners}) to add you to 'members' in groups/{slug}.yaml", slug=slug, owners=", ".join(owners))


def _check_unique(values: list[str], key: str, at: _At, problems: list[Problem]) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            problems.append(at((key, index), Message("'{value}' is listed twice in '{field}'", value=value, field=key), "duplicate"))
        seen.add(value)


def _as_warning(problem: Problem) -> Problem:
    return Problem(problem.path, problem.line, problem.col, problem.message, problem.rule, Level.WARNING)
