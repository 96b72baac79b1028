"""The browser's search index (Pagefind): the only module that imports pagefind.

Person pages mark what is indexed with ``data-pagefind-*`` attributes (see
``templates/person.html.j2``). That markup weighs 2 kB a profile (0.2 GB at 100,000 people) and
tells a reader nothing, so the site publishes each page without it (:func:`for_search`) and
Pagefind reads a document of its own for each person, kept beside the site, not in it. Pagefind
writes a split index into ``<site>/pagefind/``:
a browser downloads only the index chunks its query needs, so the cost of a query does not
grow with the company. The site's search script (``assets/search.js``) also fetches a small
vocabulary file (:mod:`generator.search.vocabulary`), to suggest the closest skill, group or site
when a query finds nobody. Pagefind's own files are read and rewritten by
:mod:`generator.search.pagefindfiles` alone.

A large company is indexed in *bundles* of at most :data:`BUNDLE_PAGES` people, which the
browser merges into one search (Pagefind's ``mergeIndex`` within each of :data:`WORKERS` web
workers, the search script across them; results and facet counts are summed). Two costs of
Pagefind grow faster than the company otherwise: its indexer holds the whole index in memory
(≈ 60 kB a page: 6 GB at 100,000 people), and it scores each page a query matches by scanning
every match, a cost in the square of the matches ("lyon" matched 31,000 people and took 2.4 s).
Bundles bound both: at most :data:`INDEXERS` bundles in memory at a time, and a broad query's
work divided by the number of bundles.

A person's bundle depends on their page's path alone (:func:`split_pages`), and each bundle
indexed is kept beside the documents (:mod:`generator.search.pagefindcache`): a build indexes again
only the bundles whose documents changed, and gives the same bytes as a build from nothing.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

from generator.directory.load import entries
from generator.directory.model import LEVELS
from generator.search import pagefindfiles
from generator.search.analysis import folding
from generator.search.pagefindcache import BundleCache, DocumentDigests, bundle_key, sweep, unlinked
from generator.search.pagefindfiles import PagefindError, make_reproducible

OUTPUT_DIR = "pagefind"
# Beside the search index of the terminal, under the directory's root: the documents Pagefind
# indexes, one per searched person at the path of their page (see Documents). Not published.
DOCUMENTS_DIR = Path(".trombi") / "search-pages"
# Beside the documents: each bundle's finished output, reused while its documents do not change (see pagefindcache).
BUNDLES_DIR = Path(".trombi") / "pagefind-bundles"
# Beside the documents: the digest of each, by its size and time, so that a build reads only those written since (see pagefindcache).
DIGESTS_FILE = "search-digests.json"
PAGES_GLOB = "**/*.html"
# Pages per bundle. The browser downloads each bundle's small entry and page list and merges the
# results; a merge indexes again each bundle that holds a changed page. At 100,000 people (RESULTS.md,
# 6 December 2026), bundles of 5,000 (21) against 10,000 (11): one bundle indexed in 4 s against 8 s,
# ten changed profiles touch 40,000 pages against 70,000, and the browser's first query takes 500 ms
# against 420 ms, with 12 % more bytes and 78 requests against 48 (see BUNDLE_FILL).
BUNDLE_PAGES = 5_000
# Bundles are planned this full on average (19/20 of BUNDLE_PAGES), as pages fall in them by a digest of
# their path and so not evenly: see split_pages.
BUNDLE_FILL = (19, 20)
# Bundles indexed at once. Pagefind keeps about 1.4 of a 2-core machine's cores busy on one bundle;
# two at once fill them, for one more bundle's index in memory (≈ 0.65 GB at 10,000 pages, half at 5,000).
INDEXERS = 2
# Web workers the browser searches with. Pagefind scores every bundle it is given in one web worker,
# one after the other; the bundles are shared between this many Pagefind modules (each with its own
# worker), so that a broad query is scored on two cores. The first bundle of each group carries
# Pagefind's script and WebAssembly (≈ 160 kB downloaded once more by each group after the first).
WORKERS = 2
# In OUTPUT_DIR: the bundles' folders, relative to OUTPUT_DIR, by web worker (a list of lists).
PARTS_FILE = "parts.json"
# Facet names as the pages declare them (data-pagefind-filter), in the order the search page shows them.
FACETS = ("skill", *reversed(LEVELS), "team", "location", "language", "group", "kind")


# What a generated page holds for search only, besides Pagefind's attributes: the parts between
# these comments (hidden values and aliases), left out of the published page, and the end of what
# Pagefind is given. Comments: a person's text is escaped, so it can never make one.
SEARCH_ONLY = ("<!--search-only-->", "<!--/search-only-->")
INDEXED_END = "<!--/indexed-->"
_SEARCH_ONLY = re.compile(re.escape(SEARCH_ONLY[0]) + ".*?" + re.escape(SEARCH_ONLY[1]), re.DOTALL)
# A start tag whose attributes are all double-quoted, as the templates write them (values escaped),
# and each of its attributes: read in order, a value's text is never taken for an attribute.
_START_TAG = re.compile(r'<([a-z][a-z0-9]*)((?:\s+[^\s="<>/]+(?:="[^"]*")?)*)(\s*/?)>')
_ATTRIBUTE = re.compile(r'\s+([^\s="<>/]+)(?:="[^"]*")?')
_NAME_META = re.compile(r'data-pagefind-meta="name">([^<]*)<')
NAME_WEIGHT = 10  # the person's name, as the page's title (h1) weighs
_BODY = re.compile(r"<[a-z][^<>]*\sdata-pagefind-body[\s>]")
# A <span> around a text that only carries Pagefind's attributes (a skill's level, as a facet).
_SEARCH_SPAN = re.compile(r'<span(?:\s+data-pagefind-[a-z-]+(?:="[^"]*")?)+>([^<]*)</span>')


@dataclass(frozen=True)
class IndexStats:
    pages: int
    bundles: int
    seconds: float
    reused: int = 0  # bundles taken from the cache, not indexed


def for_search(html: str, language: str) -> tuple[str, str | None]:
    """A generated page's HTML as the site publishes it, and the document Pagefind indexes for it.

    The published page leaves out what is between search-only comments, Pagefind's attributes,
    and the spans that only carried them.

    The document is ``None`` for a page that is not searched (no ``data-pagefind-body``): a person
    hidden from search, or a page that is not a profile.
    """
    if "data-pagefind-" not in html:
        return html, None
    indexed = html.split(INDEXED_END, 1)[0]
    body = _BODY.search(indexed)
    document = None
    if body is not None:
        start = indexed.index(">", body.start()) + 1
        indexed = indexed[:start] + _typed_names(html) + indexed[start:]
        document = f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"></head><body>{indexed}</body></html>'
    published = _SEARCH_SPAN.sub(r"\1", _SEARCH_ONLY.sub("", html))
    published = _START_TAG.sub(_without_pagefind, published).replace(INDEXED_END, "")
    return published, document


def _typed_names(html: str) -> str:
    """The words of the person's name as a keyboard types them, where Pagefind would not find them so.

    Pagefind takes marks off letters that decompose (é, ñ), not off those that do not (ł, ø, ı, ð,
    æ), and reads ``O'Brien`` as two words: ``pawel`` found nobody, ``obrien`` nobody. The folded
    words (:func:`generator.search.analysis.fold`, the terminal's too) are added, with the weight
    of the name, where they differ.
    """
    found = _NAME_META.search(html)
    if found is None:
        return ""
    name = unescape(found.group(1))
    plain = {_without_marks(word) for word in name.split()} | {_without_marks(word) for word in re.findall(r"\w+", name)}
    typed = [word for word in dict.fromkeys(folding().words(name)) if word not in plain]
    return f'<span data-pagefind-weight="{NAME_WEIGHT}">{" ".join(typed)}</span>' if typed else ""


def _without_marks(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word.casefold()) if not unicodedata.combining(c))


@dataclass(frozen=True)
class Unindexed:
    """Pages published as :class:`Documents` publishes them, their search documents left unwritten.

    For the pages ``trombi serve`` shows ahead of a rebuild (:mod:`generator.engine.preview`): the
    rebuild that follows writes their documents, under the build's lock.
    """

    language: str

    def publish(self, path: str, html: str) -> str:
        return for_search(html, self.language)[0]


@dataclass(frozen=True)
class Documents:
    """The folder of the documents Pagefind indexes (beside the site, not in it), and their language."""

    folder: Path
    language: str

    def publish(self, path: str, html: str) -> str:
        """``html`` as the site publishes it; its document, if it is searched, is written at ``path`` in the folder."""
        published, document = for_search(html, self.language)
        if document is not None:
            target = self.folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(document, encoding="utf-8")
        return published

    def keep_only(self, pages: Sequence[str]) -> None:
        """Remove the documents of pages not in ``pages`` (people who left or hid from search since an
        earlier build): each build writes over the folder rather than empty it, which at 100,000
        people would cost as much as writing it."""
        if not pages:
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        keep: dict[str, set[str]] = {}  # the names to keep in each folder
        for page in pages:
            parent, _, name = _unit(page).rpartition("/")
            keep.setdefault(parent, set()).add(name)
        for parent, names in keep.items():
            if not (self.folder / parent).is_dir():
                continue
            stale = [entry for entry in entries(self.folder / parent) if entry.name not in names]
            for entry in stale:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)


def _without_pagefind(tag: re.Match[str]) -> str:
    name, attributes, end = tag.groups()
    if "data-pagefind-" not in attributes:
        return tag.group(0)
    kept = "".join(attribute.group(0) for attribute in _ATTRIBUTE.finditer(attributes) if not attribute.group(1).startswith("data-pagefind-"))
    return f"<{name}{kept}{end}>"


def bundle_folders(count: int) -> list[str]:
    """The folders of ``count`` bundles, under ``OUTPUT_DIR``: the first is ``OUTPUT_DIR`` itself."""
    return ["" if number == 1 else f"part-{number}" for number in range(1, count + 1)]


def bundle_count(pages: int, size: int = BUNDLE_PAGES) -> int:
    """How many bundles ``pages`` pages are indexed in: one while they fit in ``size``, else enough
    for bundles of :data:`BUNDLE_FILL` of ``size`` on average, so that a bundle filled by chance
    (see :func:`split_pages`) stays within ``size``."""
    if pages <= size:
        return 1 if pages else 0
    numerator, denominator = BUNDLE_FILL
    return -(-pages * denominator // (size * numerator))


def bundle_slot(page: str, count: int) -> int:
    """Which of ``count`` bundles ``page`` belongs in: a digest of its path alone, so the same on every machine and every build."""
    return int.from_bytes(hashlib.blake2b(page.encode(), digest_size=8).digest(), "big") % count


def split_pages(pages: Sequence[str], size: int = BUNDLE_PAGES) -> list[list[str]]:
    """``pages`` in bundles of at most about ``size``, each in path order; the bundles in a fixed order.

    A page's bundle depends on its path and on the number of bundles only (:func:`bundle_count`,
    which depends on how many pages there are): adding or removing a person changes their own
    bundle and no other, so a build indexes again only that one (:mod:`.pagefindcache`), until the
    count changes. Pages fall in bundles by a digest of their path (:func:`bundle_slot`), so a
    bundle's size varies by chance around the mean: at :data:`BUNDLE_PAGES`, with bundles planned at
    :data:`BUNDLE_FILL`, a bundle over ``size`` is three and a half standard deviations away (one a
    few pages over costs its index as much more memory); with a few pages a bundle, as in tests,
    one may be over ``size``, or empty and left out.
    """
    count = bundle_count(len(pages), size)
    slots: list[list[str]] = [[] for _ in range(count)]
    for page in pages:
        slots[bundle_slot(page, count)].append(page)
    return [sorted(slot) for slot in slots if slot]


def worker_groups(folders: Sequence[str], workers: int = WORKERS) -> list[list[str]]:
    """The bundles' ``folders``, in order, shared as evenly as possible between at most ``workers``."""
    return _even_groups(list(folders), min(workers, len(folders))) if folders else []


def _even_groups(items: list[str], count: int) -> list[list[str]]:
    bounds = [round(index * len(items) / count) for index in range(count + 1)]
    return [items[start:stop] for start, stop in itertools.pairwise(bounds)]


def write_pagefind_index(documents: Path, site_dir: Path, pages: Sequence[str], *, bundle_pages: int | None = None, cache: Path | None = None) -> IndexStats:
    """Index ``pages`` (the documents of person pages in ``documents``, at their paths in the site) into ``site_dir/pagefind``.

    Only the pages given are read, so people hidden from search are left out by construction, not
    only by the pages' markup. A bundle whose documents did not change since an earlier build is
    taken from ``cache`` (by default ``pagefind-bundles`` beside ``documents``), where each bundle
    indexed is kept; entries no longer used are removed. Pagefind takes a folder, not a list: each
    bundle's documents are moved into a scratch folder (a rename each, where links would cost a
    link and an unlink) and back once Pagefind's own binary, run with fixed arguments, has indexed
    them. Pagefind names a result by its document's path, which is its page's path in the site.
    """
    started = time.perf_counter()
    output = site_dir / OUTPUT_DIR
    # What an earlier index left there (a site built from the one it replaced, generator.build.spare):
    # its files that are the bundles' own stay, the others go once all are placed (sweep).
    unlinked(output)
    bundles = split_pages(pages, bundle_pages or BUNDLE_PAGES)
    folders = bundle_folders(len(bundles))
    groups = worker_groups(folders)
    primaries = {group[0] for group in groups}
    store = BundleCache(cache if cache is not None else documents.parent / BUNDLES_DIR.name)
    digests = DocumentDigests(documents.parent / DIGESTS_FILE)
    keys = [
        bundle_key(documents, bundle, folder, runtime=folder in primaries, glob=PAGES_GLOB, digests=digests)
        for bundle, folder in zip(bundles, folders, strict=True)
    ]
    digests.save()
    jobs = [(key, bundle, folder) for key, bundle, folder in zip(keys, bundles, folders, strict=True)]
    # The bundles the cache has no entry for are indexed at once; meanwhile the others are taken
    # from it (each entry checked, then linked), and one found damaged is indexed after them.
    unknown = [number for number, key in enumerate(keys) if not store.holds(key)]

    def restore_the_rest() -> list[tuple[str, Sequence[str], str]]:
        # The entries of no bundle of this build go first, off the end of the build: thousands of files each.
        store.keep_only(keys, writing=True)
        return [job for number, job in enumerate(jobs) if number not in unknown and not store.restore(job[0], output / job[2])]

    indexed = _index(documents, output, [jobs[number] for number in unknown], store, primaries, meanwhile=restore_the_rest)
    store.keep_only(keys)  # a scratch folder that a build stopped on left
    output.mkdir(parents=True, exist_ok=True)
    parts = output / PARTS_FILE
    if os.path.lexists(parts):
        os.unlink(parts)  # a file of an earlier index: replaced, not written through
    parts.write_text(json_text([[f"{folder}/" if folder else "" for folder in group] for group in groups]), encoding="utf-8")
    placed = {PARTS_FILE}
    for target, files in store.placed:
        folder = target.relative_to(output).as_posix()
        placed.update(files if folder == "." else (f"{folder}/{path}" for path in files))
    sweep(output, placed)
    return IndexStats(indexed_pages(site_dir), len(bundles), time.perf_counter() - started, reused=len(bundles) - indexed)


def _index(
    documents: Path,
    output: Path,
    bundles: Sequence[tuple[str, Sequence[str], str]],
    store: BundleCache,
    primaries: set[str],
    *,
    meanwhile: Callable[[], list[tuple[str, Sequence[str], str]]],
) -> int:
    """Index ``bundles`` (key, pages, folder each) with Pagefind, at most :data:`INDEXERS` at once, keeping each in ``store``;
    then those ``meanwhile`` returns, once it has run while Pagefind indexed the first. How many bundles were indexed.

    Pagefind's runs are processes a thread waits for: this process is free to do the rest meanwhile.
    One thread more than :data:`INDEXERS` prepares and finishes bundles (the documents moved in and
    back, the files made reproducible, kept and linked: 1.7 s of Python a bundle of 5,000 people),
    while no more than :data:`INDEXERS` Pagefinds run: with as many threads as Pagefinds, both began
    and ended together, then both finished their bundles on the one interpreter while no Pagefind
    ran, 1.5 to 2 s between each two of a ten-profile merge's five pairs at 100,000 people.
    """
    from pagefind.service import get_executable

    pending = list(bundles) or meanwhile()
    first = bool(bundles)  # else meanwhile has run already
    if not pending:
        return 0
    executable = get_executable()
    if executable is None:
        raise PagefindError("the Pagefind binary was not found: pip install 'pagefind[bin]'")
    running = threading.BoundedSemaphore(INDEXERS)  # Pagefinds at once
    with tempfile.TemporaryDirectory(dir=documents.parent, prefix=".pagefind-") as scratch:

        def index(number: int, key: str, bundle: Sequence[str], folder: str) -> None:
            def make(into: Path) -> None:
                source = Path(scratch) / str(number)
                moved = _move(documents, source, [_unit(page) for page in bundle if (documents / page).is_file()])
                try:  # a missing page is reported by the build's count of what it indexed
                    with running:
                        _run(executable, source, into)
                finally:
                    _move(source, documents, moved)
                make_reproducible(into)
                _drop_unused(into, runtime=folder in primaries)

            store.add(key, make, output / folder)

        with ThreadPoolExecutor(INDEXERS + 1) as pool:
            futures = [pool.submit(index, number, *bundle) for number, bundle in enumerate(pending, 1)]
            if first:
                later = meanwhile()
                futures += [pool.submit(index, number, *bundle) for number, bundle in enumerate(later, len(pending) + 1)]
                pending += later
            for future in futures:
                future.result()  # the first error stops the build
    return len(pending)


def indexed_pages(site_dir: Path) -> int:
    """Pages in the site's Pagefind index, every bundle and language together."""
    output = site_dir / OUTPUT_DIR
    if not (output / "pagefind-entry.json").is_file():  # nobody to search: no bundle at all
        return 0
    total = 0
    for folder in itertools.chain.from_iterable(json.loads((output / PARTS_FILE).read_text(encoding="utf-8"))):
        entry = json.loads((output / folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        total += sum(int(language.get("page_count", 0)) for language in entry.get("languages", {}).values())
    return total


def _unit(page: str) -> str:
    """What holds ``page`` alone in a folder of documents: its own folder (``people/ana/index.html``), or itself."""
    return page[: -len(_INDEX)] if page.endswith(_INDEX) else page


_INDEX = "/index.html"


def _move(origin: Path, target: Path, units: Sequence[str]) -> list[str]:
    """Move ``units`` (paths relative to both folders) from ``origin`` to ``target``; return them."""
    for parent in {posixpath.dirname(unit) for unit in units}:
        (target / parent).mkdir(parents=True, exist_ok=True)
    for unit in units:
        os.replace(origin / unit, target / unit)
    return list(units)


def _drop_unused(bundle: Path, *, runtime: bool) -> None:
    """Leave out Pagefind's ready-made interfaces (the site has its own); without ``runtime``, the
    bundle keeps only its index, served by the script and WebAssembly of its worker's first bundle."""
    for path in bundle.iterdir():
        if path.is_file() and (_UI_FILE.match(path.name) or not (runtime or path.name == "pagefind-entry.json" or path.suffix == ".pf_meta")):
            path.unlink()


_UI_FILE = re.compile(r"pagefind-(component-ui|modular-ui|ui|highlight)\.(js|css)$")


def _run(executable: Path | str, source: Path, bundle: Path) -> None:
    command = [str(executable), "--site", str(source), "--output-path", str(bundle), "--glob", PAGES_GLOB, "--silent"]
    environment = {**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(pagefindfiles.INDEX_CHUNK_SIZE)}
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
    except OSError as error:
        raise PagefindError(f"Pagefind could not run ({error.strerror})") from None
    if result.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise PagefindError(f"Pagefind failed to index {source}: " + (detail[-1] if detail else f"exit code {result.returncode}"))


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
