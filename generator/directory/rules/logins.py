"""GitHub and GitLab logins: who may approve changes to a profile rests on them.

A profile without a login has nobody to approve its changes (a warning). Two profiles with the
same login would let one person approve changes to another's profile, or add a second self
under a borrowed name (an error on each).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from generator.directory.load import MAX_FILE_BYTES, Loc, entries
from generator.directory.model import Person
from generator.directory.safefs import read_head
from generator.problems import Level, Message, Problem

MISSING = "missing-login"
DUPLICATE = "duplicate-login"
SITES = {"github": "GitHub", "gitlab": "GitLab"}

At = Callable[[Loc, str, str], Problem]


def missing_login(person: Person, at: At) -> list[Problem]:
    contact = person.contact
    if contact.github is not None or contact.gitlab is not None:
        return []
    message = Message("no GitHub or GitLab login in 'contact': nobody can approve changes to this profile; add yours to 'contact.github'")
    problem = at(("contact",) if "contact" in person.model_fields_set else (), message, MISSING)
    return [Problem(problem.path, problem.line, problem.col, problem.message, problem.rule, Level.WARNING)]


def logins(person: Person) -> dict[str, str]:
    """Site -> login of ``person``, compared without case as both sites do."""
    found = {}
    for site in SITES:
        value = getattr(person.contact, site)
        if value is not None:
            found[site] = value.value.casefold()
    return found


def duplicate_logins(checked: Mapping[str, Person], others: Mapping[str, Person], at_of: Callable[[str], At]) -> list[Problem]:
    """An error on each checked profile whose login another profile (checked or not) also claims."""
    claims: dict[tuple[str, str], list[str]] = {}
    for handle, person in [*checked.items(), *others.items()]:
        for site, login in logins(person).items():
            holders = claims.setdefault((site, login), [])
            if handle not in holders:
                holders.append(handle)
    problems = []
    for (site, _), holders in claims.items():
        if len(holders) < 2:
            continue
        for handle in holders:
            if handle not in checked:
                continue
            login = getattr(checked[handle].contact, site).value
            also = ", ".join(f"people/{other}.yaml" for other in sorted(holders) if other != handle)
            message = Message(
                "{site} login '{login}' is also claimed by {others}: a login belongs to one profile; keep it only in its owner's",
                site=SITES[site],
                login=login,
                others=also,
            )
            problems.append(at_of(handle)(("contact", site, "value"), message, DUPLICATE))
    return problems


def files_mentioning(folder: Path, words: Iterable[str], skip: set[str]) -> list[str]:
    """Handles of the profiles in ``folder`` whose bytes give one of ``words`` as a login, case ignored.

    When only some files are checked, this finds the few others that may claim the same login
    without parsing every profile; each one found is then read properly. Logins are ASCII, so
    their bytes are searched as they are, without decoding 100,000 files.
    """
    wanted = sorted({word.encode("ascii", errors="ignore") for word in words} - {b""})
    if not wanted or not folder.is_dir():
        return []
    # The login as a whole value after a key that can hold it (github: x, "gitlab": 'x',
    # {value: x, ...}): a one-letter login must not send every profile to the parser.
    logins = b"|".join(re.escape(word) for word in wanted)
    search = re.compile(b"(?:github|gitlab|value)[\"']?[ \t]*:[ \t]*[\"']?(?:" + logins + b")[\"']?[ \t]*(?:[,}#\r\n]|$)", re.IGNORECASE).search
    mentioned = re.compile(b"|".join(re.escape(word.lower()) for word in wanted)).search
    found = []
    for entry in entries(folder):
        name = entry.name
        if not name.endswith(".yaml") or name[: -len(".yaml")] in skip or entry.is_symlink():
            continue
        try:
            data = read_head(entry.path, MAX_FILE_BYTES + 1)
        except OSError:
            continue
        # A plain search of the lowered bytes first: the pattern, which tries every position, runs
        # only on the few files that hold the login at all (benchmarks/RESULTS.md: one changed file).
        if mentioned(data.lower()) and search(data):
            found.append(name[: -len(".yaml")])
    return sorted(found)
