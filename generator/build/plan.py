"""The site as plain data: the directory read and judged (:func:`read_directory`), then planned (:func:`plan_site`).

A :class:`SitePlan` holds every page still to render, every other file with its content, the
exports, what the search engines index and what the build was told on the way; nothing in it is an
engine's object, and nothing changes it once made. An engine renders the pages it must
(:mod:`generator.engine.publish` lets MkDocs render the navigation's and shells), and
:func:`generator.build.write.write_site` writes the rest.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from generator.build import features
from generator.build.features import FEATURES, Planning, StaticFile
from generator.build.incremental import Foreseen, Looked, inputs_of, tables_of
from generator.build.state import STATE_DIR
from generator.directory.enrich import Org, enrich
from generator.directory.perfile import digests_read, forget_fields_set
from generator.directory.settings import Settings
from generator.directory.validate import Directory, validate_directory
from generator.history.git import History, read_history
from generator.interop.exports import ListingPage, listing_pages, person_exports
from generator.network.lunchfiles import pairings_path, read_pairings
from generator.network.pairing import site_months
from generator.parallel import InChild, results_as_ready
from generator.problems import Level, Message, Problem, TrombiError, has_errors, said
from generator.progress import Reporter
from generator.search.index import data_mtime
from generator.search.pagefind import DOCUMENTS_DIR, Documents
from generator.site.form import profile_shards
from generator.site.render import Planned, Renderer, foresee
from generator.site.urls import page_file

Drawing = list[InChild[dict[str, tuple[StaticFile, ...]]]]  # the children drawing the costliest features (_drawn_apart)


@dataclass(frozen=True)
class Checked:
    """A directory that has no errors: its model, its warnings, when its files were read and the digest of each (if they were taken)."""

    settings: Settings
    directory: Directory
    warnings: tuple[Problem, ...]
    data_mtime: float
    digests: Mapping[str, str] = field(default_factory=dict)  # generator.directory.perfile.digests_read


@dataclass(frozen=True)
class Exports:
    """Each person's JSON and vCard, the JSON listing and the profile form's shards of the files, made as they are written (they are as many as the pages).

    A person's exports and each page of the listing are made one at a time (:meth:`person`,
    :meth:`listing`), so that a build keeps those an earlier build made of the same data
    (:mod:`generator.build.incremental`); the rest (:meth:`others`) depends on everyone.
    """

    org: Org
    site_url: str | None
    digests: Mapping[str, str] = field(default_factory=dict)  # of the files as validation read them (Checked.digests)

    def person(self, org: Org, handle: str) -> list[tuple[str, str]]:
        """``handle``'s JSON and vCard, read from ``org`` (this one, or a view of it that records what is read)."""
        return person_exports(org, handle, self.site_url)

    def listing(self) -> list[ListingPage]:
        """The listing's pages, each written from the directory, or a view of it, by :meth:`ListingPage.text`."""
        return listing_pages(self.org)

    def others(self) -> Iterator[tuple[str, str | bytes]]:
        """The form's shards."""
        return profile_shards(self.org, self.org.directory.settings, self.digests)


@dataclass(frozen=True)
class SitePlan:
    """Everything the site will hold, decided before any page is rendered."""

    settings: Settings
    org: Org
    history: History
    renderer: Renderer  # renders a planned page; shared by the engine and the workers that write the rest
    foreseen: Foreseen  # the earlier build's record, its queries asked again meanwhile (generator.build.incremental)
    inputs: Mapping[str, str]  # what the pages are made of, for the record (generator.build.incremental.inputs_of)
    pages: tuple[Planned, ...]
    files: tuple[StaticFile, ...]
    exports: Exports
    searched: tuple[str, ...]  # the pages' files that Pagefind indexes: the people listed
    documents: Documents  # where the pages' search documents are written, beside the site
    warnings: tuple[Problem, ...]
    notes: tuple[str, ...]  # what the build says in passing (no history, no site_url)
    state: tuple[str, ...]  # why what an earlier build kept is not used, in a line (generator.build.state)
    watched: tuple[Path, ...]  # what rebuilds the site when it changes, besides the configuration and docs/
    data_mtime: float

    @property
    def directory_urls(self) -> bool:
        return self.settings.use_directory_urls

    def stop(self) -> None:
        """End what the plan started beside the build, if it still works (the build failed, or did not ask)."""
        self.renderer.stop()
        self.foreseen.stop()


def read_directory(settings: Settings, reporter: Reporter) -> Checked:
    """Load and validate the directory; its errors, with its warnings, raise :class:`TrombiError`."""
    # Taken before reading: a file saved during the build leaves the search index stale, not wrong.
    mtime = data_mtime(settings)
    directory, problems = validate_directory(settings, reporter=reporter)
    if has_errors(problems):
        raise TrombiError(problems)  # the warnings too: the whole list, as `trombi validate` gives it
    forget_fields_set([*directory.people.values(), *directory.groups.values()])  # what the checks alone read
    return Checked(settings, directory, tuple(p for p in problems if p.level is Level.WARNING), mtime, digests_read())


def plan_site(
    checked: Checked,
    *,
    site_url: str | None,
    reporter: Reporter,
    today: date | None = None,
    dropped: Message | None = None,
    looked: InChild[Looked | None] | None = None,
) -> SitePlan:
    """The plan of the site of a valid directory; a broken lunch history raises :class:`TrombiError`, like a broken profile.

    ``dropped``: why :func:`~generator.build.state.check_state`, which the caller runs before the
    directory is read, emptied the state, if it did. ``looked``: the kept files looked at since the
    build began (:func:`~generator.build.incremental.looking_ahead`), which the plan takes over
    (and ends, if it fails).
    """
    try:
        return _plan_site(checked, site_url=site_url, reporter=reporter, today=today, dropped=dropped, looked=looked)
    except BaseException:
        if looked is not None:
            looked.stop()
        raise


def _plan_site(
    checked: Checked, *, site_url: str | None, reporter: Reporter, today: date | None, dropped: Message | None, looked: InChild[Looked | None] | None
) -> SitePlan:
    settings = checked.settings
    moment = build_moment()
    with reporter.stage("enrich"):
        org = enrich(checked.directory)
    large = len(org.people) >= features.PLAN_APART_FROM
    # Weighed before any child is forked (generator.build.incremental.tables_of), for the record's inputs.
    tables = tables_of(org) if checked.digests else {}
    with reporter.stage("history"):
        # Cached next to the search index: a rebuild (serve, the next CI run) reads only new commits.
        history = read_history(settings, days=settings.news_days, now=moment, cache_dir=settings.root / STATE_DIR)
    # Similar people, worked out on the other core from now on: the first steps of the plan (the
    # lunches, the renderer, the offer index, the silo map) leave it idle, 4 to 5 s at 100,000
    # people, where the child was forked beside the features' two. Not before the history: a child
    # holds its answer, and what the build's process has touched since its fork, until the renderer
    # takes it; through a full build's history (two minutes), 280 MiB more at its highest point.
    similar = foresee(org) if large else None
    with reporter.stage("plan"):
        try:
            pairings = read_pairings(settings)
            # One date and one draw of this month's lunch pairs, for the lunch pages and their invitations.
            today = today or (moment.date() if moment else date.today())
            lunches = site_months(org, pairings, today)
            renderer = Renderer(org, today=today, history=history, lunches=lunches, foreseen=similar)  # which stop() ends from now on
        except BaseException:
            if similar is not None:  # the build ends before a renderer took it: nothing of it goes on
                similar[1].stop()
            raise
        foreseen: Foreseen | None = None
        drawing: Drawing = []
        try:
            # Made by the renderer, for the features too, before the children below are forked, which inherit
            # them: the pages' matches, the features' facts of my network and the reads asked again use the
            # offer index (2.6 s to make at 100,000 people); the silos page and the features' pictures, the silo map (1 s).
            made = {"news": renderer.news_items, "offers": renderer.offer_index(), "silos": renderer.silos()}
            planning = Planning(org, settings, renderer.language, history, lunches, today, site_url, **made)
            # The costliest features first, drawn by two children from now on: the rest of the plan reads
            # the earlier build's record meanwhile, and plans the pages (generator.build.features.APART_SETS).
            drawing = _drawn_apart(planning)
            # What the earlier build's pages read, asked again meanwhile (the build's "changes" stage takes the answers).
            inputs = inputs_of(checked.digests, today, history.changes, tables)
            foreseen = Foreseen(
                settings.root / STATE_DIR,
                renderer,
                inputs,
                apart=large and not dropped,
                documents=settings.root / DOCUMENTS_DIR,
                directory_urls=settings.use_directory_urls,
                looked=looked,
            )
            pages, files = _pages_and_files(renderer, planning, drawing)
        except BaseException:
            renderer.stop()  # the build ends here: nothing of it goes on
            _stop(drawing)
            if foreseen is not None:
                foreseen.stop()
            raise
        directory_urls = settings.use_directory_urls
        return SitePlan(
            settings=settings,
            org=org,
            history=history,
            renderer=renderer,
            foreseen=foreseen,
            inputs=inputs,
            pages=pages,
            files=files,
            exports=Exports(org, site_url, checked.digests),
            searched=tuple(page_file(f"people/{handle}.md", directory_urls=directory_urls) for handle in org.listed(list(org.people))),
            documents=Documents(settings.root / DOCUMENTS_DIR, settings.language),
            warnings=checked.warnings,
            notes=tuple(_notes(history, site_url)),
            state=(said(dropped, settings.words),) if dropped else (),
            watched=tuple(_watched(settings)),
            data_mtime=checked.data_mtime,
        )


def _drawn_apart(planning: Planning) -> Drawing:
    """The costliest features' files (:data:`~generator.build.features.APART_SETS`), each set drawn by a forked child from now on at scale."""
    apart = len(planning.org.people) >= features.PLAN_APART_FROM
    drawing: Drawing = []
    try:
        for drawn in features.APART_SETS:
            drawing.append(InChild(functools.partial(_draw, planning, drawn), apart=apart))
    except BaseException:
        _stop(drawing)
        raise
    return drawing


def _draw(planning: Planning, drawn: Iterable[Callable[[Planning], Iterator[StaticFile]]]) -> dict[str, tuple[StaticFile, ...]]:
    return {feature.__name__: tuple(feature(planning)) for feature in drawn}


def _stop(drawing: Drawing) -> None:
    for child in drawing:
        child.stop()


def _pages_and_files(renderer: Renderer, planning: Planning, drawing: Drawing) -> tuple[tuple[Planned, ...], tuple[StaticFile, ...]]:
    """The pages planned, and every feature's files in :data:`FEATURES`' order, those ``drawing`` draws (:func:`_drawn_apart`) among them."""
    try:
        pages = tuple(renderer.plan())
        drawn = _draw(planning, (feature for feature in FEATURES if feature not in features.APART))
        for answer in results_as_ready(drawing):
            drawn |= answer
    finally:
        _stop(drawing)  # what failed here leaves no child drawing behind it
    return pages, tuple(itertools.chain.from_iterable(drawn[feature.__name__] for feature in FEATURES))


def build_moment() -> datetime | None:
    """The moment the site is built as of when ``SOURCE_DATE_EPOCH`` is set; None for now.

    The reproducible-builds convention, which MkDocs follows for its sitemap's dates: the same
    sources and the same moment give the same site, on any machine and any day (the lunch month,
    stale profiles, this week's meetings, the calendars and the window of what's new all depend on it).
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else None


def _notes(history: History, site_url: str | None) -> Iterator[str]:
    # Said in passing, not warned: a build outside git (an export, a tarball) is legitimate and strict builds must pass.
    for note in history.notes:
        yield f"history: {note}"
    if not site_url and history.events:
        yield "history: site_url is not set in mkdocs.yml, so the Atom feed has relative links and tag: ids"


def _watched(settings: Settings) -> Iterator[Path]:
    for path in (settings.people_path, settings.groups_path, settings.skills_path, settings.photos_path, pairings_path(settings)):
        if path.exists():
            yield path
