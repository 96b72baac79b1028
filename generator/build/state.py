"""What a build keeps for the next one, in the repository's ``.trombi/``: used only if the same Trombi wrote it.

``.trombi/`` holds the history read so far (``history.json``), the terminal's search index, the
pages' search documents and Pagefind's bundles, the pages and exports with what they read
(``render/``), the files found valid (``checked.json``), the form's shards, calendars and silo
pictures, and the site the last build replaced (``spare/``, :mod:`generator.build.spare`). CI
restores it from the previous publication (both CI systems cache it), so it may come from another
version of Trombi, or be half of one: :func:`check_state` compares its stamp, ``state.json``, with
the code and the libraries that build now, and when they differ (or the stamp is missing or
unreadable) empties the folder, so that the build starts from nothing, said in one line, rather
than from what another version left.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from functools import cache
from importlib import metadata
from pathlib import Path

from generator import PACKAGE, __version__
from generator.problems import Message, Problem, TrombiError

STATE_DIR = ".trombi"  # under the directory's root, beside the site, never in it
STATE_FILE = "state.json"
SPARE = "spare"  # the site the last build replaced, for the next to start from (generator.build.spare)
# Libraries whose output is kept in the state: another version of one may write other files.
_LIBRARIES = ("mkdocs", "mkdocs-material", "pagefind-bin", "whoosh", "jinja2", "pyyaml", "pydantic")
# Files of the package that decide what is built; caches and compiled files do not.
_SOURCES = ("*.py", "*.j2", "*.html", "*.js", "*.css", "*.po", "*.json", "*.yml", "*.yaml", "*.svg")


@cache
def stamp() -> dict[str, str]:
    """What the state is valid for: this Trombi (its version and a digest of its code, templates and words) and its libraries."""
    digest = hashlib.sha256()
    for path in sorted(p for pattern in _SOURCES for p in PACKAGE.rglob(pattern) if "__pycache__" not in p.parts):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "-"
    return {"trombi": __version__, "code": digest.hexdigest(), **versions}


def check_state(folder: Path) -> Message | None:
    """Keep ``folder`` if the same Trombi wrote it, else empty it (but its lock); what was done, when the state was dropped."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        # Emptied through a link, the state would be wherever the link leads: the repository itself, say.
        message = Message("{path} is not a folder but a link or a file: Trombi keeps its state in a folder of its own; remove it", path=STATE_DIR)
        raise TrombiError([Problem(STATE_DIR, 1, 1, message, "unsafe-path")])
    wanted = stamp()
    file = folder / STATE_FILE
    try:
        found = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        found = None
    except (OSError, ValueError):
        found = {}
    if found == wanted:
        return None
    kept = [entry for entry in folder.iterdir() if not entry.name.startswith(".")] if folder.is_dir() else []
    for entry in kept:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps(wanted, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if found is None and not kept:
        return None  # a first build: nothing to say
    if found is None or not isinstance(found, dict) or not found:
        return Message("state: .trombi/ has no readable stamp (state.json): it was emptied, and everything is built anew")
    return Message("state: .trombi/ was written by another version of Trombi or of its libraries: it was emptied, and everything is built anew")
