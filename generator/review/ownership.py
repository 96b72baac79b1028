"""Who may change what in the directory: the rules of ``trombi check-pr``, default-deny.

Open to their owners, and to them only, are the self-service paths: a person's own
``people/<handle>.yaml`` (their login is ``contact.github``, or ``contact.gitlab``, of the base
version, so a pull request cannot take a profile over by editing it), a photo under ``photos/``
that their profile uses, and the groups they own (the ``members`` of a closed group included).
A person's manager may change their profile too. Every other path, new or changed, needs an admin
of ``extra.trombi.admins``, read from the default branch. Refused outright, whoever approves: a
symbolic link or submodule, a change of type or mode, a file in those folders outside the layout.

Everything here is pure: files come in as bytes through readers (see :mod:`generator.review.pulls`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from generator.directory.load import parse_bytes
from generator.directory.model import HANDLE_RE
from generator.directory.settings import CONFIG_FILE, Settings, _MkDocsLoader, settings_from_config
from generator.problems import Message, Problem, TrombiError, counted
from generator.review.layout import REGULAR, Folders, entity, first_change, refusal
from generator.review.logins import Fallback, Logins, Reader, field_of, normal_login, owners_of
from generator.review.platforms import GITHUB, Platform

RULE = "ownership"
# The groups that make the org chart: creating, retyping or moving one reshapes the company.
ORG_CHART_TYPES = ("company", "department", "team")


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file changed by a pull request: status A (added), M, D (deleted), R (renamed) or T (type changed).

    Modes are git's (0 for no file): a symbolic link is 0o120000, an executable file 0o100755.
    """

    status: str
    path: str
    old_path: str | None = None
    old_mode: int = REGULAR
    new_mode: int = REGULAR


@dataclass(frozen=True, slots=True)
class PullRequest:
    """What :func:`check_pull_request` needs: the changes, both versions of the files, and the default branch's."""

    changes: tuple[FileChange, ...]
    base: Reader
    head: Reader
    rules: Reader | None = None
    head_names: Callable[[str], list[str]] | None = None
    """The names of the regular files directly in a folder of the head version."""


def check_pull_request(settings: Settings, pull: PullRequest, author: str, approved_by: Iterable[str] = (), platform: Platform = GITHUB) -> list[Problem]:
    """One problem for each change that neither ``author`` may make nor one of ``approved_by`` approved.

    ``settings`` are the default branch's, so a pull request cannot make its author an admin.
    """
    checker = _Ownership(settings, pull, author, {normal_login(login) for login in approved_by}, platform)
    return [problem for change in pull.changes if (problem := checker.check(change)) is not None]


def default_branch_settings(root: Path, read: Reader) -> Settings:
    """The settings of the default branch's ``mkdocs.yml``; without one, the defaults: no admins, so nothing but self-service."""
    raw = read(CONFIG_FILE)
    if raw is None:
        return Settings(root=root)
    try:
        config = yaml.load(raw.decode("utf-8"), Loader=_MkDocsLoader) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        message = Message("cannot read the default branch's {file}: {error}", file=CONFIG_FILE, error=str(error))
        raise TrombiError([Problem(CONFIG_FILE, 1, 1, message, "config")]) from None
    return settings_from_config(root, config)


# --- the rules --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Verdict:
    """Who may make one change, and how to say it when the author is not one of them."""

    allowed: tuple[str | None, ...]
    message: Message | str


class _Ownership:
    def __init__(self, settings: Settings, pull: PullRequest, author: str, approved_by: set[str], platform: Platform) -> None:
        self.settings = settings
        self.pull = pull
        self.author = author
        self.key = normal_login(author)
        self.approved_by = approved_by
        self.platform = platform
        self.admins = tuple(login for login in settings.admins if login and platform.valid(login.lstrip("@")))
        self.base_logins = Logins(settings, pull.base, platform)
        self.head_logins = Logins(settings, pull.head, platform)
        self.people = settings.people_dir.rstrip("/") + "/"
        self.groups = settings.groups_dir.rstrip("/") + "/"
        self.photos = settings.photos_dir.rstrip("/") + "/"
        self.folders = Folders(self.people, self.groups, self.photos)

    def check(self, change: FileChange) -> Problem | None:
        refused = refusal(change.status, change.path, change.old_mode, change.new_mode, self.folders)
        if refused is not None:
            return self._problem(change, refused)
        if change.status == "R" and change.old_path and entity(change.old_path, self.people):
            action = Message("renaming {old_path} to {path} (a person's profile) is for admins only", old_path=change.old_path, path=change.path)
            verdicts = [_Verdict(self.admins, self._admins_only(action))]
        elif change.status == "R" and change.old_path:
            verdicts = [self._verdict(change.old_path, "D"), self._verdict(change.path, "A")]
        else:
            verdicts = [self._verdict(change.path, change.status)]
        for verdict in verdicts:
            if not self._allowed(verdict.allowed):
                return self._problem(change, verdict.message)
        return None

    def _verdict(self, path: str, status: str) -> _Verdict:
        handle, slug = entity(path, self.people), entity(path, self.groups)
        if handle is not None and status == "D":
            return _Verdict(self.admins, self._admins_only(Message("deleting {path} (a person's profile) is for admins only", path=path)))
        if handle is not None and status == "A":
            return self._new_person(path, handle)
        if handle is not None:
            return self._person(path, handle)
        if slug is not None:
            return self._group(path, status)
        if path.startswith(self.photos):
            return self._photo(path, status)
        if status != "D" and self._generated_codeowners(path):
            return _Verdict((self.author,), "")
        if path.endswith("/CODEOWNERS") and status != "D":
            action = Message(
                "{path} is for admins: only your own profile ({people}<handle>.yaml), a photo it uses ({photos}) "
                "and the groups you own are open to you, and CODEOWNERS exactly as `trombi codeowners` writes it",
                path=path,
                people=self.people,
                photos=self.photos,
            )
        else:
            action = Message(
                "{path} is for admins: only your own profile ({people}<handle>.yaml), a photo it uses ({photos}) and the groups you own are open to you",
                path=path,
                people=self.people,
                photos=self.photos,
            )
        return _Verdict(self.admins, self._admins_only(action))

    def _generated_codeowners(self, path: str) -> bool:
        """Whether ``path`` is a CODEOWNERS file exactly as the default branch's rules write it from the pull request's files.

        Such a file says nothing of its own: a group owner who changes the owners may regenerate it.
        """
        from generator.review.codeowners import FILES, codeowners_text
        from generator.review.platforms import PLATFORMS

        platform = next((PLATFORMS[name] for name, file in FILES.items() if file == path), None)
        raw = self.pull.head(path)
        if platform is None or raw is None or self.pull.head_names is None:
            return False
        slugs = [name[: -len(".yaml")] for name in self.pull.head_names(self.groups.rstrip("/")) if name.endswith(".yaml")]
        try:
            expected = codeowners_text(self.settings, self.pull.head, slugs, platform)
        except TrombiError:
            return False
        return raw == expected.encode("utf-8")

    def _new_person(self, path: str, handle: str) -> _Verdict:
        claimed = self.head_logins.of(handle)
        field = f"contact.{self.platform.contact}"
        if claimed:
            # The login is what the profile claims: only its holder (or an admin) may claim it. A
            # manager named by the pull request itself proves nothing, and a login claimed once
            # could never be claimed again by its real holder (duplicate-login).
            why = Message(
                "{path} is a new profile that claims the login {login} ({field}): it may be added by {login} or an admin", path=path, login=claimed, field=field
            )
            return _Verdict((claimed, *self.admins), self._needs(why, _either([claimed, self._admin_phrase()])))
        manager = field_of(self.pull.head(path), "manager")
        manager_login = self.base_logins.of(manager) if isinstance(manager, str) else None
        why = Message(
            "{path} is a new profile with no login ({field} is empty): it may be added by its manager, as the default branch knows them, or an admin",
            path=path,
            field=field,
        )
        return _Verdict((manager_login, *self.admins), self._needs(why, self._approvers(None, manager, manager_login)))

    def _person(self, path: str, handle: str) -> _Verdict:
        owner = self.base_logins.of(handle)
        manager = field_of(self.pull.base(path), "manager")
        manager_login = self.base_logins.of(manager) if isinstance(manager, str) else None
        name, contact = self.platform.name, self.platform.contact
        if owner:
            why = Message("{path} belongs to {handle} ({platform}: {login})", path=path, handle=handle, platform=name, login=owner)
        else:
            why = Message(
                "{path} belongs to {handle}, who has no {platform} login (contact.{contact})", path=path, handle=handle, platform=name, contact=contact
            )
        message = self._needs(why, self._approvers(owner, manager, manager_login))
        claimed = self.head_logins.of(handle)
        if claimed and normal_login(claimed) != normal_login(owner or ""):
            message = Message(
                "{message} (contact.{contact} now says '{claimed}', but who may approve is read from the base version)",
                message=message,
                contact=contact,
                claimed=claimed,
            )
        return _Verdict((owner, manager_login, *self.admins), message)

    def _group(self, path: str, status: str) -> _Verdict:
        new = status == "A"
        restructured = self._org_chart_change(path, new)
        if restructured:
            return _Verdict(self.admins, self._admins_only(restructured))
        owners = owners_of((self.pull.head if new else self.pull.base)(path))
        logins: Logins | Fallback = Fallback(self.base_logins, self.head_logins) if new else self.base_logins
        found = [(handle, logins.of(handle)) for handle in owners]
        described = self._owners_described(found)
        owner_logins = [login for _, login in found if login]
        owner_phrase = Message("an owner ({logins})", logins=", ".join(owner_logins)) if owner_logins else None
        approvers = _either([owner_phrase, self._admin_phrase()])
        if new:
            message: Message = Message(
                "{path} is a new group whose owners are {owners}: its author ({author}) must be one of them, or get the approval of {approvers}",
                path=path,
                owners=described,
                author=self.author,
                approvers=approvers,
            )
        else:
            message = self._needs(Message("{path} is curated by its owners {owners}", path=path, owners=described), approvers)
        return _Verdict((*owner_logins, *self.admins), message)

    def _owners_described(self, found: list[tuple[str, str | None]]) -> str | Message:
        """``lead (GitHub: leo-gh) and bob, who has no GitHub login``: a group's owners, with the logins that may approve."""
        name = self.platform.name
        with_login = ", ".join(f"{handle} ({name}: {login})" for handle, login in found if login)
        without = [handle for handle, login in found if not login]
        if not without:
            return with_login or Message("nobody")
        handles = ", ".join(without)
        if not with_login:
            return counted("{handles}, who has no {platform} login", "{handles}, who have no {platform} login", len(without), handles=handles, platform=name)
        return counted(
            "{owners} and {handles}, who has no {platform} login",
            "{owners} and {handles}, who have no {platform} login",
            len(without),
            owners=with_login,
            handles=handles,
            platform=name,
        )

    def _org_chart_change(self, path: str, new: bool) -> Message | None:
        """Why a group change reshapes the org chart (the company, its departments and teams), which is for admins.

        Owners curate their group; they do not found a second company, nor move a team to
        another department: the chart is the company's, not a group's.
        """
        head = self.pull.head(path)
        head_type, head_parent = field_of(head, "type"), field_of(head, "parent")
        if new:
            if head_type in ORG_CHART_TYPES:
                return Message("{path} is a new group of type {kind}: the org chart (company, departments, teams) is for admins", path=path, kind=head_type)
            return None
        base = self.pull.base(path)
        base_type, base_parent = field_of(base, "type"), field_of(base, "parent")
        if base_type != head_type and (base_type in ORG_CHART_TYPES or head_type in ORG_CHART_TYPES):
            return Message(
                "{path} changes type from {old} to {new}: the org chart (company, departments, teams) is for admins", path=path, old=base_type, new=head_type
            )
        if head_type in ORG_CHART_TYPES and base_parent != head_parent:
            return Message("{path} moves from {old} to {new} in the org chart, which is for admins", path=path, old=base_parent, new=head_parent)
        return None

    def _photo(self, path: str, status: str) -> _Verdict:
        # A photo that exists belongs to the people whose base profile uses it, whatever the pull
        # request makes a profile say; a new one to the people whose profile uses it in the pull request.
        new = status == "A"
        users = self._photo_users(self.pull.head if new else self.pull.base, path)
        logins = [self.base_logins.of(handle) or (self.head_logins.of(handle) if new else None) for handle in users]
        owners = [login for login in logins if login]
        if owners:
            why = Message("{path} is the photo of {handles}", path=path, handles=", ".join(users))
            message = self._needs(why, _either([", ".join(owners), self._admin_phrase()]))
        elif new:
            why = Message("{path} is a new photo that no profile uses: set photo: {path} in your profile in the same pull request", path=path)
            message = self._admins_only(why)
        else:
            why = Message(
                "{path} is a photo whose person is not known: a photo is its person's when it is named after their handle or changed with their profile",
                path=path,
            )
            message = self._admins_only(why)
        return _Verdict((*owners, *self.admins), message)

    def _photo_users(self, read: Reader, path: str) -> list[str]:
        """The people whose profile, in one version, uses the photo: among the profiles the pull request changes, or its namesake's."""
        candidates = {PurePosixPath(path).stem}
        for change in self.pull.changes:
            candidates |= {handle for handle in (entity(change.path, self.people), entity(change.old_path, self.people)) if handle}
        return sorted(handle for handle in candidates if HANDLE_RE.fullmatch(handle) and field_of(read(f"{self.people}{handle}.yaml"), "photo") == path)

    def _admins_only(self, action: Message) -> Message:
        return self._needs(action, _either([self._admin_phrase()]))

    def _needs(self, why: Message, approvers: str | Message) -> Message:
        """Why the author may not make a change alone, and whose approval would let it in."""
        return Message("{why}; changes by {author} need the approval of {approvers}", why=why, author=self.author, approvers=approvers)

    def _allowed(self, logins: Iterable[str | None]) -> bool:
        keys = {normal_login(login) for login in logins if login}
        return self.key in keys or bool(keys & self.approved_by)

    def _approvers(self, owner: str | None, manager: Any, manager_login: str | None) -> str | Message:
        manager_part = None
        if manager and manager_login:
            manager_part = Message("their manager {manager} ({platform}: {login})", manager=manager, platform=self.platform.name, login=manager_login)
        return _either([owner, manager_part, self._admin_phrase()])

    def _admin_phrase(self) -> Message | None:
        return Message("an admin ({logins})", logins=", ".join(self.admins)) if self.admins else None

    def _problem(self, change: FileChange, message: Message | str) -> Problem:
        line, col = 1, 1
        raw = self.pull.head(change.path) if change.status != "D" else None
        if raw is not None and b"\0" not in raw:
            line, col = self._login_position(change.path, raw) if change.status == "A" else first_change(self.pull.base(change.old_path or change.path), raw)
        return Problem(change.path, line, col, message, RULE)

    def _login_position(self, path: str, raw: bytes) -> tuple[int, int]:
        # A new file is all changed lines: a new profile is pointed at the login that claims it.
        if entity(path, self.people) is None:
            return 1, 1
        document, _ = parse_bytes(raw, path)
        contact = document.data.get("contact") if document is not None and isinstance(document.data, dict) else None
        if document is None or not isinstance(contact, dict) or self.platform.contact not in contact:
            return 1, 1
        return document.key_position(("contact", self.platform.contact))


def _either(parts: list[str | Message | None]) -> str | Message:
    """``a``, ``a or b``, ``a, b or c``: who may approve (an owner, a manager, an admin), in words of the site's language."""
    present = [part for part in parts if part]
    if not present:
        return Message("nobody: the default branch's mkdocs.yml lists no admins (extra.trombi.admins); an admin must add them there")
    if len(present) == 1:
        return present[0]
    if len(present) == 2:
        return Message("{first} or {second}", first=present[0], second=present[1])
    # Never more than three: the person, their manager and the admins.
    first, second, third = present
    return Message("{first}, {second} or {third}", first=first, second=second, third=third)
