"""Writing the generated pages into the built site, around the site engine's page loop.

A site engine reads and converts every page before writing any and keeps them all in memory: at
100,000 people that alone was most of a build's time and ≈ 7 GiB. Generated pages are HTML already
(:mod:`generator.site.render`), and every page of one folder depth in one section looks the same
outside its article. So the engine renders one *shell* page per (section, depth), with markers
where a page's own parts go (:data:`TITLE`, :data:`CONTENT`, :data:`ANCHOR`, the shell's own URL),
and :func:`write_pages` fills the shells with each page's parts and writes the pages, in
chunks, on every core, keeping none of them.

Nothing here knows the site engine: :mod:`generator.engine.publish` makes and reads the shells.
"""

from __future__ import annotations

import posixpath
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from html import unescape
from pathlib import Path
from typing import Protocol

import minify_html
from markupsafe import escape

from generator.parallel import can_fork, collector_frozen, cores, forked
from generator.site.reads import ID_TYPE, UNASKED, Query, QueryTable
from generator.site.render import Page, Planned, Renderer
from generator.site.sections import section_of
from generator.site.urls import page_file, page_url

# Markers in the shell pages: unlikely in any real text, and plain ASCII so that no escaping changes them.
TITLE = "trombi-shell-title-7c1e"
CONTENT = "<h1>trombi-shell-content-7c1e</h1>"
ANCHOR = "trombi-shell-anchor-7c1e"
SHELL_NAME = "trombi-shell-7c1e"

# Pages; below, starting workers costs more than it saves. A merge at 100,000 people renders a
# thousand pages or so (a skill's pages cost 10 ms each): one after the other in this process,
# then the exports, that was 11 s of a one-profile build, where 2,000 was the threshold.
PARALLEL_FROM = 200
CHUNK_PAGES = 400  # at most; fewer pages are cut in CHUNKS_PER_WORKER chunks a worker, so that both end together
CHUNKS_PER_WORKER = 4

_HEADING = re.compile(r'<h([1-6])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_GENERATOR = re.compile(r'<meta name="generator"[^>]*>')
_TITLE_TEXT = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_TITLE_ID = re.compile(r'<h1\b[^>]*\bid="([^"]+)"')

ShellKey = tuple[str, int, str]  # the first folder of its pages' URLs, their depth, and their section's index page ("" for none)


def shell_key(path: str, *, directory_urls: bool) -> ShellKey:
    """Pages sharing a shell: same folder and folder depth of their URL (so that the shell's relative
    links hold for them), and same section, whose tab the shell highlights (:mod:`generator.site.sections`)."""
    folder = path.split("/", 1)[0] if "/" in path else ""
    section = section_of(path)
    return folder, page_url(path, directory_urls=directory_urls).count("/"), section.index if section is not None else ""


def shell_path(key: ShellKey, *, directory_urls: bool) -> str:
    """A docs path in ``key``'s folder whose URL has ``key``'s depth: where its shell is rendered.

    Named after the section when it is not the folder's own (the silo map is under network/ but
    in the Organisation section): the engine places each shell under its key's section.
    """
    folder, depth, section = key
    name = SHELL_NAME
    own = section_of(posixpath.join(folder, f"{SHELL_NAME}.md"))
    if section != (own.index if own is not None else ""):
        name += "-" + (posixpath.dirname(section) or "home")
    for extra in range(depth + 2):
        path = posixpath.join(folder, *([SHELL_NAME] * extra), f"{name}.md")
        if page_url(path, directory_urls=directory_urls).count("/") == depth:
            return path
    raise ValueError(f"no shell path for {key}")


def shell_top(path: str, *, directory_urls: bool) -> str:
    """What the shell page at docs path ``path`` is in the built site, from the site's root: the file or folder to remove once it is read."""
    parts = page_file(path, directory_urls=directory_urls).split("/")
    top = next(index for index, part in enumerate(parts) if SHELL_NAME in part)
    return "/".join(parts[: top + 1])


def compact(html: str) -> str:
    """A whole page as it is published: what browsers do not need left out.

    The theme's templates indent deeply and break lines everywhere, and HTML needs neither the
    quotes around most attribute values nor most end tags (``</li>``, ``</p>``...): 7 % of the
    site's HTML at 10,000 people. minify-html leaves them out as the HTML standard allows,
    leaves <pre> and <textarea> alone, and keeps every character reference a browser would read
    differently without it (its defaults are the spec-compliant ones).

    In <title>, where browsers read no tags, minify-html writes ``<`` as itself; a title is the
    name of a person or group, typed by anyone, so it is escaped again: whatever reads it, a person's
    name never reads as markup.
    """
    return _TITLE_TEXT.sub(_escaped_title, minify_html.minify(html), count=1)


def _escaped_title(found: re.Match[str]) -> str:
    return f"<title>{escape(unescape(found.group(1)))}</title>"


def headings(html: str) -> list[tuple[int, str, str]]:
    """``(level, id, text)`` of the headings of a page that carry an id, in order."""
    return [(int(level), anchor, _TAG.sub("", inner).strip()) for level, anchor, inner in _HEADING.findall(html)]


class SearchDocuments(Protocol):
    """Where a page leaves what only search needs (generator.search.pagefind.Documents, which the
    engine hands in): the site does not depend on the search that reads it."""

    def publish(self, path: str, html: str) -> str: ...


@dataclass(frozen=True, slots=True)
class Shell:
    """A rendered page cut at its markers: literal pieces, and between them the names of the page's parts."""

    pieces: tuple[str, ...]

    @classmethod
    def parse(cls, html: str, url: str) -> Shell:
        """Cut the engine's rendering of the shell page at ``url``."""
        if html.count(CONTENT) != 1:
            raise ValueError(f"the shell page {url} does not hold its content marker once")
        # The engine's name and version help no reader. (Each page is minified once filled: see compact.)
        html = _GENERATOR.sub("", html)
        pattern = "(" + "|".join(re.escape(m) for m in (CONTENT, TITLE, ANCHOR, url)) + ")"
        pieces = tuple(re.split(pattern, html))
        if any(SHELL_NAME in piece for piece in pieces[::2]):
            raise ValueError(f"the shell page {url} names itself in a way that cannot be filled in")
        return cls(pieces)

    def fill(self, page: Page, url: str) -> str:
        """The whole HTML of ``page``, whose URL is ``url`` (from the site's root)."""
        first = _TITLE_ID.search(page.html)
        anchor = first.group(1) if first else ""
        parts = {CONTENT: page.html, TITLE: str(escape(page.title)), ANCHOR: anchor}
        # The pieces alternate: literal, marker, literal...; a marker that is not a part is the shell's URL.
        return "".join(piece if index % 2 == 0 else parts.get(piece, url) for index, piece in enumerate(self.pieces))


@dataclass(frozen=True, slots=True)
class Written:
    pages: int
    bytes: int
    # By page path, when asked for (see write_pages): the numbers of what each page read, in ``table``,
    # which holds what those reads answered, asked where the page was rendered.
    reads: dict[str, array[int]] = field(default_factory=dict)
    table: QueryTable = field(default_factory=QueryTable)

    @classmethod
    def summed(cls, chunks: Iterable[Written], table: QueryTable | None = None) -> Written:
        """The chunks' figures together, their reads numbered in one ``table`` (each query kept once, not once a page)."""
        pages = size = 0
        reads: dict[str, array[int]] = {}
        table = table if table is not None else QueryTable()
        for chunk in chunks:
            pages, size = pages + chunk.pages, size + chunk.bytes
            numbers = table.numbered(chunk.table)
            for path, ids in chunk.reads.items():
                reads[path] = array(ID_TYPE, map(numbers.__getitem__, ids))
        return cls(pages, size, reads, table)


def page_bytes(page: Page, shells: Mapping[ShellKey, Shell], *, directory_urls: bool, documents: SearchDocuments | None) -> tuple[str, bytes]:
    """``page`` as the site publishes it: its file in the site, and its bytes, filled into its shell and compacted."""
    file = page_file(page.path, directory_urls=directory_urls)
    if documents is not None:
        page = replace(page, html=documents.publish(file, page.html))
    html = shells[shell_key(page.path, directory_urls=directory_urls)].fill(page, page_url(page.path, directory_urls=directory_urls))
    return file, compact(html).encode("utf-8")


def write_pages(
    renderer: Renderer,
    plan: Sequence[Planned],
    shells: dict[ShellKey, Shell],
    site_dir: Path,
    *,
    directory_urls: bool,
    documents: SearchDocuments | None = None,
    progress: Callable[[int], None] = lambda done: None,
    meanwhile: Callable[[], None] = lambda: None,
    reading: QueryTable | None = None,
    known: Callable[[Query], str | None] = lambda query: UNASKED,
    written: Callable[[], None] = lambda: None,
) -> Written:
    """Render, fill and write the pages of ``plan`` under ``site_dir``; ``progress`` hears of each chunk done.

    With ``documents``, a page is published without what only search needs, which is written
    there for Pagefind (:meth:`generator.search.pagefind.Documents.publish`).

    From :data:`PARALLEL_FROM` pages on, chunks are rendered by forked workers, which share the
    directory and the renderer with this process instead of receiving copies, and this process
    runs ``meanwhile`` (other work of the build) while they do; where ``fork`` does not exist,
    pages are written here, one after the other, then ``meanwhile`` runs.

    With a table to number them in, ``reading``, what each page read while it rendered comes back
    too (``Written.reads``, :mod:`generator.site.reads`), with what each read answers (asked by the
    worker that rendered the page, which has the directory at hand), for the next build to know
    which pages changed; ``known`` gives those answers the build has already (:data:`~generator.site.reads.UNASKED` for
    the others), which are not asked again.

    ``written`` is called once every page is written, by this thread while no other of this call
    runs (it may fork): before ``meanwhile`` where the pages are written here, after it otherwise.
    """
    job = _Job(renderer, plan, shells, site_dir, directory_urls, documents, reading is not None, known)
    size = max(1, min(CHUNK_PAGES, -(-len(plan) // (cores() * CHUNKS_PER_WORKER))))
    chunks = [(start, min(start + size, len(plan))) for start in range(0, len(plan), size)]
    workers = min(cores(), len(chunks))
    if len(plan) < PARALLEL_FROM or workers < 2 or not can_fork():
        renderer.gather()  # similar people and the skills held together, if a child worked them out already
        done: list[Written] = []
        # Rendering makes cycles (a template's module and its macros), which a build's paused
        # collector would keep to its end: collected as the workers collect them, the heap the
        # pages read left out of the walk.
        with collector_frozen():
            for start, stop in chunks:
                done.append(job.run(start, stop))
                progress(done[-1].pages)
        written()
        total = Written.summed(done, reading)
        meanwhile()
        return total
    # Computed once here, not once per worker: with the profiles' and groups' fingerprints when the
    # plan is about the whole site (as many pages as people), whose pages read nearly all of them.
    renderer.prepare(entries=reading is not None and len(plan) >= len(renderer.org.people))
    # The workers inherit the job (the renderer and the whole directory) at the fork.
    with forked(job.run_chunk, workers) as submit:
        finished = as_completed([submit((start, stop)) for start, stop in chunks])  # no other reference kept to a chunk's result
        # `meanwhile` runs on a thread started after the workers were forked, while this one folds
        # each chunk's reads into the table as the chunk ends, and lets the chunk go. Folded at the
        # end, the chunks' tables (each with its copy of what many pages read) were 2 GiB of this
        # process at 100,000 people, held until the last page was written.
        with ThreadPoolExecutor(1, thread_name_prefix="trombi-meanwhile") as beside:
            other = beside.submit(meanwhile)
            # A worker's error stops the build here (once `meanwhile` is done).
            total = Written.summed(_told(finished, progress), reading)
        other.result()
    written()
    return total


def _told(finished: Iterator[Future[Written]], progress: Callable[[int], None]) -> Iterator[Written]:
    """Each chunk's result as it ends, ``progress`` told of its pages."""
    for future in finished:
        chunk = future.result()
        progress(chunk.pages)
        yield chunk


@dataclass(frozen=True, slots=True)
class _Job:
    renderer: Renderer
    plan: Sequence[Planned]
    shells: dict[ShellKey, Shell]
    site_dir: Path
    directory_urls: bool
    documents: SearchDocuments | None
    reading: bool
    known: Callable[[Query], str | None]

    def run(self, start: int, stop: int) -> Written:
        size = 0
        reads: dict[str, array[int]] = {}
        table = QueryTable()  # the chunk's own: each query asked and sent back once
        for planned in self.plan[start:stop]:
            if self.reading:
                page, found = self.renderer.render_reading(planned)
                for query in found:
                    if query not in table:
                        answer = self.known(query)
                        table.number(query, self.renderer.answer_or_none(query) if answer == UNASKED else answer)
                reads[planned.path] = table.numbers(found)
            else:
                page = self.renderer.render(planned)
            file, data = page_bytes(page, self.shells, directory_urls=self.directory_urls, documents=self.documents)
            target = self.site_dir / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            size += len(data)
        return Written(stop - start, size, reads, table)

    def run_chunk(self, chunk: tuple[int, int]) -> Written:
        return self.run(*chunk)
