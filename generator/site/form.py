"""The profile form (``edit/``): what its page reads, published beside it.

The form runs in the browser and writes ``people/<handle>.yaml`` as a person would, then opens the
git host's own page to propose it. It reads:

- ``assets/form-directory.json`` (:func:`form_directory`): the groups with their type and whether
  they are open, the sites, the skills with their aliases, the languages named in the site's
  language, the time zones, the handles of hidden people, the skeleton of ``trombi new`` and where
  the git host takes a new file or an edit. People's names come from the introduction graph
  (``assets/intro-graph.json``), which the site already publishes.
- ``assets/person.schema.json``: the schema ``trombi validate`` and editors use, from the same model.
- ``edit/profiles/<handle>.json`` (:func:`profile_layout`): a profile as its file is written, lines
  and comments kept, so that an edit changes only the lines it must. A private contact value is
  left out, with its lines: nothing private is published.
"""

from __future__ import annotations

import json
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator import PACKAGE
from generator.directory.enrich import Org
from generator.directory.load import MAX_FILE_BYTES, Document, parse_bytes
from generator.directory.model import CONTACT_KINDS, LEVELS, language_codes
from generator.directory.reference import json_schemas
from generator.directory.safefs import NotAFile, open_regular
from generator.directory.scaffold import COMMENT_COLUMN, SAMPLE_BIO, SAMPLE_PHONE, skeleton
from generator.directory.settings import Settings
from generator.i18n import GROUP_TYPE_LABELS, LEVEL_LABELS, Language
from generator.site.form_words import form_messages
from generator.site.render import edit_url

PAGE = "edit.md"
DATA_PATH = "assets/form-directory.json"
SCRIPT_PATH = "assets/form.js"
STYLE_PATH = "assets/form.css"  # the form's look: only its page loads it
SCHEMA_PATH = "assets/person.schema.json"
PROFILES_DIR = "edit/profiles"
VENDOR = PACKAGE / "assets" / "vendor"
VENDOR_DIR = "assets/vendor"
_SCRIPT_SOURCE = PACKAGE / "assets" / "form.js"
_MESSAGES = "{/* messages: written by the build, generator/site/form.py */}"
# The longest address the form opens on the git host; longer, it falls back to copy and paste.
# GitHub answers 414 past 8,191 bytes (github/docs#4537); nginx, in front of a self-managed
# GitLab, refuses a request line over its 8 kB buffers (large_client_header_buffers' default).
URL_LIMIT = 8000


def form_directory(org: Org, settings: Settings, language: Language) -> str:
    """What the form offers and checks against, as compact JSON (no person's data but hidden handles)."""
    skills = org.directory.skills.definitions
    data = {
        "groups": [[slug, g.name, g.type, g.open] for slug, g in sorted(org.groups.items(), key=lambda item: item[1].name.casefold())],
        "sites": list(settings.sites),
        "skills": [[name, d.category, d.aliases] for name, d in skills.items()],
        "languages": sorted(([code, language.language_name(code)] for code in language_codes()), key=lambda item: item[1].casefold()),
        "timezones": sorted(zoneinfo.available_timezones()),
        "hidden": sorted(handle for handle, person in org.people.items() if person.search == "hidden"),
        "levels": [[level, language.gettext(LEVEL_LABELS[level])] for level in LEVELS],
        "groupTypes": {kind: language.gettext(label) for kind, label in GROUP_TYPE_LABELS.items()},
        "samplePhone": SAMPLE_PHONE,
        "sampleBio": language.gettext(SAMPLE_BIO),
        "skeleton": [list(line) for line in skeleton(settings, path="{path}")],
        "column": COMMENT_COLUMN,
        "peopleDir": settings.people_dir,
        "host": git_host(settings),
        "urlLimit": URL_LIMIT,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def git_host(settings: Settings) -> dict[str, str | None]:
    """Where the git host takes a new file and shows a file's edit page: from ``repo_url`` and ``edit_uri``.

    ``kind`` is ``github`` or ``gitlab`` when the host is known to fill a new file from its address;
    ``edit`` is the edit page of the data's root (the edit links of the pages use it too).
    """
    repo = (settings.repo_url or "").rstrip("/")
    host = (urlsplit(repo).hostname or "").lower()
    kind = "github" if "github" in host else "gitlab" if "gitlab" in host else None
    edit = edit_url(settings, "")
    branch = _branch(settings.edit_uri or "")
    new = None
    if repo and kind and branch:
        new = f"{repo}/new/{branch}" if kind == "github" else f"{repo}/-/new/{branch}"
    return {"kind": kind, "repo": repo or None, "edit": edit.rstrip("/") + "/" if edit else None, "new": new}


def _branch(edit_uri: str) -> str | None:
    # edit_uri as MkDocs documents it: edit/<branch>/docs/ (GitHub), -/edit/<branch>/docs/ (GitLab), blob/<branch>/...
    parts = [part for part in edit_uri.strip("/").split("/") if part and part != "-"]
    if len(parts) >= 2 and parts[0] in ("edit", "blob", "tree"):
        return parts[1]
    return None


def form_script(language: Language) -> str:
    """The form's script (``assets/form.js``) with its words in ``language``."""
    source = _SCRIPT_SOURCE.read_text(encoding="utf-8")
    if source.count(_MESSAGES) != 1:
        raise ValueError(f"{_SCRIPT_SOURCE} must hold {_MESSAGES} once, where the build writes the messages")
    return source.replace(_MESSAGES, json.dumps(form_messages(language), ensure_ascii=False))


def person_schema() -> str:
    return json_schemas()["person.schema.json"]


def vendored_files() -> Iterator[tuple[str, Path]]:
    """The validator the form runs, as committed under generator/assets/vendor/: (site path, source file)."""
    for path in sorted(p for p in VENDOR.rglob("*") if p.suffix == ".js" or p.name == "LICENSE"):
        yield f"{VENDOR_DIR}/{path.relative_to(VENDOR).as_posix()}", path


def profile_files(org: Org, settings: Settings) -> Iterator[tuple[str, str]]:
    """``edit/profiles/<handle>.json`` for every person: their file as the form edits it.

    Each file is read once, never through a link, and parsed again for its lines: the directory's
    model keeps no positions. A file that changed since validation is left out (the form then
    says it cannot load the profile).
    """
    folder = settings.people_path
    for handle in org.people:
        try:
            with open_regular(folder / f"{handle}.yaml") as file:
                raw = file.read(MAX_FILE_BYTES + 1)
        except (NotAFile, OSError):
            continue
        document, _ = parse_bytes(raw, handle)  # the name only labels problems, which are not kept
        if document is None or not isinstance(document.data, dict):
            continue
        text = raw.decode("utf-8").removeprefix("\ufeff")
        yield f"{PROFILES_DIR}/{handle}.json", json.dumps(profile_layout(text, document), ensure_ascii=False, separators=(",", ":"))


def profile_layout(text: str, document: Document) -> dict[str, Any]:
    """A profile's lines and where each field sits in them, without its private values.

    ``blocks`` are ``[field, first, end, block, children]``: the field's lines ``first`` to ``end``
    (excluded, 0-based, the comments and blank lines after it included), whether its value is
    written on the lines below its key (``block``: a list item or a mapping's entry a line), and
    then its items or entries as ``[index or key, first, end]``. ``values`` are the fields as the
    file gives them; ``dropped`` names a mapping whose private value shared a line with others:
    the form writes it anew; ``newline`` is there when the file's lines end in CR LF.
    """
    # A file saved with Windows line ends keeps them: the form writes its new lines the same way.
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    if lines and lines[-1] == "":
        lines.pop()
    data = document.data if isinstance(document.data, dict) else {}
    keys = list(data)
    starts = [document.key_marks[(key,)][0] - 1 for key in keys]
    blocks: list[list[Any]] = []
    for index, key in enumerate(keys):
        first, end = starts[index], starts[index + 1] if index + 1 < len(keys) else len(lines)
        value = data[key]
        written_below = isinstance(value, list | dict) and bool(value) and document.marks.get((key,), (0, 0))[0] - 1 > first
        children: list[list[Any]] = []
        if written_below:
            names = list(range(len(value))) if isinstance(value, list) else list(value)
            child_starts = [_child_line(document, key, name) for name in names]
            for position, name in enumerate(names):
                child_end = child_starts[position + 1] if position + 1 < len(names) else end
                children.append([name, child_starts[position], child_end])
        blocks.append([key, first, end, written_below, children])
    values = dict(data)
    removed: set[int] = set()
    dropped: list[str] = []
    secrets = _private_values(values)
    if secrets:
        contact = dict(values["contact"])
        found = next(b for b in blocks if b[0] == "contact")
        for name in secrets:
            del contact[name]
            child = next((c for c in found[4] if c[0] == name), None)
            if child is not None:
                removed.update(range(child[1], child[2]))
                found[4].remove(child)
            else:
                removed.update(range(found[1], found[2]))
                dropped.append("contact")
        values["contact"] = contact
        # A comment, or any other line, that repeats a private value goes too.
        hidden = [str(value).strip() for value in secrets.values() if len(str(value).strip()) >= 3]
        removed.update(number for number, line in enumerate(lines) if any(secret in line for secret in hidden))
    return {**_without(lines, blocks, removed), "values": values, "dropped": dropped, **({"newline": newline} if newline != "\n" else {})}


def _child_line(document: Document, key: str, name: str | int) -> int:
    mark = document.key_marks.get((key, name)) if isinstance(name, str) else None
    return (mark or document.marks[(key, name)])[0] - 1


def _private_values(values: dict[str, Any]) -> dict[str, Any]:
    contact = values.get("contact")
    if not isinstance(contact, dict):
        return {}
    return {
        name: entry.get("value")
        for name, entry in contact.items()
        if name in CONTACT_KINDS and isinstance(entry, dict) and entry.get("visibility") == "private"
    }


def _without(lines: list[str], blocks: list[list[Any]], removed: set[int]) -> dict[str, Any]:
    """``lines`` but ``removed``, and ``blocks`` with their line numbers moved to match."""
    new_index = []
    kept = 0
    for number in range(len(lines) + 1):
        new_index.append(kept)
        if number < len(lines) and number not in removed:
            kept += 1
    moved = [
        [key, new_index[first], new_index[end], block, [[name, new_index[a], new_index[b]] for name, a, b in children]]
        for key, first, end, block, children in blocks
    ]
    return {"lines": [line for number, line in enumerate(lines) if number not in removed], "blocks": moved}
