"""What the terminal's index was written from, kept beside it, so that the next build updates it rather than writing it again.

Beside its segments, the index keeps (:data:`RECORD`) a digest of what each person's document was
made from when it was indexed (:meth:`generator.search.index._Documents.key`: a build makes the
documents of the people whose digest changed, not of everyone), which document number holds it, and what decides the index as a whole (its format,
Whoosh's release, the language, the schema, the analysis' libraries). A build whose whole is the
same deletes the documents of people who changed, and adds the changed and new ones as one
segment; someone removed or hidden from search since means the index is written whole, so that
none of its files keeps them; the documents a previous update added are written again with them, so an
index has at most one such segment beside those of its last full write (:func:`plan`).

Deleted documents keep their numbers, and Whoosh counts them in its statistics until their
segment is written again: the search counts only the living (:mod:`generator.search.whooshio`),
so an updated index scores as one written whole. They still take room and time: when they and
the added segment pass a share of the index (:data:`REWRITE_SHARE`), the next build writes it whole.

An index numbers its new documents last, where a full write numbers people in the directory's
order, the order ties are shown in: :data:`ORDER` holds each document's place in that order.

A changed profile's former words stay in its deleted document, in its segment's files, until the
segment is written again: no search returns them, and the index is the build's own
(``.trombi/``, never published), as the repository's history keeps what a profile no longer says.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import shutil
import sys
import unicodedata
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from generator.directory.safefs import read_bytes
from generator.search.whooshio import SegmentLayout, link_segments, segments_of, update_segments

RECORD = "trombi-documents.json"
ORDER = "trombi-order.bin"
# The index is written whole when its deleted documents and its added segment pass this share
# of the people indexed, or this many for a small directory (a full write takes under a second).
REWRITE_SHARE = 0.1
REWRITE_FLOOR = 500
_DELETED_RANK = 0xFFFFFFFF

log = logging.getLogger(__name__)


def update(
    target: Path, staging: Path, whole: dict[str, Any], handles: Sequence[str], documents: Callable[[str], dict[str, Any]], keys: Callable[[str], str]
) -> Record | None:
    """Update the index at ``target`` into the empty folder ``staging`` for ``handles``, in the directory's order; its record.

    ``keys(handle)`` digests what ``documents(handle)`` is made from: only the documents to write are made.

    None where the index is to be written whole, ``staging`` then left empty: no index or no
    record there, another whole, a record that does not match the index's segments (or a segment
    missing), or too much changed. ``target`` is only read.
    """
    if os.path.islink(target) or not target.is_dir():
        return None
    record = read_record(target)
    if record is None or record.whole != whole:
        return None
    indexed = {handle: value for segment in record.segments for handle, value in zip(segment.handles, segment.digests, strict=True) if handle is not None}
    again = {handle for segment in record.segments if not segment.base for handle in segment.handles if handle is not None}
    most = budget(len(handles))
    digests: dict[str, str] = {}
    written: dict[str, dict[str, Any]] = {}  # the documents to write: new, changed, or in the added segment
    for handle in handles:
        digests[handle] = value = keys(handle)
        if indexed.get(handle) != value or handle in again:
            written[handle] = documents(handle)
            if len(written) > most:
                return None
    change = plan(record, handles, digests)
    if change is None:
        return None
    try:
        link_segments(target, staging)
        if segments_of(staging) != record.layouts():
            raise ValueError("the record does not match the index's segments")
        update_segments(staging, change.deleted, change.keep, (written[handle] for handle in change.added))
        return change.done(segments_of(staging), digests)
    except Exception as error:  # whatever stands in the way, the index is written whole
        log.debug("the search index is written whole: %s", error)
        for entry in list(staging.iterdir()):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        return None


def whole(format_number: int, language: str, schema: Any) -> dict[str, Any]:
    """What decides every document of the index: another value of any of it means writing the index whole.

    The schema's pickle holds its fields, their formats and analyzers (each with its language);
    the analysis also depends on Unicode's tables (folding) and Snowball's stemmers.
    """
    return {
        "format": format_number,
        "whoosh": _installed("whoosh"),
        "language": language,
        "schema": hashlib.blake2b(pickle.dumps(schema, protocol=4), digest_size=16).hexdigest(),
        "unicode": unicodedata.unidata_version,
        "snowballstemmer": _installed("snowballstemmer"),
    }


def _installed(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


@dataclass(frozen=True)
class Segment:
    """A segment as the record keeps it: its handles by document number (None: deleted), their digests."""

    id: str
    base: bool  # written by a full write, never written again by an update
    handles: tuple[str | None, ...]
    digests: tuple[str | None, ...]

    def layout(self) -> SegmentLayout:
        return SegmentLayout(self.id, len(self.handles), frozenset(n for n, handle in enumerate(self.handles) if handle is None))


@dataclass(frozen=True)
class Record:
    """What an index holds, by segment, and the whole it was written for."""

    whole: dict[str, Any]
    segments: tuple[Segment, ...]

    def as_bytes(self) -> bytes:
        """The record as :func:`read_record` reads it: a line with the checksum of the rest, then JSON."""
        rows = [
            {"id": s.id, "base": s.base, "documents": [None if h is None else [h, d] for h, d in zip(s.handles, s.digests, strict=True)]} for s in self.segments
        ]
        body = json.dumps({"whole": self.whole, "segments": rows}, separators=(",", ":")).encode("ascii")
        return _checksum(body) + b"\n" + body

    def layouts(self) -> list[SegmentLayout]:
        return [segment.layout() for segment in self.segments]


def read_record(folder: Path) -> Record | None:
    """The record of the index in ``folder``; None if it is missing, unreadable or not as :meth:`Record.as_bytes` writes it."""
    try:
        checksum, _, body = read_bytes(folder / RECORD).partition(b"\n")
        if checksum != _checksum(body):
            return None  # cut short, or changed since it was written
        data = json.loads(body)
        segments = []
        for row in data["segments"]:
            handles: list[str | None] = []
            digests: list[str | None] = []
            for entry in row["documents"]:
                if entry is None:
                    handles.append(None)
                    digests.append(None)
                    continue
                handle, value = entry
                if not isinstance(handle, str) or not isinstance(value, str):
                    return None
                handles.append(handle)
                digests.append(value)
            if not isinstance(row["id"], str) or not isinstance(row["base"], bool):
                return None
            segments.append(Segment(row["id"], row["base"], tuple(handles), tuple(digests)))
        if not isinstance(data["whole"], dict):
            return None
        record = Record(data["whole"], tuple(segments))
    except (OSError, ValueError, TypeError, KeyError):
        return None
    living = [handle for segment in record.segments for handle in segment.handles if handle is not None]
    return record if len(living) == len(set(living)) else None


def _checksum(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=16).hexdigest().encode("ascii")


def full_record(whole: dict[str, Any], layouts: Sequence[SegmentLayout], handles: Sequence[str], digests: Sequence[str]) -> Record:
    """The record of an index written whole: ``handles`` numbered in order across its segments ``layouts``."""
    if sum(layout.documents for layout in layouts) != len(handles) or any(layout.deleted for layout in layouts):
        raise ValueError("the index written does not hold the people given")
    segments, start = [], 0
    for layout in layouts:
        end = start + layout.documents
        segments.append(Segment(layout.id, True, tuple(handles[start:end]), tuple(digests[start:end])))
        start = end
    return Record(whole, tuple(segments))


@dataclass(frozen=True)
class Update:
    """What an update does to an index: documents to delete (number, handle), segments kept, handles added (a new segment, in this order)."""

    deleted: list[tuple[int, str]]
    keep: list[str]
    added: list[str]
    record: Record  # the record once done, but for the new segment's id (:meth:`done`)

    def done(self, layouts: Sequence[SegmentLayout], digests: dict[str, str]) -> Record:
        """The record of the updated index, whose segments are ``layouts``: checked against what the update meant to do."""
        kept = list(self.record.segments)
        if self.added:
            new = layouts[-1].id if len(layouts) == len(kept) + 1 else ""
            kept.append(Segment(new, False, tuple(self.added), tuple(digests[handle] for handle in self.added)))
        record = Record(self.record.whole, tuple(kept))
        if record.layouts() != list(layouts):
            raise ValueError("the updated index does not hold what its update meant it to")
        return record


def plan(record: Record, handles: Sequence[str], digests: dict[str, str]) -> Update | None:
    """How to bring the index of ``record`` to ``handles`` (in the directory's order) with these ``digests``; None if it is better written whole."""
    wanted = set(handles)
    deleted: list[tuple[int, str]] = []
    kept: list[Segment] = []
    offset = 0
    for segment in record.segments:
        if segment.base:
            segment_handles = list(segment.handles)
            for number, handle in enumerate(segment.handles):
                if handle is not None and handle not in wanted:
                    # Someone removed or now hidden from search: written whole, so that no file of the
                    # index keeps what they said (a deleted document's words stay in its segment).
                    return None
                if handle is not None and digests[handle] != segment.digests[number]:
                    deleted.append((offset + number, handle))
                    segment_handles[number] = None
            kept.append(
                Segment(segment.id, True, tuple(segment_handles), tuple(d if h else None for h, d in zip(segment_handles, segment.digests, strict=True)))
            )
        offset += len(segment.handles)
    living = {handle for segment in kept for handle in segment.handles if handle is not None}
    # New, changed, and the living documents of the segment a previous update added, which is written again.
    added = [handle for handle in handles if handle not in living]
    dead = sum(1 for segment in kept for handle in segment.handles if handle is None)
    if dead + len(added) > budget(len(handles)):
        return None
    return Update(deleted, [segment.id for segment in kept], added, Record(record.whole, tuple(kept)))


def budget(people: int) -> float:
    """How many deleted documents and documents in the added segment an index of ``people`` may have before it is written whole."""
    return max(REWRITE_FLOOR, REWRITE_SHARE * people)


def order(record: Record, handles: Sequence[str]) -> bytes:
    """Each document's place in ``handles`` (the directory's order), by document number, as :func:`read_order` reads it."""
    rank = {handle: place for place, handle in enumerate(handles)}
    ranks = array("I", (_DELETED_RANK if handle is None else rank[handle] for segment in record.segments for handle in segment.handles))
    if sys.byteorder == "big":
        ranks.byteswap()
    return ranks.tobytes()


def read_order(folder: Path, documents: int) -> array[int] | None:
    """The places written by :func:`order` for an index of ``documents`` documents; None if there are none that fit."""
    try:
        data = read_bytes(folder / ORDER)
    except OSError:
        return None
    ranks = array("I")
    if len(data) != documents * ranks.itemsize:
        return None
    ranks.frombytes(data)
    if sys.byteorder == "big":
        ranks.byteswap()
    return ranks
