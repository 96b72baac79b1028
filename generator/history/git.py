"""The directory's life from git: when each file last changed and by whom, and what happened.

The only module that talks to git. One ``git log`` with fixed arguments gives every file's last
change; the contents needed to tell what changed (a new skill, a new title...) come from one
``git cat-file --batch`` process for the commits of the recent window. The same process reads every
older version of the people's files for their team and manager only (:class:`Tenure`: who was
whose manager, who worked in which team when), from the same walk of the log. No value from the
directory is ever passed to git. (Which of the directory's files are, on disk, what git's index
says, a build asks through :mod:`generator.directory.gitindex`, before any history is read.)
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from generator.directory.load import MAX_FILE_BYTES, parse_bytes
from generator.directory.model import LEVELS, Group, Person
from generator.directory.settings import Settings
from generator.parallel import InChild, cores
from generator.problems import Message

log = logging.getLogger(__name__)

_RECORD = "\x1e"
_FIELD = "\x1f"
_NULL_SHA = "0" * 40
_RANK = {level: rank for rank, level in enumerate(LEVELS)}
BULK_LIMIT = 20
CACHE_FILE = "history.json"
# 2: the author's address of each last change; 3: of each event; 4: each person's tenures; 5: each
# last change as the number of its commit, in a table of the commits
_CACHE_VERSION = 5
_SHA = re.compile(r"[0-9a-f]{40}")
_BATCH = 5_000  # blobs read by one git cat-file: what it holds in memory at once stays small
_CREATIONS = {"joined": "people", "group-created": "groups", "skill-added": "skills"}
# Versions of profiles from which a child reads them for the tenures (_read): a git of its own,
# since a persistent ``git cat-file`` cannot be shared with the process that forked it.
TENURES_APART_FROM = 10_000


@dataclass(frozen=True, slots=True)
class Change:
    """The last change of a file."""

    when: datetime
    author: str
    commit: str
    email: str = ""  # the author's address, to tell who they are (history.editors); never shown


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened in the directory, found by comparing a file between commits."""

    when: datetime
    kind: str  # joined, left, title, team, skill, level, group-joined, group-created, group-closed, skill-added, import
    subject: str  # a handle, a group slug or a skill name
    data: dict[str, str]
    commit: str
    author: str
    email: str = ""  # the author's address, to tell who they are (history.editors); never shown

    @property
    def key(self) -> str:
        """Stable identity, for feed entry ids."""
        detail = "/".join(f"{k}={v}" for k, v in sorted(self.data.items()))
        return f"{self.commit}/{self.kind}/{self.subject}/{detail}"


@dataclass(frozen=True, slots=True)
class Tenure:
    """A stretch of a person's file with the same ``team`` and ``manager`` (``""`` for none), from
    ``since`` until the person's next tenure, or until now for their last one. A person who left
    has a last tenure with neither."""

    since: datetime
    team: str
    manager: str


@dataclass
class History:
    """What git says about the directory; empty (with notes) outside a repository."""

    changes: dict[str, Change] = field(default_factory=dict)
    first_seen: dict[str, datetime] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # each a Message, said in the site's language
    shallow: bool = False
    # Handle (as today) -> their tenures, oldest first: the teams and managers of a person's file over its history.
    tenures: dict[str, list[Tenure]] = field(default_factory=dict)

    def last_change(self, path: str) -> Change | None:
        return self.changes.get(path)


def read_history(settings: Settings, *, days: int = 90, now: datetime | None = None, cache_dir: Path | None = None) -> History:
    """Read the repository holding ``settings.root``; never fails on a missing or shallow one.

    With ``cache_dir``, the result is kept there (``history.json``) and the next read only looks at
    the commits made since, as long as they descend from the cached one.
    """
    try:
        import git
    except ImportError:  # pragma: no cover - gitpython is a dependency
        return History(notes=[Message("GitPython is not installed: no history")])
    try:
        repo = git.Repo(settings.root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return History(notes=[Message("not a git repository: pages show no update dates and no news")])
    try:
        return _read(repo, settings, days=days, now=now or datetime.now(UTC), cache_dir=cache_dir)
    except git.GitCommandError as error:
        return History(notes=[Message("git history unavailable ({status}): pages show no update dates and no news", status=error.status)])
    finally:
        repo.close()


def _read(repo: Any, settings: Settings, *, days: int, now: datetime, cache_dir: Path | None) -> History:
    history = History()
    if not repo.head.is_valid():
        history.notes.append(Message("the repository has no commits yet: no history"))
        return history
    history.shallow = repo.git.rev_parse("--is-shallow-repository").strip() == "true"
    grafted: set[str] = set()
    if history.shallow:
        # The oldest fetched commits seem to add every file: their "events" are not real.
        shallow_file = Path(repo.git_dir) / "shallow"
        grafted = set(shallow_file.read_text(encoding="ascii").split()) if shallow_file.is_file() else set()
        history.notes.append(
            Message(
                "shallow clone: history before the oldest fetched commit is unknown, so dates and news may be wrong; clone with full history (fetch-depth: 0)"
            )
        )
    top = Path(repo.working_tree_dir).resolve()
    base = settings.root.resolve().relative_to(top).as_posix()
    prefix = "" if base == "." else f"{base}/"
    folders = (f"{prefix}{settings.people_dir}/", f"{prefix}{settings.groups_dir}/")
    skills = f"{prefix}{settings.skills_file}"
    since = now - timedelta(days=days)
    head = repo.head.commit.hexsha
    key = {"version": _CACHE_VERSION, "prefix": prefix, "paths": [*folders, skills]}
    cache_file = cache_dir / CACHE_FILE if cache_dir is not None and not history.shallow else None
    cached = _load_cache(repo, cache_file, key, since) if cache_file is not None else None
    if cached is not None and cached["head"] == head:
        _merge_cache(history, cached, {}, since, settings.people_dir)
        return history
    recent: list[tuple[_Commit, list[_FileChange]]] = []
    renamed_to: dict[str, str] = {}  # an older name -> the name the file has now
    versions: list[tuple[datetime, str, _FileChange]] = []  # every version of a person's file, newest first, under its name of now
    # At the repository's root, no pathspec: with one, git also compares every commit with its
    # parent to select it, which nearly tripled the pass on 10,000 people (benchmarks/history.py);
    # the few other files (code, docs) are dropped here. In a subfolder of a bigger repository,
    # the subfolder is the pathspec, so unrelated history stays out.
    for commit, all_files in _log(repo, [prefix] if prefix else [], after=cached["head"] if cached else None):
        files = [change for change in all_files if change.path.startswith(folders) or change.path == skills]
        if not files:
            continue
        for change in files:
            path = change.path[len(prefix) :]
            current = renamed_to.get(path, path)
            history.changes.setdefault(current, Change(commit.when, commit.author, commit.sha, commit.email))
            if change.path.startswith(folders[0]) and commit.sha not in grafted:
                versions.append((commit.when, current, change))
            if change.status == "R":
                renamed_to[change.old_path[len(prefix) :]] = current
            elif change.status == "A":
                history.first_seen[current] = commit.when  # oldest wins: the log is newest first
        if commit.when >= since and commit.sha not in grafted:
            recent.append((commit, files))
    # Every version of every profile read for the tenures (150,000 at 100,000 people with a year of
    # history, 6.7 s) by a forked child while this process reads the window's for the events (7.7 s):
    # after the log, one core was left idle for both, one after the other.
    apart = len(versions) >= TENURES_APART_FROM
    blobs = _Blobs(repo)
    tenures = InChild(lambda: _tenures(_Blobs(type(repo)(repo.git_dir)) if apart else blobs, versions, settings), apart=apart)
    try:
        history.events = _events(blobs, recent, prefix, settings)
        history.tenures = tenures.result()
    finally:
        tenures.stop()
    if cached is not None:
        _merge_cache(history, cached, renamed_to, since, settings.people_dir)
    _rename_tenures(history, renamed_to, settings)
    history.events.sort(key=lambda event: (event.when, event.key), reverse=True)
    if cache_file is not None:
        _save_cache(cache_file, history, key, head, since)
    return history


@dataclass(frozen=True, slots=True)
class _Commit:
    sha: str
    when: datetime
    author: str
    email: str


@dataclass(frozen=True, slots=True)
class _FileChange:
    status: str
    old_blob: str
    new_blob: str
    path: str
    old_path: str


def _log(repo: Any, paths: list[str], *, after: str | None = None) -> Iterator[tuple[_Commit, list[_FileChange]]]:
    """Every first-parent commit (touching ``paths`` if any), newest first, with its raw file changes.

    ``-m --first-parent`` shows a merge as the change it brought to the main line, dated when it
    landed; ``-z`` keeps any file name intact. ``after``: only the commits since that one (a
    commit id from the cache, checked to be one).

    Comparing each commit with its parent is git's work, one core's: at 100,000 people with a year
    of history (50,000 commits), 5 minutes of a build from a fresh clone, each commit's folder of
    100,000 profiles read and compared whole. From :data:`SPLIT_LOG_FROM` commits on, the main line
    is cut into an even number of pieces of at most :data:`PIECE_COMMITS` commits, logged two at a time
    (one process each, one a core): the newest piece (``cut..HEAD``), then each older one (from
    its cut back to the next), end to end the same commits in the same order as one log.

    A log process grows with the commits it walks (1.3 GiB for 25,000 of them at 100,000 people,
    the two halves of such a log were as much as the build's render), and gives it all back when
    it ends: pieces hold a log's memory to what a piece walks.
    """
    since = [f"^{after}"] if after else []
    pieces: list[list[str]] = [[*since, "HEAD"]]
    if cores() >= 2:
        line = repo.git.rev_list("--first-parent", *since, "HEAD").split()
        if len(line) >= SPLIT_LOG_FROM:
            count = 2 * max(1, -(-len(line) // (2 * PIECE_COMMITS)))  # even: no piece logged alone at the end
            cuts = [line[len(line) * number // count] for number in range(1, count)]
            pieces = [[f"^{cut}", newer] for newer, cut in zip(["HEAD", *cuts], cuts, strict=False)] + [[*since, cuts[-1]]]
    with ThreadPoolExecutor(min(2, len(pieces)), thread_name_prefix="trombi-git-log") as pool:
        outputs = list(pool.map(lambda revisions: _log_text(repo, revisions, paths), pieces))
    for output in outputs:
        yield from _commits(output)


SPLIT_LOG_FROM = 2_000  # commits of the main line; below, one log takes a second or two
PIECE_COMMITS = 10_000  # the most commits one log process walks (its memory grows with them)


# Reading a commit's folder of profiles means undoing the deltas its tree is stored as, from the
# nearest version git still holds: with git's default (96 MiB), five such versions of a folder of
# 100,000 profiles at most. At 100,000 people with a year of history, a log of 2,000 commits took
# 10.5 to 11.1 s with it, 9.3 to 9.6 s with 256 MiB (and 24.8 s with 16 MiB), for 165 MiB more in
# each log process (whose pieces keep it to what they walk: see _log). Set through git's
# environment (git 2.31 and later; older ones ignore it), not its command line: the pieces of the
# log, two at a time, share one GitPython object.
LOG_CONFIG = ("core.deltaBaseCacheLimit", "256m")


def _log_environment() -> dict[str, str]:
    """What git's environment adds for the log: :data:`LOG_CONFIG` after the settings it holds already
    (a CI system may set ``safe.directory`` there), which stay as they are."""
    try:
        count = int(os.environ.get("GIT_CONFIG_COUNT", "0"))
    except ValueError:
        return {}  # not git's to read, nor ours to fix
    key, value = LOG_CONFIG
    return {"GIT_CONFIG_COUNT": str(count + 1), f"GIT_CONFIG_KEY_{count}": key, f"GIT_CONFIG_VALUE_{count}": value}


def _log_text(repo: Any, revisions: list[str], paths: list[str]) -> str:
    """``git log`` of ``revisions`` (commit ids, ``^`` before those left out), as :func:`_log` reads it."""
    return str(
        repo.git.log(
            "--first-parent",
            "-m",
            "--raw",
            "--no-abbrev",
            "-M",
            "-z",
            f"--format={_RECORD}%H{_FIELD}%ct{_FIELD}%an{_FIELD}%ae",
            *revisions,
            "--",
            *paths,
            env=_log_environment(),
        )
    )


def _commits(output: str) -> Iterator[tuple[_Commit, list[_FileChange]]]:
    for record in output.split(_RECORD)[1:]:
        # With -z the header ends with NUL (or a newline before raw lines, depending on git).
        cut = min((i for i in (record.find("\n"), record.find("\x00")) if i >= 0), default=len(record))
        header, body = record[:cut], record[cut + 1 :]
        sha, timestamp, names = header.split(_FIELD, 2)
        author, _, email = names.rpartition(_FIELD)  # whatever an author's name holds, the address is last
        commit = _Commit(sha, datetime.fromtimestamp(int(timestamp), UTC), author, email)
        yield commit, list(_raw_changes(body))


def _raw_changes(body: str) -> Iterator[_FileChange]:
    parts = body.strip("\x00\n").split("\x00")
    index = 0
    while index + 1 < len(parts):
        meta = parts[index].lstrip("\n").split(" ")
        if len(meta) < 5:
            index += 1
            continue
        status = meta[4][:1]
        if status in ("R", "C"):  # a rename or copy names the old path, then the new one
            yield _FileChange(status, meta[2], meta[3], parts[index + 2], parts[index + 1])
            index += 3
        else:
            yield _FileChange(status, meta[2], meta[3], parts[index + 1], parts[index + 1])
            index += 2


def _events(reader: _Blobs, recent: list[tuple[_Commit, list[_FileChange]]], prefix: str, settings: Settings) -> list[Event]:
    people = f"{prefix}{settings.people_dir}/"
    groups = f"{prefix}{settings.groups_dir}/"
    skills = f"{prefix}{settings.skills_file}"
    events: list[Event] = []
    for commit, files in recent:
        found: list[Event] = []
        for change in files:
            old = reader.data(change.old_blob)
            new = reader.data(change.new_blob)
            name = change.path.rsplit("/", 1)[-1].removesuffix(".yaml")  # after a rename: the new name
            if change.path.startswith(people):
                found += _person_events(commit, name, _model(old, Person), _model(new, Person))
            elif change.path.startswith(groups):
                found += _group_events(commit, name, _model(old, Group), _model(new, Group))
            elif change.path == skills:
                found += _taxonomy_events(commit, old, new)
        events += _fold_bulk(commit, found)
    return events


def _tenures(reader: _Blobs, versions: list[tuple[datetime, str, _FileChange]], settings: Settings) -> dict[str, list[Tenure]]:
    """Each person's tenures from the versions of their file (newest first, as the log gives them).

    Only the team and the manager of each version are read (:meth:`_Blobs.team_and_manager`);
    a version that says the same as the one before adds nothing. A deleted file ends with an
    empty tenure; a version that is not a valid profile counts as saying nothing new.
    """
    tenures: dict[str, list[Tenure]] = {}
    folder = f"{settings.people_dir}/"
    reader.prefetch([change.new_blob for _, _, change in versions if change.status != "D"])
    for when, path, change in reversed(versions):
        handle = path[len(folder) :].removesuffix(".yaml") if path.startswith(folder) and path.endswith(".yaml") else ""
        if not handle or "/" in handle:
            continue
        found = ("", "") if change.status == "D" else reader.team_and_manager(change.new_blob)
        if found is None:
            continue
        _extend(tenures.setdefault(handle, []), Tenure(when, *found))
    return tenures


def _extend(tenures: list[Tenure], tenure: Tenure) -> None:
    """Add ``tenure`` after the others, unless it says what the last one says (or is not later)."""
    if tenures and ((tenures[-1].team, tenures[-1].manager) == (tenure.team, tenure.manager) or tenure.since < tenures[-1].since):
        return
    tenures.append(tenure)


def _rename_tenures(history: History, renamed_to: dict[str, str], settings: Settings) -> None:
    """Teams and managers named as they are named today: a renamed profile or group is the same one."""
    if not renamed_to:
        return
    people, groups = f"{settings.people_dir}/", f"{settings.groups_dir}/"

    def now_named(folder: str, name: str) -> str:
        if not name:
            return name
        path = renamed_to.get(f"{folder}{name}.yaml")
        return path[len(folder) : -len(".yaml")] if path and path.startswith(folder) and path.endswith(".yaml") else name

    for handle, tenures in history.tenures.items():
        renamed: list[Tenure] = []
        for tenure in tenures:
            _extend(renamed, Tenure(tenure.since, now_named(groups, tenure.team), now_named(people, tenure.manager)))
        history.tenures[handle] = renamed


def _fold_bulk(commit: _Commit, found: list[Event]) -> list[Event]:
    """A commit creating more than BULK_LIMIT people, groups or skills is an import, told once.

    An initial import or an HR sync would otherwise bury the page under hundreds of "X joined".
    """
    created = [event for event in found if event.kind in _CREATIONS]
    if len(created) <= BULK_LIMIT:
        return found
    counts = {_CREATIONS[kind]: str(sum(1 for event in created if event.kind == kind)) for kind in _CREATIONS}
    bulk = Event(commit.when, "import", commit.sha[:12], counts, commit.sha, commit.author, commit.email)
    return [bulk, *(event for event in found if event.kind not in _CREATIONS)]


def _person_events(commit: _Commit, handle: str, old: Person | None, new: Person | None) -> list[Event]:
    def event(kind: str, **data: str) -> Event:
        return Event(commit.when, kind, handle, data, commit.sha, commit.author, commit.email)

    if new is None and old is None:
        return []
    if old is None:
        assert new is not None
        return [event("joined", name=new.name, title=new.title, team=new.team or "")]
    if new is None:
        return [event("left", name=old.name)]
    found = []
    if new.title != old.title:
        found.append(event("title", name=new.name, old=old.title, new=new.title))
    if new.team != old.team and new.team:
        found.append(event("team", name=new.name, old=old.team or "", new=new.team))
    before = {entry.name.casefold(): entry.level for entry in old.skills}
    for entry in new.skills:
        previous = before.get(entry.name.casefold())
        if previous is None:
            found.append(event("skill", name=new.name, skill=entry.name, level=entry.level))
        elif _RANK[entry.level] > _RANK[previous]:
            found.append(event("level", name=new.name, skill=entry.name, old=previous, level=entry.level))
    for slug in new.groups:
        if slug not in old.groups:
            found.append(event("group-joined", name=new.name, group=slug))
    return found


def _group_events(commit: _Commit, slug: str, old: Group | None, new: Group | None) -> list[Event]:
    def event(kind: str, subject: str = slug, **data: str) -> Event:
        return Event(commit.when, kind, subject, data, commit.sha, commit.author, commit.email)

    if old is None and new is not None:
        return [event("group-created", group=slug, name=new.name, type=new.type)]
    if new is None and old is not None:
        return [event("group-closed", group=slug, name=old.name)]
    if old is None or new is None:
        return []
    return [event("group-joined", subject=handle, group=slug) for handle in new.members if handle not in old.members]


def _taxonomy_events(commit: _Commit, old: Any, new: Any) -> list[Event]:
    if not isinstance(new, dict):
        return []
    before = set(old) if isinstance(old, dict) else set()
    return [
        Event(
            commit.when, "skill-added", name, {"skill": name, "category": str((new[name] or {}).get("category", ""))}, commit.sha, commit.author, commit.email
        )
        for name in new
        if name not in before and isinstance(new[name], dict)
    ]


def _model(data: Any, model: type[Person] | type[Group]) -> Any:
    """A model of an old or new version of a file; versions that were invalid count as absent."""
    if not isinstance(data, dict):
        return None
    try:
        return model.model_validate(data)
    except ValueError:
        return None


class _Blobs:
    """File contents by blob id, through one persistent ``git cat-file --batch``."""

    def __init__(self, repo: Any) -> None:
        self.repo = repo
        self.cache: dict[str, Any] = {}
        self.fetched: dict[str, bytes] = {}  # read ahead by prefetch(), each handed out once

    def data(self, sha: str) -> Any:
        if sha == _NULL_SHA:
            return None
        if sha not in self.cache:
            document, _ = parse_bytes(self.raw(sha), sha)
            self.cache[sha] = document.data if document is not None else None
        return self.cache[sha]

    def raw(self, sha: str) -> bytes:
        if sha in self.fetched:
            return self.fetched.pop(sha)
        _, _, _, raw = self.repo.git.get_object_data(sha)
        return bytes(raw)

    def prefetch(self, shas: list[str]) -> None:
        """Read many blobs at once: a ``git cat-file --batch`` given them all answers some ten times faster than one at a time."""
        wanted = list(dict.fromkeys(sha for sha in shas if sha != _NULL_SHA and _SHA.fullmatch(sha)))
        for start in range(0, len(wanted), _BATCH):
            chunk = wanted[start : start + _BATCH]
            output = subprocess.run(
                ["git", "--git-dir", str(self.repo.git_dir), "cat-file", "--batch"],
                input="\n".join(chunk).encode("ascii") + b"\n",
                capture_output=True,
                check=True,
            ).stdout
            at = 0
            for sha in chunk:
                end = output.index(b"\n", at)
                header = output[at:end].split(b" ")
                at = end + 1
                if len(header) == 3 and header[1] == b"blob":
                    size = int(header[2])
                    self.fetched[sha] = output[at : at + size]
                    at += size + 1

    def team_and_manager(self, sha: str) -> tuple[str, str] | None:
        """A profile's team and manager (``""`` for none); None if the version is not a valid profile.

        Every version of every profile is read, so a plain file (keys at the line start, values
        plain handles) is read by two patterns, without the other fields' checks; any other shape
        goes through the YAML parser and the model, as the events do.
        """
        if sha == _NULL_SHA:
            return None
        if sha in self.cache:
            return _team_and_manager(self.cache[sha])
        raw = self.raw(sha)
        if len(raw) <= MAX_FILE_BYTES and not _UNUSUAL_LINE.search(raw):
            found = {key.decode(): (plain or quoted).decode() for key, plain, quoted in _PLAIN_VALUE.findall(raw)}
            if len(found) == len(_ASSIGNED.findall(raw)):  # every team or manager line read, none twice
                return found.get("team", ""), found.get("manager", "")
        document, _ = parse_bytes(raw, sha)
        self.cache[sha] = document.data if document is not None else None
        return _team_and_manager(self.cache[sha])


# A line at the start that is not a comment, a plain key or a list item: a shape only the parser reads right.
_UNUSUAL_LINE = re.compile(rb"^(?![a-z_]+[ \t]*:(?:[ \t]|\r?$)|[ \t#]|- |-\r?$|\r?$)", re.M)
_HANDLE = re.compile(r"[a-z0-9][a-z0-9-]*")
_ASSIGNED = re.compile(rb"^(?:team|manager)[ \t]*:", re.M)
_PLAIN_VALUE = re.compile(rb"^(team|manager)[ \t]*:[ \t]*(?:([a-z0-9][a-z0-9-]*)|\"([a-z0-9][a-z0-9-]*)\")[ \t]*(?:#[^\n]*)?\r?$", re.M)


def _team_and_manager(data: Any) -> tuple[str, str] | None:
    """What a parsed version says of its team and manager, as the plain patterns would read it (not through the whole model)."""
    if not isinstance(data, dict):
        return None
    values = [data.get(key) for key in ("team", "manager")]
    if not all(value is None or (isinstance(value, str) and _HANDLE.fullmatch(value)) for value in values):
        return None
    return values[0] or "", values[1] or ""


def _load_cache(repo: Any, path: Path, key: dict[str, Any], since: datetime) -> dict[str, Any] | None:
    """The cached history, if it is for these paths, covers the window and HEAD descends from it."""
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or cached.get("key") != key or cached.get("since", float("inf")) > since.timestamp():
        return None
    head = cached.get("head")
    if not isinstance(head, str) or not _SHA.fullmatch(head):
        return None
    commits, changes = cached.get("commits"), cached.get("changes")
    if not isinstance(commits, list) or not isinstance(changes, dict):
        return None
    if not all(type(c) is list and len(c) == 4 and type(c[0]) in (int, float) and all(type(v) is str for v in c[1:]) for c in commits):
        return None
    if not all(type(n) is int and 0 <= n < len(commits) for n in changes.values()):
        return None
    from git import GitCommandError

    try:
        repo.git.merge_base("--is-ancestor", head, "HEAD")  # fails after a rewritten history
    except GitCommandError:
        return None
    return cached


def _merge_cache(history: History, cached: dict[str, Any], renamed_to: dict[str, str], since: datetime, people_dir: str) -> None:
    """Add what the cache knows, under today's names, to what the newer commits said."""
    # One last change a commit, shared by the files it changed last (113,000 files, a few commits at most merges).
    made = [Change(_time(when), author, sha, email) for when, author, sha, email in cached["commits"]]
    for path, number in cached["changes"].items():
        history.changes.setdefault(renamed_to.get(path, path), made[number])
    times: dict[float, datetime] = {}  # one moment each, however many files were added then
    for path, when in cached["first_seen"].items():
        moment = times.get(when)
        if moment is None:
            moment = times[when] = _time(when)
        history.first_seen[renamed_to.get(path, path)] = moment  # older than any newer addition
    for when, kind, subject, data, sha, author, email in cached["events"]:
        if when >= since.timestamp():
            history.events.append(Event(_time(when), kind, subject, data, sha, author, email))
    newer, history.tenures = history.tenures, {}
    folder = f"{people_dir}/"
    for cached_handle, rows in cached["tenures"].items():
        path = renamed_to.get(f"{folder}{cached_handle}.yaml", f"{folder}{cached_handle}.yaml")
        handle = path[len(folder) : -len(".yaml")]
        tenures = history.tenures.setdefault(handle, [])
        for when, team, manager in rows:
            _extend(tenures, Tenure(_time(when), team, manager))
    for handle, tenures in newer.items():  # the newer commits' tenures come after the cached ones
        for tenure in tenures:
            _extend(history.tenures.setdefault(handle, []), tenure)


def _save_cache(path: Path, history: History, key: dict[str, Any], head: str, since: datetime) -> None:
    # Each last change by the number of its commit: its time, author and address written once, not
    # once a file (at 100,000 people, 113,000 files; writing the cache took 0.43 s of each merge).
    numbers: dict[Change, int] = {}
    changes = {p: numbers.setdefault(c, len(numbers)) for p, c in history.changes.items()}
    data = {
        "key": key,
        "head": head,
        "since": since.timestamp(),
        "commits": [[c.when.timestamp(), c.author, c.commit, c.email] for c in numbers],
        "changes": changes,
        "first_seen": {p: when.timestamp() for p, when in history.first_seen.items()},
        "events": [[e.when.timestamp(), e.kind, e.subject, e.data, e.commit, e.author, e.email] for e in history.events],
        "tenures": {handle: [[t.since.timestamp(), t.team, t.manager] for t in tenures] for handle, tenures in history.tenures.items()},
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        partial.replace(path)  # readers see the old cache or the new one, never half of one
    except OSError as error:
        log.info("history cache not written (%s): the next build reads the whole history again", error)


def _time(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)
