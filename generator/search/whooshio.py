"""Whoosh's segment written by hand: the one module that knows Whoosh's private writer.

Whoosh's own writer passes every token through a chain of generators and sorts postings in a
pool on disk; at 100,000 people that was most of the index's time. :class:`MemoryWriter` keeps a
segment's postings in memory and writes them through Whoosh's own codec. It knows one Whoosh
release (:data:`WHOOSH_RELEASE`), which tests/test_upstream.py holds it to.
"""

from __future__ import annotations

import warnings
from array import array
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

from generator.search.whooshtext import WordAnalyzer

# Whoosh 2.7 predates Python 3.11 and its modules trigger SyntaxWarning / DeprecationWarning when
# they are compiled; users did nothing wrong, so they do not see them.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
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
