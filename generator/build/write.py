"""What a build writes once the engine has rendered its own pages: the other pages, the exports, both search indexes.

Then it counts: N people, groups and skills in means N pages and N search records out, or the
site is not published (:class:`SiteNotWritten`).
"""

from __future__ import annotations

import functools
import os
import shutil
import time
from array import array
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import cast

from generator.build import incremental, spare
from generator.build.plan import SitePlan
from generator.build.state import STATE_DIR
from generator.directory.enrich import Org
from generator.directory.filechecks import valid_name
from generator.directory.load import iter_yaml_files
from generator.directory.model import RESERVED_RE
from generator.parallel import BESIDE, LOWEST, InChild, can_fork
from generator.problems import Message
from generator.progress import Reporter
from generator.search.index import index_path, write_index
from generator.search.pagefind import IndexStats, write_pagefind_index
from generator.search.pagefindfiles import PagefindError
from generator.site import reads
from generator.site.audit import Count, count_pages, describe, expected_pages, searchable
from generator.site.reads import QueryTable, fingerprint
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


FOLDERS_APART_FROM = 5_000  # pages; below, their folders are made as they are written, and MkDocs writes the other files


def ahead_of_mkdocs(pages: Sequence[Planned], files: Sequence[tuple[str, str | bytes]], site_dir: Path, *, directory_urls: bool) -> InChild[int] | None:
    """The folders of ``pages`` made and ``files`` written under ``site_dir`` by a forked child from now on, when the pages are many; None when they are few.

    With folder URLs every page has a folder of its own (``people/ana/index.html``): at 100,000
    people a site has 121,000 of them, and making them was most of placing the kept files (6 to
    20 s of the kernel's time, waited for after the render). A page's folder is the same whether
    the build keeps the page or renders it, so the folders are made as soon as MkDocs has emptied
    the site's folder, while it renders its own pages and the build weighs the others. Whatever
    writes into a folder makes it if it is not there yet: :func:`write_site` waits for this child
    only before it returns.

    ``files``: the features' files that MkDocs would only copy (:class:`generator.engine.docsfiles.WrittenApart`),
    each a path in the site and its content. At 100,000 people, 20,000 calendars: MkDocs wrote them
    one by one in the build's own process, 2.4 to 4.0 s of a merge (0.6 s since), while the other core made folders.
    """
    if len(pages) < FOLDERS_APART_FROM:
        return None

    def ahead() -> int:
        made = make_folders((page_file(page.path, directory_urls=directory_urls) for page in pages), site_dir)
        return made + write_files(files, site_dir)

    return InChild(ahead)


AHEAD_DIR = ".trombi-ahead"  # in the site's folder while it is built: hidden, so MkDocs' cleaning at its start leaves it


def person_folders_ahead(people_dir: Path, site_dir: Path, *, directory_urls: bool) -> InChild[int] | None:
    """The folders of the pages of the people whose files ``people_dir`` holds (``people/ana/``), made by a forked child from now on when they are many.

    Making a folder is the slowest thing a build asks of the kernel on common file systems (35 to
    185 µs each on the benchmarks' machine, where linking a kept file takes 8 µs), and a site of
    100,000 people has a folder per person: 15 s of a core. :func:`ahead_of_mkdocs` can make them
    only once MkDocs has emptied the site's folder, at the end of the plan, when the second core is
    taken by what renders, links the kept files and indexes; in a merge, that core had been idle
    for six to eleven seconds before, while the directory was recalled, validated and enriched.
    So they are made from the build's start, under the hidden :data:`AHEAD_DIR` of the site's
    folder, by a child of the lowest priority, which takes what the build's own processes leave of
    the cores; :func:`bring_ahead` moves them into the site in one step once MkDocs has emptied it.
    The child goes on making them there (it works through its own handle on the folder, wherever
    the folder is); whatever writes into a folder makes it if it is not there yet, and the build
    waits for the child before the site is published. The child lists the people's files itself
    (:func:`person_handles`, half a second at 100,000 people, which the loading lists again); this
    process only counts the folder's entries (0.04 s).
    """
    if not directory_urls or not can_fork() or _entries(people_dir) < FOLDERS_APART_FROM:
        return None
    ahead_dir = site_dir / AHEAD_DIR
    if os.path.lexists(ahead_dir):  # left by a build that was killed, in a folder MkDocs builds into again (`mkdocs build`)
        shutil.rmtree(ahead_dir)
    people = ahead_dir / "people"
    people.mkdir(parents=True)
    # Opened before the fork: the child holds the folder from its first instant, moved or not.
    folder = os.open(people, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)

    def ahead() -> int:
        handles = person_handles(people_dir)
        try:
            for handle in handles:
                with suppress(FileExistsError):  # a page written into it already
                    os.mkdir(handle, dir_fd=folder)
        finally:
            os.close(folder)
        return len(handles)

    try:
        return InChild(ahead, nice=LOWEST)
    finally:
        os.close(folder)  # this process's own copy


def _entries(folder: Path) -> int:
    """How many entries ``folder`` has, whatever they are; 0 if it cannot be listed."""
    try:
        return len(os.listdir(folder))
    except OSError:
        return 0


def person_handles(folder: Path) -> list[str]:
    """The handles the people's files in ``folder`` name (``ana`` for ``ana.yaml``), those a valid directory has a page for: listed, not read."""
    stems = (path.name[: -len(".yaml")] for path in iter_yaml_files(folder))
    return [stem for stem in stems if valid_name(stem) and not RESERVED_RE.fullmatch(stem)]  # as a file's own check names it


def bring_ahead(site_dir: Path, child: InChild[int]) -> bool:
    """The people's folders that ``child`` makes (:func:`person_folders_ahead`) moved at once into ``site_dir``, just emptied by MkDocs; whether they were.

    Where MkDocs did not empty it (``mkdocs serve --dirty``), the child is ended and what it made removed.
    """
    ahead = site_dir / AHEAD_DIR
    if not os.path.lexists(site_dir / "people"):
        os.rename(ahead / "people", site_dir / "people")
        os.rmdir(ahead)
        return True
    child.stop()
    shutil.rmtree(ahead)
    return False


def make_folders(files: Iterable[str], site_dir: Path) -> int:
    """The folders that ``files`` (paths in the site) are in, made under ``site_dir`` if they are not there; how many folders."""
    site = str(site_dir)
    folders = sorted({os.path.join(site, os.path.dirname(file)) for file in files})
    for folder in folders:  # a parent before its children, which then take one call each
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
    return len(folders)


def write_files(files: Iterable[tuple[str, str | bytes]], site_dir: Path) -> int:
    """Each ``(path, content)`` written under ``site_dir`` as MkDocs writes a file it is given (text in UTF-8), its folders made; how many files."""
    site, count = str(site_dir), 0
    made: set[str] = set()
    for path, content in files:
        target = os.path.join(site, path)
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        if isinstance(content, str):
            with open(target, "w", encoding="utf-8") as file:
                file.write(content)
        else:
            with open(target, "wb") as file:
                file.write(content)
        count += 1
    return count


def write_site(
    plan: SitePlan,
    pages: Sequence[Planned],
    shells: dict[ShellKey, Shell],
    site_dir: Path,
    reporter: Reporter,
    folders: InChild[int] | None = None,
    cleared: spare.Cleared | None = None,
) -> Written:
    """Write ``pages`` of ``plan`` into their ``shells``, the exports and the search indexes, under ``site_dir``; check that nothing is missing.

    The pages an earlier build wrote are kept where they would render the same
    (:mod:`generator.build.incremental`); the others are rendered, and kept in turn for the next build.
    ``folders``: the child making the pages' folders and writing the features' files meanwhile (:func:`ahead_of_mkdocs`), waited for before this returns.
    ``cleared``: the files the site holds already, taken from an earlier site (:mod:`generator.build.spare`):
    the kept files of the units kept are left where they are, the others removed before anything is written.
    """
    org, directory_urls = plan.org, plan.directory_urls
    renderer, documents = plan.renderer, plan.documents
    searched = set(plan.searched)

    folder = str(documents.folder)

    def present(file: str) -> bool:
        # A kept profile needs the search document its build wrote beside the site (looked for by Foreseen's child, at scale).
        if file not in searched:
            return True
        return file not in undocumented if undocumented is not None else os.path.isfile(os.path.join(folder, file))

    with reporter.stage("changes", total=len(pages)):
        planned = {page.path: page for page in pages}
        contexts = incremental.contexts_of(pages)
        files_of = functools.partial(incremental.unit_files, directory_urls=directory_urls)  # as Foreseen's child names them
        units = [incremental.Unit(page.path, context, files_of(page.path)) for page, context in zip(pages, contexts, strict=True)]
        exported = {incremental.EXPORT + handle: handle for handle in org.sorted_people}
        # What the site must hold, worked out where every handle is read anyway; the count of the
        # searchable from the set of the hidden that the plan made (generator.site.audit.searchable).
        expected = expected_pages(org, directory_urls=directory_urls)
        records = searchable(org)
        # A person's exports are given their handle, which their key holds, and the site's address.
        given = fingerprint(("export", plan.exports.site_url))
        units += [incremental.Unit(key, given, files_of(key)) for key in exported]
        # A page of the listing is given where it falls and whom it lists; it reads the rest.
        listed = {incremental.LISTING + page.path: page for page in plan.exports.listing()}
        units += [incremental.Unit(key, fingerprint(page), files_of(key)) for key, page in listed.items()]
        base = incremental.base(renderer, shells)
        kept = incremental.open_kept(plan.settings.root / STATE_DIR, base, plan.foreseen.record)
        undocumented = plan.foreseen.undocumented() if kept.record is not None and kept.record is plan.foreseen.record else None
        split = incremental.split(renderer, units, kept, present, plan.inputs, plan.foreseen)
        kept_pages = sum(1 for unit in split.keep if unit.key in planned)
        emptied = spare.settle(site_dir, cleared.retained, {file for unit in split.keep for file in unit.files}) if cleared is not None else []
        reporter.advance(len(pages))  # the pages weighed; "render" then counts those rendered
    to_render = [page for page in pages if page.path in split.make]
    reporter.begin("render", total=len(to_render))
    by_key = {unit.key: unit for unit in units}
    table = QueryTable()  # what the units made by this build read, each query once
    made: dict[str, tuple[incremental.Unit, array[int]]] = {}  # with the numbers of their queries in the table

    def terminal_index() -> tuple[int, float]:
        started = time.perf_counter()
        return write_index(org, index_path(plan.settings), mtime=plan.data_mtime, processes=1, files=plan.inputs), time.perf_counter() - started

    # Whoosh's index for `trombi search`, written by a child: the memory its writing takes (1.1 GiB
    # at 100,000 people, which CPython would keep to the end of the build) is given back when it
    # ends. When the build keeps pages, the index is updated in seconds, beside the page workers.
    # When it renders every page, the index is most likely written whole, which takes a minute:
    # beside the workers that was the build's peak (4.3 GiB across processes at 100,000 people),
    # so the child is forked once they are done. A merge's is waited for last, with Pagefind's, and
    # gives way to it (BESIDE): its seconds of work have time to spare, where a search bundle
    # indexed again is the longest chain of a merge's end.
    terminal: InChild[tuple[int, float]] | None = InChild(terminal_index, nice=BESIDE) if split.keep else None
    indexed: tuple[int, float] | None = None  # the terminal's index: the people in it and how long it took, once done

    def meanwhile() -> None:
        # While workers write the pages, this process writes the exports (each person's JSON and
        # vCard, the JSON listing): the workers hold the cores, and every process more is memory
        # (the build's peak at 100,000 people).
        folders: set[Path] = set()

        def write(path: str, text: str | bytes) -> None:
            target = site_dir / path
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            if isinstance(text, bytes):  # the profile form's gzipped shards
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8")

        seen = cast(Org, renderer.seen)  # what the exports read of the directory, recorded for the next build

        def reading(key: str, make: Callable[[], list[tuple[str, str]]]) -> None:
            reads.start()
            try:
                files = make()
            finally:
                made[key] = (by_key[key], table.numbers(reads.stop()))
            for path, text in files:
                write(path, text)

        for key, handle in exported.items():
            if key in split.make:
                reading(key, partial(plan.exports.person, seen, handle))
        for key, page in listed.items():
            if key in split.make:
                reading(key, partial(page.files, seen))
        for path, data in plan.exports.others():
            write(path, data)

    placing: InChild[int] | None = None
    indexing: _Indexing | None = None
    keeping = ThreadPoolExecutor(1, thread_name_prefix="trombi-keep")

    def pages_written() -> None:
        # A merge's Pagefind, in a child from the moment the pages are: beside the exports, the
        # terminal's index and the keeping, which all take less (a full build's is started after
        # them, on a thread: see _Indexing).
        nonlocal indexing
        if split.keep:
            indexing = _Indexing(plan, site_dir, apart=True)

    try:
        # Meanwhile on the other core; before this build keeps its files, which changes their folder.
        placing = incremental.placing(kept, split.keep, site_dir, *((cleared.retained, cleared.listed) if cleared is not None else ()))
        written = write_pages(
            renderer,
            to_render,
            shells,
            site_dir,
            directory_urls=directory_urls,
            documents=documents,
            progress=reporter.advance,
            meanwhile=meanwhile,
            reading=table,
            known=split.known,
            written=pages_written,
        )
        made |= {path: (by_key[path], ids) for path, ids in written.reads.items()}
        if terminal is None:  # forked now that the page workers have ended, and waited for
            terminal = InChild(terminal_index)
            indexed = terminal.result()
        with reporter.stage("keep"):
            incremental.ask_unasked(renderer, split, table)  # on forked workers when many: before the thread below
        # Pagefind runs beside the rest while this process keeps its files, waits for the kept ones
        # and counts the pages: its stage is what is left of waiting for it once the rest is done.
        reporter.begin("search indexes")
        if indexing is None:  # a full build's, on a thread from here
            indexing = _Indexing(plan, site_dir, apart=bool(split.keep))
        # This build's files kept for the next, while the kept files may still be being linked into
        # the site (the record describes the state's files, not the site): on a thread, while this
        # one waits for the children linking them and for Pagefind's, which leave the interpreter
        # to it. Kept before those waits, a one-profile merge at 100,000 people spent 2.2 to 2.5 s
        # keeping, then 2 s more waiting.
        keeper = keeping.submit(incremental.keep, kept, base, split, made, table, site_dir, plan.inputs)
        reporter.begin("kept files")  # what is left of linking them, and of making the folders
        # Pagefind's failure is said as soon as it is known, not once the children writing into
        # the site are done (the index's own child may take longer to fail than they to end).
        writing = [child for child in (placing, folders) if child is not None]
        while not all(child.ready(0.05) for child in writing) and not indexing.failed():
            pass
        if indexing.failed():  # said now, not once the kept files are linked
            indexing.result()
        placing.result()
        if folders is not None:
            folders.result()  # long done, most likely: nothing of the build goes on after it
        if cleared is not None:  # what is left of the spare that this build did not write
            spare.finish(site_dir, cleared, emptied)
        site = str(site_dir)
        counts = count_pages(expected, lambda page: os.path.isfile(os.path.join(site, page)))
        people, seconds = indexed if indexed is not None else terminal.result()
        lost = describe([*counts, Count("terminal search records", records, people)])
        if lost:
            raise SiteNotWritten("The built site is incomplete, so it was not published:\n" + "\n".join(lost))
        reporter.begin("search indexes")
        stats = indexing.result()
        with reporter.stage("keep"):  # what is left of keeping
            keeper.result()
    finally:
        # A build that failed leaves nothing behind it: no index being written, no child linking, no record being written.
        keeping.shutdown(wait=True)
        if indexing is not None:
            indexing.stop()
        if terminal is not None:
            terminal.stop()
        if placing is not None:
            placing.stop()
        if folders is not None:
            folders.stop()
    lost = describe([Count("Pagefind records", records, stats.pages)])
    if lost:
        raise SiteNotWritten("The built site is incomplete, so it was not published:\n" + "\n".join(lost))
    reporter.end()
    return Written(written.pages + kept_pages, people, seconds, index_path(plan.settings), stats, kept_pages, kept.note)


class _Indexing:
    """Pagefind's index of the people's pages written beside the rest of the build, from now on; its failure is the site's.

    Before Pagefind's own processes start, the documents of people no longer searched are removed,
    and each bundle is weighed by its documents' digests (0.75 s at 100,000 people, in Python).
    When the build keeps pages, this process meanwhile keeps them (the record, the links), and the
    two took turns on the interpreter's lock: Pagefind started three seconds after the render. So
    the indexing is then given a forked child, which answers only with its figures, started as
    soon as the pages are written (before the exports and the keeping). When the build
    renders every page, Pagefind indexes for a minute and a thread waits for it, as a child of a
    process holding the whole directory would add its own memory to the build's highest point
    (keeping beside Pagefind).
    """

    def __init__(self, plan: SitePlan, site_dir: Path, *, apart: bool) -> None:
        documents, searched = plan.documents, plan.searched

        def index() -> IndexStats:
            documents.keep_only(searched)
            return write_pagefind_index(documents.folder, site_dir, searched)

        self._child = InChild(index) if apart and can_fork() else None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="trombi-pagefind") if self._child is None else None
        self._future: Future[IndexStats] | None = self._pool.submit(index) if self._pool is not None else None
        self._outcome: IndexStats | BaseException | None = None  # once the indexing has ended

    def failed(self) -> bool:
        """Whether the index is known to have failed already (then :meth:`result` raises at once)."""
        if self._future is not None:
            return self._future.done() and self._future.exception() is not None
        if self._child is not None and self._outcome is None and self._child.ready():
            self._outcome = self._ended(self._child.result)
        return isinstance(self._outcome, BaseException)

    def result(self) -> IndexStats:
        """What Pagefind indexed, once it is done; :class:`SiteNotWritten` if it failed."""
        if self._outcome is None:
            self._outcome = self._ended(self._future.result if self._future is not None else cast(InChild[IndexStats], self._child).result)
        if isinstance(self._outcome, PagefindError):
            raise SiteNotWritten(f"Search index: {self._outcome}") from None
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        return self._outcome

    @staticmethod
    def _ended(wait: Callable[[], IndexStats]) -> IndexStats | BaseException:
        try:
            return wait()
        except Exception as error:  # raised by result(), in this process
            return error

    def stop(self) -> None:
        """Wait for the indexing if it still runs (the build failed): no index is left being written.

        Waited for, not ended: Pagefind's own processes would go on without the child."""
        if self._child is not None and self._outcome is None:
            self._outcome = self._ended(self._child.result)
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
