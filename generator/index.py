"""The terminal's search index (Whoosh): the only module that imports whoosh.

``trombi build`` writes it next to the site, in ``<root>/.trombi/index/``, never inside the site.
Only what a person's public page shows is indexed, and only people who did not ask to be
hidden. Text is folded (case and accents) before it is stemmed, so ``securite`` finds
``sécurité``; terms of five letters or more also match with one typo (two from eight letters).
Skills are indexed in one field per level, boosted by level, so experts come first.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from generator.enrich import Org
from generator.model import LEVELS
from generator.problems import Problem, TrombiError, has_errors
from generator.settings import CONFIG_FILE, Settings

# Whoosh 2.7 predates Python 3.11 and its modules trigger SyntaxWarning / DeprecationWarning when
# they are compiled; users did nothing wrong, so they do not see them.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh import index as whoosh_index  # type: ignore[import-untyped]
    from whoosh import qparser, query
    from whoosh.analysis import Analyzer, CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter  # type: ignore[import-untyped]
    from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema  # type: ignore[import-untyped]
    from whoosh.lang import has_stemmer  # type: ignore[import-untyped]
    from whoosh.support.charset import accent_map  # type: ignore[import-untyped]

INDEX_DIR = Path(".trombi") / "index"
STAMP = "trombi-stamp.json"
FORMAT = 1  # bump when the schema or the analysis changes: older indexes are rebuilt

# Query-time boosts: a skill (the stronger the level, the higher) or a name beats a title, which
# beats what people offer or ask about, which beats a mention in a bio.
LEVEL_FIELDS = {level: f"skills_{level}" for level in LEVELS}
FIELD_BOOSTS: dict[str, float] = {
    "name": 6.0,
    LEVEL_FIELDS["expert"]: 6.0,
    LEVEL_FIELDS["advanced"]: 4.5,
    LEVEL_FIELDS["intermediate"]: 3.0,
    LEVEL_FIELDS["notions"]: 1.5,
    "title": 3.0,
    "title_exact": 1.0,
    "ask": 2.0,
    "offers": 1.5,
    "team": 1.5,
    "location": 1.2,
    "lang": 1.0,
    "group": 1.0,
    "seeks": 0.8,
    "interests": 0.6,
    "bio": 0.4,
}
# Where typos are forgiven: names people type from memory, not free text.
FUZZY_FIELDS = ("name", *LEVEL_FIELDS.values(), "title", "team", "location", "group")
FUZZY_MIN_LENGTH = 5
FUZZY_TWO_EDITS_LENGTH = 8
_FUZZY_BOOST = 0.3


class _FrenchGenderFilter(Filter):  # type: ignore[misc]
    """Feminine job words to their masculine form before stemming: ``developpeuse`` -> ``developpeur``.

    The Snowball stemmer keeps the two apart, and a directory is searched by job titles.
    """

    _ENDINGS = (("euses", "eurs"), ("euse", "eur"), ("rices", "eurs"), ("rice", "eur"), ("iennes", "iens"), ("ienne", "ien"))

    def __call__(self, tokens: Iterable[Any]) -> Iterator[Any]:
        for token in tokens:
            text = token.text
            if len(text) >= 7:
                for ending, replacement in self._ENDINGS:
                    if text.endswith(ending):
                        token.text = text[: -len(ending)] + replacement
                        break
            yield token


def folding_analyzer() -> Analyzer:
    """Words, lowercased, accents folded: for names, places and codes."""
    return RegexTokenizer(r"\w+(?:[.+#]\w*|[+#]+)?") | LowercaseFilter() | CharsetFilter(accent_map)


def stemming_analyzer(language: str) -> Analyzer:
    """:func:`folding_analyzer`, then the language's stemmer (with French job words first unified)."""
    analyzer = folding_analyzer()
    code = language.split("-")[0].split("_")[0].lower()
    if code == "fr":
        analyzer = analyzer | _FrenchGenderFilter()
    if has_stemmer(code):
        analyzer = analyzer | StemFilter(lang=code)
    return analyzer


def make_schema(language: str) -> Schema:
    fold, stem = folding_analyzer(), stemming_analyzer(language)
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


def write_index(org: Org, target: Path, *, mtime: float | None = None) -> int:
    """Index the visible people of ``org`` into ``target`` (replaced as a whole); return how many.

    ``mtime`` is the data's modification time when it was read (see :func:`data_mtime`): taken
    before reading, so that a file saved during the build makes the index stale, not wrong.
    """
    settings = org.directory.settings
    stamp_mtime = data_mtime(settings) if mtime is None else mtime
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        ix = whoosh_index.create_in(str(staging), make_schema(settings.language))
        writer = ix.writer(limitmb=256)
        count = 0
        for handle in org.sorted_people:
            if org.people[handle].search == "visible":
                writer.add_document(**_document(org, handle))
                count += 1
        writer.commit()
        stamp = {"format": FORMAT, "data_mtime": stamp_mtime, "people": count, "language": settings.language, "skills": _skill_lookup(org)}
        (staging / STAMP).write_text(json.dumps(stamp, ensure_ascii=False), encoding="utf-8")
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def rebuild_index(settings: Settings) -> int:
    """Validate the directory and rewrite its index; raise :class:`TrombiError` if it has errors."""
    from generator.enrich import enrich
    from generator.validate import validate_directory

    mtime = data_mtime(settings)
    directory, problems = validate_directory(settings)
    if has_errors(problems):
        message = "the search index cannot be rebuilt while the directory has errors: fix them, then run `trombi build`"
        hint = Problem(INDEX_DIR.as_posix(), 1, 1, message, "search-index")
        raise TrombiError([*problems, hint])
    return write_index(enrich(directory), index_path(settings), mtime=mtime)


def index_status(settings: Settings) -> str:
    """``fresh``, ``stale`` (older than the data, or of another format) or ``missing``."""
    stamp = _read_stamp(index_path(settings))
    if stamp is None:
        return "missing"
    if stamp.get("format") != FORMAT or stamp.get("language") != settings.language or stamp.get("data_mtime") != data_mtime(settings):
        return "stale"
    return "fresh"


def _document(org: Org, handle: str) -> dict[str, Any]:
    person = org.people[handle]
    skills = org.directory.skills
    team = org.groups.get(person.team) if person.team else None
    by_level: dict[str, list[str]] = {level: [] for level in LEVELS}
    card_skills = []
    for entry in person.skills:
        words = [entry.name, *skills.definitions[entry.name].aliases] if entry.name in skills.definitions else [entry.name]
        by_level[entry.level].append(" ".join(words))
        card_skills.append([entry.name, entry.level, sorted(_terms(words, org.directory.settings.language))])
    group_words = [f"{org.groups[slug].name} {slug}" for slug in org.groups_of.get(handle, [])]
    languages = [" ".join([code, *_language_names(code)]) for code in person.languages]
    fold = _fold
    document: dict[str, Any] = {
        "handle": handle,
        "kind": person.kind,
        "card": {
            "name": person.name,
            "title": person.title,
            "team": team.name if team else None,
            "location": person.location,
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
        "bio": person.bio or "",
        "team": f"{team.name} {person.team}" if team and person.team else "",
        "location": person.location or "",
        "lang": "\n".join(languages),
        "group": "\n".join(group_words),
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


def _skill_lookup(org: Org) -> dict[str, str]:
    """Every skill name and alias, folded -> the canonical name (for ``--skill k8s``)."""
    lookup: dict[str, str] = {}
    for name, definition in org.directory.skills.definitions.items():
        for term in (name, *definition.aliases):
            lookup.setdefault(_fold(term), name)
    return lookup


def _swap(staging: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        if not target.is_dir():
            raise
        # Another build wrote the index at the same moment, from the same files: keep theirs.
        shutil.rmtree(staging, ignore_errors=True)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _read_stamp(path: Path) -> dict[str, Any] | None:
    try:
        stamp = json.loads((path / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


# --- searching -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """Restrictions on a search: every one given must hold. Names are matched without case or accents."""

    skills: tuple[str, ...] = ()
    level: str | None = None  # at least this level, in ``skills`` if given, else in any skill
    location: str | None = None
    language: str | None = None  # an ISO 639-1 code, or a language's name in English or French
    team: str | None = None  # a team's slug or name


@dataclass(frozen=True)
class Hit:
    """One person found, with the skills that made them match."""

    handle: str
    name: str
    title: str
    team: str | None
    location: str | None
    skills: list[dict[str, str]]
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "handle": self.handle,
            "name": self.name,
            "title": self.title,
            "team": self.team,
            "location": self.location,
            "skills": self.skills,
            "score": self.score,
        }


@dataclass
class SearchIndex:
    """An open index, kept open so that a process answers many queries without reopening it."""

    path: Path
    _index: Any = field(init=False, repr=False)
    _searcher: Any = field(init=False, repr=False)
    _parser: Any = field(init=False, repr=False)
    _stamp: dict[str, Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        stamp = _read_stamp(self.path)
        if stamp is None or not whoosh_index.exists_in(str(self.path)):
            raise FileNotFoundError(f"no search index in {self.path}")
        self._stamp = stamp
        self._index = whoosh_index.open_dir(str(self.path))
        self._searcher = self._index.searcher()
        parser = qparser.MultifieldParser(list(FIELD_BOOSTS), self._index.schema, fieldboosts=FIELD_BOOSTS)
        parser.remove_plugin_class(qparser.WildcardPlugin)
        parser.add_plugin(qparser.FuzzyTermPlugin())
        self._parser = parser
        self._language = str(stamp.get("language") or "fr")

    def close(self) -> None:
        self._searcher.close()
        self._index.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def people(self) -> int:
        return int(self._stamp.get("people", 0))

    def search(self, text: str, filters: Filters = Filters(), limit: int = 20) -> list[Hit]:
        """People matching ``text`` (fielded terms such as ``skill:kubernetes`` allowed) and ``filters``, best first."""
        skills = [self.canonical_skill(name) for name in filters.skills]
        restriction = self._filter(skills, filters)
        results = self._searcher.search(self._query(text, skills, fuzzy=False), filter=restriction, limit=limit, terms=True)
        # Typos are looked for only when the words as typed do not fill the page: expanding every
        # word to its near neighbours in every field costs far more than an exact search.
        if text.strip() and len(results) < limit:
            results = self._searcher.search(self._query(text, skills, fuzzy=True), filter=restriction, limit=limit, terms=True)
        wanted = {_fold(name) for name in skills}
        return [self._hit(hit, wanted) for hit in results]

    def canonical_skill(self, name: str) -> str:
        """The taxonomy's name for ``name`` (any case, accents or alias), or ``name`` itself."""
        return str(self._stamp.get("skills", {}).get(_fold(name), name))

    def _query(self, text: str, skills: Sequence[str], *, fuzzy: bool) -> Any:
        text = text.strip()
        if text:
            parsed = _with_skill_levels(self._parser.parse(_without_stop_words(_quote_fields(text))))
            return _with_fuzzy(parsed) if fuzzy else parsed
        if skills:  # no words: rank the holders of the skills by level
            return query.Or([_level_query(term, LEVELS) for name in skills for term in _terms([name], self._language)])
        return query.Every()

    def _filter(self, skills: Sequence[str], filters: Filters) -> Any:
        clauses: list[Any] = []
        levels = _levels_from(filters.level)
        for name in skills:
            if filters.level:
                clauses.append(query.Or([query.Term("f_skill_level", f"{_fold(name)}@{level}") for level in levels]))
            else:
                clauses.append(query.Term("f_skill", _fold(name)))
        if filters.level and not skills:
            clauses.append(query.Or([query.Term("f_level", level) for level in levels]))
        if filters.location:
            clauses.append(query.Term("f_location", _fold(filters.location)))
        if filters.language:
            clauses.append(query.Term("f_lang", _language_code(filters.language)))
        if filters.team:
            clauses.append(query.Term("f_team", _fold(filters.team)))
        return query.And(clauses) if clauses else None

    def _hit(self, hit: Any, wanted: set[str]) -> Hit:
        card = hit["card"]
        matched = {(fieldname, value.decode("utf-8") if isinstance(value, bytes) else value) for fieldname, value in hit.matched_terms()}
        skill_terms = {value for fieldname, value in matched if fieldname == "skill" or fieldname.startswith("skills_")}
        skills = [
            {"name": name, "level": level}
            for name, level, terms in card["skills"]
            if _fold(name) in wanted or skill_terms.intersection(terms)
        ]
        return Hit(hit["handle"], card["name"], card["title"], card["team"], card["location"], skills, round(float(hit.score), 4))


def _levels_from(level: str | None) -> list[str]:
    """``advanced`` -> advanced and expert: a level filter means "at least"."""
    if level is None:
        return list(LEVELS)
    return list(LEVELS[LEVELS.index(level) :])


def _level_query(term: str, levels: Sequence[str]) -> Any:
    return query.Or([query.Term(LEVEL_FIELDS[level], term, boost=FIELD_BOOSTS[LEVEL_FIELDS[level]]) for level in levels])


def _with_skill_levels(q: Any) -> Any:
    """``skill:x`` searches every level's field, each with its boost, so that experts rank first."""

    def rewrite(node: Any) -> Any:
        if isinstance(node, query.Term) and node.fieldname == "skill":
            return _level_query(node.text, LEVELS)
        return node

    return q.accept(rewrite)


def _with_fuzzy(q: Any) -> Any:
    """Each long enough word also matches with one typo (two for long words), scoring less than exact."""
    fuzzy_fields = set(FUZZY_FIELDS)

    def rewrite(node: Any) -> Any:
        if type(node) is query.Term and node.fieldname in fuzzy_fields and len(node.text) >= FUZZY_MIN_LENGTH:
            distance = 2 if len(node.text) >= FUZZY_TWO_EDITS_LENGTH else 1
            fuzzy = query.FuzzyTerm(node.fieldname, node.text, boost=node.boost * _FUZZY_BOOST, maxdist=distance, prefixlength=1)
            return query.Or([node, fuzzy])
        return node

    return q.accept(rewrite)


_FIELD_ALIASES = {"skills": "skill", "competence": "skill", "site": "location", "language": "lang", "langue": "lang", "equipe": "team", "groupe": "group"}
_FIELDED = re.compile(r"(?<![\w:])([^\W\d_]+):", re.UNICODE)


# Little words that every title and bio holds: as terms, "chef de projet" would require "de" and
# score every document that has it; they are dropped from the query (not from the index).
_FRENCH_STOP_WORDS = ("à", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "sur", "un", "une")
STOP_WORDS = frozenset((*_FRENCH_STOP_WORDS, "a", "an", "and", "for", "in", "of", "the", "with"))
_WORD = re.compile(r"(?<![\w:])([^\W_]+)(?![\w:])", re.UNICODE)


def _without_stop_words(text: str) -> str:
    """``chef de projet`` -> ``chef projet``; a query made only of little words is kept as it is."""
    kept = _WORD.sub(lambda m: "" if m.group(1).casefold() in STOP_WORDS else m.group(1), text)
    kept = " ".join(kept.replace("'", " ").replace("’", " ").split()) if kept.strip() else ""
    return kept if kept.strip() else text


def _quote_fields(text: str) -> str:
    """``Compétence:x`` -> ``skill:x``; a ``word:`` that names no field is searched as words."""
    known = set(FIELD_BOOSTS) | {"skill", "kind"}

    def replace(match: re.Match[str]) -> str:
        name = _fold(match.group(1))
        name = _FIELD_ALIASES.get(name, name)
        return f"{name}:" if name in known else f"{match.group(1)} "

    return _FIELDED.sub(replace, text)


def _terms(words: Sequence[str], language: str) -> set[str]:
    analyzer = stemming_analyzer(language)
    return {token.text for word in words for token in analyzer(word)}


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


@cache
def _language_names(code: str) -> list[str]:
    from babel import Locale

    names = []
    for ui in ("fr", "en"):
        name = Locale(ui).languages.get(code)
        if name:
            names.append(name)
    return names


def _language_code(value: str) -> str:
    folded = _fold(value)
    if len(folded) == 2:
        return folded
    from babel import Locale

    for ui in ("fr", "en"):
        for code, name in Locale(ui).languages.items():
            if len(code) == 2 and _fold(name) == folded:
                return str(code)
    return folded
