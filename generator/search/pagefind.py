"""The browser's search index (Pagefind): the only module that imports pagefind.

Person pages mark what is indexed with ``data-pagefind-*`` attributes (see
``templates/person.html.j2``). That markup weighs 2 kB a profile (0.2 GB at 100,000 people) and
tells a reader nothing, so the site publishes each page without it (:func:`for_search`) and
Pagefind reads a document of its own for each person, kept beside the site, not in it. Pagefind
writes a split index into ``<site>/pagefind/``:
a browser downloads only the index chunks its query needs, so the cost of a query does not
grow with the company. The site's search script (``assets/search.js``) also fetches a small
vocabulary file, to suggest the closest skill, group or site when a query finds nobody.

A large company is indexed in *bundles* of at most :data:`BUNDLE_PAGES` people, which the
browser merges into one search (Pagefind's ``mergeIndex`` within each of :data:`WORKERS` web
workers, the search script across them; results and facet counts are summed). Two costs of
Pagefind grow faster than the company otherwise: its indexer holds the whole index in memory
(≈ 60 kB a page: 6 GB at 100,000 people), and it scores each page a query matches by scanning
every match, a cost in the square of the matches ("lyon" matched 31,000 people and took 2.4 s).
Bundles bound both: at most :data:`INDEXERS` bundles in memory at a time, and a broad query's
work divided by the number of bundles.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import json
import math
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.directory.enrich import Org, sort_key
from generator.directory.load import entries
from generator.directory.model import LEVELS
from generator.i18n import KIND_LABELS, LEVEL_LABELS, Language
from generator.site.render import page_url

OUTPUT_DIR = "pagefind"
# Beside the search index of the terminal, under the directory's root: the documents Pagefind
# indexes, one per searched person at the path of their page (see Documents). Not published.
DOCUMENTS_DIR = Path(".trombi") / "search-pages"
# The index format the reproducibility step below knows (pagefind[bin] is pinned to it in pyproject.toml).
PAGEFIND_FORMAT = "1.5.2"
VOCABULARY_PATH = "assets/search-vocabulary.json"
# Team names grow with the company: they sit in a file of their own, fetched only when a query finds nobody.
TEAMS_PATH = "assets/search-teams.json"
PAGES_GLOB = "**/*.html"
# Pages per bundle. The browser downloads each bundle's small entry and page list and merges the
# results; at 10,000 pages a bundle indexes in ≈ 0.7 GB and a query matching all of them is scored in
# ≈ 0.2 s, so 100,000 people make 10 bundles.
BUNDLE_PAGES = 10_000
# Bundles indexed at once. Pagefind keeps about 1.4 of a 2-core machine's cores busy on one bundle;
# two at once fill them, for one more bundle's index in memory (≈ 0.65 GB).
INDEXERS = 2
# Web workers the browser searches with. Pagefind scores every bundle it is given in one web worker,
# one after the other; the bundles are shared between this many Pagefind modules (each with its own
# worker), so that a broad query is scored on two cores. The first bundle of each group carries
# Pagefind's script and WebAssembly (≈ 160 kB downloaded once more by each group after the first).
WORKERS = 2
# In OUTPUT_DIR: the bundles' folders, relative to OUTPUT_DIR, by web worker (a list of lists).
PARTS_FILE = "parts.json"
# Postings (a page's entry for a word, and each of its positions) per index chunk, the file a query
# downloads for each of its words from every bundle. Pagefind's default makes chunks of ≈ 20 kB, most
# of it words the query did not ask for: ten bundles made a query download ≈ 200 kB. At this size a
# chunk holds at most ≈ 2 kB of rarer words, and a word with this many postings or more is given a
# chunk of its own (see _common_words_alone). Pagefind 1.5.2 reads it from its environment only.
INDEX_CHUNK_SIZE = 1_000
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
_BODY = re.compile(r"<[a-z][^<>]*\sdata-pagefind-body[\s>]")
# A <span> around a text that only carries Pagefind's attributes (a skill's level, as a facet).
_SEARCH_SPAN = re.compile(r'<span(?:\s+data-pagefind-[a-z-]+(?:="[^"]*")?)+>([^<]*)</span>')


class PagefindError(Exception):
    """Pagefind could not index the site (its binary is missing, or it failed)."""


@dataclass(frozen=True)
class IndexStats:
    pages: int
    bundles: int
    seconds: float


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
    document = f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"></head><body>{indexed}</body></html>' if _BODY.search(indexed) else None
    published = _SEARCH_SPAN.sub(r"\1", _SEARCH_ONLY.sub("", html))
    published = _START_TAG.sub(_without_pagefind, published).replace(INDEXED_END, "")
    return published, document


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
        keep = {_unit(page) for page in pages}
        if not keep:
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        for parent in {posixpath.dirname(unit) for unit in keep}:
            if not (self.folder / parent).is_dir():
                continue
            stale = [entry for entry in entries(self.folder / parent) if posixpath.join(parent, entry.name) not in keep]
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


def split_pages(pages: Sequence[str], size: int = BUNDLE_PAGES) -> list[list[str]]:
    """``pages`` in path order, cut into the fewest bundles of at most ``size``, as even as possible."""
    ordered = sorted(pages)
    return _even_groups(ordered, max(1, math.ceil(len(ordered) / size)))


def worker_groups(folders: Sequence[str], workers: int = WORKERS) -> list[list[str]]:
    """The bundles' ``folders``, in order, shared as evenly as possible between at most ``workers``."""
    return _even_groups(list(folders), min(workers, len(folders))) if folders else []


def _even_groups(items: list[str], count: int) -> list[list[str]]:
    bounds = [round(index * len(items) / count) for index in range(count + 1)]
    return [items[start:stop] for start, stop in itertools.pairwise(bounds)]


def write_pagefind_index(documents: Path, site_dir: Path, pages: Sequence[str], *, bundle_pages: int | None = None) -> IndexStats:
    """Index ``pages`` (the documents of person pages in ``documents``, at their paths in the site) into ``site_dir/pagefind``.

    Only the pages given are read, so people hidden from search are left out by construction, not
    only by the pages' markup. Pagefind takes a folder, not a list: each bundle's documents are
    moved into a scratch folder (a rename each, where links would cost a link and an unlink) and
    back once Pagefind's own binary, run with fixed arguments, has indexed them. Pagefind names a
    result by its document's path, which is its page's path in the site.
    """
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise PagefindError("the Pagefind binary was not found: pip install 'pagefind[bin]'")
    started = time.perf_counter()
    output = site_dir / OUTPUT_DIR
    shutil.rmtree(output, ignore_errors=True)
    bundles = split_pages(pages, bundle_pages or BUNDLE_PAGES) if pages else []
    folders = bundle_folders(len(bundles))
    groups = worker_groups(folders)
    primaries = {group[0] for group in groups}
    with tempfile.TemporaryDirectory(dir=documents.parent, prefix=".pagefind-") as scratch:

        def index(number: int, bundle: Sequence[str], folder: str) -> None:
            source = Path(scratch) / str(number)
            moved = _move(documents, source, [_unit(page) for page in bundle if (documents / page).is_file()])
            try:  # a missing page is reported by the build's count of what it indexed
                _run(executable, source, output / folder)
            finally:
                _move(source, documents, moved)
            _make_reproducible(output / folder)
            _drop_unused(output / folder, runtime=folder in primaries)

        with ThreadPoolExecutor(max(1, min(INDEXERS, len(bundles)))) as pool:
            for future in [pool.submit(index, number, bundle, folder) for number, (bundle, folder) in enumerate(zip(bundles, folders, strict=True), 1)]:
                future.result()  # the first error stops the build
    output.mkdir(parents=True, exist_ok=True)
    (output / PARTS_FILE).write_text(_json([[f"{folder}/" if folder else "" for folder in group] for group in groups]), encoding="utf-8")
    return IndexStats(indexed_pages(site_dir), len(bundles), time.perf_counter() - started)


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
    return posixpath.dirname(page) if posixpath.basename(page) == "index.html" and "/" in page else page


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
    environment = {**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(INDEX_CHUNK_SIZE)}
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
    except OSError as error:
        raise PagefindError(f"Pagefind could not run ({error.strerror})") from None
    if result.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise PagefindError(f"Pagefind failed to index {source}: " + (detail[-1] if detail else f"exit code {result.returncode}"))


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
        meta[2] = _common_words_alone(bundle, meta[2])
        language["hash"] = _renamed(meta_path, language["hash"], _write(meta_path, meta), 10)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# --- index chunks: common words alone, bounds without gaps ----------------------------------------
# Pagefind fills a chunk with words in alphabetical order and closes it once it holds
# INDEX_CHUNK_SIZE postings, so a common word shares its chunk with the rarer words around it: the
# query "prise de parole" downloaded the postings of "prevost" and "princ" besides those of "pris",
# about 2 kB in each of ten bundles. A chunk is cut before and after each common word, its bytes
# kept as Pagefind wrote them, but never between a word and a longer one it begins: the browser
# looks a term's longer forms up in the chunk it loads for the term ("développ" finds
# "développeur" in its chunk).
#
# The browser loads the chunk whose bounds hold a term (``from <= term <= to``), and when none
# does, every chunk whose bounds the term's prefixes match. Pagefind cuts each bound to the
# shortest prefix that tells two chunks apart, which leaves gaps between chunks, and even words
# outside their own chunk: typing "developme", on the way to "development", loaded the chunk of
# "de" (68 kB) from every bundle. Here the first chunk begins with the empty string, each chunk
# ends just before the next begins, and the last ends with the last code point, so a term always
# falls in one chunk: the one whose words come before it, where Pagefind finds the longest word
# the term begins with.


def _common_words_alone(bundle: Path, chunks: list[list[str]]) -> list[list[str]]:
    """The chunk list (``[from, to, hash]`` each) once every common word has a chunk of its own, and no gap between chunks."""
    import cbor2

    starts: list[tuple[str, str]] = []  # each chunk's first bound and name, in order
    for first, _, name in chunks:
        path = bundle / "index" / f"{name}.pf_index"
        data = gzip.decompress(path.read_bytes())
        outer, at = _array_header(data, len(_SIGNATURE))
        if outer != 1:
            raise PagefindError(f"{path.name} is not in the format of Pagefind {PAGEFIND_FORMAT}")
        count, at = _array_header(data, at)
        if count < 2:
            starts.append((first, name))
            continue
        stream = io.BytesIO(data)
        stream.seek(at)
        decoder = cbor2.CBORDecoder(stream)
        parts: list[list[tuple[str, int, int]]] = []  # each part's words: (word, start, end) in data
        was_common = False
        for _ in range(count):
            at = stream.tell()
            word = decoder.decode()
            common = postings(word) >= INDEX_CHUNK_SIZE
            if not parts or ((common or was_common) and not word[0].startswith(parts[-1][-1][0])):
                parts.append([])
            parts[-1].append((word[0], at, stream.tell()))
            was_common = common
        if len(parts) == 1:
            starts.append((first, name))
            continue
        language = name.split("_", 1)[0]
        bounds = [first, *(_bound(one[-1][0], two[0][0]) for one, two in itertools.pairwise(parts))]
        for bound, part in zip(bounds, parts, strict=True):
            content = _SIGNATURE + _array(1) + _array(len(part)) + data[part[0][1] : part[-1][2]]
            starts.append((bound, _write_chunk(bundle, language, content)))
        path.unlink()
    if not starts:
        return []
    starts[0] = ("", starts[0][1])
    ends = [_just_before(bound) for bound, _ in starts[1:]] + [_LAST_CHARACTER]
    return [[bound, end, name] for (bound, name), end in zip(starts, ends, strict=True)]


def postings(word: list[Any]) -> int:
    """A word's size in an index chunk: each page's entry and positions, and those of its variants
    (the word with other accents), which Pagefind 1.5.2 leaves out when it fills a chunk."""
    _, pages, variants = word
    every_page = [*pages, *(page for _, variant_pages in variants for page in variant_pages)]
    return sum(len(locations) + len(meta_locations) + 1 for _, locations, meta_locations in every_page) + len(variants)


def _bound(last: str, first: str) -> str:
    """Where a chunk that begins with the word ``first`` begins, after one that ends with the word
    ``last``: the shortest prefix of ``first`` that comes after ``last``."""
    common = next((at for at, (one, two) in enumerate(zip(last, first, strict=False)) if one != two), min(len(last), len(first)))
    return first[: common + 1]


# The last code point; the one before U+E000 is the last before the surrogates, which no text holds.
_LAST_CHARACTER = "\U0010ffff"


def _just_before(bound: str) -> str:
    """The end of a chunk when the next begins at ``bound``: every string before ``bound`` is at most
    this one, but for those that go on with the last code point, which no word holds."""
    previous = ord(bound[-1]) - 1
    if previous < 0:  # the string just before one that ends with U+0000 is the one without it
        return bound[:-1]
    return bound[:-1] + chr(0xD7FF if 0xD800 <= previous <= 0xDFFF else previous) + _LAST_CHARACTER


# CBOR's array headers: the length in the first byte below 24, else in the 1, 2 or 4 bytes after it.
_ARRAY = 0x80
_LENGTH_BYTES = {24: 1, 25: 2, 26: 4}


def _array_header(data: bytes, at: int) -> tuple[int, int]:
    """The length of the CBOR array whose header is at ``at``, and where its first item begins."""
    initial = data[at] if at < len(data) else 0
    if initial & 0xE0 != _ARRAY or (initial & 0x1F >= 24 and initial & 0x1F not in _LENGTH_BYTES):
        raise PagefindError(f"an index chunk is not in the format of Pagefind {PAGEFIND_FORMAT}")
    size = _LENGTH_BYTES.get(initial & 0x1F, 0)
    if not size:
        return initial & 0x1F, at + 1
    return int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size


def _array(length: int) -> bytes:
    """The shortest CBOR header of an array of ``length`` items, as Pagefind writes it."""
    if length < 24:
        return bytes([_ARRAY | length])
    size = next(size for size in (1, 2, 4) if length < 1 << (8 * size))
    return bytes([_ARRAY | {1: 24, 2: 25, 4: 26}[size]]) + length.to_bytes(size, "big")


def _write_chunk(bundle: Path, language: str, content: bytes) -> str:
    """Write an index chunk named, as Pagefind names them, after its language and content; return its name."""
    digits = 7
    while True:
        name = _hashed(language, content, digits)
        path = bundle / "index" / f"{name}.pf_index"
        if not path.exists():  # never overwrite another chunk
            _store(path, content)
            return name
        digits += 1


def _read(path: Path) -> Any:
    import cbor2

    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise PagefindError(f"{path.name} is not in the format of Pagefind {PAGEFIND_FORMAT}")
    return cbor2.loads(data[len(_SIGNATURE) :])


def _write(path: Path, value: Any) -> bytes:
    import cbor2

    content = _SIGNATURE + cbor2.dumps(value)
    _store(path, content)
    return content


def _store(path: Path, content: bytes) -> None:
    """Write a file's content (signature and CBOR) compressed, as Pagefind writes it."""
    path.write_bytes(gzip.compress(content, mtime=0))


def _renamed(path: Path, old_hash: str, content: bytes, digits: int) -> str:
    """Rename ``path`` after a hash of ``content``, keeping Pagefind's ``<language>_<hex>`` form."""
    new_hash = _hashed(old_hash.split("_", 1)[0], content, digits)
    path.rename(path.with_name(path.name.replace(old_hash, new_hash)))
    return new_hash


def _hashed(language: str, content: bytes, digits: int) -> str:
    """A file's name in Pagefind's ``<language>_<hex>`` form, after a hash of its content."""
    return f"{language}_{hashlib.sha256(content).hexdigest()[:digits]}"


def search_vocabulary(org: Org, language: Language, *, directory_urls: bool = True) -> dict[str, Any]:
    """What the search script needs besides the index: names to suggest, and the UI's words.

    Only names already public on the site: skills with their aliases, groups other than teams, sites,
    languages (a query naming a site or a language searches it as a facet, see ``assets/search.js``).
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
        "languages": sorted({language.language_name(code) for code in org.languages}, key=sort_key),
        # A query naming only a site or a language is answered by its page: as a filter alone, Pagefind
        # would download its whole index (20 MB at 100,000 people) to list a quarter of the company.
        "pages": {
            **{name: _page_entry(f"org/locations/{slug}.md", len(org.locations[name]), language, directory_urls) for name, slug in org.location_slugs.items()},
            **{
                language.language_name(code): _page_entry(f"org/languages/{code}.md", len(handles), language, directory_urls)
                for code, handles in org.languages.items()
            },
        },
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


def _page_entry(path: str, people: int, language: Language, directory_urls: bool) -> list[str]:
    """A page of the site to offer in the search box: its URL from the site's root, and how many people it lists."""
    return [page_url(path, directory_urls=directory_urls), language.ngettext("%(num)s person", "%(num)s people", people) % {"num": language.number(people)}]


def search_files(org: Org, language: Language, *, directory_urls: bool = True) -> dict[str, str]:
    """The JSON files the search script fetches, by their path in the site."""
    teams = sorted((g.name for g in org.groups.values() if g.type == "team"), key=sort_key)
    return {VOCABULARY_PATH: _json(search_vocabulary(org, language, directory_urls=directory_urls)), TEAMS_PATH: _json(teams)}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
