"""``trombi import backstage|csv`` and ``trombi export backstage``: the commands of :mod:`generator.interop`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from generator.directory.settings import Settings, load_settings
from generator.problems import FORMATTERS, Message, Problem, TrombiError, counted, said

if TYPE_CHECKING:
    from generator.interop.yamlwrite import Plan


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add_root: Callable[[argparse.ArgumentParser], None]) -> None:
    importer = commands.add_parser(
        "import",
        help="bring people and groups in from Backstage or the HR system's CSV export",
        description="Update people/ and groups/ from another system. Only the fields that system owns are written; "
        "comments and everything people wrote themselves stay. Backstage: any error, nothing is written; CSV: row by row.",
    )
    sources = importer.add_subparsers(title="sources", dest="source", metavar="SOURCE", required=True)

    backstage = sources.add_parser(
        "backstage",
        help="import Backstage User and Group entities",
        description="Read Backstage User and Group entities (multi-document YAML) into people/ and groups/.",
    )
    backstage.add_argument("files", nargs="+", type=Path, metavar="FILE", help="Backstage catalog files (other kinds are skipped)")
    backstage.add_argument("--default-owner", metavar="HANDLE", help="owner of imported groups that need one and name none")
    _add_dry_run(backstage)
    add_root(backstage)
    backstage.set_defaults(run=_import_backstage)

    hr = sources.add_parser(
        "csv",
        help="import the HR system's CSV export (name, title, team, manager, location, joined, email)",
        description="Update the fields the HR system owns from its CSV export (UTF-8, ',' or ';'); MAP.yaml names the columns. "
        "Row by row: the valid rows are imported; the rows with an error are refused, reported, and written to a CSV "
        "to fix and send again (exit code 1).",
    )
    hr.add_argument("file", type=Path, metavar="FILE", help="the CSV export")
    hr.add_argument("--map", type=Path, metavar="MAP.yaml", help="which column holds each field, and the handle")
    hr.add_argument("--init", type=Path, metavar="MAP.yaml", help="write a first MAP.yaml guessed from the export's header, to correct; import nothing")
    hr.add_argument("--remove-missing", action="store_true", help="delete the profiles of employees absent from the file")
    hr.add_argument("--all-or-nothing", action="store_true", help="refuse the whole file when any row has an error: nothing is written")
    hr.add_argument("--refused", type=Path, metavar="FILE", help="where to write the refused rows (default: beside the export, NAME.refused.csv)")
    _add_dry_run(hr)
    add_root(hr)
    hr.set_defaults(run=_import_csv)

    exporter = commands.add_parser(
        "export",
        help="write the directory in a format other tools read",
        description="Write the directory's people and groups for another system; private contacts are never exported.",
    )
    targets = exporter.add_subparsers(title="formats", dest="format", metavar="FORMAT", required=True)
    to_backstage = targets.add_parser(
        "backstage",
        help="write OUT/org.yaml: Backstage User and Group entities",
        description="Write every group and listed person as Backstage entities into one multi-document file, OUT/org.yaml.",
    )
    to_backstage.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write org.yaml into")
    add_root(to_backstage)
    to_backstage.set_defaults(run=_export_backstage)


def _add_dry_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="show what would change as a unified diff, write nothing")


def _import_backstage(args: argparse.Namespace) -> int:
    from generator.interop.backstage import import_backstage

    settings = load_settings(args.root)
    return _apply(import_backstage(settings, args.files, default_owner=args.default_owner), settings, dry_run=args.dry_run)


def _import_csv(args: argparse.Namespace) -> int:
    from generator.interop.hrcsv import import_hr_csv
    from generator.interop.hrcsvfile import write_refused

    settings = load_settings(args.root)
    if args.init is not None:
        return _init_map(args.file, args.init, settings)
    if args.map is None:
        raise TrombiError([Problem("(arguments)", 1, 1, Message("give --map MAP.yaml, or --init MAP.yaml to write a first one"), "arguments")])
    plan = import_hr_csv(settings, args.file, args.map, remove_missing=args.remove_missing, all_or_nothing=args.all_or_nothing)
    words = settings.words
    if plan.errors:
        print(FORMATTERS["text"](plan.errors, words), file=sys.stderr)
    _apply(plan, settings, dry_run=args.dry_run)
    if not plan.refused:
        return 0
    count = len(plan.refused)
    if args.dry_run:
        print(counted("{count} row would be refused.", "{count} rows would be refused.", count, count=count).said(words), file=sys.stderr)
        return 1
    target = args.refused or args.file.with_name(f"{args.file.stem}.refused.csv")
    reason = Message("Refused because").said(words)
    rows = [(row, " ; ".join(said(p.message, words) for p in problems)) for row, problems in plan.refused]
    try:
        write_refused(target, plan.header, rows, delimiter=plan.delimiter, reason_column=reason)
    except OSError as error:
        message = Message("cannot write the refused rows to {path}: {reason}", path=target, reason=error.strerror or str(error))
        print(f"error: {message.said(words)}", file=sys.stderr)
        return 1
    message = counted(
        "{count} row refused, written to {path} with the reason: fix it there and import that file.",
        "{count} rows refused, written to {path} with the reasons: fix them there and import that file.",
        count,
        count=count,
        path=target,
    )
    print(message.said(words), file=sys.stderr)
    return 1


def _init_map(csv_path: Path, target: Path, settings: Settings) -> int:
    from generator.directory.safefs import atomic_write
    from generator.interop.hrcsvfile import guess_map, read_csv

    csv_file, problems = read_csv(csv_path, settings.display(csv_path))
    if problems:
        raise TrombiError(problems)
    try:
        atomic_write(target, guess_map(csv_file), exclusive=True)
    except FileExistsError:
        raise TrombiError(
            [Problem(str(target), 1, 1, Message("{path} exists: it is not replaced; remove it or name another file", path=target), "file")]
        ) from None
    print(Message("Wrote {path}: check each line, then import with --map {path} --dry-run", path=target).said(settings.words))
    return 0


def _apply(plan: Plan, settings: Settings, *, dry_run: bool) -> int:
    from generator.interop.yamlwrite import apply_changes

    words = settings.words
    if plan.warnings:
        print(FORMATTERS["text"](plan.warnings, words), file=sys.stderr)
    if dry_run:
        for change in plan.changes:
            sys.stdout.write(change.diff())
        print(Message("Dry run: {summary}; nothing written.", summary=plan.summary()).said(words))
        return 0
    apply_changes(plan.changes)
    summary = plan.summary().said(words)
    print(summary[:1].upper() + summary[1:] + ".")
    return 0


def _export_backstage(args: argparse.Namespace) -> int:
    from generator.cli.main import warn_in
    from generator.directory.enrich import enrich
    from generator.directory.validate import valid_directory
    from generator.interop.backstageexport import export_backstage

    settings = load_settings(args.root)
    text = export_backstage(enrich(valid_directory(settings, warn=warn_in(settings.words))))
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / "org.yaml"
    target.write_text(text, encoding="utf-8")
    print(Message("Wrote {path}", path=target).said(settings.words))
    return 0
