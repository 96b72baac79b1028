"""``trombi check-pr`` and ``trombi codeowners``: who may change what, in CI and in CODEOWNERS."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from generator.problems import FORMATTERS, Problem, TrombiError, has_errors
from generator.settings import load_settings

CODEOWNERS = ".github/CODEOWNERS"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add_root: Callable[[argparse.ArgumentParser], None]) -> None:
    check = commands.add_parser(
        "check-pr",
        help="check that a pull request's author may change the files it changes",
        description="Compare HEAD with the merge-base of BASE and HEAD. A profile may be changed by its own person "
        "(contact.github in the base version), their manager or an admin; a group by its owners or an admin; skills.yaml, "
        "mkdocs.yml, generator/, hooks/ and .github/ by admins only (anyone when extra.trombi.admins is empty). Anyone may "
        "add a profile for themselves or a group they own; renaming or deleting a profile is for admins. A change made "
        "by someone else passes when one of the people who may make it approved the pull request (--approved-by). "
        "Exit code 1 when a change is not allowed.",
    )
    check.add_argument("--author", required=True, metavar="LOGIN", help="the pull request's author (GitHub login)")
    check.add_argument("--base", required=True, metavar="REF", help="the branch the pull request goes into, e.g. origin/main")
    check.add_argument(
        "--approved-by", action="append", default=[], metavar="LOGIN", help="a GitHub login that approved the pull request (repeat for several)"
    )
    check.add_argument("--format", choices=("text", "github"), default="text", help="text (default) or github annotations")
    add_root(check)
    check.set_defaults(run=run_check_pr)

    codeowners = commands.add_parser(
        "codeowners",
        help=f"write {CODEOWNERS}: group files to their owners, the configuration and code to admins",
        description=f"Generate {CODEOWNERS} from groups/*.yaml (owners' contact.github) and extra.trombi.admins. "
        "People's own files are checked by `trombi check-pr` instead. With --check, fail when the file is out of date.",
    )
    codeowners.add_argument("--check", action="store_true", help="fail if the file is out of date instead of writing it")
    add_root(codeowners)
    codeowners.set_defaults(run=run_codeowners)


def run_check_pr(args: argparse.Namespace) -> int:
    from generator.ownership import base_settings, check_pull_request, read_pull_request

    root: Path = args.root
    pull = read_pull_request(root, args.base)
    settings = base_settings(root, pull.base, load_settings(root))
    problems = check_pull_request(settings, pull, args.author, args.approved_by)
    if problems:
        print(FORMATTERS[args.format](problems))
    elif args.format == "text":
        message = settings.gettext("%(count)s changed file(s): every change is allowed for %(author)s.")
        print(message % {"count": len(pull.changes), "author": args.author})
    return 1 if has_errors(problems) else 0


def run_codeowners(args: argparse.Namespace) -> int:
    from generator.load import stems
    from generator.ownership import codeowners_text

    settings = load_settings(args.root)
    _ = settings.gettext

    def read(path: str) -> bytes | None:
        file = settings.root / path
        return file.read_bytes() if file.is_file() else None

    text = codeowners_text(settings, read, stems(settings.groups_path))
    target = settings.root / CODEOWNERS
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if args.check:
        if current != text:
            if current is None:
                message = _("missing: run `trombi codeowners`")
            else:
                message = _("out of date with groups/ and extra.trombi.admins: run `trombi codeowners`")
            raise TrombiError([Problem(CODEOWNERS, 1, 1, message, "codeowners")])
        print(_("%(path)s is up to date.") % {"path": CODEOWNERS})
        return 0
    if current == text:
        print(_("%(path)s is up to date.") % {"path": CODEOWNERS})
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(_("Wrote %(path)s") % {"path": CODEOWNERS})
    return 0

