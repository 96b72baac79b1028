"""Which time zone a site, a group's meetings and a lunch are in: never a vote of who declares what.

A meeting is at its group's site: the group itself or the nearest of its parents when one is a
site group, else the site its meetings' ``place`` names (``Lyon, salle Saône``). A site's zone is
the one its site group declares (``timezone:``), else the one its name makes known (``Tokyo``,
``Bureau de New York``: the city of an IANA zone). Whatever has no site, or a site of unknown zone
(``En visio``, ``Télétravail``), is at the company's zone: ``extra.trombi.timezone``, else the
first site's zone when it is known, else Europe/Paris.

Members' own ``timezone`` fields say where each person is, not where the meeting is held: a team
at Lyon whose members mostly live in Dublin still meets at 10:00 in Lyon.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import cache

from generator.directory.enrich import Org, slugify, sort_key

DEFAULT_TIMEZONE = "Europe/Paris"
_WORD = re.compile(r"\w+")


class Zones:
    """The zones of one directory's sites and groups, worked out once for every calendar of a build."""

    def __init__(self, org: Org) -> None:
        self.org = org
        settings = org.directory.settings
        self.site_groups = sorted((slug for slug, group in org.groups.items() if group.type == "site"), key=lambda s: (sort_key(org.groups[s].name), s))
        # Every name a place may call a site by, longest first: "Saint-Denis" before "Denis".
        names = {*settings.sites, *org.locations, *(org.groups[slug].name for slug in self.site_groups)}
        self._site_names = sorted(names, key=lambda name: (-len(name), sort_key(name), name))
        self._site_zone: dict[str, str | None] = {}
        self.default = settings.timezone or (settings.sites and self.site(settings.sites[0])) or DEFAULT_TIMEZONE

    def site(self, name: str) -> str | None:
        """The zone of the site called ``name`` (a location, a site group's name), None if unknown."""
        key = sort_key(name)
        if key not in self._site_zone:
            group = self._site_group(name)
            declared = self.org.groups[group].timezone if group is not None else None
            self._site_zone[key] = declared or known_zone(name) or (known_zone(self.org.groups[group].name) if group is not None else None)
        return self._site_zone[key]

    def group(self, slug: str) -> str:
        """The zone of a group's meetings: its site's, else the company's."""
        for current in (slug, *reversed(self.org.group_chain(slug))):
            group = self.org.groups[current]
            if group.type == "site":
                return group.timezone or self.site(group.name) or self.default
        meetings = self.org.groups[slug].meetings
        site = self.named_site(meetings.place) if meetings is not None and meetings.place else None
        return (self.site(site) if site is not None else None) or self.default

    def lunch(self, site: str | None) -> str:
        """The zone of a lunch at ``site`` (None: by video, each from where they are): the site's, else the company's."""
        return (self.site(site) if site else None) or self.default

    def named_site(self, place: str) -> str | None:
        """The site ``place`` names as whole words, the earliest in the text (``Lyon, salle Saône`` -> Lyon)."""
        folded = sort_key(place)
        found: list[tuple[int, str]] = []
        for name in self._site_names:
            match = re.search(rf"(?<!\w){re.escape(sort_key(name))}(?!\w)", folded)
            if match is not None:
                found.append((match.start(), name))
        return min(found, key=lambda item: item[0])[1] if found else None

    def _site_group(self, name: str) -> str | None:
        """The site group of the site ``name``: named so (``Lyon``, ``Site de Lyon``) or by slug (``site-lyon``)."""
        key, slug = sort_key(name), slugify(name)
        for group in self.site_groups:
            title = sort_key(self.org.groups[group].name)
            if group in (slug, f"site-{slug}") or title == key or title.endswith(f" {key}") or title.endswith(f"'{key}"):
                return group
        return None


def known_zone(name: str) -> str | None:
    """The IANA zone whose city ends ``name`` (``Paris``, ``Bureau de New York``, ``Tokyo``), None if none."""
    words = _WORD.findall(sort_key(name).replace("_", " "))
    cities = _cities()
    for start in range(len(words)):
        zone = cities.get(" ".join(words[start:]))
        if zone is not None:
            return zone
    return None


@cache
def _cities() -> dict[str, str]:
    """City name (folded) -> zone; of two zones for one city (a link and its target), the deeper, then the first."""
    cities: dict[str, str] = {}
    for zone in sorted(zoneinfo.available_timezones(), key=lambda z: (-z.count("/"), z)):
        area, _, city = zone.rpartition("/")
        if area and area not in ("Etc", "SystemV", "US", "Canada", "Brazil", "Chile", "Mexico") and not city.startswith("GMT"):
            cities.setdefault(" ".join(_WORD.findall(sort_key(city).replace("_", " ").replace("-", " "))), zone)
    return cities
