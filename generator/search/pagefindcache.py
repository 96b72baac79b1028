"""Finished Pagefind bundles kept between builds, so that a build indexes only the bundles whose documents changed.

A bundle's output (once :func:`generator.search.pagefindfiles.make_reproducible` and the search
module's trimming have run) is decided by its pages' documents, its folder and whether it carries
Pagefind's runtime: :func:`bundle_key` digests them all, with what else decides how Pagefind
indexes; each document counts by its digest, which :class:`DocumentDigests` keeps between builds so
that only the documents written since are read. An entry of the cache is a folder named after its key, with the bundle's files and a
manifest naming each with its size and digest. A build whose bundle has the same key links the
entry's files into the site (hard links, or copies where the filesystem has none) instead of
running Pagefind; the result is the same bytes a fresh index gives, which tests/test_pagefind_reuse.py
compares file by file.

The cache lives in the state folder that CI restores from an earlier build, so it may be partial,
damaged, or hold links planted anywhere: an entry is used only once every file matched its manifest,
read (no link followed) and digested, or by the size and time an earlier check of its digest
saved (:meth:`BundleCache._checked`); anything else is a miss, indexed anew and written over, never
an error and never a wrong index. An entry is written in a scratch folder and renamed once whole,
so an interrupted build leaves nothing that looks like an entry. A site's file linked to an entry
is never written through: the site's index is removed, not rewritten, by the next build, and an
entry is checked again before each use. The cache is trusted as the rest of the state is (its
manifest is not signed): it guards against accidents, not against whoever may write the state.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import time
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.directory.load import entries
from generator.directory.safefs import atomic_write, prune
from generator.search import pagefindfiles

# Changes whenever what an entry holds, or what its key digests, changes: older entries are then never used.
CACHE_FORMAT = "trombi-pagefind-bundle/2"
DIGESTS_FORMAT = "trombi-search-digests/1"
# A document last changed this long before it was read is saved with its digest (see DocumentDigests).
SETTLED_NS = 2_000_000_000
MANIFEST = "manifest.json"
STAMPS = "stamps.json"  # beside the manifest: the digests of its files found right, by size and time (DocumentDigests)
FILES = "files"
_SCRATCH = ".tmp-"  # an entry being written; never a key, so the next build's pruning removes one left behind
_READ = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def bundle_key(documents: Path, pages: Sequence[str], folder: str, *, runtime: bool, glob: str, digests: DocumentDigests | None = None) -> str:
    """A digest of everything that decides a bundle's output: its pages (in order) and their documents'
    bytes, its folder, whether it carries the runtime, and how Pagefind is run and its files rewritten.

    A document's bytes count by their digest, which ``digests`` knows for the documents that did not
    change since it was saved; the others are read.
    """
    try:
        pagefind = metadata.version("pagefind-bin")
    except metadata.PackageNotFoundError:
        pagefind = "-"
    digest = hashlib.blake2b(digest_size=20)
    header = [CACHE_FORMAT, pagefind, pagefindfiles.PAGEFIND_FORMAT, pagefindfiles.INDEX_CHUNK_SIZE, glob, folder, runtime, len(pages)]
    digest.update(json.dumps(header).encode() + b"\0")
    digests = digests if digests is not None else DocumentDigests(None)
    base = os.fspath(documents)  # strings, not Path objects: at 100,000 documents pathlib's own cost shows
    for page in pages:
        found = digests.of(base, page)
        digest.update(page.encode() + b"\0" + (b"-" if found is None else found[0].to_bytes(8, "big") + found[1]))
    return digest.hexdigest()


def _document(path: str) -> tuple[bytes, os.stat_result] | None:
    """A document's bytes as Pagefind reads them and its file's status, or ``None`` when it is not a file (Pagefind then leaves its page out)."""
    try:
        with open(path, "rb") as file:
            return file.read(), os.fstat(file.fileno())
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


class DocumentDigests:
    """The digest of each search document, kept with its size and time of change: a build reads only the documents written since.

    At 100,000 people, reading every document to weigh the bundles took seconds of each build, for
    a few documents changed. A document whose size and time are those saved is taken to hold the
    bytes it held then, as the kept pages are (:mod:`generator.build.incremental`). Only documents
    last changed well before they were read are saved (:data:`SETTLED_NS`): a file's time has the
    coarse grain of the system's clock, so a document written again within that grain, with the same
    size, would otherwise keep a time that no longer tells its bytes (what git calls racily clean).
    Kept in the state, like the bundles: it guards against accidents, not against whoever may write
    the state. ``path`` None: nothing is read or saved. ``read``: a file's bytes and status, None if
    it is not a file (the documents as Pagefind reads them; a cache entry's files, no link followed).
    """

    def __init__(self, path: Path | None, read: Callable[[str], tuple[bytes, os.stat_result] | None] | None = None) -> None:
        self.path = path
        self.read = read if read is not None else _document
        self.found = self._read() if path is not None else {}
        self.seen: dict[str, list[Any]] = {}  # what the next build finds: the documents read or recalled now
        self.settled = time.time_ns() - SETTLED_NS  # a document changed after this is read again next time

    def of(self, base: str, page: str) -> tuple[int, bytes] | None:
        """The size and digest of the document of ``page`` under ``base``; None if it is not a file."""
        path = os.path.join(base, page)
        entry = self.found.get(page)
        if entry is not None:
            try:
                found = os.lstat(path)
            except OSError:
                found = None
            if found is not None and stat.S_ISREG(found.st_mode) and entry[0] == found.st_size and entry[1] == found.st_mtime_ns:
                self.seen[page] = entry
                return entry[0], bytes.fromhex(entry[2])
        read = self.read(path)
        if read is None:
            return None
        content, status = read
        value = hashlib.blake2b(content, digest_size=16).digest()
        if stat.S_ISREG(status.st_mode) and status.st_size == len(content) and status.st_mtime_ns < self.settled:
            self.seen[page] = [len(content), status.st_mtime_ns, value.hex()]
        return len(content), value

    def save(self) -> None:
        """Keep the digests of the documents weighed by this build (a new file, renamed over the old one), if they are not those saved."""
        if self.path is None or self.seen == self.found:
            return
        # Not waited for on disk: digests lost to a power cut only mean reading the documents again.
        atomic_write(self.path, json.dumps({"format": DIGESTS_FORMAT, "documents": self.seen}, separators=(",", ":")), durable=False)

    def _read(self) -> dict[str, list[Any]]:
        assert self.path is not None
        try:
            data = json.loads(_read(os.fspath(self.path)))
        except (OSError, ValueError, _NotRegular):
            return {}
        if not isinstance(data, dict) or data.get("format") != DIGESTS_FORMAT or not isinstance(data.get("documents"), dict):
            return {}
        return {page: entry for page, entry in data["documents"].items() if _is_entry(entry)}


def _is_entry(entry: Any) -> bool:
    # A regular expression: character by character, telling 105,000 digests took half a second of a merge's index at 100,000 people.
    if not (isinstance(entry, list) and len(entry) == 3 and type(entry[0]) is int and type(entry[1]) is int and type(entry[2]) is str):
        return False
    return _HEX.fullmatch(entry[2]) is not None


_HEX = re.compile(r"[0-9a-f]{32}")


class BundleCache:
    """The folder of finished bundles: one entry per key, each checked before it is used."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.placed: list[tuple[Path, list[str]]] = []  # each bundle put into the site: its folder and its files (restore, add)
        unlinked(folder)  # a link (or a file) where the cache belongs: removed, never followed

    def holds(self, key: str) -> bool:
        """Whether there is an entry for ``key``, whole or not (:meth:`restore` tells)."""
        return _is_folder(self.folder / key)

    def restore(self, key: str, target: Path) -> bool:
        """Put the bundle of ``key`` into ``target`` from its entry, if the entry is whole and unchanged; whether it was."""
        files = self._checked(key)
        if files is None:
            return False
        _materialize(self.folder / key / FILES, files, target)
        self.placed.append((target, files))
        return True

    def add(self, key: str, make: Callable[[Path], None], target: Path) -> None:
        """Have ``make`` write the bundle of ``key`` into a new folder, keep it as the entry of ``key``, and put it into ``target``."""
        scratch = self.folder / f"{_SCRATCH}{key}-{uuid.uuid4().hex}"
        try:
            scratch.mkdir()
            make(scratch / FILES)
            files = sorted(_walk(os.fspath(scratch / FILES)))
            made = os.fspath(scratch / FILES)
            manifest = {"format": CACHE_FORMAT, "key": key, "files": [[path, *_digest(os.path.join(made, path))] for path in files]}
            (scratch / MANIFEST).write_text(json.dumps(manifest, separators=(",", ":")), encoding="utf-8")
            _remove(self.folder / key)  # an entry found damaged: written over
            scratch.rename(self.folder / key)
        finally:
            _remove(scratch)
        _materialize(self.folder / key / FILES, files, target)
        self.placed.append((target, files))

    def keep_only(self, keys: Collection[str], *, writing: bool = False) -> None:
        """Remove every entry but those of ``keys`` (the bundles of this build), and whatever else the folder holds.

        ``writing``: while :meth:`add` may be writing entries, whose scratch folders are left (a
        build removes the old entries while Pagefind indexes the new, then what is left at the end).
        """
        with os.scandir(self.folder) as found:
            entries = list(found)
        for entry in entries:
            if writing and entry.name.startswith(_SCRATCH):
                continue
            if entry.name not in keys or not entry.is_dir(follow_symlinks=False):
                _remove(Path(entry.path))

    def _checked(self, key: str) -> list[str] | None:
        """The files of the entry of ``key``, if it is a folder of regular files that match its manifest; else ``None``.

        Each file matches by its digest, read or known by its size and time of change from an
        earlier check (:data:`STAMPS`, kept as the search documents' are by :class:`DocumentDigests`):
        at 100,000 people, reading the 100,000 files of the bundles a merge keeps took 4.6 s, beside
        Pagefind.
        """
        entry = self.folder / key
        try:
            if not _is_folder(entry) or not _is_folder(entry / FILES):
                return None
            manifest = json.loads(_read(os.fspath(entry / MANIFEST)))
            if not isinstance(manifest, dict) or manifest.get("format") != CACHE_FORMAT or manifest.get("key") != key:
                return None
            listed = {item[0]: item[1:] for item in manifest["files"]}
            folder = os.fspath(entry / FILES)
            found = sorted(_walk(folder))
            if found != sorted(listed) or len(listed) != len(manifest["files"]):
                return None
            digests = DocumentDigests(entry / STAMPS, _read_file)
            for path in found:
                weighed = digests.of(folder, path)
                if weighed is None or [weighed[0], weighed[1].hex()] != listed[path]:
                    return None
            digests.save()
            return found
        except (OSError, ValueError, TypeError, KeyError, IndexError, _NotRegular):
            return None


class _NotRegular(Exception):
    """An entry holds something other than folders and regular files: a link, a device, a pipe."""


def _listed(folder: str, prefix: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry under ``folder`` but its folders, by its path (``/``-separated, relative to the top folder); no link followed."""
    for entry in list(entries(folder)):  # closed before the folders below are listed
        path = f"{prefix}{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            yield from _listed(entry.path, path + "/")
        else:
            yield path, entry


def _walk(folder: str) -> Iterator[str]:
    """The paths of the regular files under ``folder`` (:func:`_listed`); :class:`_NotRegular` for anything else there."""
    for path, entry in _listed(folder, ""):
        if not entry.is_file(follow_symlinks=False):
            raise _NotRegular(path)
        yield path


def _inodes(folder: str) -> dict[str, int]:
    """The regular files under ``folder`` (:func:`_listed`) by their paths, each with its inode's number as its folder lists it."""
    return {path: entry.inode() for path, entry in _listed(folder, "") if entry.is_file(follow_symlinks=False)}


def _read(path: str) -> bytes:
    """A regular file's bytes, refusing a link (``O_NOFOLLOW``) or anything else that is not a file."""
    return _read_file(path)[0]


def _read_file(path: str) -> tuple[bytes, os.stat_result]:
    """:func:`_read`, with the file's status."""
    descriptor = os.open(path, _READ)
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise _NotRegular(str(path))
        return file.read(), status


def _digest(path: str) -> tuple[int, str]:
    content = _read(path)
    return len(content), hashlib.blake2b(content, digest_size=16).hexdigest()


def _is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _materialize(origin: Path, files: Sequence[str], target: Path) -> None:
    """Put ``files`` of ``origin`` at the same paths under ``target``: hard links where the filesystem allows, else copies.

    A file already there that is a link to the entry's own is left as it is (a site built from the
    one it replaced, generator.build.spare); anything else there is removed first, never written
    through, nor followed: a link where a folder goes too (:func:`_folder`). Which files are already
    the entry's is told by the numbers of their inodes as the two folders list them, on one device,
    where asking each file's status, and its entry's, took most of a merge's index at 100,000 people:
    the 20 bundles it keeps, 105,000 files, took 7.2 s beside the one Pagefind indexed (4.2 s).
    """
    made: set[str] = set()
    origin_folder, target_folder = os.fspath(origin), os.fspath(target)
    os.makedirs(os.path.dirname(target_folder), exist_ok=True)
    _folder(os.path.dirname(target_folder), os.path.basename(target_folder))
    same = _inodes(target_folder) if os.lstat(target_folder).st_dev == os.lstat(origin_folder).st_dev else {}
    if same:
        entry = _inodes(origin_folder)
        same = {path: inode for path, inode in same.items() if entry.get(path) == inode}
    linking = True
    for path in files:
        if path in same:
            continue
        parent = os.path.dirname(path)
        if parent not in made:
            _folder(target_folder, parent)
            made.add(parent)
        source, destination = os.path.join(origin_folder, path), os.path.join(target_folder, path)
        if os.path.lexists(destination):  # not the entry's file (same): replaced, never written through (a copy would)
            _remove(Path(destination))
        if linking:
            try:
                os.link(source, destination, follow_symlinks=False)
                continue
            except OSError:  # another filesystem, or one without hard links: copies from now on
                linking = False
        shutil.copyfile(source, destination, follow_symlinks=False)


def _folder(top: str, relative: str) -> None:
    """The folder ``relative`` made under ``top``, each of its folders a folder, not a link nor a file (of a site built before): those are removed."""
    path = top
    for part in relative.split("/") if relative else ():
        path = os.path.join(path, part)
        try:
            found = os.lstat(path)
        except FileNotFoundError:
            os.mkdir(path)
            continue
        if not stat.S_ISDIR(found.st_mode):
            os.unlink(path)
            os.mkdir(path)


def unlinked(folder: Path) -> None:
    """``folder`` made a folder if it is a link or a file (removed, not followed), or if it is not there."""
    if os.path.lexists(folder) and not _is_folder(folder):
        folder.unlink()
    folder.mkdir(parents=True, exist_ok=True)


def sweep(folder: Path, kept: Collection[str]) -> None:
    """Remove under ``folder`` every file whose path (``/``-separated, relative to it) is not among ``kept``, and every folder left empty below it.

    A link is removed, never followed (:func:`_materialize` replaced those at the paths kept)."""
    if _is_folder(folder):
        prune(os.fspath(folder), lambda path, entry: path in kept)


def _remove(path: Path) -> None:
    """Remove a file, a link (not what it leads to) or a folder, if there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.is_symlink() or path.exists():
        path.unlink()
