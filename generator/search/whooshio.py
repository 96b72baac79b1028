"""The one module that knows Whoosh's internals: its segment writer, its segments and deletions, its collector's heap.

Whoosh's own writer passes every token through a chain of generators and sorts postings in a
pool on disk; at 100,000 people that was most of the index's time. :class:`MemoryWriter` keeps a
segment's postings in memory and writes them through Whoosh's own codec.

An index updated in place (:mod:`generator.search.incremental`) keeps its segments, marks the
documents it replaces as deleted and adds a segment: :func:`link_segments`, :func:`segments_of`
and :func:`update_segments` do that; :func:`live_doc_frequency`, :func:`live_terms_within` and
:class:`RankedCollector` make a search of it score and order people as in an index written whole.

It knows one Whoosh release (:data:`WHOOSH_RELEASE`), which tests/test_upstream.py holds it to.
"""

from __future__ import annotations

import os
import shutil
import stat
import warnings
from array import array
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from heapq import heappush, heapreplace
from pathlib import Path
from typing import Any

from generator.search.whooshtext import WordAnalyzer

# Whoosh 2.7 predates Python 3.11 and its modules trigger SyntaxWarning / DeprecationWarning when
# they are compiled; users did nothing wrong, so they do not see them.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh import index as whoosh_index  # type: ignore[import-untyped]
    from whoosh.collectors import TopCollector  # type: ignore[import-untyped]
    from whoosh.formats import Positions  # type: ignore[import-untyped]
    from whoosh.util.numeric import byte_to_length, length_to_byte  # type: ignore[import-untyped]
    from whoosh.writing import SegmentWriter  # type: ignore[import-untyped]

# The Whoosh release whose segment writer MemoryWriter and fill_blocks stand in for (its private
# buffers and block statistics): pinned in pyproject.toml; tests/test_upstream.py fails on another.
WHOOSH_RELEASE = "2.7.4"


class MemoryWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's segment writer, with the postings kept in memory in document order.

    Whoosh's own writer sends every posting through an external sort, then reads each one's field
    length back from disk to write it, and 100,000 people make 13 million postings. Here documents
    arrive in docnum order, so each term's postings are already sorted and only the terms need
    sorting; the field lengths are kept in memory. What the segment stores is the same (postings,
    their statistics and blocks, stored fields, lengths: tests/test_index.py compares them).

    A field value met before (a team, a site, a title, a language) is analysed once.
    """

    def __init__(self, ix: Any) -> None:
        super().__init__(ix)
        unsupported = [name for name, fieldtype in self.schema.items() if fieldtype.vector or fieldtype.column_type or fieldtype.separate_spelling()]
        if unsupported:
            raise ValueError(f"fields with vectors, columns or spelling are not supported: {unsupported}")
        # field -> term -> (docnums, weights, encoded values), appended to in docnum order
        self._postings: defaultdict[str, dict[bytes, tuple[array[int], array[float], list[bytes]]]] = defaultdict(dict)
        # field -> the length of the field in each document, as whoosh stores it (a byte, approximate)
        self._lengths: defaultdict[str, array[int]] = defaultdict(lambda: array("I"))
        # Not bound to self: a cycle would keep the postings in memory until the next collection.
        self.analyse = lru_cache(maxsize=1 << 16)(partial(analyse, self.schema, lru_cache(maxsize=1 << 12)(encode_positions)))

    def add_document(self, **fields: Any) -> None:
        """Like whoosh's, without per-field boosts (this schema has none)."""
        self._check_state()
        docnum = self.docnum
        perdocwriter = self.perdocwriter
        perdocwriter.start_doc(docnum)
        for fieldname in sorted(fields):
            value = fields[fieldname]
            if value is None:
                continue
            fieldtype = self.schema[fieldname]
            length = 0
            if fieldtype.indexed:
                items, length = self.analyse(fieldname, value)
                terms = self._postings[fieldname]
                for btext, weight, vbytes in items:
                    postings = terms.get(btext)
                    if postings is None:
                        postings = terms[btext] = (array("I"), array("d"), [])
                    postings[0].append(docnum)
                    postings[1].append(weight)
                    postings[2].append(vbytes)
                if length:
                    lengths = self._lengths[fieldname]
                    lengths.extend([0] * (docnum + 1 - len(lengths)))
                    lengths[docnum] = byte_to_length(length_to_byte(length))
            perdocwriter.add_field(fieldname, fieldtype, value if fieldtype.stored else None, length)
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        writer = self.fieldwriter
        for fieldname in sorted(self._postings):
            terms = self._postings.pop(fieldname)
            lengths = self._lengths.get(fieldname)
            writer.start_field(fieldname, self.schema[fieldname])
            for btext in sorted(terms):
                writer.start_term(btext)
                fill_blocks(writer._postwriter, *terms[btext], lengths)
                writer.finish_term()
            writer.finish_field()
        writer.close()
        # Whoosh leaves reference cycles through this writer: let go of what it holds now.
        self._lengths.clear()
        self.analyse.cache_clear()


def fill_blocks(postwriter: Any, docnums: array[int], weights: array[float], values: list[bytes], lengths: array[int] | None) -> None:
    """Give whoosh's postings writer one term's postings a block at a time; it writes the last one.

    Its ``add_posting`` checks and files one posting at a time, a third of the time left in
    writing a segment: each block's buffers and statistics are set here as it would set them.
    """
    limit = postwriter._blocklimit
    for start in range(0, len(docnums), limit):
        if start:
            postwriter._write_block()  # also starts a new, empty block
        ids = docnums[start : start + limit]
        block_weights = weights[start : start + limit]
        postwriter._ids = ids
        postwriter._weights = array("f", block_weights)
        postwriter._values = [vbytes for vbytes in values[start : start + limit] if vbytes]
        postwriter._maxweight = max(0, max(block_weights))
        block_lengths = [lengths[docnum] for docnum in ids if lengths[docnum]] if lengths is not None else []
        postwriter._minlength = min(block_lengths, default=None)
        postwriter._maxlength = max(block_lengths, default=0)


# A field value analysed: (term, weight, encoded value) for each distinct term, and the field's length.
Analysed = tuple[tuple[tuple[bytes, float, bytes], ...], int]


def analyse(schema: Any, encode_positions: Callable[[tuple[int, ...]], bytes], fieldname: str, value: Any) -> Analysed:
    """The field's ``index(value)`` as (term, weight, encoded value) for each distinct term, and the
    field's length in the document (its number of terms; 0 if the field is not scored)."""
    fieldtype = schema[fieldname]
    if type(fieldtype.format) is Positions and isinstance(fieldtype.analyzer, WordAnalyzer):
        # Positions.word_values, with words instead of whoosh's token objects: most of the time
        # spent indexing text went into passing tokens along its chain of generators.
        positions: defaultdict[str, list[int]] = defaultdict(list)
        for position, word in enumerate(fieldtype.analyzer.words(value)):
            positions[word].append(position)
        boost = fieldtype.format.field_boost
        postings = [(word.encode(), len(found), float(len(found)) * boost, encode_positions(tuple(found))) for word, found in positions.items()]
    else:
        postings = [(btext, freq, weight, vbytes or b"") for btext, freq, weight, vbytes in fieldtype.index(value)]
    length = sum(freq for _, freq, _, _ in postings) if fieldtype.scorable else 0
    return tuple((btext, weight, vbytes) for btext, _, weight, vbytes in postings), length


def encode_positions(found: tuple[int, ...]) -> bytes:
    """Positions as whoosh encodes them (cached: most words of a field come at the same few positions)."""
    return bytes(Positions().encode(found))


# --- an index updated in place -------------------------------------------------------------


@dataclass(frozen=True)
class SegmentLayout:
    """One segment of an index, as its table of contents lists it: documents are numbered across
    segments in this order, a deleted one keeping its number until its segment is written again."""

    id: str
    documents: int  # deleted ones included
    deleted: frozenset[int]  # numbers within the segment


def segments_of(folder: Path) -> list[SegmentLayout]:
    """The segments of the index in ``folder``, in the order that numbers their documents."""
    ix = whoosh_index.open_dir(str(folder))
    try:
        return [SegmentLayout(segment.segid, segment.doc_count_all(), frozenset(segment.deleted_docs())) for segment in ix._segments()]
    finally:
        ix.close()


def link_segments(source: Path, staging: Path) -> None:
    """Give the empty folder ``staging`` the index of ``source``, to update there while ``source`` is read.

    Whoosh writes a segment's files once and never opens them again for writing: a deletion is kept
    in the table of contents, which each commit writes anew under a temporary name. So the segments
    are hard-linked (copied where the filesystem has no links) and the table of contents copied;
    nothing that is not a plain file is followed, and a segment with a file missing is an error.
    """
    ix = whoosh_index.open_dir(str(source))
    try:
        toc_name = whoosh_index.TOC._filename(ix.indexname, ix.latest_generation())
        segment_files = [name for segment in ix._segments() for name in _segment_files(segment, ix.storage)]
    finally:
        ix.close()
    for name in segment_files:
        _regular(source / name)
        try:
            os.link(source / name, staging / name, follow_symlinks=False)
        except OSError:
            shutil.copyfile(source / name, staging / name, follow_symlinks=False)
    _regular(source / toc_name)
    shutil.copyfile(source / toc_name, staging / toc_name, follow_symlinks=False)


def _segment_files(segment: Any, storage: Any) -> list[str]:
    names = list(segment.list_files(storage))
    if not names or (segment.is_compound() and segment.make_filename(".seg") not in names):
        raise FileNotFoundError(f"segment {segment.segid} has no file")
    return names


def _regular(path: Path) -> None:
    if not stat.S_ISREG(os.lstat(path).st_mode):
        raise OSError(f"{path.name} is not a plain file")


def update_segments(folder: Path, deleted: Iterable[tuple[int, str]], keep: Collection[str], documents: Iterable[dict[str, Any]]) -> None:
    """In the index in ``folder``: delete the documents numbered in ``deleted`` (each with the handle it must hold),
    drop the segments not in ``keep``, and add ``documents`` as one new segment, last.

    A number that does not hold the handle given (an index and its record of what it holds that
    disagree) is an error, and the index is left as it was.
    """
    ix = whoosh_index.open_dir(str(folder))
    try:
        writer = MemoryWriter(ix)
        try:
            with ix.reader() as reader:
                for docnum, handle in deleted:
                    if reader.is_deleted(docnum) or reader.stored_fields(docnum).get("handle") != handle:
                        raise ValueError(f"document {docnum} of the index is not {handle!r}")
                    writer.delete_document(docnum)
            for document in documents:
                writer.add_document(**document)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=lambda _writer, segments: [segment for segment in segments if segment.segid in keep])
    finally:
        ix.close()


# --- searching an index with deleted documents ---------------------------------------------


def live_doc_frequency(reader: Any, fieldname: str, text: str | bytes) -> int:
    """How many documents that are not deleted hold the term: Whoosh's ``doc_frequency`` counts
    deleted ones too, until their segment is written again."""
    btext = reader.schema[fieldname].to_bytes(text) if isinstance(text, str) else text
    count = int(reader.doc_frequency(fieldname, btext))
    for leaf, _offset in reader.leaf_readers():
        if not count or not leaf.has_deletions() or (fieldname, btext) not in leaf:
            continue
        # The segment's postings as written, deleted documents included (its postings() leaves them out).
        matcher = leaf._terms.matcher(fieldname, btext, leaf.schema[fieldname].format)
        for docnum in sorted(leaf.segment().deleted_docs()):
            if not matcher.is_active():
                break
            matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                count -= 1
    return count


def live_terms_within(reader: Any, fieldname: str, text: str, maxdist: int, prefix: int) -> list[str]:
    """The terms of the whole index within ``maxdist`` edits of ``text`` (as Whoosh's ``FuzzyTerm``
    finds them in one segment), sorted, without those only deleted documents hold."""
    found: set[str] = set()
    for leaf, _offset in reader.leaf_readers():
        found.update(leaf.terms_within(fieldname, text, maxdist, prefix=prefix))
    if reader.has_deletions():
        found = {word for word in found if live_doc_frequency(reader, fieldname, word)}
    return sorted(found)


# Scores equal to this many decimals are a tie: the same words in two segments may add up in
# another order, and floating point then differs in the last bits.
TIE_DECIMALS = 6


class RankedCollector(TopCollector):  # type: ignore[misc]
    """Whoosh's collector of the best ``limit`` documents, with ties going to the document ranked first in ``ranks``.

    Whoosh breaks ties by document number, which in an index written whole is the directory's
    order; an index updated in place numbers its new documents last. ``ranks`` holds each
    document's place in the directory's order, by number (None: the numbers are that order).
    """

    items: list[tuple[tuple[float, int], float, int]]  # (rounded score, place negated), score, number: a heap, worst first

    def __init__(self, limit: int, ranks: Sequence[int] | None) -> None:
        super().__init__(limit, usequality=False)
        self.ranks = ranks

    def _collect(self, global_docnum: int, score: float) -> float:
        items = self.items
        self.total += 1
        rank = global_docnum if self.ranks is None else self.ranks[global_docnum]
        entry = ((round(score, TIE_DECIMALS), -rank), score, global_docnum)
        if len(items) < self.limit:
            heappush(items, entry)
        elif entry[0] > items[0][0]:
            heapreplace(items, entry)
        else:
            return 0
        if len(items) == self.limit:
            # What the matchers may leave out from now on: nothing that could still tie.
            self.minscore = max(0.0, items[0][0][0] - 10.0**-TIE_DECIMALS)
        return 0 - score

    def remove(self, global_docnum: int) -> None:
        self.items = [entry for entry in self.items if entry[2] != global_docnum]
        self.items.sort()  # a sorted list is a heap
        self.minscore = 0

    def results(self) -> Any:
        ordered = sorted(self.items, reverse=True)
        return self._results([(score, docnum) for _key, score, docnum in ordered])
