"""What git's index says of the directory's files: those a build need not read again (:func:`unchanged_files`).

Beside :mod:`generator.history.git`, which reads the history: this asks only of the files as they
are checked out, while the directory loads; no value read from the directory's files is passed to git.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path


def unchanged_files(folder: Path) -> dict[str, str]:
    """The files directly in ``folder`` that git knows to be, on disk, the blob its index names: each name and that blob's id.

    What a build need not read again when an earlier one read the same blob (the stored checks,
    :mod:`generator.directory.perfile`): at 100,000 people, reading every profile took 2.9 to 3.5 s
    of a merge's load, on a core the rest of the build was waiting for, where git tells in 0.1 s.
    ``git diff-files`` compares each file with the index's record of it (its size, times, inode;
    its bytes when the times cannot tell), as ``git status`` does. Left out: a file git says
    changed, one it is told to assume unchanged or to leave out of the working tree, a link, a
    conflict, anything in a subfolder. Empty outside a repository, or when git fails.
    """
    # Without the file system monitor a repository may name: git looks at each file itself, and runs no hook.
    command = ["git", "-C", os.fspath(folder), "-c", "core.fsmonitor=false"]
    try:
        # Both at once: each takes about a tenth of a second at 100,000 people.
        with (
            _git([*command, "ls-files", "--stage", "-v", "-z", "--", "."]) as listing,
            _git([*command, "diff-files", "--name-only", "--relative", "-z", "--", "."]) as changes,
        ):
            listed, changed = _output(listing), _output(changes)
    except (OSError, subprocess.SubprocessError):
        return {}
    modified = set(changed.split(b"\0"))
    found: dict[str, str] = {}
    for entry in listed.split(b"\0"):
        head, tab, name = entry.partition(b"\t")
        fields = head.split(b" ")
        # "H": tracked and looked at (lowercase: assumed unchanged; "S": left out of the working tree).
        if tab and len(fields) == 4 and fields[0] == b"H" and fields[1] in _REGULAR and fields[3] == b"0" and b"/" not in name and name not in modified:
            found[os.fsdecode(name)] = fields[2].decode("ascii")
    return found


def _git(command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def _output(process: subprocess.Popen[bytes]) -> bytes:
    """What ``process`` wrote, once it ended well; CalledProcessError if not, TimeoutExpired (the process killed) if it took too long."""
    try:
        output, _ = process.communicate(timeout=GIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args)
    return output


def blob_id(raw: bytes) -> str:
    """The id git gives a file of these bytes (SHA-1; a repository of SHA-256 ids never matches, and its files are read)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


_REGULAR = (b"100644", b"100755")
GIT_TIMEOUT = 60  # seconds: git lists 100,000 files in a tenth of a second
