"""The browser's search index (Pagefind): the only module that imports pagefind.

Pagefind reads the built pages (person pages mark what is indexed with ``data-pagefind-*``
attributes, see ``templates/person.html.j2``) and writes a split index into ``<site>/pagefind/``:
a browser downloads only the index chunks its query needs, so the cost of a query does not
grow with the company. The site's search script (``assets/search.js``) also fetches a small
vocabulary file, to suggest the closest skill, group or site when a query finds nobody.
"""

from __future__ import annotations

import gzip
import hashlib
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
# The index format the reproducibility step below knows (pagefind[bin] is pinned to it in pyproject.toml).
PAGEFIND_FORMAT = "1.5.2"
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
    _make_reproducible(site_dir / OUTPUT_DIR)
    languages = json.loads(entry.read_text(encoding="utf-8")).get("languages", {})
    pages = sum(int(language.get("page_count", 0)) for language in languages.values())
    return IndexStats(pages, time.perf_counter() - started)


# --- reproducible output ------------------------------------------------------------------------
# Pagefind writes each facet's values in its hash map's order, which changes from run to run, and
# names files by a hash of their content: two builds of the same site would differ in the filter
# files, the meta file naming them and the entry file naming the meta. Facet values are put in
# order here, and those files renamed after their new content, so the same input gives the same
# bytes. Files are gzip-compressed CBOR after a signature, as Pagefind writes them.

_SIGNATURE = b"pagefind_dcd"


def _make_reproducible(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry.get("languages", {}).values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_path)
        renamed: dict[str, str] = {}
        for _, old_hash in meta[3]:  # the facets: [name, file hash] pairs
            path = bundle / "filter" / f"{old_hash}.pf_filter"
            facet_name, values = _read(path)
            content = _write(path, [facet_name, sorted(values, key=lambda value: value[0])])
            renamed[old_hash] = _renamed(path, old_hash, content, 7)
        meta[3] = sorted([name, renamed[old_hash]] for name, old_hash in meta[3])
        language["hash"] = _renamed(meta_path, language["hash"], _write(meta_path, meta), 10)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read(path: Path) -> Any:
    import cbor2

    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise PagefindError(f"{path.name} is not in the format of Pagefind {PAGEFIND_FORMAT}")
    return cbor2.loads(data[len(_SIGNATURE) :])


def _write(path: Path, value: Any) -> bytes:
    import cbor2

    content = _SIGNATURE + cbor2.dumps(value)
    path.write_bytes(gzip.compress(content, mtime=0))
    return content


def _renamed(path: Path, old_hash: str, content: bytes, digits: int) -> str:
    """Rename ``path`` after a hash of ``content``, keeping Pagefind's ``<language>_<hex>`` form."""
    new_hash = old_hash.split("_", 1)[0] + "_" + hashlib.sha256(content).hexdigest()[:digits]
    path.rename(path.with_name(path.name.replace(old_hash, new_hash)))
    return new_hash


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
