"""``trombi check-pr`` and ``trombi codeowners``: who may change what, in CI and in CODEOWNERS."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from generator.directory.safefs import check_path, read_bytes
from generator.directory.settings import load_settings
from generator.problems import FORMATTERS, Message, Problem, TrombiError, counted, has_errors
from generator.review.platforms import PLATFORMS, Platform


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add_root: Callable[[argparse.ArgumentParser], None]) -> None:
    check = commands.add_parser(
        "check-pr",
        help="check that a pull request's author may change the files it changes",
        description="Compare HEAD with its merge-base with the default branch, whose mkdocs.yml and profiles decide (the "
        "pull request's own never do). Default-deny: a profile may be changed by its own person (contact.github, or "
        "contact.gitlab, in the base version), their manager or an admin; a photo by the people whose profile uses it; a "
        "group by its owners; anyone may add a profile for themselves or a group they own. Every other path, new or "
        "changed, needs an admin (extra.trombi.admins). Symbolic links, submodules, changes of type or mode and files "
        "outside the layout of people/, groups/ and photos/ are refused outright. A change made by someone else passes "
        "when one of the people who may make it approved it. Exit code 1 when a change is not allowed.",
    )
    check.add_argument("--author", metavar="LOGIN", help="the pull request's author (with --platform gitlab, read from GitLab's API when omitted)")
    check.add_argument(
        "--rules-from",
        metavar="REF",
        help="the default branch, whose settings and profiles decide (default: origin/HEAD); in CI, the default branch by name, e.g. origin/main",
    )
    check.add_argument("--base", metavar="REF", help="the branch the pull request goes into: refused unless it is the default branch (--rules-from)")
    check.add_argument("--approved-by", action="append", default=[], metavar="LOGIN", help="a login that approved the pull request (repeat for several)")
    check.add_argument(
        "--platform",
        choices=sorted(PLATFORMS),
        default="github",
        help="whose logins: github (contact.github, the default) or gitlab (contact.gitlab; without --author, the merge request's "
        "author and approvals come from GitLab's API, as a GitLab CI job sees it)",
    )
    check.add_argument("--format", choices=("text", "github"), default="text", help="text (default) or github annotations")
    add_root(check)
    check.set_defaults(run=run_check_pr)

    codeowners = commands.add_parser(
        "codeowners",
        help="write CODEOWNERS: everything to the admins but people/, photos/ (checked by check-pr) and groups (their owners)",
        description="Generate .github/CODEOWNERS (or .gitlab/CODEOWNERS with --platform gitlab) from groups/*.yaml (owners' "
        "logins) and extra.trombi.admins. A login the platform could not have issued is refused. With --check, fail when "
        "the file is out of date.",
    )
    codeowners.add_argument("--check", action="store_true", help="fail if the file is out of date instead of writing it")
    codeowners.add_argument("--platform", choices=sorted(PLATFORMS), default="github", help="github (default) or gitlab")
    add_root(codeowners)
    codeowners.set_defaults(run=run_codeowners)


def run_check_pr(args: argparse.Namespace) -> int:
    from generator.review.ownership import check_pull_request, default_branch_settings
    from generator.review.platforms import gitlab_merge_request
    from generator.review.pulls import read_pull_request

    root: Path = args.root
    platform: Platform = PLATFORMS[args.platform]
    author, approved_by = args.author, list(args.approved_by)
    if author is None and platform.contact == "gitlab":
        merge_request = gitlab_merge_request()
        author, approved_by = merge_request.author, [*approved_by, *merge_request.approved_by]
    if not author:
        message = Message("--author is required: the pull request's author (in GitHub Actions, github.event.pull_request.user.login)")
        raise TrombiError([Problem(".", 1, 1, message, "git")])
    judged = read_pull_request(root, args.rules_from, args.base)
    pull = judged.pull
    settings = default_branch_settings(root, pull.rules or pull.base)
    problems = [*judged.warnings, *check_pull_request(settings, pull, author, approved_by, platform)]
    if problems:
        print(FORMATTERS[args.format](problems, settings.words))
    if not has_errors(problems) and args.format == "text":
        count = len(pull.changes)
        allowed = counted(
            "{count} changed file: every change is allowed for {author}.",
            "{count} changed files: every change is allowed for {author}.",
            count,
            count=count,
            author=author,
        )
        print(allowed.said(settings.words))
    return 1 if has_errors(problems) else 0


def run_codeowners(args: argparse.Namespace) -> int:
    from generator.directory.load import stems
    from generator.review.codeowners import FILES, codeowners_text

    settings = load_settings(args.root)
    words = settings.words
    root = Path(settings.root)
    text = codeowners_text(settings, lambda path: _read_regular(root, path), stems(settings.groups_path), PLATFORMS[args.platform])
    name = FILES[args.platform]
    target = root / name
    current = _read_regular(root, name)
    if args.check:
        if current != text.encode("utf-8"):
            if current is None:
                message = Message("missing: run `trombi codeowners`")
            else:
                message = Message("out of date with groups/ and extra.trombi.admins: run `trombi codeowners`")
            raise TrombiError([Problem(name, 1, 1, message, "codeowners")])
        print(Message("{path} is up to date.", path=name).said(words))
        return 0
    if current == text.encode("utf-8"):
        print(Message("{path} is up to date.", path=name).said(words))
        return 0
    if target.is_symlink():
        message = Message("is a symbolic link: remove it, and `trombi codeowners` writes the file itself")
        raise TrombiError([Problem(name, 1, 1, message, "codeowners")])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(Message("Wrote {path}", path=name).said(words))
    return 0


def _read_regular(root: Path, relative: str) -> bytes | None:
    """A regular file's bytes, reached from ``root`` through no symbolic link; None for anything else."""
    if ".." in Path(relative).parts or check_path(root, relative, relative):
        return None
    try:
        return read_bytes(root / relative)
    except OSError:  # missing, a folder, a link or a special file (NotAFile)
        return None
