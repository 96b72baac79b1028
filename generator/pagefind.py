"""The browser's search index (Pagefind): the only module that imports pagefind.

Pagefind reads the built pages (person pages mark what is indexed with ``data-pagefind-*``
attributes, see ``templates/person.md.j2``) and writes a split index into ``<site>/pagefind/``:
a browser downloads only the index chunks its query needs, so the cost of a query does not
grow with the company. The site's search script (``assets/search.js``) also fetches a small
vocabulary file, to suggest the closest skill, group or site when a query finds nobody.
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.enrich import Org, sort_key
from generator.i18n import KIND_LABELS, LEVEL_LABELS, Language
from generator.model import LEVELS

OUTPUT_DIR = "pagefind"
VOCABULARY_PATH = "assets/search-vocabulary.json"
# Team names grow with the company: they sit in a file of their own, fetched only when a query finds nobody.
TEAMS_PATH = "assets/search-teams.json"
PAGES_GLOB = "people/**/*.html"
# Facet names as the pages declare them (data-pagefind-filter), in the order the search page shows them.
FACETS = ("skill", *reversed(LEVELS), "team", "location", "language", "group", "kind")


class PagefindError(Exception):
    """Pagefind could not index the site (its binary is missing, or it failed)."""


@dataclass(frozen=True)
class IndexStats:
    pages: int
    seconds: float


def write_pagefind_index(site_dir: Path) -> IndexStats:
    """Index the person pages of the built site in ``site_dir`` into ``site_dir/pagefind``.

    Pagefind's own binary runs with fixed arguments: it returns once every file is written (its
    Python API stops the service right after its last answer) and needs no event loop.
    """
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise PagefindError("the Pagefind binary was not found: pip install 'pagefind[bin]'")
    # Only person pages: reading the others (long lists at scale) costs time and memory for nothing.
    command = [str(executable), "--site", str(site_dir), "--output-subdir", OUTPUT_DIR, "--glob", PAGES_GLOB, "--silent"]
    started = time.perf_counter()
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise PagefindError(f"Pagefind could not run ({error.strerror})") from None
    entry = site_dir / OUTPUT_DIR / "pagefind-entry.json"
    if result.returncode != 0 or not entry.is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise PagefindError(f"Pagefind failed to index {site_dir}: " + (detail[-1] if detail else f"exit code {result.returncode}"))
    languages = json.loads(entry.read_text(encoding="utf-8")).get("languages", {})
    pages = sum(int(language.get("page_count", 0)) for language in languages.values())
    return IndexStats(pages, time.perf_counter() - started)


def search_vocabulary(org: Org, language: Language) -> dict[str, Any]:
    """What the search script needs besides the index: names to suggest, and the UI's words.

    Only names already public on the site: skills with their aliases, groups other than teams, sites.
    """
    groups = org.groups
    facet_labels = {
        "skill": language.gettext("Skill"),
        **{level: language.gettext("%(level)s in") % {"level": language.gettext(LEVEL_LABELS[level])} for level in LEVELS},
        "team": language.gettext("Team"),
        "location": language.gettext("Location"),
        "language": language.gettext("Language"),
        "group": language.gettext("Group"),
        "kind": language.gettext("Kind"),
    }
    return {
        "skills": [[name, *definition.aliases] for name, definition in sorted(org.directory.skills.definitions.items(), key=lambda i: sort_key(i[0]))],
        "groups": sorted((g.name for g in groups.values() if g.type != "team"), key=sort_key),
        "locations": sorted(org.locations, key=sort_key),
        "facets": list(FACETS),
        "facetLabels": facet_labels,
        "kinds": [language.gettext(label) for label in KIND_LABELS.values()],
        "labels": {
            "placeholder": language.gettext("Search a person, a skill, a team…"),
            "none": language.gettext("Nobody found."),
            "didYouMean": language.gettext("Did you mean:"),
            "all": language.gettext("See all results"),
            "more": language.gettext("More results"),
            "clear": language.gettext("Clear the filters"),
            "one": language.gettext("1 person found"),
            "other": language.gettext("%(count)s people found"),
        },
    }


def search_files(org: Org, language: Language) -> dict[str, str]:
    """The JSON files the search script fetches, by their path in the site."""
    teams = sorted((g.name for g in org.groups.values() if g.type == "team"), key=sort_key)
    return {VOCABULARY_PATH: _json(search_vocabulary(org, language)), TEAMS_PATH: _json(teams)}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
