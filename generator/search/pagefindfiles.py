"""Pagefind's own files, read and rewritten: the one module that knows their private format.

Pagefind writes gzip-compressed CBOR after a signature; this module makes a bundle reproducible
(facet values in order, files renamed after their new content) and gives common words index chunks
of their own. It knows the format of one Pagefind release (:data:`PAGEFIND_FORMAT`): another
fails loudly (:class:`PagefindError`), and tests/test_upstream.py fails when the pin moves.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import json
from pathlib import Path
from typing import Any

# The index format the reproducibility step below knows (pagefind[bin] is pinned to it in pyproject.toml).
PAGEFIND_FORMAT = "1.5.2"


# Postings (a page's entry for a word, and each of its positions) per index chunk, the file a query
# downloads for each of its words from every bundle. Pagefind's default makes chunks of ≈ 20 kB, most
# of it words the query did not ask for: ten bundles made a query download ≈ 200 kB. At this size a
# chunk holds at most ≈ 2 kB of rarer words, and a word with this many postings or more is given a
# chunk of its own (see common_words_alone). Pagefind 1.5.2 reads it from its environment only.
INDEX_CHUNK_SIZE = 1_000


class PagefindError(Exception):
    """Pagefind could not index the site (its binary is missing, or it failed)."""


# --- reproducible output ------------------------------------------------------------------------
# Pagefind writes each facet's values in its hash map's order, which changes from run to run, and
# names files by a hash of their content: two builds of the same site would differ in the filter
# files, the meta file naming them and the entry file naming the meta. Facet values are put in
# order here, and those files renamed after their new content, so the same input gives the same
# bytes. Files are gzip-compressed CBOR after a signature, as Pagefind writes them.

_SIGNATURE = b"pagefind_dcd"


def make_reproducible(bundle: Path) -> None:
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
