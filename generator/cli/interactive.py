"""The questions ``trombi new`` asks on a terminal, each answer checked against the directory.

Input and output go through the functions given, so that the questions can be asked by any
front end (and tested with scripted answers); nothing here reads the terminal itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from generator.directory.check import either, suggest
from generator.directory.model import language_codes
from generator.directory.scaffold import check_login, known_people, known_teams, team_by_name
from generator.directory.settings import Settings
from generator.problems import Message, TrombiError, Words, counted, said

InputFn = Callable[[str], str]
PrintFn = Callable[..., None]


def ask_profile(handle: str, settings: Settings, input_fn: InputFn = input, print_fn: PrintFn = print, *, login: bool = True) -> dict[str, str]:
    """Ask for name, title, team, manager, location, languages and login; return the answers given.

    Questions are in the site's language. Name and title are required; an empty answer skips the
    others. A team must be a group of type team and a manager an existing person (typos get
    suggestions); ``languages`` comes back as ISO 639-1 codes separated by ", ". The login is
    GitHub's (``github``), GitLab's (``gitlab``) when the repository is on GitLab; ``login=False``
    when it was given already.
    """
    ask = _Asker(input_fn, print_fn, settings.words)
    answers = {
        "name": ask.text(Message("Full name"), required=True),
        "title": ask.text(Message("Job title"), required=True),
        "team": ask.choice(Message("Team (slug of a team; empty to skip)"), *_teams(settings, ask.words)),
        "manager": ask.choice(Message("Manager (their handle; empty to skip)"), *_people(settings, handle, ask.words)),
        "location": _ask_location(ask, settings),
        "languages": ask.languages(Message("Languages you speak (ISO 639-1 codes, e.g. fr, en)")),
    }
    if login:
        kind = "gitlab" if "gitlab" in (settings.repo_url or "").casefold() else "github"
        answers[kind] = ask.login(settings, handle, kind)
    return {key: value for key, value in answers.items() if value}


class _Asker:
    def __init__(self, input_fn: InputFn, print_fn: PrintFn, words: Words) -> None:
        self.input = input_fn
        self.print = print_fn
        self.words = words

    def answer_to(self, prompt: Message) -> str:
        return self.input(prompt.said(self.words)).strip()

    def say(self, message: Message) -> None:
        self.print("  " + message.said(self.words))

    def text(self, question: Message, *, required: bool = False) -> str:
        while True:
            answer = self.answer_to(Message("{question}: ", question=question))
            if answer or not required:
                return answer
            self.say(Message("This one is needed."))

    def choice(self, question: Message, known: dict[str, str], listing: str) -> str:
        """An answer among ``known`` (folded answer -> value); '?' shows ``listing``."""
        while True:
            answer = self.answer_to(Message("{question}, ? to list: ", question=question))
            if not answer:
                return ""
            if answer == "?":
                self.print(listing)
                continue
            if answer.casefold() in known:
                return known[answer.casefold()]
            close = suggest(answer, list(known))
            names = dict.fromkeys(known[c] for c in close)
            if names:
                self.say(Message("'{answer}' is not one of them. Did you mean {names}?", answer=answer, names=either(f"'{n}'" for n in names)))
            else:
                self.say(Message("'{answer}' is not one of them. Type ? to see them all.", answer=answer))

    def languages(self, question: Message) -> str:
        codes = language_codes()
        while True:
            answer = self.answer_to(Message("{question}: ", question=question))
            words = [word.lower() for word in re.split(r"[\s,;]+", answer) if word]
            unknown = [word for word in words if word not in codes]
            if not unknown:
                return ", ".join(dict.fromkeys(words))
            self.say(
                counted(
                    "Unknown language code: {codes}. Use two letters such as fr, en, de, es.",
                    "Unknown language codes: {codes}. Use two letters such as fr, en, de, es.",
                    len(unknown),
                    codes=", ".join(unknown),
                )
            )

    def login(self, settings: Settings, handle: str, kind: str) -> str:
        """A GitHub (or GitLab) login, checked as ``trombi new --github`` checks it."""
        if kind == "github":
            question = Message("GitHub login (who may approve changes to your profile; empty to skip)")
        else:
            question = Message("GitLab login (empty to skip)")
        display = settings.display(settings.people_path / f"{handle}.yaml")
        while True:
            try:
                return check_login(display, kind, self.answer_to(Message("{question}: ", question=question)))
            except TrombiError as error:
                self.print("  " + said(error.problems[0].message, self.words))


def _ask_location(ask: _Asker, settings: Settings) -> str:
    if not settings.sites:
        return ask.text(Message("Location (the site where you work; empty to skip)"))
    known = {site.casefold(): site for site in settings.sites}
    known.update({str(number): site for number, site in enumerate(settings.sites, start=1)})
    listing = "\n".join(f"  {number}. {site}" for number, site in enumerate(settings.sites, start=1))
    ask.print(Message("Sites:").said(ask.words) + "\n" + listing)
    return ask.choice(Message("Location (a number or a name; empty to skip)"), known, listing)


def _teams(settings: Settings, words: Words) -> tuple[dict[str, str], str]:
    teams = known_teams(settings)
    known = team_by_name(teams)
    listing = "\n".join(f"  {slug}: {name}" for slug, name in teams.items()) or "  " + Message("(no team yet)").said(words)
    return known, listing


def _people(settings: Settings, handle: str, words: Words) -> tuple[dict[str, str], str]:
    handles = known_people(settings, handle)
    listing = "  " + (", ".join(handles) if handles else Message("(nobody yet)").said(words))
    return {h.casefold(): h for h in handles}, listing
