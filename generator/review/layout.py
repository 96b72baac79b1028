"""What a pull request may never contain, whoever approves it, and where in a file a change is.

The directory holds regular files in a known layout: no symbolic link (nothing follows one), no
submodule, no change of a file's type or mode, and nothing under ``people/``, ``groups/`` or
``photos/`` that is not a profile, a group or a photo where the generator looks for them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import PurePosixPath

from generator.directory.model import HANDLE_RE, PHOTO_SUFFIXES
from generator.problems import Message

REGULAR, EXECUTABLE, SYMLINK, SUBMODULE = 0o100644, 0o100755, 0o120000, 0o160000


@dataclass(frozen=True, slots=True)
class Folders:
    """The directory's self-service folders, each with its trailing '/'."""

    people: str
    groups: str
    photos: str


def entity(path: str | None, folder: str) -> str | None:
    """The handle (or slug) of ``folder/<name>.yaml``, directly in ``folder`` and a valid name; else None."""
    if path and path.startswith(folder) and path.endswith(".yaml"):
        name = path[len(folder) : -len(".yaml")]
        return name if HANDLE_RE.fullmatch(name) else None
    return None


def refusal(status: str, path: str, old_mode: int, new_mode: int, folders: Folders) -> Message | None:
    """Why no approval can make this change acceptable, with how to fix it; None when it can be judged."""
    if new_mode == SYMLINK or (old_mode == SYMLINK and status != "D"):
        return Message(
            "{path} is a symbolic link: the directory holds regular files only and follows no link; "
            "commit the file itself instead (git rm --cached {path}, then add the real file)",
            path=path,
        )
    if SUBMODULE in (old_mode, new_mode) and status != "D":
        return Message("{path} is a submodule: the directory holds regular files only; remove it (git rm --cached {path})", path=path)
    if status == "T" or (old_mode and new_mode and old_mode != new_mode):
        return Message(
            "{path} changes mode from {old} to {new}: a pull request may not change a file's type or mode; "
            "restore it (git update-index --chmod={chmod} {path})",
            path=path,
            old=f"{old_mode:o}",
            new=f"{new_mode:o}",
            chmod="-x" if new_mode == EXECUTABLE else "+x",
        )
    if status == "D":
        return None
    folder = next((folder for folder in (folders.people, folders.groups, folders.photos) if path.startswith(folder)), None)
    if folder is None:
        return None
    if new_mode == EXECUTABLE:
        return Message(
            "{path} is executable: files under {folder} are data; make it a plain file (git update-index --chmod=-x {path})", path=path, folder=folder
        )
    if folder == folders.photos:
        name = path[len(folder) :]
        if PurePosixPath(name).suffix.lower() in PHOTO_SUFFIXES and all(part not in ("", ".", "..") for part in name.split("/")):
            return None
        suffixes = ", ".join(PHOTO_SUFFIXES)
        return Message("{path} is not a photo: {folder} holds {suffixes} images only; rename or remove it", path=path, folder=folder, suffixes=suffixes)
    if entity(path, folder) is not None:
        return None
    if folder == folders.people:
        return Message(
            "{path} is outside the directory's layout: a profile is {folder}<handle>.yaml, directly in {folder}, the handle being "
            "2 to 40 lowercase letters, digits and '-'; rename it (git mv {path} {folder}<handle>.yaml)",
            path=path,
            folder=folder,
        )
    return Message(
        "{path} is outside the directory's layout: a group is {folder}<slug>.yaml, directly in {folder}, the slug being "
        "2 to 40 lowercase letters, digits and '-'; rename it (git mv {path} {folder}<slug>.yaml)",
        path=path,
        folder=folder,
    )


def first_change(old: bytes | None, new: bytes) -> tuple[int, int]:
    """Line and column (1-based) where ``new`` first differs from ``old``: the line a reviewer must read."""
    before = (old or b"").decode("utf-8", "replace").splitlines()
    after = new.decode("utf-8", "replace").splitlines()
    for tag, i1, _, j1, _ in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if j1 >= len(after):  # lines removed at the end: the last line left
            return max(len(after), 1), 1
        text = after[j1]
        if tag == "replace" and i1 < len(before):
            was = before[i1]
            col = next((i for i, (a, b) in enumerate(zip(was, text, strict=False)) if a != b), min(len(was), len(text)))
            return j1 + 1, col + 1
        return j1 + 1, len(text) - len(text.lstrip()) + 1
    return 1, 1
