"""Import the HR system's CSV export: the fields HR owns, and nothing people wrote themselves.

HR owns ``name``, ``title``, ``team``, ``manager``, ``location``, ``joined`` and
``contact.email``; a mapping file names the CSV column of each (and of the handle, or says to
derive the handle from the email's local part)::

    handle_column: Login            # or: handle_from_email: true
    columns:
      name: Nom complet
      title: Intitulé du poste
      team: Équipe                  # a team's slug or its name, or a key of ``teams`` below
      manager: Manager              # the manager's handle or email address
      location: Site
      joined: Date d'entrée
      email: E-mail
    date_format: "%d/%m/%Y"         # how ``joined`` is written (YYYY-MM-DD is always accepted)
    teams: {Plateforme SRE: platform}

Every other field (skills, bio, offers, seeks, groups, interests, ask_me_about, networking, the
other contacts and their visibility, pronouns, photo) stays as people wrote it.

Row by row: each valid row is imported, and a row with an error is refused, with every error
pointing at the file, the row's line and the field's 1-based column, all at once. A row that
names a refused row as its manager is refused too (the person would point at nobody). The refused
rows are kept as they came, to be fixed and sent again (:func:`hrcsvfile.write_refused`). With
``all_or_nothing``, any error refuses the whole file, as a pull request would. An error in the
header or the mapping file refuses the whole file. Employees absent from the CSV are reported in
one summary (contractors and partners are not in an HR export, so they are never "missing"; a
refused row's person is in it); ``remove_missing`` deletes their files and takes them out of
groups' owners and members.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from generator.directory.check import did_you_mean
from generator.directory.model import HANDLE_RE, RESERVED_HANDLES, RESERVED_RE, Email
from generator.directory.settings import Settings
from generator.interop.hrcsvfile import FieldMap, Row, as_handle, load_field_map, read_csv
from generator.interop.yamlwrite import (
    DELETE,
    Change,
    Existing,
    Key,
    Plan,
    UnsafeEdit,
    already_applied,
    current_value,
    edit_file,
    new_file,
    read_folder,
)
from generator.problems import Level, Message, Problem, TrombiError, counted, has_errors

HR_FIELDS: dict[str, Key] = {
    "name": ("name",),
    "title": ("title",),
    "team": ("team",),
    "manager": ("manager",),
    "location": ("location",),
    "joined": ("joined",),
    "email": ("contact", "email"),
}
NEW_PROFILE_COMMENTS = (
    "Created from the HR system's export. HR keeps name, title, team, manager, location, joined",
    "and contact.email up to date; every other field is yours (see the README's field reference).",
)
_ORG_GROUPS = ("team", "department", "company")
_EMAIL = TypeAdapter(Email)
_MAX_TEXT = 200
_NAMED = 10  # people named in a summary of missing ones; the rest are counted


@dataclass
class HrPlan(Plan):
    """An HR import's plan: the changes of the rows it imports, and the rows it refuses with their errors."""

    header: list[str] = field(default_factory=list)
    delimiter: str = ","
    refused: list[tuple[Row, list[Problem]]] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [problem for _, problems in self.refused for problem in problems]


def import_hr_csv(settings: Settings, csv_path: Path, map_path: Path, *, remove_missing: bool = False, all_or_nothing: bool = False) -> HrPlan:
    """The changes that bring the directory in line with the HR export, row by row: the rows with an error
    are refused (``plan.refused``), the others planned. Raises :class:`TrombiError` when the file itself is
    wrong (its header, its encoding, the mapping file), or on any error with ``all_or_nothing``."""
    field_map = load_field_map(map_path, settings.display(map_path))
    csv_file, problems = read_csv(csv_path, settings.display(csv_path))
    if has_errors(problems):
        raise TrombiError(problems)
    people = read_folder(settings.people_path, settings)
    groups = read_folder(settings.groups_path, settings)
    importer = _Importer(settings, field_map, settings.display(csv_path), people, groups)
    importer.plan.header, importer.plan.delimiter = csv_file.header, csv_file.delimiter
    importer.check_header(csv_file.header)
    if has_errors(importer.problems):
        raise TrombiError(importer.problems)
    importer.read_rows(csv_file.rows, remove_missing=remove_missing)
    if all_or_nothing and importer.refused:
        raise TrombiError(importer.row_problems())
    importer.plan_people()
    if all_or_nothing and importer.refused:
        raise TrombiError(importer.row_problems())
    importer.plan_missing(remove_missing=remove_missing)
    if has_errors(importer.problems):
        raise TrombiError(importer.row_problems() + importer.problems)
    importer.plan.warnings = [p for p in importer.problems if p.level is Level.WARNING]
    importer.plan.refused = [(row, sorted(found, key=lambda p: (p.line, p.col))) for row, found in sorted(importer.refused.values(), key=lambda r: r[0].line)]
    return importer.plan


@dataclass(slots=True)
class _Record:
    handle: str
    row: Row
    values: dict[str, Any] = field(default_factory=dict)  # HR field -> value, DELETE when empty
    manager_cell: str = ""


class _Importer:
    def __init__(self, settings: Settings, field_map: FieldMap, display: str, people: dict[str, Existing], groups: dict[str, Existing]) -> None:
        self.settings = settings
        self.map = field_map
        self.display = display
        self.people = people
        self.groups = groups
        self.problems: list[Problem] = []
        self.columns: dict[str, int] = {}
        self.records: dict[str, _Record] = {}
        self.refused: dict[int, tuple[Row, list[Problem]]] = {}  # by the row's line
        self.refused_handles: dict[str, int] = {}  # a refused row's handle (and email), to its line
        self.refused_records: list[_Record] = []  # rows refused as they were read: their manager is checked all the same
        self.collisions: dict[str, list[tuple[int, str, str]]] = {}  # a made handle -> the rows that took another: line, value, handle
        self.handle_by_email = {
            email.casefold(): handle
            for handle, existing in sorted(people.items())
            if existing.data is not None and isinstance(email := current_value(existing.data, ("contact", "email")), str)
        }  # the directory's people by their address: an employee keeps their handle whatever the map makes
        self.plan = HrPlan()
        self.width = 0
        self.teams = {slug: e.data for slug, e in groups.items() if e.data is not None and e.data.get("type") == "team"}

    def check_header(self, header: list[str]) -> None:
        wanted: dict[str, str] = {str(name): column for name, column in self.map.columns.items()}
        if self.map.handle_column is not None:
            wanted["handle"] = self.map.handle_column
        for column in self.map.template_columns():
            wanted[f"template:{column}"] = column
        for name, column in wanted.items():
            if column.strip() in header:
                self.columns[name] = header.index(column.strip())
            else:
                found = ", ".join(f"'{h}'" for h in header)
                message = Message(
                    "no column '{column}' (for {field}) in the header{hint}; the columns are {found}",
                    column=column,
                    field=name,
                    hint=did_you_mean(column, header),
                    found=found,
                )
                self.problems.append(Problem(self.display, 1, 1, message, "csv-column"))
        self.width = len(header)

    def read_rows(self, rows: list[Row], *, remove_missing: bool) -> None:
        first_line: dict[str, int] = {}
        for row in rows:
            if len(row.cells) != self.width:
                col = min(len(row.cells), self.width) + 1
                message = counted(
                    "this row has {found} field but the header has {width}; check the quotes and delimiters",
                    "this row has {found} fields but the header has {width}; check the quotes and delimiters",
                    len(row.cells),
                    found=len(row.cells),
                    width=self.width,
                )
                self._flag(row, self._at(row, col - 1, message, "csv"))
                continue
            handle = self._handle(row)
            if handle is None:
                continue
            if self.map.handle_column is None:
                handle = self._unique(handle, row, first_line)
                if handle is None:
                    continue
            elif handle in first_line:
                message = Message("handle '{handle}' appears twice (first at line {line})", handle=handle, line=first_line[handle])
                self._flag(row, self._at(row, self._handle_col(), message, "duplicate"))
                continue
            first_line[handle] = row.line
            record = self._record(handle, row)
            if row.line in self.refused:
                self._refuse_handle(record)
                self.refused_records.append(record)
            else:
                self.records[handle] = record
        self._resolve_managers(remove_missing=remove_missing)
        self._report_collisions()

    def _unique(self, made: str, row: Row, taken: dict[str, int]) -> str | None:
        """A made handle, unique: an employee already in the directory keeps theirs (found by their email),
        and a handle already given to another row, or held by another person, takes the next free ``-2``,
        ``-3``... in the order of the rows, so that the same export always gives the same handles."""
        email = self._email_cell(row).casefold()
        if email and email in self.handle_by_email:
            handle = self.handle_by_email[email]
            if handle in taken:
                message = Message("email '{email}' appears twice (first at line {line})", email=self._email_cell(row), line=taken[handle])
                self._flag(row, self._at(row, self.columns.get("email", 0), message, "duplicate"))
                return None
            return handle
        handle, number = made, 1
        while handle in taken or self._held_by_another(handle, email) or RESERVED_RE.fullmatch(handle):
            number += 1
            handle = f"{made[: 40 - len(str(number)) - 1]}-{number}"
        if handle != made:
            self.collisions.setdefault(made, []).append((row.line, self._email_cell(row) or made, handle))
        return handle

    def _held_by_another(self, handle: str, email: str) -> bool:
        """Whether the directory's ``handle`` is someone else: a person with another email address."""
        existing = self.people.get(handle)
        if existing is None or existing.data is None:
            return existing is not None
        theirs = current_value(existing.data, ("contact", "email"))
        return isinstance(theirs, str) and bool(email) and theirs.casefold() != email

    def _email_cell(self, row: Row) -> str:
        return row.cells[self.columns["email"]].strip() if "email" in self.columns else ""

    def _report_collisions(self) -> None:
        """Every made handle that several rows would have had, with the rows and the handles they got: one warning each."""
        for made, rows in sorted(self.collisions.items(), key=lambda item: item[1][0][0]):
            listed = [f"{line} ({value}) → {handle}" for line, value, handle in rows[:_NAMED]]
            more = f" (+{len(rows) - _NAMED})" if len(rows) > _NAMED else ""
            message = counted(
                "the handle '{handle}' was taken: {count} more row got the next free one, by line: {rows}",
                "the handle '{handle}' was taken: {count} more rows got the next free ones, by line: {rows}",
                len(rows),
                handle=made,
                count=len(rows),
                rows=", ".join(listed) + more,
            )
            self.problems.append(Problem(self.display, rows[0][0], self._handle_col() + 1, message, "handle-collision", Level.WARNING))

    def _refuse_handle(self, record: _Record) -> None:
        """A refused row's person is in the export all the same: never "missing", and a manager the rows naming them cannot have."""
        self.refused_handles.setdefault(record.handle, record.row.line)
        email = record.values.get("email")
        if isinstance(email, str):
            self.refused_handles.setdefault(email.casefold(), record.row.line)

    def row_problems(self) -> list[Problem]:
        return sorted((p for _, found in self.refused.values() for p in found), key=lambda p: (p.line, p.col))

    def _record(self, handle: str, row: Row) -> _Record:
        record = _Record(handle, row)
        for name in self.map.columns:
            col = self.columns[name]
            cell = row.cells[col].strip()
            if name == "manager":
                record.manager_cell = cell
                continue
            value = self._value(name, cell, row, col)
            if value is not None:
                record.values[name] = value
        return record

    def _handle(self, row: Row) -> str | None:
        col = self._handle_col()
        cell = row.cells[col].strip()
        if not cell and self.map.handle_template is None:
            self._flag(row, self._at(row, col, Message("empty handle: every row needs one"), "empty-value"))
            return None
        if self.map.handle_template is not None:
            cell = self._from_template(row)
            handle = as_handle(cell)
        else:
            handle = handle_from_email(cell) if self.map.handle_from_email else cell
        made = f" (from '{cell}')" if handle != cell else ""  # the value the HR team knows, beside what Trombi made of it
        if not handle:
            message = Message("'{value}' gives no handle: its local part has no letter or digit; give this row a handle column", value=cell)
            self._flag(row, self._at(row, col, message, "handle"))
            return None
        if not HANDLE_RE.fullmatch(handle):
            message = Message("'{handle}'{made} is not a valid handle: use 2 to 40 lowercase letters, digits and '-'", handle=handle, made=made)
            self._flag(row, self._at(row, col, message, "handle"))
            return None
        if RESERVED_RE.fullmatch(handle):
            message = Message("'{handle}'{made} cannot be a handle: {reserved}", handle=handle, made=made, reserved=RESERVED_HANDLES)
            self._flag(row, self._at(row, col, message, "handle"))
            return None
        return handle

    def _from_template(self, row: Row) -> str:
        """``{Prénom}.{Nom}`` with this row's cells (``{email_local}``: the email's local part)."""

        def cell(match: re.Match[str]) -> str:
            name = match.group(1)
            if name == "email_local":
                return self._email_cell(row).split("@", 1)[0]
            return row.cells[self.columns[f"template:{name}"]].strip()

        return re.sub(r"\{([^{}]+)\}", cell, self.map.handle_template or "")

    def _value(self, name: str, cell: str, row: Row, col: int) -> Any:
        if not cell:
            if name in ("name", "title"):
                self._flag(row, self._at(row, col, Message("empty {field}: it is required", field=name), "empty-value"))
                return None
            return DELETE
        if "\n" in cell or "\r" in cell:
            self._flag(row, self._at(row, col, Message("{field} must be on one line", field=name), "value"))
            return None
        if len(cell) > _MAX_TEXT:
            message = Message("{field} is {length} characters long; at most {most}", field=name, length=len(cell), most=_MAX_TEXT)
            self._flag(row, self._at(row, col, message, "value"))
            return None
        if name == "joined":
            return self._date(cell, row, col)
        if name == "email":
            try:
                return _EMAIL.validate_python(cell)
            except ValidationError:
                self._flag(row, self._at(row, col, Message("'{value}' is not an email address", value=cell), "email"))
                return None
        if name == "team":
            return self._team(cell, row, col)
        return cell

    def _date(self, cell: str, row: Row, col: int) -> date | None:
        """The date ``cell`` says in one of the map's ways; a cell two ways read as two dates (03/04/2021
        with both %d/%m/%Y and %m/%d/%Y) is refused: a guess would be wrong one time in two."""
        forms = [self.map.date_format] if isinstance(self.map.date_format, str) else list(self.map.date_format)
        found: dict[date, str] = {}
        for form in [*forms, "%Y-%m-%d"]:
            try:
                found.setdefault(datetime.strptime(cell, form).date(), form)
            except ValueError:
                continue
        if len(found) == 1:
            return next(iter(found))
        if found:
            readings = ", ".join(f"{day.isoformat()} ({form})" for day, form in found.items())
            message = Message("'{value}' is ambiguous: it reads as {readings}; write it YYYY-MM-DD", value=cell, readings=readings)
            self._flag(row, self._at(row, col, message, "date"))
            return None
        written = " or ".join(forms)
        example = date(2021, 3, 1).strftime(forms[0])
        message = Message("'{value}' is not a date written {form} (e.g. {example})", value=cell, form=written, example=example)
        self._flag(row, self._at(row, col, message, "date"))
        return None

    def _team(self, cell: str, row: Row, col: int) -> str | None:
        slug = self.map.teams.get(cell)
        if slug is None:
            by_name = {str(data.get("name", "")).casefold(): s for s, data in self.teams.items() if data is not None}
            slug = cell if cell in self.groups else by_name.get(cell.casefold())
        if slug is not None and slug in self.teams:
            return slug
        if slug is not None and slug in self.groups:
            kind = (self.groups[slug].data or {}).get("type")
            self._flag(row, self._at(row, col, Message("'{slug}' is a group of type {kind}, not a team", slug=slug, kind=kind), "team-type"))
            return None
        hint = did_you_mean(cell, [*self.teams, *(str(d.get("name", "")) for d in self.teams.values() if d)])
        message = Message("unknown team '{team}'{hint}: use a team's slug or name, or map it in the mapping file's 'teams'", team=cell, hint=hint)
        self._flag(row, self._at(row, col, message, "unknown-team"))
        return None

    def _resolve_managers(self, *, remove_missing: bool) -> None:
        if "manager" not in self.map.columns:
            return
        # Until nothing moves: a row refused here may be the manager another row named.
        known: set[str] = set()
        while True:
            count = len(self.records)
            known = self._resolve_managers_once(remove_missing=remove_missing)
            if len(self.records) == count:
                break
        # A row refused for another reason is told of an unknown manager too: all its errors at once.
        col = self.columns["manager"]
        for record in self.refused_records:
            cell = record.manager_cell
            if cell and cell not in known and cell.casefold() not in known and cell not in self.refused_handles and cell.casefold() not in self.refused_handles:
                hint = did_you_mean(cell, [k for k in known if "@" not in k]) if "@" not in cell else ""
                message = Message(
                    "unknown manager '{manager}'{hint}: give the handle or the email of a person in the file or the directory", manager=cell, hint=hint
                )
                self._flag(record.row, self._at(record.row, col, message, "unknown-manager"))

    def _resolve_managers_once(self, *, remove_missing: bool) -> set[str]:
        """Resolve every row's manager; the handles and emails known, for the rows refused before."""
        col = self.columns["manager"]
        kept = {h for h, e in self.people.items() if not (remove_missing and _missing_candidate(e) and h not in self.refused_handles)}
        known = set(self.records) | kept
        by_email: dict[str, str] = {}
        for handle in sorted(kept):
            data = self.people[handle].data or {}
            email = current_value(data, ("contact", "email"))
            if isinstance(email, str):
                by_email.setdefault(email.casefold(), handle)
        for handle, record in self.records.items():
            email = record.values.get("email")
            if isinstance(email, str):
                by_email[email.casefold()] = handle
        for handle, record in list(self.records.items()):
            cell = record.manager_cell
            if not cell:
                record.values["manager"] = DELETE
                continue
            manager = cell if cell in known else by_email.get(cell.casefold())
            refused_line = self.refused_handles.get(cell) or self.refused_handles.get(cell.casefold())
            if manager is None and refused_line is not None:
                message = Message("manager '{manager}' is in a refused row (line {line}): this row goes with it", manager=cell, line=refused_line)
                self._refuse(record, self._at(record.row, col, message, "refused-manager"))
            elif manager is None:
                hint = did_you_mean(cell, known) if "@" not in cell else ""
                message = Message(
                    "unknown manager '{manager}'{hint}: give the handle or the email of a person in the file or the directory", manager=cell, hint=hint
                )
                self._refuse(record, self._at(record.row, col, message, "unknown-manager"))
            elif manager == handle:
                self._refuse(record, self._at(record.row, col, Message("a person cannot be their own manager"), "manager-cycle"))
            else:
                record.values["manager"] = manager
        return known | set(by_email)

    def _flag(self, row: Row, problem: Problem) -> None:
        """An error in a row: the row is refused, with every error it has."""
        self.refused.setdefault(row.line, (row, []))[1].append(problem)

    def _refuse(self, record: _Record, problem: Problem) -> None:
        """Refuse a row already read: and, in turn, the rows that name it as their manager (said when they are resolved)."""
        self.records.pop(record.handle, None)
        self._flag(record.row, problem)
        self._refuse_handle(record)

    def plan_people(self) -> None:
        for handle, record in list(self.records.items()):
            updates = {HR_FIELDS[name]: value for name, value in record.values.items()}
            existing = self.people.get(handle)
            try:
                if existing is None:
                    path = self.settings.people_path / f"{handle}.yaml"
                    values = {key[0]: v for key, v in updates.items() if len(key) == 1 and v is not DELETE}
                    email = updates.get(("contact", "email"), DELETE)
                    if email is not DELETE:
                        values["contact"] = {"email": email}
                    values.update(languages=[], skills=[], groups=[])
                    text = new_file("person", values, comments=NEW_PROFILE_COMMENTS)
                    self.plan.changes.append(Change(path, self.settings.display(path), None, text))
                    continue
                if existing.data is None:
                    self._refuse(record, existing.broken())
                    continue
                if already_applied(existing.data, updates):
                    self.plan.unchanged += 1
                    continue
                before = existing.text()
                after = edit_file(before, "person", updates, existing.display)
            except UnsafeEdit as error:
                self._refuse(record, error.problem)
                continue
            if after == before:
                self.plan.unchanged += 1
            else:
                self.plan.changes.append(Change(existing.path, existing.display, before, after))

    def plan_missing(self, *, remove_missing: bool) -> None:
        # A refused row's person is in the export: kept as they are, never removed.
        missing = sorted(h for h, e in self.people.items() if h not in self.records and h not in self.refused_handles and _missing_candidate(e))
        if not missing:
            return
        if remove_missing:
            for handle in missing:
                existing = self.people[handle]
                self.plan.changes.append(Change(existing.path, existing.display, existing.text(), None))
        # One line for them all, not one per person: an export may leave out hundreds.
        named = ", ".join(missing[:_NAMED]) + (f" (+{len(missing) - _NAMED})" if len(missing) > _NAMED else "")
        if remove_missing:
            message = counted(
                "{count} person not in the HR export, removed: {names}",
                "{count} people not in the HR export, removed: {names}",
                len(missing),
                count=len(missing),
                names=named,
            )
        else:
            message = counted(
                "{count} person not in the HR export, left as is (run with --remove-missing to remove them): {names}",
                "{count} people not in the HR export, left as is (run with --remove-missing to remove them): {names}",
                len(missing),
                count=len(missing),
                names=named,
            )
        self.problems.append(Problem(self.settings.display(self.settings.people_path), 1, 1, message, "missing-person", Level.WARNING))
        if remove_missing:
            self._forget(set(missing))

    def _forget(self, removed: set[str]) -> None:
        """Take removed people out of groups and check that nobody left still points at them."""
        for slug, group in sorted(self.groups.items()):
            if group.data is None:
                continue
            updates: dict[Key, Any] = {}
            for key in ("owners", "members"):
                names = group.data.get(key)
                if isinstance(names, list) and removed & set(names):
                    updates[(key,)] = [n for n in names if n not in removed] or DELETE
            if not updates:
                continue
            if updates.get(("owners",)) is DELETE and group.data.get("type") not in _ORG_GROUPS:
                owners = ", ".join(n for n in group.data.get("owners", []) if n in removed)
                message = Message("removing {owners} leaves group '{slug}' without an owner: name another owner first", owners=owners, slug=slug)
                self.problems.append(Problem(group.display, 1, 1, message, "missing-owner"))
                continue
            try:
                before = group.text()
                self.plan.changes.append(Change(group.path, group.display, before, edit_file(before, "group", updates, group.display)))
            except UnsafeEdit as error:
                self.problems.append(error.problem)
        for handle, existing in sorted(self.people.items()):
            manager = (existing.data or {}).get("manager")
            if handle not in removed and handle not in self.records and handle not in self.refused_handles and manager in removed:
                message = Message(
                    "manager '{manager}' is not in the HR export and would be removed: give {handle} another manager first", manager=manager, handle=handle
                )
                self.problems.append(Problem(existing.display, 1, 1, message, "reference"))

    def _handle_col(self) -> int:
        """The column a handle comes from: its own, the email's, or the first the template names."""
        if self.map.handle_column is not None:
            return self.columns["handle"]
        if self.map.handle_template is not None and self.map.template_columns():
            return self.columns[f"template:{self.map.template_columns()[0]}"]
        return self.columns["email"]

    def _at(self, row: Row, col: int, message: Message, rule: str) -> Problem:
        return Problem(self.display, row.line, col + 1, message, rule)


def handle_from_email(email: str) -> str:
    """``Jeanne.Dupont@example.com`` -> ``jeanne-dupont``: the local part, lowercased, accents dropped."""
    return as_handle(email.split("@", 1)[0])


def _missing_candidate(existing: Existing) -> bool:
    # Contractors and partners are not in an HR export; a file that does not load is left to `trombi validate`.
    return existing.data is not None and existing.data.get("kind", "employee") == "employee"
