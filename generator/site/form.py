"""The profile form (``edit/``): what its page reads, published beside it.

The form runs in the browser and writes ``people/<handle>.yaml`` as a person would, then opens the
git host's own page to propose it. It reads:

- ``assets/form-directory.json`` (:func:`form_directory`): the groups with their type and whether
  they are open, the sites, the skills with their aliases, the languages named in the site's
  language, the time zones, the handles of hidden people, the skeleton of ``trombi new`` and where
  the git host takes a new file or an edit. People's names come from the introduction graph
  (``assets/intro-graph.json``), which the site already publishes.
- ``assets/person.schema.json``: the schema ``trombi validate`` and editors use, from the same model.
- ``edit/profiles/<n>.json.gz`` (:func:`profile_shards`): each profile as its file is written, lines
  and comments kept, so that an edit changes only the lines it must; the page parses it with the
  vendored YAML parser. A private contact value is left out, with its lines, and only where they
  were is said: nothing private is published.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import zlib
import zoneinfo
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator import PACKAGE
from generator.directory.enrich import Org
from generator.directory.load import MAX_FILE_BYTES, Document, may_hold_private, parse_bytes
from generator.directory.model import CONTACT_KINDS, LEVELS, Person, language_codes
from generator.directory.reference import json_schemas
from generator.directory.safefs import NotAFile, read_regular
from generator.directory.scaffold import COMMENT_COLUMN, SAMPLE_BIO, SAMPLE_PHONE, skeleton
from generator.directory.settings import Settings
from generator.i18n import GROUP_TYPE_LABELS, LEVEL_LABELS, Language
from generator.site.form_words import form_messages
from generator.site.kept import KeptFiles
from generator.site.render import edit_url

PAGE = "edit.md"
DATA_PATH = "assets/form-directory.json"
SCRIPT_PATH = "assets/form.js"
STYLE_PATH = "assets/form.css"  # the form's look: only its page loads it
SCHEMA_PATH = "assets/person.schema.json"
PROFILES_DIR = "edit/profiles"
SHARD_SIZE = 256  # a shard is what the form fetches to open one profile: a few tens of kilobytes
KEPT_KIND = "form"  # the shards a build keeps for the next, in .trombi/form/
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
        "shards": shard_count(len(org.people)),
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
    """The validator and the YAML parser the form runs, as committed under generator/assets/vendor/: (site path, source file)."""
    for path in sorted(p for p in VENDOR.rglob("*") if p.suffix == ".js" or p.name == "LICENSE"):
        yield f"{VENDOR_DIR}/{path.relative_to(VENDOR).as_posix()}", path


def shard_count(people: int) -> int:
    """How many shards hold the profiles: about :data:`SHARD_SIZE` each."""
    return max(1, -(-people // SHARD_SIZE))


def shard_of(handle: str, count: int) -> int:
    """The shard of ``handle``: FNV-1a (32 bits) of its bytes, modulo ``count``, as assets/form.js computes it."""
    number = 0x811C9DC5
    for byte in handle.encode("utf-8"):
        number = ((number ^ byte) * 0x01000193) & 0xFFFFFFFF
    return number % count


def profile_shards(org: Org, settings: Settings, digests: Mapping[str, str] | None = None) -> Iterator[tuple[str, bytes]]:
    """``edit/profiles/<n>.json.gz``: every person's file as the form may see it (:func:`public_profile`), by shard.

    A shard is one JSON object, handle to profile, gzipped: profiles compress far better together
    than one small file each (figures in benchmarks/RESULTS.md), and the page reads them with the
    browser's own DecompressionStream. One shard is made at a time. Each file is read once, never
    through a link; a file that changed since validation and is no longer text is left out (the
    form then says it cannot load the profile).

    A shard depends only on its number, the number of shards, and its people's handles and files'
    bytes: in a build's state (:mod:`generator.site.kept`), a shard made for the same is used as it
    was, so that a build after one profile changed makes one shard, not all of them. ``digests``:
    the digest of each file's bytes as validation read them (by ``Person:<handle>``,
    :func:`generator.directory.perfile.digests_read`), which tell the shard apart without reading
    its files again (at 100,000 people, 0.3 s against 0.9 s for the 391 shards kept); a shard with
    a file not among them is told by its files' bytes.
    """
    count = shard_count(len(org.people))
    members: list[list[str]] = [[] for _ in range(count)]
    for handle in org.people:
        members[shard_of(handle, count)].append(handle)
    folder = os.fspath(settings.people_path)
    kept = KeptFiles.open(settings.root, KEPT_KIND)
    for number, handles in enumerate(members):
        handles.sort()
        path = f"{PROFILES_DIR}/{number}.json.gz"
        if kept is None:
            yield path, _shard(_files(folder, handles))
            continue
        known = [digests.get(f"{Person.__name__}:{handle}") for handle in handles] if digests else []
        files = None if known and all(known) else _files(folder, handles)
        # zlib is outside the state's stamp: another version may compress otherwise.
        named = itertools.chain.from_iterable(zip(handles, known, strict=True) if files is None else files)
        key = kept.key(zlib.ZLIB_RUNTIME_VERSION, number, count, "digests" if files is None else "bytes", *named)
        content = kept.get(path, key)
        if content is None:
            content = _shard(files if files is not None else _files(folder, handles))
            kept.put(path, key, content)
        yield path, content
    if kept is not None:
        kept.finish()


def _files(folder: str, handles: list[str]) -> list[tuple[str, bytes | None]]:
    return [(handle, _read(os.path.join(folder, f"{handle}.yaml"))) for handle in handles]


def _shard(files: list[tuple[str, bytes | None]]) -> bytes:
    shard: dict[str, Any] = {}
    for handle, raw in files:
        profile = _profile(handle, raw) if raw is not None else None
        if profile is not None:
            shard[handle] = profile
    body = json.dumps(shard, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # Level 9 rather than zlib's default 6: 2 % smaller for twice the time of a few tenths of a second
    # at 10,000 people (benchmarks/RESULTS.md), which the state spares every build but the first.
    return gzip.compress(body, compresslevel=9, mtime=0)


def _profile(handle: str, raw: bytes) -> str | list[Any] | None:
    """What the form is given of a file's bytes, None if they are not a profile's text.

    Only a file that may hold a private value is parsed, for its lines (the directory's model
    keeps no positions; :func:`generator.directory.load.may_hold_private`). The rest, most
    profiles, are published as they are, once checked to be the
    UTF-8 text that validation read: a file changed since into YAML that does not parse is only
    found so by the form.
    """
    if len(raw) > MAX_FILE_BYTES or b"\x00" in raw:
        return None
    if not may_hold_private(raw):
        try:
            return raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            return None
    document, _ = parse_bytes(raw, handle)  # the name only labels problems, which are not kept
    if document is None or not isinstance(document.data, dict):
        return None
    return public_profile(raw.decode("utf-8").removeprefix("\ufeff"), document)


def _read(path: str) -> bytes | None:
    """A profile's bytes (up to one byte past the limit), never through a link; None if it is not a regular file or cannot be read."""
    try:
        return read_regular(path, MAX_FILE_BYTES + 1)[0]
    except (NotAFile, OSError):
        return None


def public_profile(text: str, document: Document) -> str | list[Any]:
    """A profile's file without its private values: its text, or ``[text, private, dropped]`` when lines were left out.

    A private contact value goes with its lines (and any comment after it, up to the next entry),
    and so does any other line that repeats a private value. ``private`` says where those lines
    were and how many, as ``[line of the text they came before, count]``, nothing of what they
    held: enough for the form to give an edit's line numbers in the real file and to leave those
    lines alone. ``dropped`` names a field whose private value shared a line with public ones: the
    whole field is left out, and the form does not change it.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    data = document.data if isinstance(document.data, dict) else {}
    secrets = _private_values(data)
    if not secrets:
        return text
    keys = list(data)
    starts = [document.key_marks[(key,)][0] - 1 for key in keys]
    first = starts[keys.index("contact")]
    after = [start for start in starts if start > first]
    end = min(after) if after else len(lines) - (1 if lines[-1] == "" else 0)
    contact = data["contact"]
    written_below = document.marks.get(("contact",), (0, 0))[0] - 1 > first
    names = list(contact)
    child_starts = [_child_line(document, "contact", name) for name in names] if written_below else []
    removed: set[int] = set()
    dropped: list[str] = []
    for name in secrets:
        if not written_below:
            removed.update(range(first, end))
            dropped = ["contact"]
            break
        position = names.index(name)
        child_end = child_starts[position + 1] if position + 1 < len(names) else end
        removed.update(range(child_starts[position], child_end))
    hidden = [str(value).strip() for value in secrets.values() if len(str(value).strip()) >= 3]
    removed.update(number for number, line in enumerate(lines) if any(secret in line for secret in hidden))
    kept: list[str] = []
    private: list[list[int]] = []
    for number, line in enumerate(lines):
        if number not in removed:
            kept.append(line)
        elif private and private[-1][0] == len(kept):
            private[-1][1] += 1
        else:
            private.append([len(kept), 1])
    return [newline.join(kept), private, dropped]


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
