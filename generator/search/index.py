"""The terminal's search index (Whoosh): its schema, and writing it; :mod:`.query` searches it,
:mod:`.analysis` cuts and folds the words of both.

``trombi build`` writes it next to the site, in ``<root>/.trombi/index/``, never inside the site.
Only what a person's public page shows is indexed, and only people who did not ask to be
hidden. Text is folded (case and accents) before it is stemmed, so ``securite`` finds
``sécurité``; terms of five letters or more also match with one typo (two from eight letters).
Skills are indexed in one field per level, boosted by level, so experts come first.

Writing must keep up with 100,000 people (13 million postings): each distinct word and field
value is analysed once, postings are kept in memory in document order instead of going through
whoosh's external sort, and on Linux two processes write a segment each. A build after a few
changes does not write it all again: :mod:`.incremental` updates it in place.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
import shutil
import uuid
import warnings
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.directory.enrich import Org
from generator.directory.model import LEVELS, Person
from generator.directory.perfile import digest_key
from generator.directory.settings import CONFIG_FILE, Settings
from generator.i18n import load_language
from generator.parallel import can_fork, collector_paused, cores
from generator.problems import Message, Problem, TrombiError, has_errors
from generator.search.analysis import fold, language_names, stemming
from generator.search.incremental import ORDER, RECORD, Record, full_record, order, update, whole
from generator.search.named import named_pages, shards
from generator.search.whooshio import MemoryWriter, segments_of
from generator.search.whooshtext import WordAnalyzer
from generator.site.markup import html_as_text
from generator.site.sitedir import staged, swap
from generator.weights import WEIGHTS

# Whoosh 2.7 predates Python 3.11 and its modules trigger SyntaxWarning / DeprecationWarning when
# they are compiled; users did nothing wrong, so they do not see them.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh import index as whoosh_index  # type: ignore[import-untyped]
    from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema  # type: ignore[import-untyped]

INDEX_DIR = Path(".trombi") / "index"
STAMP = "trombi-stamp.json"
NAMED = "named-pages.json"  # the pages a query can name (generator.search.named), filed by key as the site files them
FORMAT = 11  # bump when the schema, the analysis or its module path (pickled in the index) changes: older indexes are rebuilt

# Query-time boosts: a skill (the stronger the level, the higher) or a name beats a title, which
# beats what people offer or ask about, which beats a mention in a bio.
LEVEL_FIELDS = {level: f"skills_{level}" for level in LEVELS}
FIELD_BOOSTS: dict[str, float] = {
    "name": WEIGHTS["name"],
    **{LEVEL_FIELDS[level]: WEIGHTS[f"skill_{level}"] for level in LEVELS},
    **{field: WEIGHTS[field] for field in ("title", "ask", "offers", "team", "location", "lang", "group", "seeks", "interests", "bio")},
    "title_exact": 1.0,  # the whole title as typed, on top of its words
}
# Where typos are forgiven: names people type from memory, not free text.
FUZZY_FIELDS = ("name", *LEVEL_FIELDS.values(), "title", "team", "location", "group")
FUZZY_MIN_LENGTH = 5
FUZZY_TWO_EDITS_LENGTH = 8
FUZZY_BOOST = 0.3


def make_schema(language: str) -> Schema:
    fold, stem = WordAnalyzer(), WordAnalyzer(language)
    text_fields = {name: TEXT(analyzer=stem) for name in ("skill", *LEVEL_FIELDS.values(), "title", "ask", "offers", "seeks", "interests", "bio")}
    # title_exact: the title unstemmed, so that ``developpeuse`` ranks Développeuse before Développeur.
    text_fields |= {name: TEXT(analyzer=fold) for name in ("name", "title_exact", "team", "location", "lang", "group")}
    return Schema(
        handle=ID(stored=True, unique=True),
        kind=TEXT(analyzer=fold),
        card=STORED(),
        f_skill=KEYWORD(commas=True),
        f_skill_level=KEYWORD(commas=True),
        f_level=KEYWORD(commas=True),
        f_location=ID(),
        f_lang=KEYWORD(commas=True),
        f_team=KEYWORD(commas=True),
        **text_fields,
    )


# --- writing -------------------------------------------------------------------------------


def index_path(settings: Settings) -> Path:
    return settings.root / INDEX_DIR


def data_mtime(settings: Settings) -> float:
    """The newest modification time of the directory's data: its folders, their files, skills and config.

    A folder's own time changes when a file is added, renamed or removed, so deletions count too.
    """
    newest = 0.0
    for folder in (settings.people_path, settings.groups_path):
        try:
            newest = max(newest, folder.stat().st_mtime)
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.endswith(".yaml"):
                        newest = max(newest, entry.stat().st_mtime)
        except FileNotFoundError:
            continue
    for path in (settings.skills_path, settings.root / CONFIG_FILE):
        try:
            newest = max(newest, path.stat().st_mtime)
        except FileNotFoundError:
            continue
    return newest


def write_index(org: Org, target: Path, *, mtime: float | None = None, processes: int | None = None, files: Mapping[str, str] | None = None) -> int:
    """Index the visible people of ``org`` into ``target`` (replaced as a whole); return how many.

    The index at ``target``, if it is of the same whole, is updated rather than written again
    (:mod:`.incremental`): a search finds the same people in the same order with the same scores.
    ``mtime`` is the data's modification time when it was read (see :func:`data_mtime`): taken
    before reading, so that a file saved during the build makes the index stale, not wrong.
    ``processes``: how many processes share a full write (default: :func:`_default_processes`).
    ``files``: the digest of each profile's bytes, by its model's name and its own ("Person:ana"),
    when the build took them (:func:`~generator.directory.perfile.digests_read`): what a document's
    key starts from (:meth:`_Documents.key`).
    """
    settings = org.directory.settings
    stamp_mtime = data_mtime(settings) if mtime is None else mtime
    schema = make_schema(settings.language)
    decided_by = whole(FORMAT, settings.language, schema) | {"taxonomy": _taxonomy(org)}
    handles = [handle for handle in org.sorted_people if org.people[handle].search == "visible"]
    documents = _Documents(org, files)
    # As the site is published (generator/site/sitedir.py): one writer at a time (a build and `trombi
    # serve`, or `trombi search`, may index at once), and a reader sees the old index or the new one.
    with staged(target) as staging:
        with collector_paused():
            record = update(target, staging, decided_by, handles, documents, documents.key)
            if record is None:
                record = _write_whole(staging, schema, decided_by, handles, documents, processes)
        (staging / RECORD).write_bytes(record.as_bytes())
        (staging / ORDER).write_bytes(order(record, handles))
        # "written" tells this index from one of the same data written at another moment (see SearchIndex).
        stamp = {"format": FORMAT, "written": uuid.uuid4().hex, "data_mtime": stamp_mtime, "people": len(handles), "language": settings.language}
        stamp |= {"skills": _skill_lookup(org), "locations": _locations(org)}
        (staging / STAMP).write_text(json.dumps(stamp, ensure_ascii=False), encoding="utf-8")
        filed = shards(named_pages(org, load_language(settings.language), directory_urls=settings.use_directory_urls))
        named = {k: [page.as_row() for page in pages] for k, pages in filed.items()}
        (staging / NAMED).write_text(json.dumps(named, ensure_ascii=False), encoding="utf-8")
        swap(staging, target)
    return len(handles)


def rebuild_index(settings: Settings, warn: Callable[[list[Problem]], None] | None = None) -> int:
    """Validate the directory and rewrite its index; raise :class:`TrombiError` if it has errors.

    The directory's warnings, if any, go to ``warn``.
    """
    from generator.directory.enrich import enrich
    from generator.directory.validate import validate_directory

    mtime = data_mtime(settings)
    directory, problems = validate_directory(settings)
    if has_errors(problems):
        message = Message("the search index cannot be rebuilt while the directory has errors: fix them, then run `trombi build`")
        hint = Problem(INDEX_DIR.as_posix(), 1, 1, message, "search-index")
        raise TrombiError([*problems, hint])
    if problems and warn is not None:
        warn(problems)
    return write_index(enrich(directory), index_path(settings), mtime=mtime)


def index_status(settings: Settings) -> str:
    """``fresh``, ``stale`` (older than the data, or of another format) or ``missing``."""
    stamp = read_stamp(index_path(settings))
    if stamp is None:
        return "missing"
    if stamp.get("format") != FORMAT or stamp.get("language") != settings.language or stamp.get("data_mtime") != data_mtime(settings):
        return "stale"
    return "fresh"


class _Documents:
    """Whoosh documents for the people of ``org``.

    What many people share (a skill's words and terms, a group's or a language's names, a
    folded skill name) is worked out once per build: at 100,000 people, the same few hundred
    skills would otherwise be analysed a million times.
    """

    def __init__(self, org: Org, files: Mapping[str, str] | None = None) -> None:
        self.org, self.files = org, files or {}  # the profiles' digests, when the build took them (write_index)
        self.analysis = stemming(org.directory.settings.language)
        self.fold = lru_cache(maxsize=None)(fold)
        self.skill = lru_cache(maxsize=None)(self._skill)
        self.group = lru_cache(maxsize=None)(self._group)
        self.language = lru_cache(maxsize=None)(self._language)

    def __call__(self, handle: str) -> dict[str, Any]:
        org, fold = self.org, self.fold
        person = org.people[handle]
        team = org.groups.get(person.team) if person.team else None
        by_level: dict[str, list[str]] = {level: [] for level in LEVELS}
        card_skills = []
        for entry in person.skills:
            words, terms = self.skill(entry.name)
            by_level[entry.level].append(words)
            card_skills.append([entry.name, entry.level, list(terms)])
        document: dict[str, Any] = {
            "handle": handle,
            "kind": person.kind,
            "card": {
                "name": person.name,
                "title": person.title,
                "team": team.name if team else None,
                "location": person.location,
                "kind": person.kind,
                "skills": card_skills,
            },
            "name": f"{person.name} {handle}",
            "skill": "\n".join(text for texts in by_level.values() for text in texts),
            "title": person.title,
            "title_exact": person.title,
            "ask": "\n".join(person.ask_me_about),
            "offers": "\n".join(person.offers),
            "seeks": "\n".join(person.seeks),
            "interests": "\n".join(person.interests),
            "bio": html_as_text(person.bio or ""),  # a bio pasted in HTML: its words, not its tags and entities
            "team": f"{team.name} {person.team}" if team and person.team else "",
            "location": person.location or "",
            "lang": "\n".join(self.language(code) for code in person.languages),
            "group": "\n".join(self.group(slug) for slug in org.groups_of.get(handle, [])),
            "f_skill": ",".join(fold(entry.name) for entry in person.skills),
            "f_skill_level": ",".join(f"{fold(entry.name)}@{entry.level}" for entry in person.skills),
            "f_level": ",".join(sorted({entry.level for entry in person.skills})),
            "f_location": fold(person.location or ""),
            "f_lang": ",".join(person.languages),
            "f_team": ",".join([person.team, fold(team.name)]) if team and person.team else "",
        }
        for level, texts in by_level.items():
            document[LEVEL_FIELDS[level]] = "\n".join(texts)
        return document

    def key(self, handle: str) -> str:
        """A digest of what ``handle``'s document is made from, beside the index's whole (the taxonomy, the language).

        Their profile, their team's name, and their groups with their names: a few microseconds,
        where making the document and digesting it took fifty (five seconds of a merge at 100,000
        people, for every person). The profile counts by the digest of its file's bytes when the
        build took it (a profile is a function of its bytes, its name and the taxonomy), else by
        its JSON but its contact, which the document leaves out: writing 100,000 profiles as JSON
        was 1.2 of the 3.2 s that updating the index took at a merge.
        """
        org = self.org
        person = org.people[handle]
        team = org.groups.get(person.team) if person.team else None
        read = self.files.get(digest_key(Person, handle))
        parts = [f"file {read}" if read is not None else f"model {person.model_dump_json(exclude={'contact'})}", team.name if team else ""]
        parts += [f"{slug}\t{org.groups[slug].name}" for slug in org.groups_of.get(handle, [])]
        return hashlib.blake2b("\0".join(parts).encode("utf-8"), digest_size=16).hexdigest()

    def _skill(self, name: str) -> tuple[str, tuple[str, ...]]:
        """A skill's words (its name and aliases) and their sorted terms, as the card keeps them."""
        definition = self.org.directory.skills.definitions.get(name)
        words = [name, *definition.aliases] if definition else [name]
        return " ".join(words), tuple(sorted({term for word in words for term in self.analysis.words(word)}))

    def _group(self, slug: str) -> str:
        return f"{self.org.groups[slug].name} {slug}"

    @staticmethod
    def _language(code: str) -> str:
        return " ".join([code, *language_names(code)])


def _write_whole(staging: Path, schema: Any, decided_by: dict[str, Any], handles: Sequence[str], documents: _Documents, processes: int | None) -> Record:
    ix = whoosh_index.create_in(str(staging), schema)
    digests = _write_people(ix, documents, handles, _default_processes(len(handles)) if processes is None else processes)
    return full_record(decided_by, segments_of(staging), handles, digests)


# Below this many people, starting a process costs more than it saves.
PARALLEL_MIN_PEOPLE = 5_000


def _default_processes(people: int) -> int:
    """Two processes where the work is worth it and ``fork`` shares the directory for free (Linux), else one.

    Two, not one a core: each process writes a segment that every query then visits.
    """
    if people < PARALLEL_MIN_PEOPLE:
        return 1
    return min(2, cores())


# People in one segment written in memory (MemoryWriter holds every posting until its commit): a
# process indexing more writes one segment after another, so that it holds one segment's postings.
# At 100,000 people the build's child writing the index went from 1.4 to 1.1 GiB (PSS; the rest is
# the directory it inherits and reads).
SEGMENT_PEOPLE = 25_000


def _write_people(ix: Any, documents: _Documents, handles: Sequence[str], processes: int) -> list[str]:
    """Index ``handles`` into ``ix``, in this order, as ``processes`` slices written at the same time; their documents' digests, in that order.

    Each forked child indexes a slice into its own folder (whoosh's writers share temporary files
    by name) and this process the last slice; a slice of more than :data:`SEGMENT_PEOPLE` people is
    written as several segments, one after the other. The segments then join the index in the
    order of their people, so documents keep the numbers (and ties their order) of a single
    segment; a query's scores come from the whole index's statistics, so they do not change either.
    """
    if not can_fork():
        processes = 1
    size = max(1, -(-len(handles) // max(1, processes)))  # ceiling: the last slice is the smallest
    slices = [handles[start : start + size] for start in range(0, len(handles), size)] or [[]]
    folder = Path(ix.storage.folder)
    children: list[tuple[Any, Any, Path]] = []
    own = [slices[-1][start : start + SEGMENT_PEOPLE] for start in range(0, len(slices[-1]), SEGMENT_PEOPLE)] or [[]]
    try:
        for number, part in enumerate(slices[:-1]):
            context = multiprocessing.get_context("fork")
            receiver, sender = context.Pipe(duplex=False)
            child = context.Process(target=_write_part, args=(folder / f"part-{number}", ix.schema, documents, part, sender), daemon=True)
            child.start()
            sender.close()
            children.append((child, receiver, folder / f"part-{number}"))
        written: list[tuple[Any, list[str]]] = []
        for number, piece in enumerate(own[:-1]):  # this process's slice but its last segment
            part_folder = folder / f"own-{number}"
            piece_digests = _written_segment(part_folder, ix.schema, documents, piece)
            written.append((_moved_segment(part_folder, folder), piece_digests))
        writer = MemoryWriter(ix)
        digests = _add(writer, documents, own[-1])
        parts = [_collect_part(child, receiver, child_folder, folder) for child, receiver, child_folder in children] + written
        writer.commit(mergetype=lambda _writer, _segments: [segment for segment, _digests in parts])
        return [value for _segment, part in parts for value in part] + digests
    finally:
        for child, _receiver, child_folder in children:
            if child.is_alive():
                child.terminate()
            child.join()
            shutil.rmtree(child_folder, ignore_errors=True)
        for number in range(len(own) - 1):
            shutil.rmtree(folder / f"own-{number}", ignore_errors=True)


def _add(writer: MemoryWriter, documents: _Documents, handles: Sequence[str]) -> list[str]:
    """Add the documents of ``handles`` to ``writer``; the digests of what they are made from."""
    digests = []
    for handle in handles:
        digests.append(documents.key(handle))
        writer.add_document(**documents(handle))
    return digests


def _written_segment(folder: Path, schema: Any, documents: _Documents, handles: Sequence[str]) -> list[str]:
    """Index ``handles`` into a new index in ``folder``, as one segment; their documents' digests."""
    folder.mkdir()
    writer = MemoryWriter(whoosh_index.create_in(str(folder), schema))
    digests = _add(writer, documents, handles)
    writer.commit()
    return digests


def _write_part(folder: Path, schema: Any, documents: _Documents, handles: Sequence[str], sender: Any) -> None:
    """In a forked child: :func:`_written_segment`; send back the digests or the error."""
    random.seed()  # whoosh names segments at random, and a forked child starts where its parent was
    try:
        sender.send(_written_segment(folder, schema, documents, handles))
    except BaseException as error:
        sender.send(error)
    finally:
        sender.close()


def _collect_part(child: Any, receiver: Any, part: Path, folder: Path) -> tuple[Any, list[str]]:
    """Wait for a child of :func:`_write_part`, move its segment's files into ``folder``; the segment and its documents' digests."""
    try:
        answer = receiver.recv()
    except EOFError:
        answer = RuntimeError(f"the process indexing {part.name} stopped (exit code {child.exitcode})")
    if isinstance(answer, BaseException):
        raise answer
    child.join()
    return _moved_segment(part, folder), answer


def _moved_segment(part: Path, folder: Path) -> Any:
    """The one segment of the index in ``part``, its files moved into ``folder``."""
    ix = whoosh_index.open_dir(str(part))
    (segment,) = ix._segments()
    prefix = f"{segment.indexname}_{segment.segid}"
    for path in part.iterdir():
        if path.name.startswith(prefix):
            path.rename(folder / path.name)
    return segment


def _taxonomy(org: Org) -> str:
    """A digest of what the documents take from the taxonomy: each skill's name and aliases."""
    definitions = org.directory.skills.definitions
    text = json.dumps([[name, list(definitions[name].aliases)] for name in sorted(definitions)], ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _skill_lookup(org: Org) -> dict[str, str]:
    """Every skill name and alias, folded -> the canonical name (for ``--skill k8s``)."""
    lookup: dict[str, str] = {}
    for name, definition in org.directory.skills.definitions.items():
        for term in (name, *definition.aliases):
            lookup.setdefault(fold(term), name)
    return lookup


def _locations(org: Org) -> list[str]:
    """Where people work, as the directory spells it: the sites a query may name (``python lyon``)."""
    return sorted({person.location for person in org.people.values() if person.location and person.search == "visible"})


def read_stamp(path: Path) -> dict[str, Any] | None:
    try:
        stamp = json.loads((path / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None
