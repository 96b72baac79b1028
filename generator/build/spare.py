"""The site an earlier build replaced, taken as the start of the next one: its folders, and its files that are still the kept ones.

At 100,000 people a site is 121,000 folders and 440,000 files, of which 320,000 are links to the
files an earlier build kept (:mod:`generator.build.incremental`). A merge made all the folders
again (35 to 185 µs each on the benchmarks' machine), linked the 320,000 files into them, then
removed the old site whole: half of the kernel's time in a merge, and most of a merge was the
kernel's. So the site swapped out is kept as the spare (:func:`generator.site.sitedir.swap`), and
the next build starts from it: under the staging folder, hidden from MkDocs' cleaning
(:data:`~generator.site.sitedir.SPARE_DIR`), a child clears the spare from the build's start
(:func:`clearing`). It leaves the files that are kept files (the same inode as the one of that
name in the folder of kept files, no link followed) and the *loose* ones, regular files that no
other name shares (MkDocs' pages and the features' files, which the build writes again: a file
written over keeps its inode, where one removed and made again took the kernel 35 to 500 µs to
find a new inode for, on a file system that has just freed thousands); it removes everything else,
and every folder left empty. What is left is moved into the site once MkDocs has emptied it
(:func:`take_in`), and the build then treats the kept files it holds as those it would have
linked: it removes those of units it makes anew or that are gone (:func:`settle`), and places the
others only where they are not the kept file any more (:func:`generator.build.incremental.place_kept`).
The loose files that nothing wrote over are removed once everything is written (:func:`finish`).
The site is the one a build from an empty folder makes, byte for byte and folder for folder.

Nothing is ever written through a file that another name shares: the kept files the spare holds
are linked from the site published now too, and every writer of the build writes a new file where
one of them was (MkDocs' own files among them, :func:`take_in`); a loose file is the spare's alone.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Collection, Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from generator.build.incremental import folder_stamp, kept_name
from generator.directory.safefs import prune
from generator.parallel import BESIDE, InChild
from generator.search.pagefind import OUTPUT_DIR
from generator.site.sitedir import SPARE_DIR

Retained = dict[str, int]  # a file of the spare left in the site, by its path in the site: its inode, that of the kept file it is a link to


@dataclass
class Cleared:
    """What :func:`clear` left of a spare: kept files, by their paths, with their inodes; the loose files; when the build began with it."""

    retained: Retained
    loose: list[str]
    # ns: a loose file whose inode changed since then was written by this build. The spare's files
    # were written before the build that replaced them, and the spare moved (in one step, which
    # leaves the files it holds as they were) as this build began: all by the kernel's own clock.
    since: int
    # The folder of kept files as it was when its inodes were read (generator.build.incremental.folder_stamp):
    # while it stays so, the kept files retained are still links to its files.
    listed: tuple[int, ...] | None = None


def clearing(site_dir: Path, files_dir: Path) -> InChild[Cleared] | None:
    """The spare in ``site_dir`` cleared by a forked child beside the build from now on (:func:`clear`); None without a spare."""
    spare = site_dir / SPARE_DIR
    try:
        status = os.lstat(spare)
    except OSError:
        return None
    if not stat.S_ISDIR(status.st_mode):
        return None
    # Moved into the staging folder as the build began: every file the build writes changes after that.
    since = status.st_ctime_ns

    def work() -> Cleared:
        listed = folder_stamp(files_dir)  # before clear() lists the folder
        return Cleared(*clear(spare, files_dir), since, listed)

    # Beside the build, as the early look at the kept files (generator.build.incremental.looking_ahead):
    # both share what the reading of the directory leaves of the cores, and end before the plan,
    # which takes every core. At the lowest priority it could be left waiting through the plan, and
    # the build then waited for it (take_in) before MkDocs' pages: at 100,000 people it ended after
    # the plan's drawing children in 2 of 8 merges (the build waited 0.8 s once), and in none of 8 since.
    return InChild(work, nice=BESIDE)


def clear(spare: Path, files_dir: Path) -> tuple[Retained, list[str]]:
    """Remove from ``spare`` every file that is neither a link to the kept file of its name in
    ``files_dir`` nor loose (a regular file that no other name shares, below the top folder), and
    every folder left empty; the kept files left, and the loose ones. Pagefind's folder is left
    whole to Pagefind's writer, which keeps the files of its bundles where they are.

    Nothing is followed or read: the folders are listed, and a file's inode is the one its folder's
    listing gives. Without the kept files (another file system, none at all), none is left.
    """
    kept: dict[str, int] = {}
    with suppress(OSError):
        status = os.lstat(files_dir)
        if stat.S_ISDIR(status.st_mode) and status.st_dev == os.lstat(spare).st_dev:  # an inode is a file on its own file system only
            with os.scandir(files_dir) as entries:
                kept = {entry.name: entry.inode() for entry in entries}
    retained: Retained = {}
    loose: list[str] = []

    def left(path: str, entry: os.DirEntry[str]) -> bool:
        if not entry.is_file(follow_symlinks=False):
            return False
        inode = entry.inode()
        if kept.get(kept_name(path)) == inode:
            retained[path] = inode
            return True
        # The site's top files are few, and moving them into the site (take_in) would change them.
        if "/" in path and entry.stat(follow_symlinks=False).st_nlink == 1:
            loose.append(path)
            return True
        return False

    # Pagefind's index is left whole: its writer keeps what is still its bundles' and removes the rest (write_pagefind_index).
    prune(os.fspath(spare), left, whole={OUTPUT_DIR})
    return retained, loose


def take_in(site_dir: Path, child: InChild[Cleared], written: Iterable[str]) -> Cleared:
    """What :func:`clearing` left of the spare moved into ``site_dir``, just emptied by MkDocs.

    ``written``: the paths of the files MkDocs and the features write into the site. The kept files
    the spare holds there (a page that MkDocs renders now, which the build wrote before) are removed
    first: MkDocs writes into a file where there is one, and this one the published site links too.
    """
    cleared = child.result()
    spare = site_dir / SPARE_DIR
    with os.scandir(spare) as entries:
        names = [entry.name for entry in entries]
    for name in names:
        try:
            os.rename(spare / name, site_dir / name)
        except OSError:  # something of the same name there already: the spare's is not needed
            shutil.rmtree(spare / name, ignore_errors=True)
            cleared.retained = {path: inode for path, inode in cleared.retained.items() if path.split("/", 1)[0] != name}
            cleared.loose = [path for path in cleared.loose if path.split("/", 1)[0] != name]
    os.rmdir(spare)
    for path in written:
        if cleared.retained.pop(path, None) is not None:
            os.unlink(site_dir / path)
    return cleared


def settle(site_dir: Path, retained: Retained, kept: Collection[str]) -> list[str]:
    """Remove from ``site_dir`` the spare's kept files that are not among ``kept`` (the kept units' files); the folders they were in.

    Called before anything else of the units is written: a unit made anew writes a new file.
    ``retained`` keeps the others, which :func:`generator.build.incremental.place_kept` leaves where
    they are still the kept file.
    """
    folders = set()
    for path in [path for path in retained if path not in kept]:
        del retained[path]
        os.unlink(site_dir / path)
        folders.add(os.path.dirname(path))
    return sorted(folders)


def finish(site_dir: Path, cleared: Cleared, emptied: Iterable[str]) -> None:
    """Once everything is written: remove the loose files nothing wrote over, then the folders ``emptied`` and theirs that are left empty."""
    folders = set(emptied)
    for path in cleared.loose:
        target = os.path.join(site_dir, path)
        with suppress(FileNotFoundError):
            if os.lstat(target).st_ctime_ns < cleared.since:
                os.unlink(target)
                folders.add(os.path.dirname(path))
    remove_empty(site_dir, sorted(folders, key=len, reverse=True))


def remove_empty(site_dir: Path, folders: Iterable[str]) -> None:
    """Remove each of ``folders`` (paths in ``site_dir``, the deepest first) that is empty, and each above it left empty.

    A build from an empty folder makes none of them."""
    for folder in folders:
        while folder:
            try:
                os.rmdir(site_dir / folder)
            except OSError:  # not empty (written into since), or gone already
                break
            folder = os.path.dirname(folder)
