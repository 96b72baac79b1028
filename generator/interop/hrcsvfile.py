"""The HR system's export as Trombi reads it: the CSV file, and the mapping file that says which column holds each field HR owns."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.directory.check import check_document
from generator.directory.enrich import strip_accents
from generator.directory.load import load_file
from generator.directory.model import Slug
from generator.directory.safefs import atomic_write
from generator.problems import Message, Problem, TrombiError

MAX_CSV_BYTES = 64 * 1024 * 1024


HrField = Literal["name", "title", "team", "manager", "location", "joined", "email"]


class FieldMap(BaseModel):
    """The mapping file: which CSV column holds each field HR owns."""

    model_config = ConfigDict(strict=True, extra="forbid")

    handle_column: str | None = Field(None, description="The column of handles, used as they are.")
    handle_from_email: bool = Field(False, description="Make each handle from the email's local part: Jeanne.Dupont@acme.example gives jeanne-dupont.")
    handle_template: str | None = Field(
        None,
        description="Make each handle from columns: '{Prénom}.{Nom}' (a column's header between braces), '{email_local}' for the "
        "email's local part; accents dropped, lowercase, other characters '-'.",
    )
    columns: dict[HrField, str] = Field(description="The column of each field HR owns; name and title are required.")
    date_format: str | list[str] = Field("%Y-%m-%d", description="How joined is written, or a list of ways (Python strptime); YYYY-MM-DD is always accepted.")
    teams: dict[str, Slug] = Field({}, description="HR's team names that are not a team's slug or name, to the team's slug.")

    def template_columns(self) -> list[str]:
        """The columns ``handle_template`` names (not ``email_local``)."""
        return [name for name in re.findall(r"\{([^{}]+)\}", self.handle_template or "") if name != "email_local"]


def as_handle(text: str) -> str:
    """``Zoé.O'Brien`` -> ``zoe-o-brien``: lowercased, accents dropped, any other character ``-``, at most 40."""
    folded = strip_accents(text).lower()
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]", "-", folded)).strip("-")[:40].strip("-")


def map_schema() -> str:
    """The mapping file's JSON Schema (``schemas/hr-map.schema.json``), from the same model that reads it."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "hr-map.schema.json", **FieldMap.model_json_schema(mode="validation")}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def load_field_map(path: Path, display: str) -> FieldMap:
    document, problems = load_file(path, display)
    if document is None:
        raise TrombiError(problems)
    field_map, problems = check_document(document, FieldMap, "mapping")
    if field_map is None:
        raise TrombiError(problems)
    required = [name for name in ("name", "title") if name not in field_map.columns]
    if (field_map.handle_from_email or "{email_local}" in (field_map.handle_template or "")) and "email" not in field_map.columns:
        required.append("email")
    if required:
        problems.append(document.problem(("columns",), Message("'columns' must name the column of {fields}", fields=", ".join(required)), "missing-field"))
    ways = [field_map.handle_column is not None, field_map.handle_from_email, field_map.handle_template is not None]
    if sum(ways) != 1:
        message = Message("give one of 'handle_column' (the column of handles), 'handle_from_email: true' or 'handle_template' ('{{Prénom}}.{{Nom}}')")
        problems.append(document.problem((), message, "missing-field"))
    if field_map.handle_template is not None and not re.search(r"\{[^{}]+\}", field_map.handle_template):
        message = Message("'handle_template' names no column: write a column's header between braces, e.g. {example}", example="'{Prénom}.{Nom}'")
        problems.append(document.problem(("handle_template",), message, "value"))
    if problems:
        raise TrombiError(problems)
    return field_map


@dataclass(slots=True)
class CsvFile:
    """A CSV export as read: its header, its rows, and the separator it uses (``,`` or ``;``)."""

    header: list[str]
    rows: list[Row]
    delimiter: str


@dataclass(slots=True)
class Row:
    line: int  # where the row starts in the file (1-based, the header being line 1)
    cells: list[str]


def delimiter_of(header_line: str) -> str:
    """``;`` or ``,``: whichever the header uses more. Counting is steadier than csv.Sniffer, which guesses wrong on short files."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def write_refused(path: Path, header: list[str], rows: list[tuple[Row, str]], *, delimiter: str, reason_column: str) -> None:
    """The refused rows as the HR team can fix and send again: the export's own columns and separator, each row
    as it came, and a last column saying why. UTF-8 with a BOM, which spreadsheet programs read with its accents;
    written whole or not at all."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([*header, reason_column])
    for row, reason in rows:
        writer.writerow([*row.cells, reason])
    atomic_write(path, "\ufeff" + out.getvalue(), durable=False)


def read_csv(path: Path, display: str) -> tuple[CsvFile, list[Problem]]:
    """The rows of a UTF-8 CSV (with or without BOM), delimiter ``,`` or ``;``, with their line numbers."""
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            return CsvFile([], [], ","), [Problem(display, 1, 1, Message("file is larger than {size} MiB", size=MAX_CSV_BYTES // 2**20), "file-too-large")]
        raw = path.read_bytes()
    except OSError as error:
        return CsvFile([], [], ","), [Problem(display, 1, 1, Message("cannot read file: {reason}", reason=error.strerror), "file")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        message = Message("file is not UTF-8 (byte 0x{byte}); export it as 'CSV UTF-8'", byte=format(raw[error.start], "02x"))
        return CsvFile([], [], ","), [Problem(display, line, col, message, "encoding")]
    delimiter = delimiter_of(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    header: list[str] = []
    last_line = 0
    try:
        for cells in reader:
            start, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if not header:
                header = [cell.strip() for cell in cells]
            else:
                rows.append(Row(start, cells))
    except csv.Error as error:
        return CsvFile([], [], ","), [Problem(display, reader.line_num, 1, Message("invalid CSV: {error}", error=str(error)), "csv")]
    if not header:
        return CsvFile([], [], ","), [Problem(display, 1, 1, Message("the file is empty: it needs a header row and one row per person"), "csv")]
    return CsvFile(header, rows, delimiter), []


# What HR systems call each field, in French and English, folded (lowercase, no accent, no punctuation).
_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "handle": ("identifiant", "login", "handle", "username", "uid", "user id"),
    "name": ("nom complet", "full name", "display name", "nom et prenom", "prenom nom", "name", "nom"),
    "title": ("intitule du poste", "poste", "fonction", "job title", "title", "job", "role"),
    "team": ("equipe", "team", "service"),
    "manager": ("e mail du manager", "email du manager", "manager email", "manager", "responsable", "n 1", "supervisor"),
    "location": ("site", "location", "office", "bureau", "ville", "city"),
    "joined": ("date d entree", "date d arrivee", "date d embauche", "start date", "hire date", "joined"),
    "email": ("e mail", "email", "courriel", "adresse e mail", "work email", "mail"),
}
_DATE_GUESSES = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d")
_FIELD_NOTES = {
    "name": "required",
    "title": "required",
    "team": "a team's slug or name, or a key of teams: below",
    "manager": "the manager's handle or email address",
    "location": "the person's site",
    "joined": "the first day; date_format says how it is written",
    "email": "the work address",
}


def guess_map(csv_file: CsvFile) -> str:
    """A first mapping file for ``csv_file``, guessed from its header (and its dates from the first rows),
    commented for the person who corrects it: what is not found is left commented out."""
    folded = [as_handle(column).replace("-", " ") for column in csv_file.header]
    found: dict[str, str] = {}
    for name, words in _HEADER_WORDS.items():
        for word in words:  # the most precise words first: "nom complet" before "nom"
            matches = [column for column, key in zip(csv_file.header, folded, strict=True) if key == word and column not in found.values()]
            if matches:
                found[name] = matches[0]
                break
    lines = [
        "# yaml-language-server: $schema=schemas/hr-map.schema.json",
        "# Which column of the HR export holds each field HR owns: guessed from the export's header by",
        "# `trombi import csv --init`. Check every line, then run: trombi import csv EXPORT.csv --map THIS.yaml --dry-run",
    ]
    if "handle" in found:
        lines.append(f"handle_column: {_quoted(found['handle'])}  # the column of handles, used as they are")
    elif "email" in found:
        lines.append("handle_from_email: true  # Jeanne.Dupont@acme.example -> jeanne-dupont; or handle_column / handle_template")
    else:
        lines.append('handle_template: "{Prénom}.{Nom}"  # write the headers of the columns that make a handle, between braces')
    lines.append("columns:")
    for name, note in _FIELD_NOTES.items():
        if name in found:
            lines.append(f"  {name}: {_quoted(found[name])}  # {note}")
        else:
            lines.append(f"  # {name}: ...  # {note}: no column found for it")
    if "joined" in found:
        column = csv_file.header.index(found["joined"])
        cells = [row.cells[column].strip() for row in csv_file.rows[:200] if len(row.cells) > column and row.cells[column].strip()]
        fits = [form for form in _DATE_GUESSES if cells and all(_reads(cell, form) for cell in cells)]
        if len(fits) == 1:
            lines.append(f'date_format: "{fits[0]}"  # how the first rows write their dates')
        elif fits:
            lines.append(f'date_format: "{fits[0]}"  # the first rows read as {" or ".join(fits)}: keep the right one')
    lines.append("# teams: {Plateforme SRE: platform}  # HR's team names that are not a team's slug or name")
    return "\n".join(lines) + "\n"


def _reads(cell: str, form: str) -> bool:
    from datetime import datetime

    try:
        datetime.strptime(cell, form)
    except ValueError:
        return False
    return True


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML one, whatever the header holds
