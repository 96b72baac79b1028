"""Offers and seeks that meet: for what someone looks for, who offers it, is asked about it or knows it.

Texts go through the search index's analysis (:func:`generator.search.analysis.stemming`: case and
accents folded, feminine job words unified, stemmed), so ``recherche un mentor Kubernetes``
meets ``mentorat Kubernetes``: a word of :data:`PREFIX_MIN` letters or more also meets the words
it begins or that begin it (``mentor`` / ``mentorat``). The index is built in memory from the
:class:`~generator.directory.enrich.Org`, so a build needs no index on disk. Scores are IDF-weighted: a
shared rare word counts more; words that most profiles contain are not evidence and are skipped.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from generator.directory.enrich import Org
from generator.search.analysis import stemming

Via = Literal["offer", "ask", "skill"]
FIELD_WEIGHTS: dict[Via, float] = {"offer": 3.0, "ask": 2.0, "skill": 1.0}
LEVEL_FACTORS = {"expert": 1.0, "advanced": 0.8, "intermediate": 0.5, "notions": 0.25}
PREFIX_MIN = 5
PREFIX_FACTOR = 0.7
SKILL_HOLDERS = 50  # the strongest holders of a skill are enough to suggest someone
COMMON_SHARE = 0.05  # a word in more than this share of the texts of a field says nothing
HELPERS = 3
# Words any seek may contain (as the analyser leaves them): they say nothing of what is sought.
STOP_WORDS = frozenset(
    {
        "a", "au", "aux", "avec", "ce", "ces", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "leur", "ma", "mes", "mon", "nos", "notre",
        "on", "ou", "par", "pour", "qu", "que", "qui", "sur", "ta", "un", "une", "vos", "votre", "cherch", "recherch", "besoin", "quelqu", "quelque",
        "chose", "aid", "nouveau", "nouvel", "retour", "premi", "autr", "tout", "plus", "fair", "bon", "the", "of", "for", "with", "and", "or", "in",
        "to", "my", "our", "an", "any", "some", "someone", "looking", "seek", "need", "help", "want", "new", "good",
    }
)


@dataclass(frozen=True, slots=True)
class Helper:
    """Someone who can help with a seek: ``via`` what, ``text`` being the offer, topic or skill that met it."""

    handle: str
    score: float
    via: Via
    text: str


@dataclass(frozen=True, slots=True)
class Match:
    """One person's seek and who can help with it."""

    handle: str
    seek: str
    helpers: tuple[Helper, ...]


class OfferIndex:
    """What every listed person offers, is asked about and knows, by analysed word."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.analysis = stemming(org.directory.settings.language)
        self.postings: dict[Via, defaultdict[str, list[tuple[str, str]]]] = {"offer": defaultdict(list), "ask": defaultdict(list)}
        self.skill_terms: defaultdict[str, set[str]] = defaultdict(set)
        self._cache: dict[str, list[Helper]] = {}
        self.texts: dict[Via, int] = {"offer": 0, "ask": 0}
        for handle in org.sorted_people:
            person = org.people[handle]
            if person.search != "visible":
                continue
            sources: tuple[tuple[Via, list[str]], ...] = (("offer", person.offers), ("ask", person.ask_me_about))
            for via, texts in sources:
                for text in texts:
                    self.texts[via] += 1
                    for term in self.terms(text):
                        self.postings[via][term].append((handle, text))
        for name, definition in org.directory.skills.definitions.items():
            for word in (name, *definition.aliases):
                for term in self.terms(word):
                    self.skill_terms[term].add(name)
        self.vocabulary: dict[Via, list[str]] = {via: sorted(postings) for via, postings in self.postings.items()}
        self.vocabulary["skill"] = sorted(self.skill_terms)

    def terms(self, text: str) -> set[str]:
        return self.analysis.terms(text) - STOP_WORDS

    def helpers(self, text: str, *, exclude: str | None = None, limit: int = HELPERS) -> list[Helper]:
        """The people who can best help with ``text``, best first, without ``exclude``."""
        key = " ".join(sorted(self.terms(text)))
        if key not in self._cache:
            self._cache[key] = self._rank(key.split())
        found = [helper for helper in self._cache[key] if helper.handle != exclude]
        return found[:limit]

    def _rank(self, terms: list[str]) -> list[Helper]:
        scores: defaultdict[str, float] = defaultdict(float)
        best: dict[str, tuple[float, Via, str]] = {}

        def add(handle: str, score: float, via: Via, text: str) -> None:
            scores[handle] += score
            if score > best.get(handle, (0.0, via, text))[0]:
                best[handle] = (score, via, text)

        people = max(1, len(self.org.people))
        for query_term in terms:
            field: Via
            for field in ("offer", "ask"):
                via = field
                postings = self.postings[via]
                total = max(1, self.texts[via])
                for term, factor in self._expand(query_term, via):
                    entries = postings[term]
                    if len(entries) > max(20, COMMON_SHARE * total):
                        continue
                    weight = FIELD_WEIGHTS[via] * factor * math.log(1 + total / len(entries))
                    # Each text once, in the postings' (directory) order: of texts that score the same, the
                    # first is shown, so a set's order, which changes with PYTHONHASHSEED, would change the site.
                    for handle, text in dict.fromkeys(entries):
                        add(handle, weight, via, text)
            for term, factor in self._expand(query_term, "skill"):
                for skill in sorted(self.skill_terms[term]):
                    holders = self.org.skill_people.get(skill, [])
                    if not holders:
                        continue
                    idf = math.log(1 + people / len(holders))
                    for handle, level in holders[:SKILL_HOLDERS]:
                        if self.org.people[handle].search == "visible":
                            add(handle, FIELD_WEIGHTS["skill"] * factor * idf * LEVEL_FACTORS[level], "skill", skill)
        ranked = sorted(scores, key=lambda handle: (-scores[handle], handle))
        return [Helper(handle, round(scores[handle], 4), best[handle][1], best[handle][2]) for handle in ranked[: HELPERS * 4]]

    def _expand(self, term: str, via: Via) -> list[tuple[str, float]]:
        """``term`` itself, and the words it begins or that begin it when long enough (less weight)."""
        vocabulary = self.vocabulary[via]
        found: dict[str, float] = {}
        position = bisect.bisect_left(vocabulary, term)
        if position < len(vocabulary) and vocabulary[position] == term:
            found[term] = 1.0
        if len(term) >= PREFIX_MIN:
            while position < len(vocabulary) and vocabulary[position].startswith(term):
                found.setdefault(vocabulary[position], PREFIX_FACTOR)
                position += 1
            for end in range(PREFIX_MIN, len(term)):
                prefix = term[:end]
                at = bisect.bisect_left(vocabulary, prefix)
                if at < len(vocabulary) and vocabulary[at] == prefix:
                    found.setdefault(prefix, PREFIX_FACTOR)
        return sorted(found.items())


def match_seeks(org: Org, index: OfferIndex | None = None, limit: int = HELPERS) -> list[Match]:
    """Every listed person's seeks with who can help, people in directory order; seeks nobody meets included."""
    index = index or OfferIndex(org)
    matches: list[Match] = []
    for handle in org.sorted_people:
        person = org.people[handle]
        if person.search != "visible":
            continue
        for seek in person.seeks:
            matches.append(Match(handle, seek, tuple(index.helpers(seek, exclude=handle, limit=limit))))
    return matches
