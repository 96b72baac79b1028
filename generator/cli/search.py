"""``trombi search``: who knows what, from the terminal, through the index of :mod:`generator.search.index`.

The index is rebuilt on the way when it is missing or older than the YAML files.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from generator.controls import json_text, visible
from generator.directory.model import LEVELS
from generator.directory.settings import load_settings
from generator.i18n import KIND_LABELS, LEVEL_LABELS
from generator.problems import Message, Problem, TrombiError, counted

if TYPE_CHECKING:
    from generator.search.query import Filters, SearchIndex


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add_root: Callable[[argparse.ArgumentParser], None]) -> None:
    search = commands.add_parser(
        "search",
        help="find people by name, skill, team, place or language",
        description="Search the directory's people. Words are matched without case or accents, with one typo allowed in "
        "words of five letters or more; fielded terms narrow a word to one field: skill:kubernetes location:lyon lang:de "
        "(also name:, title:, team:, group:, kind:). Experts rank before beginners. The index (.trombi/index/) is "
        "rebuilt first when it is missing or older than the YAML files.",
    )
    search.add_argument("query", nargs="*", help="words to look for (none: everyone matching the options)")
    search.add_argument("--skill", action="append", default=[], metavar="SKILL", help="has this skill (a name or alias; repeat for several)")
    search.add_argument("--level", choices=LEVELS, help="at least this level in --skill (or in any skill without --skill)")
    search.add_argument("--location", metavar="SITE", help="works at this site")
    search.add_argument("--lang", metavar="LANG", help="speaks this language (ISO 639-1 code such as de, or its name)")
    search.add_argument("--team", metavar="TEAM", help="is in this team (slug or name)")
    search.add_argument("--limit", type=_positive, default=20, help="at most this many people (default: 20)")
    search.add_argument("--json", action="store_true", help="print the results as JSON")
    add_root(search)
    search.set_defaults(run=run_search)


def run_search(args: argparse.Namespace) -> int:
    from generator.cli.main import warn_in
    from generator.search.index import index_path, index_status, rebuild_index
    from generator.search.named import kind_label
    from generator.search.query import Filters, SearchIndex

    settings = load_settings(args.root)
    words = settings.words
    status = index_status(settings)
    if status != "fresh":
        if status == "missing":
            print(Message("The search index is missing: building it…").said(words), file=sys.stderr)
        else:
            print(Message("The search index is older than the directory's files: rebuilding it…").said(words), file=sys.stderr)
        try:
            count = rebuild_index(settings, warn=warn_in(words))
        except OSError as error:
            message = Message("cannot write the search index ({error}): run `trombi build` where the directory is writable", error=error.strerror)
            raise TrombiError([Problem(".trombi/index", 1, 1, message, "search-index")]) from None
        print(counted("Indexed {count} person.", "Indexed {count} people.", count, count=count).said(words), file=sys.stderr)
    filters = Filters(skills=tuple(args.skill), level=args.level, location=args.location, language=args.lang, team=args.team)
    try:
        index = SearchIndex(index_path(settings))
    except FileNotFoundError:
        raise TrombiError([Problem(".trombi/index", 1, 1, Message("the search index cannot be read: run `trombi build`"), "search-index")]) from None
    text = " ".join(args.query)
    with index:
        hits = index.search(text, filters, limit=args.limit)
        pages = index.pages(text)
    if args.json:
        print(json_text({"pages": [page.as_dict() for page in pages], "people": [hit.as_dict() for hit in hits]}))
        return 0
    if pages:
        # The pages the words name, as the site's search shows them above the people.
        print(Message("Skills, groups and sites:").said(words))
        for page in pages:
            print(f"  {visible(page.name)} — {Message(kind_label(page)).said(words)} · {page.url}")
        print()
    if not hits:
        print(Message("Nobody found.").said(words))
        for hint in _hints(index, filters, text):
            print(hint.said(words))
        return 0
    if pages:
        print(Message("People:").said(words))
    for hit in hits:
        # What people wrote is shown, never acted on by the terminal (generator.controls).
        where = " · ".join(visible(part) for part in (hit.title, hit.team, hit.location) if part)
        badge = f" [{Message(KIND_LABELS[hit.kind]).said(words)}]" if hit.kind != "employee" else ""
        print(f"{visible(hit.name)} ({hit.handle}){badge} — {where}")
        if hit.skills:
            print("    " + ", ".join(f"{visible(skill['name'])} ({Message(LEVEL_LABELS[skill['level']]).said(words)})" for skill in hit.skills))
    return 0


def _hints(index: SearchIndex, filters: Filters, text: str) -> list[Message]:
    """What an option or the words named that the directory does not have, with the closest it has:
    ``--skill kubernets``, ``pyhton`` (the site's search box suggests from the same names)."""
    from generator.directory.check import did_you_mean
    from generator.search.analysis import fold

    hints = []
    known_skills = {fold(name) for name in index.skill_names()}
    for name in filters.skills:
        if fold(name) not in known_skills:
            hints.append(Message("No skill is called '{name}'{suggestion}.", name=name, suggestion=did_you_mean(name, index.known_skills())))
    if filters.location and fold(filters.location) not in {fold(place) for place in index.locations}:
        suggestion = did_you_mean(filters.location, index.locations)
        hints.append(Message("Nobody works at '{name}'{suggestion}.", name=filters.location, suggestion=suggestion))
    # Free words are not a name: only a close one is offered ("pyhton": Python, not Lyon).
    if text.strip() and ":" not in text and (suggestion := did_you_mean(text.strip(), index.page_names(), cutoff=0.75)):
        hints.append(Message("Nothing is called '{name}'{suggestion}.", name=text.strip(), suggestion=suggestion))
    return hints


def _positive(value: str) -> int:
    from generator.cli.main import bad_argument

    number = int(value)
    if number < 1:
        raise bad_argument(Message("must be 1 or more"))
    return number
