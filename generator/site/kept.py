"""Files a build makes from inputs that seldom change, kept in the state folder and made again only when those inputs do.

The profile form's shards (:mod:`generator.site.form`), the calendars (:mod:`generator.site.ics`)
and the silo map's pictures (:mod:`generator.build.features`) each depend on a few inputs that a
build can gather cheaply, but cost much more to make. Each kind of file has a folder of the
state, ``.trombi/<kind>/``, with one entry per file: the key it was made for (a digest of exactly
what decides the file, given by its maker), a digest of its content, and the content. An entry of
the same key is used as it is; any other, and one that cannot be read, is cut short or was
changed since (its digest), is a miss: the file is made again and its entry written whole (a
temporary file renamed over it), never an error and never a wrong file. Nothing is read through a
link. Once a maker has made all its files, the entries it did not ask for are removed
(:meth:`KeptFiles.finish`): a person gone, last month's lunches.

Only a build's state is used: a ``.trombi/`` that holds the stamp :mod:`generator.build.state`
writes (``state.json``, which says which code and libraries built). The stamp is part of every
key, so that an entry is never used by another version of Trombi, even if the state was not
emptied; without a stamp (a directory built in memory, a test), nothing is kept and every file
is made as it would be.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from contextlib import suppress
from pathlib import Path
from urllib.parse import quote

from generator.directory.safefs import NotAFile, atomic_write, open_regular

# generator.build.state.STATE_DIR and STATE_FILE: the site may not import the build (a test checks they agree).
STATE_DIR = ".trombi"
STATE_FILE = "state.json"
_MAGIC = b"trombi-kept 1\n"
_DIGEST = 16  # bytes of BLAKE2b: 32 hexadecimal digits, for keys and contents alike
_HEAD = len(_MAGIC) + 2 * (2 * _DIGEST + 1)

Part = bytes | str | int | None


class KeptFiles:
    """The entries of one kind of file in the state (``.trombi/<kind>/``), as a build asks for them and makes them."""

    def __init__(self, folder: Path, namespace: bytes) -> None:
        self.folder = folder
        self._namespace = namespace
        self._used: set[str] = set()
        self.hits = 0
        self.misses = 0

    @classmethod
    def open(cls, root: Path, kind: str) -> KeptFiles | None:
        """The kept files of ``kind`` in the state of the directory at ``root``; None when there is no build's state.

        A ``.trombi/<kind>`` that is a link or a file is removed (the link, not what it leads to)
        and made again as a folder.
        """
        state = root / STATE_DIR
        try:
            if not stat.S_ISDIR(os.lstat(state).st_mode):
                return None
            with open_regular(state / STATE_FILE) as file:
                stamp = file.read(1 << 20)
        except (NotAFile, OSError):
            return None
        folder = state / kind
        try:
            found = os.lstat(folder).st_mode
        except FileNotFoundError:
            found = None
        except OSError:
            return None
        try:
            if found is not None and not stat.S_ISDIR(found):
                os.unlink(folder)
                found = None
            if found is None:
                folder.mkdir()
        except OSError:
            return None  # a state that cannot be written to keeps nothing: every file is made
        return cls(folder, hashlib.blake2b(kind.encode() + b"\0" + stamp, digest_size=_DIGEST).digest())

    def key(self, *parts: Part) -> str:
        """The digest of ``parts`` (and of this kind and the state's stamp): each part is told apart from its neighbours, None from any text."""
        digest = hashlib.blake2b(self._namespace, digest_size=_DIGEST)
        for part in parts:
            if part is None:
                digest.update(b"n")
                continue
            data = part if isinstance(part, bytes) else str(part).encode("utf-8")
            digest.update((b"b" if isinstance(part, bytes) else b"s") + len(data).to_bytes(8, "big"))
            digest.update(data)
        return digest.hexdigest()

    def get(self, name: str, key: str) -> bytes | None:
        """The content kept for ``name`` if it was made for ``key`` and is whole; None otherwise."""
        entry = self._entry(name)
        self._used.add(entry.name)
        try:
            with open_regular(entry) as file:
                raw = file.read()
        except (NotAFile, OSError):
            self.misses += 1
            return None
        content = raw[_HEAD:]
        wanted = _MAGIC + key.encode("ascii") + b"\n" + _content_digest(content) + b"\n"
        if raw[:_HEAD] != wanted:
            self.misses += 1
            return None
        self.hits += 1
        return content

    def put(self, name: str, key: str, content: bytes) -> None:
        """Keep ``content`` as ``name`` made for ``key``; a state that cannot be written to keeps nothing, and the next build makes it again."""
        entry = self._entry(name)
        self._used.add(entry.name)
        with suppress(OSError):
            atomic_write(entry, _MAGIC + key.encode("ascii") + b"\n" + _content_digest(content) + b"\n" + content, durable=False)

    def finish(self) -> None:
        """Remove every entry that this build did not ask for: the files it no longer makes, and any temporary file left."""
        try:
            with os.scandir(self.folder) as found:
                stale = [entry for entry in found if entry.name not in self._used]
        except OSError:
            return
        for entry in stale:
            try:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
            except OSError:
                pass

    def _entry(self, name: str) -> Path:
        # One flat folder: no name can lead out of it, and a name is its entry's file name, made safe.
        return self.folder / quote(name, safe="")


def _content_digest(content: bytes) -> bytes:
    return hashlib.blake2b(content, digest_size=_DIGEST).hexdigest().encode("ascii")
