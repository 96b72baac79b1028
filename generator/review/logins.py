"""Who a file's people are on the code platform: their logins read from the profiles of one version of the files, and a group file's owners."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.directory.load import parse_bytes
from generator.directory.model import HANDLE_RE
from generator.directory.settings import Settings
from generator.review.platforms import Platform

Reader = Callable[[str], bytes | None]
"""Returns a file's bytes at one version, by path relative to the directory root, or None."""


class Logins:
    """Logins of people (``contact.github`` or ``contact.gitlab``), read from one version of the files.

    A login the platform could not have issued is no login: it can match no author or approver.
    """

    def __init__(self, settings: Settings, read: Reader, platform: Platform) -> None:
        self.people = settings.people_dir.rstrip("/") + "/"
        self.read = read
        self.platform = platform
        self.cache: dict[str, str | None] = {}

    def of(self, handle: str) -> str | None:
        if handle not in self.cache:
            raw = self.read(f"{self.people}{handle}.yaml") if HANDLE_RE.fullmatch(handle) else None
            self.cache[handle] = login_in(field_of(raw, "contact"), self.platform)
        return self.cache[handle]


def login_in(contact: Any, platform: Platform) -> str | None:
    """The valid login in a profile's ``contact`` mapping (a bare string or ``{value: ...}``), or None."""
    value = contact.get(platform.contact) if isinstance(contact, dict) else None
    if isinstance(value, dict):
        value = value.get("value")
    if not isinstance(value, str):
        return None
    login = value.strip().removeprefix("@")
    return login if platform.valid(login) else None


@dataclass(frozen=True, slots=True)
class Fallback:
    first: Logins
    then: Logins

    def of(self, handle: str) -> str | None:
        return self.first.of(handle) or self.then.of(handle)


def field_of(raw: bytes | None, key: str) -> Any:
    if raw is None:
        return None
    document, _ = parse_bytes(raw, key)
    if document is None or not isinstance(document.data, dict):
        return None
    return document.data.get(key)


def owners_of(raw: bytes | None) -> list[str]:
    """The handles in a group file's ``owners``."""
    owners = field_of(raw, "owners")
    return [owner for owner in owners if isinstance(owner, str)] if isinstance(owners, list) else []


def normal_login(login: str) -> str:
    # Logins are case-insensitive on both platforms; people sometimes write them with their '@'.
    return login.strip().lstrip("@").casefold()
