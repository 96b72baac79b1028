"""The published folder: built beside it, swapped in at once, one build at a time.

A web server (or a person) reads the site while a build publishes the next one, and a build can
be killed at any instant (a CI job cancelled, a machine restarted). So a build writes into a
staging folder next to the site, under a lock that a second build waits for, and the staging
folder and the site are exchanged by one ``renameat2(RENAME_EXCHANGE)``: at every instant the
site's path holds the old site or the new one, whole. Where that call does not exist (not Linux,
or a filesystem without it), the old site is renamed aside and the new one renamed in: between
those two renames, two system calls apart, the path is missing; a build killed right there leaves
the old site aside, and the next build removes it. Whatever a killed build leaves (its staging
folder, an old site set aside) bears the site's name and is removed by the next build.

The site swapped out is not removed but kept as the *spare* (``.trombi/spare``, which CI caches
with the state), and the next build starts from it rather than from an empty folder
(:mod:`generator.build.spare`): at 100,000 people a site is 121,000 folders and 440,000 files,
and making them anew, then removing the old ones, was half of the kernel's time in a merge.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from generator.directory.safefs import current_umask
from generator.problems import Message

# The repository's own folders: a site is never published over one of them, nor inside one.
SOURCE_FOLDERS = frozenset(
    {"people", "groups", "docs", "photos", "pairings", "generator", "hooks", "schemas", "tests", "benchmarks", ".git", ".github", ".gitlab", ".ci", ".trombi"}
)

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def leftover_prefixes(target: Path) -> tuple[str, str]:
    """The names a build gives its staging folder and the old site it sets aside, before a random part."""
    return f".{target.name}.staging-", f".{target.name}.old-"


def unsafe_target(root: Path, target: Path) -> Message | None:
    """Why ``target`` cannot take the site, or None: publishing replaces the whole folder.

    A mistyped ``--site-dir .`` (or ``..``, or ``people``) would otherwise swap the repository, its
    history included, or a folder of it, for the site. So the site goes into a new or empty
    folder, or over a site built before, never over the repository or one of its own folders.
    """
    root, target = root.resolve(), target.resolve()
    if target == root or target in root.parents:
        return Message("the site folder holds the directory's repository, which publishing would replace: choose a folder of its own, e.g. site/")
    if target.is_relative_to(root):
        inside = target.relative_to(root).parts
        if inside[0] in SOURCE_FOLDERS and len(inside) == 1:
            return Message(
                "the site folder is the repository's {folder}/, which publishing would change: choose a folder of its own, e.g. site/", folder=inside[0]
            )
        if inside[0] in SOURCE_FOLDERS:
            return Message(
                "the site folder is inside the repository's {folder}/, which publishing would change: choose a folder of its own, e.g. site/", folder=inside[0]
            )
    if target.is_dir() and not (target / "index.html").is_file() and any(target.iterdir()):
        return Message("the site folder is a folder that holds something other than a site, which publishing would replace whole: choose a new or empty folder")
    if os.path.lexists(target) and not target.is_dir():
        return Message("the site folder is not a folder")
    return None


SPARE_DIR = ".trombi-spare"  # in the staging folder: the spare, hidden from MkDocs' cleaning until the build takes it in


@contextmanager
def staged(target: Path, *, say: Callable[[str], None] = lambda message: None, spare: Path | None = None) -> Iterator[Path]:
    """A new staging folder beside ``target``, held under the site's lock; removed if the block fails.

    ``say`` hears why the build waits, when another build holds the lock: a ``Message``, for the
    caller to say in its language. ``spare``: where an earlier build left the site it replaced
    (:func:`swap`); when it is a folder (not a link) on the staging folder's file system, it is
    moved into the staging folder as its hidden :data:`SPARE_DIR`, for the build to take what it
    can of it (:mod:`generator.build.spare`), and put back if the block fails before that.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = target.parent / f".{target.name}.lock"
    fd = hold(lock, target, say)
    try:
        remove_leftovers(target)
        staging = Path(tempfile.mkdtemp(prefix=leftover_prefixes(target)[0], dir=target.parent))
        taken = spare is not None and _take_spare(spare, staging / SPARE_DIR)
        try:
            yield staging
        except BaseException:
            if taken and spare is not None and os.path.isdir(staging / SPARE_DIR):
                with suppress(OSError):
                    os.rename(staging / SPARE_DIR, spare)  # not taken in yet: the next build may
            shutil.rmtree(staging, ignore_errors=True)
            raise
    finally:
        release(lock, fd)


def _take_spare(spare: Path, into: Path) -> bool:
    """``spare`` moved to ``into`` if it is a folder (never through a link, nor one in a linked folder); whether it was.

    A spare that cannot be moved (on another file system) is removed: it could never be used.
    """
    try:
        if not all(stat.S_ISDIR(os.lstat(folder).st_mode) for folder in (spare.parent, spare)):
            return False
    except OSError:
        return False
    try:
        os.rename(spare, into)
    except OSError:
        shutil.rmtree(spare, ignore_errors=True)
        return False
    return True


def swap(staging: Path, target: Path, *, spare: Path | None = None) -> None:
    """Put the finished site of ``staging`` at ``target`` in one step; the old one is kept as ``spare``, or removed.

    The old site is kept only where ``spare``'s folder is a folder (not a link) on its file system
    and nothing is there yet (another build's spare, or whatever else, is left as it is).
    """
    mode = 0o777 & ~current_umask()
    os.chmod(staging, mode)  # mkdtemp makes it private (0700); a site is read by the web server
    if os.path.lexists(target) and _exchange(staging, target):
        _set_aside(staging, spare)  # the old site, now under the staging name
        return
    if not os.path.lexists(target):
        os.rename(staging, target)
        return
    old = Path(tempfile.mkdtemp(prefix=leftover_prefixes(target)[1], dir=target.parent))
    try:
        os.rename(target, old / "site")
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(old / "site", target)  # the old site back where it was
            raise
        _set_aside(old / "site", spare)
    finally:
        shutil.rmtree(old, ignore_errors=True)


def _set_aside(old: Path, spare: Path | None) -> None:
    """The site just replaced, kept as ``spare`` for the next build where it can be, else removed."""
    if spare is not None:
        with suppress(OSError):
            if stat.S_ISDIR(os.lstat(spare.parent).st_mode) and not os.path.lexists(spare):
                os.rename(old, spare)
                return
    shutil.rmtree(old, ignore_errors=True)


def remove_leftovers(target: Path) -> list[str]:
    """Remove what killed builds left beside ``target``; the names removed."""
    prefixes = leftover_prefixes(target)
    removed = []
    with os.scandir(target.parent) as found:
        names = sorted(entry.name for entry in found if entry.name.startswith(prefixes) and entry.is_dir(follow_symlinks=False))
    for name in names:
        shutil.rmtree(target.parent / name, ignore_errors=True)
        removed.append(name)
    return removed


def release(path: Path, fd: int) -> None:
    """Let go of a lock taken with :func:`hold`."""
    # Unlinked while held: a build waiting on this file sees it gone and takes the lock anew (see hold).
    with suppress(OSError):
        os.unlink(path)
    os.close(fd)


def hold(path: Path, target: Path, say: Callable[[str], None]) -> int:
    """Hold the lock file ``path`` (``flock``) for ``target``, waiting for another build if need be; the open descriptor."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip() or "?"
                say(Message("another build (process {process}) is publishing {folder}: waiting for it to finish", process=holder, folder=target))
                fcntl.flock(fd, fcntl.LOCK_EX)
            # The build that held it unlinks the file when done: the lock is ours only if the file is still there.
            held, there = os.fstat(fd), os.stat(path, follow_symlinks=False)
            if (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino):
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
                return fd
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def _exchange(first: Path, second: Path) -> bool:
    """Exchange two paths atomically (``renameat2``); False where the system or filesystem cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))
