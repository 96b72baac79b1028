"""A pull request read from git as data: its changes with their file modes, and both versions of its files.

This is the only place that talks to git for ``trombi check-pr``. It passes git no value from its
caller but object names resolved in-process, and it never reads the working tree: what is judged
is what was committed, and the rules come from the default branch, whatever ``--base`` says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.problems import Level, Message, Problem, TrombiError, some_of
from generator.review.logins import Reader
from generator.review.ownership import FileChange, PullRequest

DEFAULT_RULES = "origin/HEAD"


@dataclass(frozen=True, slots=True)
class Judged:
    """What :func:`read_pull_request` found: the pull request, and warnings about the tree it was read from."""

    pull: PullRequest
    warnings: tuple[Problem, ...]


def read_pull_request(root: Path, rules_from: str | None = None, base: str | None = None) -> Judged:
    """The changes between the merge-base of the default branch and HEAD, in the git repository holding ``root``.

    ``rules_from`` names the default branch (``origin/HEAD`` by default): its files are the base
    version, whose settings and logins decide. ``base``, when given, must be that same commit: a
    pull request into another branch is not judged, since that branch could say anything.
    Paths are relative to ``root``; files outside it keep their path in the repository.
    """
    import git

    rules_name = rules_from or DEFAULT_RULES
    for option, value in (("--rules-from", rules_name), ("--base", base)):
        if value is not None and (not value or value.startswith("-")):
            raise _error(Message("{option} '{value}' is not a revision: give a branch such as origin/main", option=option, value=value))
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise _error(Message("{folder} is not in a git repository", folder=root)) from None
    try:
        rules = _commit(repo, rules_name, "--rules-from" if rules_from else None)
        if base is not None and _commit(repo, base, "--base").hexsha != rules.hexsha:
            message = Message(
                "--base '{base}' is not the default branch ({rules}): check-pr judges pull requests into the default "
                "branch only, with its rules; retarget the pull request, or give the default branch to --base and --rules-from",
                base=base,
                rules=rules_name,
            )
            raise _error(message)
        head = repo.head.commit
        merge_bases = repo.merge_base(rules, head)
        if not merge_bases:
            raise _error(Message("'{rules}' and HEAD have no common history", rules=rules_name))
        start = merge_bases[0]
        top = Path(str(repo.working_tree_dir)).resolve()
        prefix = Path(root).resolve().relative_to(top).as_posix()
        prefix = "" if prefix == "." else prefix + "/"
        raw = repo.git.diff_tree("-r", "-z", "--raw", "-M", "--no-abbrev", start.hexsha, head.hexsha)
        changes = tuple(_changes(raw, prefix))
        pull = PullRequest(
            changes, _tree_reader(start.tree, prefix), _tree_reader(head.tree, prefix), _tree_reader(rules.tree, prefix), _tree_names(head.tree, prefix)
        )
        return Judged(pull, tuple(_dirty(repo)))
    finally:
        repo.close()


def _commit(repo: Any, name: str, option: str | None) -> Any:
    import git

    try:
        commit = repo.rev_parse(name)
        while commit.type == "tag":
            commit = commit.object
    except (git.BadName, ValueError, git.BadObject) as error:
        if option is None:
            message = Message(
                "cannot find the default branch '{name}' ({error}): give it with --rules-from (e.g. origin/main), "
                "or set it with `git remote set-head origin --auto`",
                name=name,
                error=str(error),
            )
        else:
            message = Message(
                "cannot find revision '{name}' for {option} ({error}): fetch it first (actions/checkout with fetch-depth: 0)",
                name=name,
                option=option,
                error=str(error),
            )
        raise _error(message) from None
    if commit.type != "commit":
        # git's own word for the object (tree, blob), which git's commands print too.
        raise _error(Message("'{name}' is a {kind}, not a commit", name=name, kind=commit.type))
    return commit


def _dirty(repo: Any) -> list[Problem]:
    # The verdict is about commits; a change left in the working tree is not in it and would mislead.
    changed = sorted({*(item.a_path for item in repo.index.diff(None)), *(item.a_path for item in repo.index.diff("HEAD")), *repo.untracked_files})
    if not changed:
        return []
    message = Message(
        "the working tree has uncommitted changes ({files}): check-pr judges the commits only; commit or stash them", files=some_of(changed)
    )
    return [Problem(".", 1, 1, message, "ownership", Level.WARNING)]


def _changes(raw: str, prefix: str) -> list[FileChange]:
    """Parse ``git diff-tree -z --raw``: ``:old_mode new_mode old new status`` then one path, or two for a rename."""
    fields = raw.split("\0")
    changes: list[FileChange] = []
    index = 0
    while index < len(fields) and fields[index].startswith(":"):
        old_mode, new_mode, _, _, status = fields[index][1:].split(" ")
        kind = status[0]
        if kind == "C":  # a copy (not asked for, but harmless to read) is a new file
            path, kind = fields[index + 2], "A"
            index += 3
            changes.append(FileChange(kind, _relative(path, prefix), None, 0, int(new_mode, 8)))
            continue
        if kind == "R":
            old_path, path = fields[index + 1], fields[index + 2]
            index += 3
        else:
            old_path, path = None, fields[index + 1]
            index += 2
        changes.append(
            FileChange(
                kind,
                _relative(path, prefix),
                _relative(old_path, prefix) if old_path is not None else None,
                int(old_mode, 8),
                int(new_mode, 8),
            )
        )
    return changes


def _relative(path: str, prefix: str) -> str:
    return path[len(prefix) :] if prefix and path.startswith(prefix) else path


def _tree_reader(tree: Any, prefix: str) -> Reader:
    def read(path: str) -> bytes | None:
        try:
            blob = tree / (prefix + path)
        except KeyError:
            return None
        # A symbolic link's blob is its target's name, never the target: only regular files are read.
        if blob.type != "blob" or blob.mode & 0o170000 != 0o100000:
            return None
        data: bytes = blob.data_stream.read()
        return data

    return read


def _tree_names(tree: Any, prefix: str) -> Callable[[str], list[str]]:
    def names(folder: str) -> list[str]:
        try:
            sub = tree / (prefix + folder)
        except KeyError:
            return []
        if sub.type != "tree":
            return []
        return [blob.name for blob in sub.blobs if blob.mode & 0o170000 == 0o100000]

    return names


def _error(message: Message) -> TrombiError:
    return TrombiError([Problem(".", 1, 1, message, "git")])
