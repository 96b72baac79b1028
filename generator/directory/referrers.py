"""The files that may reference what a pull request changed in ``skills.yaml`` or in groups.

A pull request that removes a skill or an alias breaks the profiles that use it, and one that
renames a group's type, closes it or moves it breaks its members and subgroups, though none of
those files is in the pull request. Reading them all would make checking a pull request as slow
as checking the whole directory (100,000 files); their raw bytes are searched instead, the way
``grep`` would, and only the files that may reference what changed are parsed and checked.

The search may find too many files, never too few: a file it cannot read simply is a candidate.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from generator.directory.load import MAX_FILE_BYTES, entries
from generator.directory.safefs import read_head

# The ``skills:`` block of a profile: from its key to the next key at the left margin.
_SKILLS_KEY = re.compile(rb"^skills[ \t]*:", re.MULTILINE)
_NEXT_KEY = re.compile(rb"\n[^\s#-]")
_NAME_FIELD = re.compile(r"""\bname[ \t]*:[ \t]*([^,}\n]*)""")
_OTHER_FIELD = re.compile(r"""\b\w+[ \t]*:[ \t]*[^,}\n]*""")
_BARE = re.compile(r"[^\[\]{},\s-][^\[\]{},\n]*")  # an item of a list, after its "- " or in [...]
_BLANK_OR_QUOTE = " \t\r'\""
_COMMENT = re.compile(r"(?:^|[ \t])#[^\n]*")
# What plain text cannot say simply: escapes, and where a node starts, anchors and aliases, tags
# and block scalars ("HTML & CSS" is a plain name).
_UNUSUAL = re.compile(r"""\\|(?:^|[\s\[{,:])(?:[&*!]\S|[|>][-+0-9]*(?:\s|$))""", re.MULTILINE)


def referrers(folder: Path, *, slugs: Collection[str] = (), known_skills: Collection[str] | None = None) -> list[Path]:
    """The ``*.yaml`` files of ``folder`` that may name one of ``slugs``, or a skill not in ``known_skills``.

    ``known_skills`` holds every canonical name and alias, stripped and case-folded (``Skills.lookup``);
    ``None`` when the taxonomy did not change.
    """
    if not slugs and known_skills is None:
        return []
    slug_bytes = [s.encode() for s in sorted(slugs)]
    slug_pattern = re.compile(rb"(?<![\w-])(?:" + b"|".join(re.escape(s) for s in slug_bytes) + rb")(?![\w-])") if slugs else None
    found: list[Path] = []
    try:
        listing = sorted((entry.name, entry.path) for entry in entries(folder) if entry.name.endswith(".yaml") and entry.is_file(follow_symlinks=False))
    except OSError:
        return []
    for name, path in listing:
        try:
            raw = read_head(path, MAX_FILE_BYTES + 1)  # 100,000 files are read for one changed group
        except OSError:
            found.append(folder / name)
            continue
        # A plain search first: the pattern, with its look-arounds, only where a slug is at all.
        names_a_slug = slug_pattern is not None and any(slug in raw for slug in slug_bytes) and slug_pattern.search(raw)
        if names_a_slug or (known_skills is not None and _may_name_an_unknown_skill(raw, known_skills)):
            found.append(folder / name)
    return found


def _may_name_an_unknown_skill(raw: bytes, known: Collection[str]) -> bool:
    key = _SKILLS_KEY.search(raw)
    if key is None:
        return b"skills" in raw  # written some way this search does not know: let the parser say
    end = _NEXT_KEY.search(raw, key.end())
    try:
        block = raw[key.end() : end.start() if end else len(raw)].decode("utf-8")
    except UnicodeDecodeError:
        return True
    block = _COMMENT.sub("", block)
    if _UNUSUAL.search(block):
        return True
    names = _NAME_FIELD.findall(block) + _BARE.findall(_OTHER_FIELD.sub("", block))
    return any(name.strip(_BLANK_OR_QUOTE).casefold() not in known for name in names if name.strip(_BLANK_OR_QUOTE))
