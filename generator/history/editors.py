"""Who made a change, as the directory knows them: a git author's address mapped to a person.

A commit names its author by a free name and an address, both set by whoever committed. The
address is the evidence: it is looked up among every email of the people files (public or
private: the name is shown, never the address) and, for GitHub's ``…@users.noreply.github.com``
addresses, among their GitHub logins. An author that no person matches is shown by name, unless
it is automation — a bot, an import or a seed commit — whose name says nothing to a reader:
then no name at all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from generator.directory.model import Person

_GITHUB_NOREPLY = re.compile(r"(?:[0-9]+\+)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)@users\.noreply\.github\.com")
_BOT_NAME = re.compile(r"\[bot\]|(?:^|[\W_])bot$|^(?:github|gitlab)(?:[\W_]|$)|(?:^|[\W_])actions?$", re.IGNORECASE)
_NO_REPLY = re.compile(r"(?:^|[.@+-])no-?reply(?:[.@+-]|$)")


@dataclass(frozen=True, slots=True)
class Editor:
    """A change's author for a reader: a person of the directory (``handle``), or only a ``name``."""

    handle: str | None
    name: str


class Editors:
    """The directory's people by every email address and GitHub login their files give."""

    def __init__(self, people: Mapping[str, Person]) -> None:
        self.by_email: dict[str, str] = {}
        self.by_github: dict[str, str] = {}
        for handle in sorted(people):  # the first handle wins when two files give one address
            contact = people[handle].contact
            if contact.email is not None:
                self.by_email.setdefault(contact.email.value.strip().casefold(), handle)
            if contact.github is not None:
                self.by_github.setdefault(contact.github.value.strip().casefold(), handle)

    def editor(self, name: str, email: str) -> Editor | None:
        """Who ``name <email>`` is for a reader; None for automation that no person matches."""
        address = email.strip().casefold()
        handle = self.by_email.get(address)
        noreply = _GITHUB_NOREPLY.fullmatch(address)
        if handle is None and noreply is not None:
            handle = self.by_github.get(noreply.group(1))
        shown = " ".join(name.split())  # one line, whatever the commit said
        if handle is not None:
            return Editor(handle, shown)
        if not shown or is_automated(shown, address):
            return None
        return Editor(None, shown)


def is_automated(name: str, email: str) -> bool:
    """Whether a git author is automation rather than a person: a bot's name (``dependabot[bot]``,
    ``renovate-bot``, ``github-actions``), or a no-reply address other than GitHub's own per-user
    ones (an import's or a seed's ``…@users.noreply.example``)."""
    if _BOT_NAME.search(name.strip()):
        return True
    address = email.strip().casefold()
    return bool(_NO_REPLY.search(address)) and _GITHUB_NOREPLY.fullmatch(address) is None
