"""What a build writes once the engine has rendered its own pages: the other pages, the exports, both search indexes.

Then it counts: N people, groups and skills in means N pages and N search records out, or the
site is not published (:class:`SiteNotWritten`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.build.plan import SitePlan
from generator.progress import Reporter
from generator.search.index import index_path, write_index
from generator.search.pagefind import IndexStats, write_pagefind_index
from generator.search.pagefindfiles import PagefindError
from generator.site.audit import Count, count_pages, describe, searchable
from generator.site.render import Planned
from generator.site.sitepages import Shell, ShellKey, write_pages


class SiteNotWritten(Exception):
    """The site cannot be published: a search index failed, or something is missing; the message says what."""


@dataclass(frozen=True)
class Written:
    """What :func:`write_site` wrote, for the build's log."""

    pages: int
    terminal_people: int  # in Whoosh's index, for `trombi search`
    terminal_seconds: float
    terminal_index: Path
    pagefind: IndexStats


def write_site(plan: SitePlan, pages: Sequence[Planned], shells: dict[ShellKey, Shell], site_dir: Path, reporter: Reporter) -> Written:
    """Write ``pages`` of ``plan`` into their ``shells``, the exports and the search indexes, under ``site_dir``; check that nothing is missing."""
    org, directory_urls = plan.org, plan.directory_urls
    reporter.begin("render", total=len(pages))

    def meanwhile() -> tuple[int, float]:
        # While workers write the pages, this process writes the exports (each person's JSON and
        # vCard, the JSON listing), then Whoosh's index for `trombi search`: in one process, as
        # the workers hold the cores and every process more is memory (the build's peak at
        # 100,000 people).
        folders: set[Path] = set()
        for path, text in plan.exports:
            target = site_dir / path
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            if isinstance(text, bytes):  # the profile form's gzipped shards
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        return write_index(org, index_path(plan.settings), mtime=plan.data_mtime, processes=1), time.perf_counter() - started

    written, (people, seconds) = write_pages(
        plan.renderer, pages, shells, site_dir, directory_urls=directory_urls, documents=plan.documents, progress=reporter.advance, meanwhile=meanwhile
    )
    reporter.begin("search indexes")
    try:
        plan.documents.keep_only(plan.searched)
        stats = write_pagefind_index(plan.documents.folder, site_dir, plan.searched)
    except PagefindError as error:
        raise SiteNotWritten(f"Search index: {error}") from None
    published = (p.relative_to(site_dir).as_posix() for section in ("people", "groups", "skills") for p in (site_dir / section).rglob("*.html"))
    records = searchable(org)
    counts = count_pages(org, published, directory_urls=directory_urls)
    lost = describe([*counts, Count("Pagefind records", records, stats.pages), Count("terminal search records", records, people)])
    if lost:
        raise SiteNotWritten("The built site is incomplete, so it was not published:\n" + "\n".join(lost))
    reporter.end()
    return Written(written.pages, people, seconds, index_path(plan.settings), stats)
