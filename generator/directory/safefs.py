"""The repository's files as a pull request may plant them: read without following a link, written whole.

A pull request can commit a symbolic link (``docs/env.txt -> /proc/self/environ``, a profile
pointing at someone else's or outside the repository) or a named pipe, which would make the build
publish the build machine's files or hang on a read. So the one way this project opens a file of
the repository is :func:`open_regular` (``O_NOFOLLOW``, and a regular file or nothing), the one
way it lists a folder that reaches the site is :func:`scan` (``lstat`` only: a linked folder is
reported, never walked), and the one way it writes a file of the repository is
:func:`atomic_write` (a temporary file renamed over the old one: a reader or a crash sees the old
file or the new one, never half of one).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from generator.problems import N_, Message, Problem

# O_NONBLOCK: opening a named pipe would otherwise wait for a writer, for ever.
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
# What is said of a path that is not read: one whole sentence per kind, the path as {path}.
_LINK = N_("{path} is a symbolic link; the build reads no file through a link: commit the file itself")
_DANGLING = N_("{path} is a symbolic link to nothing; the build reads no file through a link: commit the file itself")
_FOLDER = N_("{path} is a folder, not a file")
_KINDS = (
    (stat.S_ISFIFO, N_("{path} is a named pipe (FIFO), not a file; remove it")),
    (stat.S_ISCHR, N_("{path} is a character device, not a file; remove it")),
    (stat.S_ISBLK, N_("{path} is a block device, not a file; remove it")),
    (stat.S_ISSOCK, N_("{path} is a socket, not a file; remove it")),
)


class NotAFile(OSError):
    """A path that is a symbolic link or a special file, refused before anything is read through it."""

    def __init__(self, path: Path, template: str, rule: str) -> None:
        self.template = template
        self.rule = rule
        super().__init__(errno.EINVAL, self.reason, str(path))

    def about(self, shown: str) -> Message:
        """Why the file is not read, said of ``shown`` (the path as problems show it)."""
        return Message(self.template, path=shown)

    @property
    def reason(self) -> str:
        """The English words that follow the path ("is a symbolic link; ..."): :meth:`about` says the whole sentence."""
        return str(self.about("")).lstrip()


def refused(shown: str | Message, mode: int, path: Path | None = None) -> tuple[Message, str] | None:
    """Why a file of this ``lstat`` mode is not read, said of ``shown``, and the rule; None for a file or a folder.

    Given the ``path``, a link to nothing is said so: the profile or page it stood for is missing, not skipped.
    """
    found = _refusal(mode)
    if found is None:
        return None
    template, rule = found
    if template == _LINK and path is not None and not path.exists():
        template = _DANGLING
    return Message(template, path=shown), rule


def _refusal(mode: int) -> tuple[str, str] | None:
    if stat.S_ISLNK(mode):
        return _LINK, "symlink"
    for test, template in _KINDS:
        if test(mode):
            return template, "special-file"
    return None


@contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for reading if it is a regular file itself; raise :class:`NotAFile` if it is a link or special.

    Only the last part of ``path`` is opened without following links: its folders are the
    repository's, checked by :func:`scan` (or :func:`check_path` for a single file).
    """
    fd, _ = _regular_fd(path)
    try:
        os.set_blocking(fd, True)
        file = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with file:
        yield file


def read_regular(path: str, limit: int) -> tuple[bytes, int]:
    """Up to ``limit`` bytes of the regular file at ``path`` and its size, never through a link;
    :class:`NotAFile` for a link or anything but a regular file, as :func:`open_regular`.

    For what reads every file of the directory (the load, the profile form's shards): with no file
    object, no Path and no change of the descriptor's mode, a third of :func:`open_regular`'s time
    on small files (0.7 s against 1.7 for 100,000 profiles).
    """
    fd, size = _regular_fd(path)
    try:
        # O_NONBLOCK, which kept the open from waiting on a pipe, changes nothing to a regular file's reads.
        chunks = [os.read(fd, min(limit, size + 1))]
        read = len(chunks[0])
        while chunks[-1] and read < limit:  # a file longer than its size said: read on to the limit
            chunks.append(os.read(fd, limit - read))
            read += len(chunks[-1])
        return b"".join(chunks) if len(chunks) > 1 else chunks[0], size
    finally:
        os.close(fd)


def _regular_fd(path: str | Path) -> tuple[int, int]:
    """A descriptor open on ``path`` for reading, and the file's size, if it is a regular file itself; :class:`NotAFile` if not."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.EMLINK):  # what O_NOFOLLOW gives for a link (EMLINK on FreeBSD)
            raise NotAFile(Path(path), _template(os.lstat(path).st_mode, _LINK), "symlink") from None
        raise
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            raise NotAFile(Path(path), _template(found.st_mode, _FOLDER), "special-file" if not stat.S_ISDIR(found.st_mode) else "file")
    except BaseException:
        os.close(fd)
        raise
    return fd, found.st_size


def read_bytes(path: Path) -> bytes:
    with open_regular(path) as file:
        return file.read()


def read_head(path: str, limit: int) -> bytes:
    """Up to ``limit`` bytes of the file at ``path``, never through a link, in one open and one read.

    For the searches that read every profile's bytes (generator.directory.referrers, generator.directory.rules.logins):
    a third of the time of :func:`read_bytes` on small files, with no stat and no Path made.
    """
    fd = os.open(path, _READ_FLAGS)
    try:
        return os.read(fd, limit)
    finally:
        os.close(fd)


def read_text(path: Path) -> str:
    return read_bytes(path).decode("utf-8")


def check_path(root: Path, relative: str | Path, display: str) -> list[Problem]:
    """Problems of the folders and file of ``relative`` under ``root``: each part must be itself, not a link."""
    problems: list[Problem] = []
    current = root
    for part in Path(relative).parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return problems
        except OSError as error:
            return [Problem(display, 1, 1, Message("cannot read {file}: {reason}", file=display, reason=error.strerror), "file")]
        shown = display if current == root / relative else Message("{path} (its folder {folder}/)", path=display, folder=part)
        why = refused(shown, mode, current)
        if why is not None:
            return [Problem(display, 1, 1, *why)]
    return problems


def scan(root: Path, relative: str | Path, *, unentered: Collection[str] = ()) -> list[Problem]:
    """Every symbolic link and special file in the folder ``relative`` under ``root`` and below it.

    Entries are told by their directory entry's type (no ``stat`` each); a linked folder is
    reported and not entered, so the scan never leaves the folder. Names are joined as strings: a
    folder of 100,000 profiles is scanned on every build, where a path object made for each entry
    cost more than the scan itself. ``unentered``: folders (paths under ``root``) checked themselves
    but not what they hold, which nothing reads through (a spare site, :mod:`generator.site.sitedir`).
    """
    base = Path(relative).as_posix()
    problems = check_path(root, base, base)
    if problems or not (root / base).is_dir():
        return problems
    top = str(root)
    pending = [base]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(os.path.join(top, folder)) as found:
                listed = list(found)  # in the file system's order: the problems are sorted once, at the end
        except OSError as error:
            message = Message("cannot list {folder}/: {reason}", folder=folder, reason=error.strerror)
            problems.append(Problem(folder, 1, 1, message, "file"))
            continue
        for entry in listed:
            if entry.is_dir(follow_symlinks=False):
                joined = _joined(folder, entry.name)
                if joined not in unentered:
                    pending.append(joined)
            elif not entry.is_file(follow_symlinks=False):
                shown = _joined(folder, entry.name)
                why = refused(shown, entry.stat(follow_symlinks=False).st_mode, Path(entry.path))
                if why is not None:
                    problems.append(Problem(shown, 1, 1, *why))
    return sorted(problems, key=lambda problem: problem.path)


def prune(folder: str, keep: Callable[[str, os.DirEntry[str]], bool], *, whole: Collection[str] = ()) -> bool:
    """Remove under ``folder`` every entry but a folder that ``keep`` refuses, and every folder left empty below it; whether anything is left.

    ``keep`` is given each entry's path (``/``-separated, relative to ``folder``) and its folder
    entry. The folders named in ``whole`` are left as they are. Nothing is followed: a link, to a
    folder or not, is an entry like any other, removed (never what it leads to) unless kept.
    """

    def walk(path: str, prefix: str) -> bool:
        left = False
        with os.scandir(path) as found:
            entries = list(found)
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if relative in whole or walk(entry.path, relative + "/"):
                    left = True
                else:
                    os.rmdir(entry.path)
            elif keep(relative, entry):
                left = True
            else:
                os.unlink(entry.path)
        return left

    return walk(folder, "")


def _joined(folder: str, name: str) -> str:
    return name if folder == "." else f"{folder}/{name}"


def atomic_write(path: Path, data: str | bytes, *, exclusive: bool = False, durable: bool = True) -> None:
    """Write ``path`` whole: a temporary file beside it, flushed to disk, renamed over it (a link is replaced, not followed).

    With ``exclusive``, an existing ``path`` is never replaced: :class:`FileExistsError`. The file
    gets the permissions a new file gets (0644 under the usual umask), not the temporary file's 0600.
    Without ``durable``, nothing waits for the disk: a reader still sees the old file or the new
    one, never half of one, but a power cut may lose the write (a bulk import of thousands of
    files, which git shows again, takes minutes less).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(raw)
            file.flush()
            os.fchmod(file.fileno(), 0o666 & ~current_umask())
            if durable:
                os.fsync(file.fileno())
        if exclusive:
            os.link(temporary, path)  # fails if path exists, at the same instant as it would be created
            os.unlink(temporary)
        else:
            os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    if durable:
        _sync_folder(path.parent)


def current_umask() -> int:
    """The process's umask (read by setting it, then set back: there is no other portable way)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    # The rename is durable once the folder's entry is on disk; not every system can open a folder to sync it.
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _template(mode: int, default: str) -> str:
    found = _refusal(mode)
    return found[0] if found is not None else default
