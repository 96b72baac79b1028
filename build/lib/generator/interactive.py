"""The questions ``trombi new`` asks on a terminal, each answer checked against the directory.

Input and output go through the functions given, so that the questions can be asked by any
front end (and tested with scripted answers); nothing here reads the terminal itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.check import suggest
from generator.load import iter_yaml_files, load_file, stems
from generator.model import language_codes
from generator.settings import Settings

InputFn = Callable[[str], str]
PrintFn = Callable[..., None]


@dataclass(frozen=True, slots=True)
class _Team:
    slug: str
    name: str


def ask_profile(handle: str, settings: Settings, input_fn: InputFn = input, print_fn: PrintFn = print) -> dict[str, str]:
    """Ask for name, title, team, manager, location and languages; return the answers given.

    Name and title are required; an empty answer skips the others. A team must be a group of
    type team and a manager an existing person (typos get suggestions); ``languages`` comes back
    as ISO 639-1 codes separated by ", ".
    """
    ask = _Asker(input_fn, print_fn)
    answers = {
        "name": ask.text("Full name", required=True),
        "title": ask.text("Job title", required=True),
        "team": ask.choice("Team (slug of a team; empty to skip)", *_teams(settings)),
        "manager": ask.choice("Manager (their handle; empty to skip)", *_people(settings, handle)),
        "location": _ask_location(ask, settings),
        "languages": ask.languages("Languages you speak (ISO 639-1 codes, e.g. fr, en)"),
    }
    return {key: value for key, value in answers.items() if value}


class _Asker:
    def __init__(self, input_fn: InputFn, print_fn: PrintFn) -> None:
        self.input = input_fn
        self.print = print_fn

    def text(self, prompt: str, *, required: bool = False) -> str:
        while True:
            answer = self.input(f"{prompt}: ").strip()
            if answer or not required:
                return answer
            self.print("  This one is needed.")

    def choice(self, prompt: str, known: dict[str, str], listing: str) -> str:
        """An answer among ``known`` (folded answer -> value); '?' shows ``listing``."""
        while True:
            answer = self.input(f"{prompt}, ? to list: ").strip()
            if not answer:
                return ""
            if answer == "?":
                self.print(listing)
                continue
            if answer.casefold() in known:
                return known[answer.casefold()]
            close = suggest(answer, list(known))
            names = dict.fromkeys(known[c] for c in close)
            hint = " Did you mean " + " or ".join(f"'{n}'" for n in names) + "?" if names else " Type ? to see them all."
            self.print(f"  '{answer}' is not one of them.{hint}")

    def languages(self, prompt: str) -> str:
        codes = language_codes()
        while True:
            answer = self.input(f"{prompt}: ").strip()
            words = [word.lower() for word in re.split(r"[\s,;]+", answer) if word]
            unknown = [word for word in words if word not in codes]
            if not unknown:
                return ", ".join(dict.fromkeys(words))
            self.print(f"  Unknown language code(s): {', '.join(unknown)}. Use two letters such as fr, en, de, es.")


def _ask_location(ask: _Asker, settings: Settings) -> str:
    if not settings.sites:
        return ask.text("Location (the site where you work; empty to skip)")
    known = {site.casefold(): site for site in settings.sites}
    known.update({str(number): site for number, site in enumerate(settings.sites, start=1)})
    listing = "\n".join(f"  {number}. {site}" for number, site in enumerate(settings.sites, start=1))
    ask.print("Sites:\n" + listing)
    return ask.choice("Location (a number or a name; empty to skip)", known, listing)


def _teams(settings: Settings) -> tuple[dict[str, str], str]:
    teams: list[_Team] = []
    for path in iter_yaml_files(settings.groups_path):
        document, _ = load_file(path, settings.display(path))
        data = document.data if document is not None else None
        if isinstance(data, dict) and data.get("type") == "team":
            teams.append(_Team(path.stem, str(data.get("name") or path.stem)))
    known = {team.name.casefold(): team.slug for team in teams}
    known.update({team.slug.casefold(): team.slug for team in teams})
    listing = "\n".join(f"  {team.slug}: {team.name}" for team in teams) or "  (no team yet)"
    return known, listing


def _people(settings: Settings, handle: str) -> tuple[dict[str, str], str]:
    handles = sorted(stems(settings.people_path) - {handle})
    listing = "  " + ", ".join(handles) if handles else "  (nobody yet)"
    return {h.casefold(): h for h in handles}, listing
