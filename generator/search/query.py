"""Searching the terminal's index: a person's words and filters in, people out, experts first.

Field names are the aliases people type (``compétence:``, ``site:``); little words are left out;
a word of five letters or more also matches with one typo. The index itself is written by
:mod:`generator.search.index`.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.directory.model import LEVELS
from generator.search.analysis import fold, stemming, without_stop_words
from generator.search.incremental import read_order
from generator.search.index import (
    FIELD_BOOSTS,
    FUZZY_BOOST,
    FUZZY_FIELDS,
    FUZZY_MIN_LENGTH,
    FUZZY_TWO_EDITS_LENGTH,
    LEVEL_FIELDS,
    NAMED,
    read_stamp,
)
from generator.search.named import NamedPage, named
from generator.search.ranking import understand
from generator.search.whooshio import RankedCollector, live_doc_frequency, live_terms_within

_OPEN_ATTEMPTS = 20  # a build replacing the index this many times while it opens is not waited for

# Whoosh 2.7 predates Python 3.11 and its modules trigger SyntaxWarning / DeprecationWarning when
# they are compiled; users did nothing wrong, so they do not see them.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh import collectors, qparser, query, scoring  # type: ignore[import-untyped]
    from whoosh import index as whoosh_index


class Presence(scoring.WeightingModel):  # type: ignore[misc]
    """As Pagefind ranks profiles (generator.weights.PAGEFIND_RANKING): a word found in a field weighs
    the field's boost times the word's rarity there; how often it comes and how long the field is do
    not count.

    Whoosh's default (BM25F, B=0.75) ranked the demo's only Python expert sixth, behind advanced
    holders with shorter skill lists. Its BM25F with B=0 and K1=0 would score the same, but its
    block-quality shortcut then never ends on some queries ("pyhton" on 1,000 people): this model
    offers no shortcut.
    """

    def supports_block_quality(self) -> bool:
        return False

    def idf(self, searcher: Any, fieldname: str, text: Any) -> float:
        """Whoosh's, counting only documents not deleted: an index updated in place scores as one written whole."""
        reader = searcher.get_parent().reader()
        return math.log(reader.doc_count() / (live_doc_frequency(reader, fieldname, text) + 1)) + 1

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: float = 1) -> Any:
        return _Constant(searcher.get_parent().idf(fieldname, text) * qf)


class _Constant(scoring.BaseScorer):  # type: ignore[misc]
    def __init__(self, value: float) -> None:
        self.value = value

    def score(self, matcher: Any) -> float:
        return self.value

    def max_quality(self) -> float:
        return self.value


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
    kind: str = "employee"  # or contractor, partner: who is not an employee is marked

    def as_dict(self) -> dict[str, Any]:
        return {
            "handle": self.handle,
            "name": self.name,
            "title": self.title,
            "team": self.team,
            "location": self.location,
            "kind": self.kind,
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
    _named: dict[str, list[NamedPage]] = field(init=False, repr=False)
    _ranks: Any = field(init=False, repr=False)  # each document's place in the directory's order (incremental.ORDER)

    def __post_init__(self) -> None:
        # A build may replace the index while it is being opened (`trombi serve` rebuilding while
        # `trombi search` answers): the folder is swapped whole, but opening reads several of its
        # files one after the other. Each index has its own stamp, read before and after: what
        # was opened is one index when both are the same, and is opened again otherwise.
        for _ in range(_OPEN_ATTEMPTS):
            stamp = read_stamp(self.path)
            try:
                opened = self._open(stamp)
            except (OSError, ValueError, whoosh_index.EmptyIndexError):
                if stamp is not None and read_stamp(self.path) != stamp:
                    continue  # replaced while it was being opened
                raise FileNotFoundError(f"no search index in {self.path}") from None
            if stamp is not None and read_stamp(self.path) == stamp:
                self._index, self._searcher, self._named, self._ranks = opened
                self._stamp = stamp
                break
            opened[1].close()
            opened[0].close()
        else:
            raise FileNotFoundError(f"the search index in {self.path} kept being replaced while it was opened")
        # The searcher's schema, read when it was opened: the index's own reads its folder again, which
        # may be another index by now (or, for a moment, none).
        parser = qparser.MultifieldParser(list(FIELD_BOOSTS), self._searcher.schema, fieldboosts=FIELD_BOOSTS)
        parser.remove_plugin_class(qparser.WildcardPlugin)
        parser.add_plugin(qparser.FuzzyTermPlugin())
        self._parser = parser
        self._language = str(self._stamp.get("language") or "fr")

    def _open(self, stamp: dict[str, Any] | None) -> tuple[Any, Any, dict[str, list[NamedPage]], Any]:
        if stamp is None:
            raise FileNotFoundError(self.path)
        index = whoosh_index.open_dir(str(self.path))
        try:
            searcher = index.searcher(weighting=Presence())  # opens every segment's files
            try:
                rows = json.loads((self.path / NAMED).read_text(encoding="utf-8"))
                named = {k: [NamedPage.from_row(row) for row in shard] for k, shard in rows.items()}
                ranks = read_order(self.path, searcher.doc_count_all())
            except BaseException:
                searcher.close()
                raise
        except BaseException:
            index.close()
            raise
        return index, searcher, named, ranks

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
        """People matching ``text`` (fielded terms such as ``skill:kubernetes`` allowed) and ``filters``, best first.

        The words are read as :func:`generator.search.ranking.understand` reads them, the same way
        as the site's search: a level word (``python expert``) asks for the skill the other words
        name at that level or above, a site's name (``python lyon``) for the people there.
        """
        text, filters = self._understood(text, filters)
        skills = [self.canonical_skill(name) for name in filters.skills]
        restriction = self._filter(skills, filters)
        results = self._best(self._query(text, skills, fuzzy=False), restriction, limit)
        # Typos are looked for only when the words as typed do not fill the page: expanding every
        # word to its near neighbours in every field costs far more than an exact search.
        if text.strip() and len(results) < limit:
            results = self._best(self._query(text, skills, fuzzy=True), restriction, limit)
        wanted = {fold(name) for name in skills}
        return [self._hit(hit, wanted) for hit in results]

    def _best(self, q: Any, restriction: Any, limit: int) -> Any:
        """The ``limit`` best documents for ``q``, ties in the directory's order (Whoosh's own search: in the order of their numbers)."""
        collector = collectors.TermsCollector(RankedCollector(limit, self._ranks))
        if restriction is not None:
            collector = collectors.FilterCollector(collector, restriction)
        self._searcher.search_with_collector(q, collector)
        return collector.results()

    def pages(self, text: str) -> list[NamedPage]:
        """The skills, teams, groups, sites and languages ``text`` names, as the site's search shows them above the people."""
        return named(text, self._filed())

    def page_names(self) -> list[str]:
        """The names of those pages: what a misspelt query may have meant."""
        return sorted({page.name for shard in self._filed().values() for page in shard})

    def _filed(self) -> dict[str, list[NamedPage]]:
        return self._named

    @property
    def locations(self) -> list[str]:
        return [str(location) for location in self._stamp.get("locations", [])]

    def known_skills(self) -> list[str]:
        """Every skill's name as the taxonomy spells it."""
        return sorted(set(self._stamp.get("skills", {}).values()))

    def skill_names(self) -> list[str]:
        """Every name a skill is known by, folded: its own and its aliases."""
        return list(self._stamp.get("skills", {}))

    def _understood(self, text: str, filters: Filters) -> tuple[str, Filters]:
        if ":" in text or '"' in text:
            return text, filters  # a fielded or quoted query says itself what it means
        understood = understand(text, self.locations)
        words = " ".join(understood.words)
        if understood.location and not filters.location:
            filters = replace(filters, location=understood.location)
        if understood.level and not filters.level:
            named = self._skill_named(words)
            if named is not None:
                skill, words = named
                filters = replace(filters, skills=(*filters.skills, skill), level=understood.level)
        return words, filters

    def _skill_named(self, words: str) -> tuple[str, str] | None:
        """The skill that ``words`` (or the longest run of them) names, and the words left."""
        lookup: dict[str, str] = self._stamp.get("skills", {})
        parts = words.split()
        for length in range(len(parts), 0, -1):
            for start in range(len(parts) - length + 1):
                skill = lookup.get(fold(" ".join(parts[start : start + length])))
                if skill is not None:
                    return skill, " ".join(parts[:start] + parts[start + length :])
        return None

    def canonical_skill(self, name: str) -> str:
        """The taxonomy's name for ``name`` (any case, accents or alias), or ``name`` itself."""
        return str(self._stamp.get("skills", {}).get(fold(name), name))

    def _query(self, text: str, skills: Sequence[str], *, fuzzy: bool) -> Any:
        text = text.strip()
        if text:
            parsed = _with_skill_levels(self._parser.parse(without_stop_words(_quote_fields(text))))
            return _with_fuzzy(parsed, self._searcher.reader()) if fuzzy else parsed
        if skills:  # no words: rank the holders of the skills by level
            return query.Or([_level_query(term, LEVELS) for name in skills for term in _terms([name], self._language)])
        return query.Every()

    def _filter(self, skills: Sequence[str], filters: Filters) -> Any:
        clauses: list[Any] = []
        levels = _levels_from(filters.level)
        for name in skills:
            if filters.level:
                clauses.append(query.Or([query.Term("f_skill_level", f"{fold(name)}@{level}") for level in levels]))
            else:
                clauses.append(query.Term("f_skill", fold(name)))
        if filters.level and not skills:
            clauses.append(query.Or([query.Term("f_level", level) for level in levels]))
        if filters.location:
            clauses.append(query.Term("f_location", fold(filters.location)))
        if filters.language:
            clauses.append(query.Term("f_lang", _language_code(filters.language)))
        if filters.team:
            clauses.append(query.Term("f_team", fold(filters.team)))
        return query.And(clauses) if clauses else None

    def _hit(self, hit: Any, wanted: set[str]) -> Hit:
        card = hit["card"]
        matched = {(fieldname, value.decode("utf-8") if isinstance(value, bytes) else value) for fieldname, value in hit.matched_terms()}
        skill_terms = {value for fieldname, value in matched if fieldname == "skill" or fieldname.startswith("skills_")}
        skills = [{"name": name, "level": level} for name, level, terms in card["skills"] if fold(name) in wanted or skill_terms.intersection(terms)]
        return Hit(hit["handle"], card["name"], card["title"], card["team"], card["location"], skills, round(float(hit.score), 4), card["kind"])


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


def _with_fuzzy(q: Any, reader: Any) -> Any:
    """Each long enough word also matches with one typo (two for long words), scoring less than exact.

    The words within reach are those of the whole index (``reader``), as Whoosh's ``FuzzyTerm``
    would find them in an index of one segment, then matched as it matches them: Whoosh looks
    in each segment apart, so that how an index is cut into segments (by two processes, or by an
    update in place) would change which words a typo reaches and how they score.
    """
    fuzzy_fields = set(FUZZY_FIELDS)

    def rewrite(node: Any) -> Any:
        if type(node) is query.Term and node.fieldname in fuzzy_fields and len(node.text) >= FUZZY_MIN_LENGTH:
            distance = 2 if len(node.text) >= FUZZY_TWO_EDITS_LENGTH else 1
            words = live_terms_within(reader, node.fieldname, node.text, distance, prefix=1)
            if not words:
                return node
            # As FuzzyTerm.matcher: one word is searched as a plain term, several under the query's boost.
            if len(words) == 1:
                return query.Or([node, query.Term(node.fieldname, words[0])])
            return query.Or([node, query.Or([query.Term(node.fieldname, word) for word in words], boost=node.boost * FUZZY_BOOST)])
        return node

    return q.accept(rewrite)


_FIELD_ALIASES = {"skills": "skill", "competence": "skill", "site": "location", "language": "lang", "langue": "lang", "equipe": "team", "groupe": "group"}
_FIELDED = re.compile(r"(?<![\w:])([^\W\d_]+):", re.UNICODE)


# Little words that every title and bio holds: as terms, "chef de projet" would require "de" and
# score every document that has it; they are dropped from the query (not from the index).
def _quote_fields(text: str) -> str:
    """``Compétence:x`` -> ``skill:x``; a ``word:`` that names no field is searched as words."""
    known = set(FIELD_BOOSTS) | {"skill", "kind"}

    def replace(match: re.Match[str]) -> str:
        name = fold(match.group(1))
        name = _FIELD_ALIASES.get(name, name)
        return f"{name}:" if name in known else f"{match.group(1)} "

    return _FIELDED.sub(replace, text)


def _terms(words: Sequence[str], language: str) -> set[str]:
    analysis = stemming(language)
    return {term for word in words for term in analysis.words(word)}


def _language_code(value: str) -> str:
    folded = fold(value)
    if len(folded) == 2:
        return folded
    from babel import Locale

    for ui in ("fr", "en"):
        for code, name in Locale(ui).languages.items():
            if len(code) == 2 and fold(name) == folded:
                return str(code)
    return folded
