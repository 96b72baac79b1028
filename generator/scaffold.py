"""A new profile, written as a commented skeleton that a person fills in."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from generator.model import HANDLE_PATTERN, HANDLE_RE
from generator.problems import Problem, TrombiError
from generator.settings import Settings

# Sample values of the skeleton: left as they are, they are placeholders that validation refuses
# (generator.rules.placeholders).
SAMPLE_BIO = "A few sentences about you, in Markdown."
SAMPLE_PHONE = "+33 6 00 00 00 00"

_TEMPLATE = """\
# yaml-language-server: $schema=../schemas/person.schema.json
# Your profile in the company directory. Every field is described in the README
# ("Field reference"); check it with `trombi validate {path}`.
name: {name}
title: {title}
team: {team}                  # slug of your team (a file in groups/ of type team)
manager: {manager}            # your manager's handle (a file in people/)
location: {location}                     # your site: {sites}
languages: [{languages}]               # ISO 639-1 codes: fr, en, de, es...
joined:                       # YYYY-MM-DD
contact:
  email:
  chat:
  github:                     # your GitHub login: lets you approve changes to this file
  # phone: {{value: "{sample_phone}", visibility: private}}   # private: never published
skills:                       # names from skills.yaml; level: notions | intermediate | advanced | expert
  # - {{name: Python, level: advanced}}
ask_me_about: []
offers: []                    # what you can help others with
seeks: []                     # what you are looking for
interests: []
groups: []                    # open groups you join (slugs from groups/)
networking:
  lunch: false                # true: take part in the monthly lunch pairing
bio: |
  {sample_bio}
"""


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
) -> Path:
    """Write ``people/<handle>.yaml``; refuses an invalid handle or an existing file."""
    path = check_new_profile(settings, handle)
    display = settings.display(path)
    sites = ", ".join(settings.sites) or "the site where you work"
    codes = ", ".join(_scalar(code) for code in languages)
    fields = {"name": name, "title": title, "team": team, "manager": manager, "location": location}
    text = _TEMPLATE.format(
        path=display,
        sites=sites,
        languages=codes,
        sample_bio=SAMPLE_BIO,
        sample_phone=SAMPLE_PHONE,
        **{key: _scalar(value) for key, value in fields.items()},
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def check_new_profile(settings: Settings, handle: str) -> Path:
    """The path of a new profile for ``handle``; raises if the handle is invalid or taken."""
    path = settings.people_path / f"{handle}.yaml"
    display = settings.display(path)
    if not HANDLE_RE.fullmatch(handle):
        message = f"'{handle}' is not a valid handle: use 2 to 40 lowercase letters, digits and '-' ({HANDLE_PATTERN})"
        raise TrombiError([Problem(display, 1, 1, message, "handle")])
    if path.exists():
        raise TrombiError([Problem(display, 1, 1, "this profile already exists: edit it instead", "file")])
    return path


def _scalar(value: str) -> str:
    # JSON strings are valid YAML double-quoted scalars: nothing the person types changes the
    # file's structure. Characters YAML reads differently or refuses (NEL, line and paragraph
    # separators, DEL and C1 controls) are escaped too, so the value reads back as typed.
    if not value:
        return ""
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", json.dumps(value, ensure_ascii=False))


_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")
