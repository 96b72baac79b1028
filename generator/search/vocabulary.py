"""What the search box suggests from: the skills, sections and pages a query can name, written beside the site as JSON."""

from __future__ import annotations

from typing import Any

from generator.directory.enrich import Org, sort_key
from generator.directory.model import LEVELS
from generator.i18n import KIND_LABELS, LEVEL_LABELS, Language
from generator.search.analysis import STOP_WORDS
from generator.search.named import NAMED_LIMIT, SHARDS_DIR, named_pages, shard_rows, shards
from generator.search.pagefind import FACETS, json_text
from generator.search.ranking import LEVEL_WORDS

VOCABULARY_PATH = "assets/search-vocabulary.json"


# Team names grow with the company: they sit in a file of their own, fetched only when a query finds nobody.
TEAMS_PATH = "assets/search-teams.json"


def search_vocabulary(org: Org, language: Language, named_keys: list[str]) -> dict[str, Any]:
    """What the search script needs besides the index: names to suggest, and the UI's words.

    Only names already public on the site: skills with their aliases, groups other than teams, sites,
    languages (a query naming a site or a language searches it as a facet, see ``assets/search.js``).
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
        "languages": sorted({language.language_name(code) for code in org.languages}, key=sort_key),
        # The files of the pages a query can name, by key (generator.search.named): the script fetches only those of its words.
        "namedKeys": named_keys,
        "namedLimit": NAMED_LIMIT,
        "stopWords": sorted(STOP_WORDS),
        "facets": list(FACETS),
        "facetLabels": facet_labels,
        # A result shows the level of the skill it was found by, and a badge for whoever is not an employee.
        "levels": list(LEVELS),
        "levelWords": LEVEL_WORDS,  # a level word in a query asks for a skill at that level or above
        "levelLabels": {level: language.gettext(LEVEL_LABELS[level]) for level in LEVELS},
        "employee": language.gettext(KIND_LABELS["employee"]),
        "labels": {
            "placeholder": language.gettext("Search a person, a skill, a team…"),
            "none": language.gettext("Nobody found."),
            "didYouMean": language.gettext("Did you mean:"),
            "all": language.gettext("See all results"),
            "more": language.gettext("More results"),
            "clear": language.gettext("Clear the filters"),
            "showMore": language.gettext("Show %(count)s more"),
            "atLeast": language.gettext("At least:"),
            "anyLevel": language.gettext("(any level)"),
            "levelNeedsSkill": language.gettext("Choose a skill first."),
            "removeFilter": language.gettext("Remove filter: %(name)s"),
            "one": language.gettext("1 person found"),
            "other": language.gettext("%(count)s people found"),
        },
    }


def search_files(org: Org, language: Language, *, directory_urls: bool = True) -> dict[str, str]:
    """The JSON files the search script fetches, by their path in the site: the vocabulary, the teams, the named pages' shards."""
    teams = sorted((g.name for g in org.groups.values() if g.type == "team"), key=sort_key)
    filed = shards(named_pages(org, language, directory_urls=directory_urls))
    return {
        VOCABULARY_PATH: json_text(search_vocabulary(org, language, list(filed))),
        TEAMS_PATH: json_text(teams),
        **{f"{SHARDS_DIR}/{k}.json": json_text(list(shard_rows(pages, language))) for k, pages in filed.items()},
    }
