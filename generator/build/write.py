"""What a build writes once the engine has rendered its own pages: the other pages, the exports, both search indexes.

Then it counts: N people, groups and skills in means N pages and N search records out, or the
site is not published (:class:`SiteNotWritten`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.build import incremental
from generator.build.plan import SitePlan
from generator.build.state import STATE_DIR
from generator.problems import Message
from generator.progress import Reporter
from generator.search.index import index_path, write_index
from generator.search.pagefind import IndexStats, write_pagefind_index
from generator.search.pagefindfiles import PagefindError
from generator.site.audit import Count, count_pages, describe, searchable
from generator.site.render import Planned
from generator.site.sitepages import Shell, ShellKey, write_pages
from generator.site.urls import page_file


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
    kept: int  # pages an earlier build wrote, kept as they were (generator.build.incremental)
    note: Message | None  # why no page of an earlier build could be kept, when there were some


def write_site(plan: SitePlan, pages: Sequence[Planned], shells: dict[ShellKey, Shell], site_dir: Path, reporter: Reporter) -> Written:
    """Write ``pages`` of ``plan`` into their ``shells``, the exports and the search indexes, under ``site_dir``; check that nothing is missing.

    The pages an earlier build wrote are kept where they would render the same
    (:mod:`generator.build.incremental`); the others are rendered, and kept in turn for the next build.
    """
    org, directory_urls = plan.org, plan.directory_urls
    renderer, documents = plan.renderer, plan.documents
    searched = set(plan.searched)

    def file_of(path: str) -> str:
        return page_file(path, directory_urls=directory_urls)

    def has_document(file: str) -> bool:
        return file not in searched or (documents.folder / file).is_file()

    with reporter.stage("changes", total=len(pages)):
        base = incremental.base(renderer, shells)
        kept = incremental.open_kept(plan.settings.root / STATE_DIR, base)
        split = incremental.split(renderer, pages, kept, file_of, has_document)
        kept_pages = incremental.place_kept(kept, (file_of(planned.path) for planned in split.keep), site_dir)
        reporter.advance(len(pages))  # the pages weighed; "render" then counts those rendered
    reporter.begin("render", total=len(split.render))

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
        renderer,
        split.render,
        shells,
        site_dir,
        directory_urls=directory_urls,
        documents=documents,
        progress=reporter.advance,
        meanwhile=meanwhile,
        reading=True,
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
    with reporter.stage("keep"):
        incremental.keep(kept, base, renderer, split, written.reads, file_of, site_dir)
    reporter.end()
    return Written(written.pages + kept_pages, people, seconds, index_path(plan.settings), stats, kept_pages, kept.note)
