"""``trombi serve`` shows an edited profile or group at once, before the site around it is built again.

A rebuild of a large directory takes a while (at 10,000 people, most of half a minute, nearly all
of it for pages the edit does not touch and for the search index), and the person who saved the
file is looking at its page. So when every file saved since the last build is a profile or a group
that build had, and the saved files, checked against the directory as ``trombi validate FILE``
checks them, have no error, their pages are rendered first, from the served build's directory with
the saved files in it, and written into the site being served (:func:`preview`).

The rebuild then runs as ever and is served once it is whole (:mod:`generator.engine.serve`). The
previewed pages are what it writes for them, but for what it draws again for the whole site (this
month's lunch pairs, which an edit rarely moves): the preview shows the pairs being served. Any
other change (a new or removed file, ``skills.yaml``, ``mkdocs.yml``, ``docs/``, a photo, a file
with an error) waits for the rebuild, which says its problems as it always has.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from generator.build.plan import SitePlan
from generator.directory.enrich import enrich
from generator.directory.load import suffix
from generator.directory.model import Group, Person
from generator.directory.safefs import atomic_write
from generator.directory.settings import Settings
from generator.directory.validate import Directory, validate_directory
from generator.history.git import History
from generator.network.pairing import MonthPairing
from generator.problems import has_errors
from generator.search.pagefind import Unindexed
from generator.site.render import Renderer
from generator.site.sitepages import Shell, ShellKey, page_bytes

E = TypeVar("E", Person, Group)


@dataclass(frozen=True)
class Shown:
    """What a preview needs of the build being served: its directory, its day and draws, its shells."""

    settings: Settings
    directory: Directory
    history: History
    lunches: list[MonthPairing] | None
    today: date
    shells: Mapping[ShellKey, Shell]

    @classmethod
    def of(cls, plan: SitePlan, shells: Mapping[ShellKey, Shell]) -> Shown:
        renderer = plan.renderer
        return cls(plan.settings, plan.org.directory, plan.history, renderer.lunches, renderer.today, dict(shells))


def preview(shown: Shown, changed: Iterable[Path], site_dir: Path) -> list[str]:
    """Write into ``site_dir`` the pages of the ``changed`` files, as the rebuild will write them; the files written.

    Nothing is written (an empty list) when the change is not only profiles and groups the served
    build has, or when a saved file has an error: the rebuild shows those.
    """
    settings = shown.settings
    edited = _edited(settings, shown.directory, changed)
    if edited is None:
        return []
    people, groups = edited
    paths = [settings.people_path / f"{handle}.yaml" for handle in people] + [settings.groups_path / f"{slug}.yaml" for slug in groups]
    checked, problems = validate_directory(settings, paths)
    if has_errors(problems) or not (people <= checked.people.keys() and groups <= checked.groups.keys()):
        return []
    directory = Directory(
        settings,
        shown.directory.skills,
        _with(shown.directory.people, {handle: checked.people[handle] for handle in people}),
        _with(shown.directory.groups, {slug: checked.groups[slug] for slug in groups}),
    )
    org = enrich(directory)
    renderer = Renderer(org, today=shown.today, history=shown.history, lunches=shown.lunches)
    planned = [renderer.person(handle) for handle in sorted(people)]
    site_of_group = {slug: name for name, slug in org.site_groups.items()}
    for slug in sorted(groups):
        planned += renderer.group(slug, site_of_group.get(slug))
    documents = Unindexed(settings.language)  # the rebuild writes the search documents, under the build's lock
    written = []
    for page in planned:
        file, data = page_bytes(renderer.render(page), shown.shells, directory_urls=settings.use_directory_urls, documents=documents)
        target = site_dir / file
        target.parent.mkdir(parents=True, exist_ok=True)
        # A new file renamed over the served one: the served one may be a link to what the last build kept.
        atomic_write(target, data, durable=False)
        written.append(file)
    return written


def _edited(settings: Settings, directory: Directory, changed: Iterable[Path]) -> tuple[set[str], set[str]] | None:
    """The handles and slugs of the saved profiles and groups; None if anything else changed.

    Other files in those folders (an editor's backups and swap files) are not the directory's:
    the rebuild says what it makes of them.
    """
    people: set[str] = set()
    groups: set[str] = set()
    folders: dict[Path, tuple[set[str], Mapping[str, Person | Group]]] = {
        Path(os.path.abspath(settings.people_path)): (people, directory.people),
        Path(os.path.abspath(settings.groups_path)): (groups, directory.groups),
    }
    for path in changed:
        found = folders.get(path.parent)
        if found is None:
            return None
        if suffix(path.name) != ".yaml":
            continue
        names, known = found
        name = path.name[: -len(".yaml")]
        if name not in known or not path.is_file() or path.is_symlink():
            return None  # a new, removed or renamed file, or a link: the rebuild's
        names.add(name)
    return (people, groups) if people or groups else None


def _with(entities: Mapping[str, E], changed: Mapping[str, E]) -> dict[str, E]:
    """``entities`` in their order, the ``changed`` ones in place of theirs."""
    return {key: changed.get(key, entity) for key, entity in entities.items()}
