"""A new profile, written as a commented skeleton that a person fills in."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from generator.directory.check import did_you_mean
from generator.directory.load import iter_yaml_files, load_file, stems
from generator.directory.model import HANDLE_PATTERN, HANDLE_RE
from generator.directory.safefs import atomic_write
from generator.directory.settings import Settings
from generator.directory.values import GITHUB_RE, GITLAB_RE
from generator.problems import N_, Message, Problem, TrombiError, Words, said

# Sample values of the skeleton: left as they are, they are placeholders that validation refuses
# (generator.directory.rules.placeholders), in whichever language the skeleton was written.
SAMPLE_BIO = N_("A few sentences about you, in Markdown.")
SAMPLE_PHONE = "+33 6 00 00 00 00"

# The skeleton's lines and their comments; a comment is written in the site's language,
# aligned at the column of the others, so that the file reads as a form.
COMMENT_COLUMN = 30
_FIELD = re.compile(r"\{(\w+)\}")


def _skeleton(words: Words, path: str, sites: str | Message) -> list[tuple[str, str | Message]]:
    """The lines (``{field}`` where a value goes) and their comments, to be said in the language of ``words``."""
    return [
        ("# yaml-language-server: $schema=../schemas/person.schema.json", ""),
        ("# " + Message("Your profile in the company directory. Every field is described in the README").said(words), ""),
        ("# " + Message('("Field reference"); check it with `trombi validate {path}`.', path=path).said(words), ""),
        ("name: {name}", ""),
        ("title: {title}", ""),
        ("team: {team}", Message("slug of your team (a file in groups/ of type team)")),
        ("manager: {manager}", Message("your manager's handle (a file in people/)")),
        ("location: {location}", Message("your site: {sites}", sites=sites)),
        ("languages: [{languages}]", Message("ISO 639-1 codes: fr, en, de, es...")),
        ("joined:", Message("YYYY-MM-DD")),
        ("contact:", ""),
        ("  email:", ""),
        ("  chat:", ""),
        ("  github: {github}", Message("your GitHub login: lets you approve changes to this file")),
        ("  gitlab: {gitlab}", Message("your GitLab login")),
        ('  # phone: {value: "' + SAMPLE_PHONE + '", visibility: private}', Message("private: never published")),
        ("skills:", Message("names from skills.yaml; level: notions | intermediate | advanced | expert")),
        ("  # - {name: Python, level: advanced}", ""),
        ("ask_me_about: []", ""),
        ("offers: []", Message("what you can help others with")),
        ("seeks: []", Message("what you are looking for")),
        ("interests: []", ""),
        ("groups: []", Message("open groups you join (slugs from groups/)")),
        ("networking:", ""),
        ("  lunch: false", Message("true: take part in the monthly lunch pairing")),
        ("bio: |", ""),
        ("  " + Message(SAMPLE_BIO).said(words), ""),
    ]


def skeleton(settings: Settings, path: str) -> list[tuple[str, str]]:
    """The skeleton's lines (``{field}`` where a value goes) and their comments, said in the site's language.

    The profile form of the site (generator/site/form.py) writes a new profile from it too, so
    that a file made there reads as one made by `trombi new`.
    """
    words = settings.words
    return [(line, said(comment, words) if comment else "") for line, comment in _skeleton(words, path, _sites(settings))]


def _sites(settings: Settings) -> str | Message:
    return ", ".join(settings.sites) or Message("the site where you work")


def write_profile(
    settings: Settings,
    handle: str,
    *,
    name: str = "",
    title: str = "",
    team: str = "",
    manager: str = "",
    location: str = "",
    languages: Sequence[str] = ("fr",),
    github: str = "",
    gitlab: str = "",
) -> Path:
    """Write ``people/<handle>.yaml``; refuses an invalid handle or login, or an existing file."""
    path = check_new_profile(settings, handle)
    display = settings.display(path)
    words = settings.words
    logins = {"github": check_login(display, "github", github), "gitlab": check_login(display, "gitlab", gitlab)}
    sites = _sites(settings)
    fields = {"name": name, "title": title, "team": team, "manager": manager, "location": location, **logins}
    values = {key: _scalar(value) for key, value in fields.items()}
    values["languages"] = ", ".join(_scalar(code) for code in languages)
    lines = []
    for line, comment in _skeleton(words, display, sites):
        if line.startswith("  gitlab:") and not gitlab:
            continue  # ownership rests on the GitHub login: GitLab's only when given
        text = _FIELD.sub(lambda match: values.get(match.group(1), match.group()), line).rstrip()
        lines.append(f"{text.ljust(COMMENT_COLUMN - 1)} # {said(comment, words)}" if comment else text)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Created whole or not at all, and never over a profile made meanwhile (or a link planted there).
        atomic_write(path, "\n".join(lines) + "\n", exclusive=True)
    except FileExistsError:
        raise TrombiError([Problem(display, 1, 1, _EXISTS, "file")]) from None
    except OSError as error:
        raise TrombiError([Problem(display, 1, 1, Message("cannot write {path}: {reason}", path=display, reason=error.strerror), "file")]) from None
    return path


# A login is written into a one-line field: nothing but the platforms' own grammar gets through.
_LOGINS = {"github": GITHUB_RE, "gitlab": GITLAB_RE}
# What is said of a login that cannot be one, by platform.
_NOT_A_LOGIN = {
    "github": N_("'{login}' is not a GitHub login: 1 to 39 letters, digits and single hyphens, not starting or ending with '-'"),
    "gitlab": N_(
        "'{login}' is not a GitLab username: 2 to 255 letters, digits, '_', '.' and '-', not starting with '-' or '.', not ending with '.', '.git' or '.atom'"
    ),
}
_EXISTS = Message("this profile already exists: edit it instead")


def check_login(display: str, kind: str, login: str) -> str:
    """``login`` without a leading '@'; raises if it cannot be a login of ``kind`` (github, gitlab)."""
    login = login.strip().removeprefix("@")
    if login and not _LOGINS[kind].match(login):
        raise TrombiError([Problem(display, 1, 1, Message(_NOT_A_LOGIN[kind], login=login), "handle")])
    return login


def known_teams(settings: Settings) -> dict[str, str]:
    """Every team of the directory, by slug: its name (groups/ files of type team)."""
    teams = {}
    for path in iter_yaml_files(settings.groups_path):
        document = load_file(path, settings.display(path))[0]
        data = document.data if document is not None else None
        if isinstance(data, dict) and data.get("type") == "team":
            teams[path.stem] = str(data.get("name") or path.stem)
    return teams


def team_by_name(teams: dict[str, str]) -> dict[str, str]:
    """A team's slug by its slug or its name, casefolded: what a person may type for it."""
    return {name.casefold(): slug for slug, name in teams.items()} | {slug.casefold(): slug for slug in teams}


def known_people(settings: Settings, handle: str) -> list[str]:
    """The handles of the directory, but ``handle``'s own."""
    return sorted(stems(settings.people_path) - {handle})


def check_team_and_manager(settings: Settings, handle: str, team: str, manager: str) -> tuple[str, str]:
    """``team`` (a slug or a team's name) as a team's slug, and ``manager`` as a person's handle.

    Raises with both problems when either names nothing: said before the profile is written,
    not found later by `trombi validate`. Empty values stay empty (the field is filled in later).
    """
    display = settings.display(settings.people_path / f"{handle}.yaml")
    problems = []
    if team:
        teams = known_teams(settings)
        found = team_by_name(teams).get(team.strip().casefold())
        if found is None:
            hint = did_you_mean(team, [*teams, *teams.values()])
            problems.append(Problem(display, 1, 1, Message("--team '{team}' is not a team of the directory{hint}", team=team, hint=hint), "reference"))
        team = found or team
    if manager:
        people = known_people(settings, handle)
        if manager not in people:
            hint = did_you_mean(manager, people)
            message = Message("--manager '{manager}' is not a person of the directory{hint}", manager=manager, hint=hint)
            problems.append(Problem(display, 1, 1, message, "reference"))
    if problems:
        raise TrombiError(problems)
    return team, manager


def check_new_profile(settings: Settings, handle: str) -> Path:
    """The path of a new profile for ``handle``; raises if the handle is invalid or taken."""
    path = settings.people_path / f"{handle}.yaml"
    display = settings.display(path)
    if not HANDLE_RE.fullmatch(handle):
        message = Message("'{handle}' is not a valid handle: use 2 to 40 lowercase letters, digits and '-' ({pattern})", handle=handle, pattern=HANDLE_PATTERN)
        raise TrombiError([Problem(display, 1, 1, message, "handle")])
    if path.exists() or path.is_symlink():
        raise TrombiError([Problem(display, 1, 1, _EXISTS, "file")])
    return path


def _scalar(value: str) -> str:
    # JSON strings are valid YAML double-quoted scalars: nothing the person types changes the
    # file's structure. Characters YAML reads differently or refuses (NEL, line and paragraph
    # separators, DEL and C1 controls) are escaped too, so the value reads back as typed.
    if not value:
        return ""
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", json.dumps(value, ensure_ascii=False))


_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")
