"""The site's sections: the tabs of its navigation, and the section every page belongs to.

Only the sections' index pages are in the navigation (a company's 100,000 person pages are not):
every other page is shown as a child of its section, which is the tab highlighted over it and the
first link of its breadcrumb. A page's section is the folder of its URL, but for the few pages
whose address says one thing and whose readers look for them in another section: their address is
kept, so that links to them stay good.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from generator.problems import N_


@dataclass(frozen=True, slots=True)
class Section:
    """A tab of the site: its index page (a docs path) and its name (an English msgid of the catalogue)."""

    index: str
    label: str

    @property
    def folder(self) -> str:
        """The folder its pages are under, ``""`` for the home page."""
        return posixpath.dirname(self.index)


HOME = Section("index.md", N_("Home"))
PEOPLE = Section("people/index.md", N_("People"))
SKILLS = Section("skills/index.md", N_("Skills"))
GROUPS = Section("groups/index.md", N_("Groups"))
ORG = Section("org/index.md", N_("Organisation"))
NEWS = Section("news/index.md", N_("What's new"))
LUNCH = Section("lunch/index.md", N_("Lunches"))

SECTIONS = (HOME, PEOPLE, SKILLS, GROUPS, ORG, NEWS, LUNCH)

_BY_FOLDER = {section.folder: section for section in SECTIONS if section.folder}

# Pages at home in another section than their URL's folder. The silo map and the profiles to
# refresh are views of the organisation, beside its teams, sites and languages (the Organisation
# section's own tabs list them); what else is under network/ (offers and seeks that meet) goes with
# the lunch pairing, which brings people together too. The profile form (edit/) is the people's.
_ELSEWHERE = {"network/silos": ORG, "news/stale": ORG, "edit": PEOPLE}  # by the docs path without ".md": a page and its pages 2, 3...
_FOLDERS_ELSEWHERE = {"network": LUNCH}


def section_of(path: str) -> Section | None:
    """The section of the page at docs path ``path``; None for a page of the site's root (the search page, a hand-written page) but the home page."""
    if path == HOME.index:
        return HOME
    stem = path[: -len(".md")] if path.endswith(".md") else path
    for page, section in _ELSEWHERE.items():
        if stem == page or stem.startswith(page + "/"):
            return section
    folder = path.split("/", 1)[0] if "/" in path else ""
    return _BY_FOLDER.get(folder) or _FOLDERS_ELSEWHERE.get(folder)
