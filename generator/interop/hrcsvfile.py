"""The HR system's export as Trombi reads it: the CSV file, and the mapping file that says which column holds each field HR owns."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from generator.directory.check import check_document
from generator.directory.load import load_file
from generator.directory.model import Slug
from generator.directory.safefs import atomic_write
from generator.problems import Message, Problem, TrombiError

MAX_CSV_BYTES = 64 * 1024 * 1024


HrField = Literal["name", "title", "team", "manager", "location", "joined", "email"]


class FieldMap(BaseModel):
    """The mapping file: which CSV column holds each field HR owns."""

    model_config = ConfigDict(strict=True, extra="forbid")

    handle_column: str | None = None
    handle_from_email: bool = False
    columns: dict[HrField, str]
    date_format: str = "%Y-%m-%d"
    teams: dict[str, Slug] = {}


def load_field_map(path: Path, display: str) -> FieldMap:
    document, problems = load_file(path, display)
    if document is None:
        raise TrombiError(problems)
    field_map, problems = check_document(document, FieldMap, "mapping")
    if field_map is None:
        raise TrombiError(problems)
    required = [name for name in ("name", "title") if name not in field_map.columns]
    if field_map.handle_from_email and "email" not in field_map.columns:
        required.append("email")
    if required:
        problems.append(document.problem(("columns",), Message("'columns' must name the column of {fields}", fields=", ".join(required)), "missing-field"))
    if (field_map.handle_column is None) == (not field_map.handle_from_email):
        problems.append(document.problem((), Message("give either 'handle_column' (the column of handles) or 'handle_from_email: true'"), "missing-field"))
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
