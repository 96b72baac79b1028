"""Offers and seeks that meet: for what someone looks for, who offers it, is asked about it or knows it.

Meaning first, words last. A seek that names a skill of the taxonomy (by its name or one of its
aliases, as a whole phrase: ``k8s``, ``PCI DSS``) meets the offers and ask-me-about topics that
name the same skill and the people who hold it; the reason says which (``same skill: Kubernetes``,
``alias: K8s``). Only then, words: texts go through the search index's analysis
(:func:`generator.search.analysis.stemming`: case and accents folded, feminine job words unified,
stemmed), a word of :data:`PREFIX_MIN` letters or more also meets the words it begins or that begin
it (``mentor`` / ``mentorat``), shared rare words count more (IDF) and words most texts contain
are skipped. A text met by words must share at least :data:`WORDS_MIN_COVERAGE` of the seek's
words, and two texts that name different spoken languages, or different skills, never meet: one
shared word ("conversation", "certification") is not what someone looks for.
The index is built in memory from the :class:`~generator.directory.enrich.Org`.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Literal

from generator.directory.enrich import Org
from generator.i18n import Language
from generator.problems import N_
from generator.search.analysis import WORD_PATTERN, fold, stemming

Via = Literal["offer", "ask", "skill"]
Reason = Literal["skill", "alias", "words"]
FIELD_WEIGHTS: dict[Via, float] = {"offer": 3.0, "ask": 2.0, "skill": 1.0}
LEVEL_FACTORS = {"expert": 1.0, "advanced": 0.8, "intermediate": 0.5, "notions": 0.25}
PREFIX_MIN = 5
PREFIX_FACTOR = 0.7
SKILL_HOLDERS = 50  # the strongest holders of a skill are enough to suggest someone
SKILL_TEXTS = 50  # and the first offers or topics naming it
COMMON_SHARE = 0.05  # a word in more than this share of the texts of a field says nothing
WORDS_MIN_COVERAGE = 0.5  # the share of a seek's words a text met by words must have
WORD_BONUS = 0.25  # words in common add this much of their weight to a skill match
HELPERS = 3
# Words any seek may contain (as the analyser leaves them): they say nothing of what is sought.
STOP_WORDS = frozenset(
    {
        "a", "au", "aux", "avec", "ce", "ces", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "leur", "ma", "mes", "mon", "nos", "notre",
        "on", "ou", "par", "pour", "qu", "que", "qui", "sur", "ta", "un", "une", "vos", "votre", "cherch", "recherch", "besoin", "quelqu", "quelque",
        "chose", "aid", "nouveau", "nouvel", "retour", "premi", "autr", "tout", "plus", "fair", "bon", "the", "of", "for", "with", "and", "or", "in",
        "to", "my", "our", "an", "any", "some", "someone", "looking", "seek", "need", "help", "want", "new", "good",
        "i", "m", "s", "t", "j", "im", "over", "about", "around",
    }
)  # fmt: skip
_WORDS = re.compile(WORD_PATTERN)
_LONGEST_PHRASE = 6  # words: skill names and aliases longer than this are only met word by word


@dataclass(frozen=True, slots=True)
class Helper:
    """Someone who can help with a seek: ``via`` what, ``text`` being the offer, topic or skill that met it,
    and why: the same skill (``detail`` its name), one of its aliases (``detail`` the alias) or words in
    common (``detail`` those words, as the text writes them)."""

    handle: str
    score: float
    via: Via
    text: str
    reason: Reason = "words"
    detail: str = ""


_VIA_LABELS = {"offer": N_("offers"), "ask": N_("ask me about"), "skill": N_("their skill")}
_REASONS = {"skill": N_("same skill: %(detail)s"), "alias": N_("alias: %(detail)s"), "words": N_("words: %(detail)s")}


def why_it_meets(helper: Helper, language: Language) -> str:
    """Why a helper meets a seek, in words, for the pages and the command alike:
    ``propose : mentorat Kubernetes · même compétence : Kubernetes``."""
    reason = language.gettext(_REASONS[helper.reason]) % {"detail": helper.detail}
    if helper.via == "skill" and helper.reason == "skill":
        return reason  # the skill is the reason: said once
    return f"{language.colon(language.gettext(_VIA_LABELS[helper.via]))} {helper.text} · {reason}"


@dataclass(frozen=True, slots=True)
class Match:
    """One person's seek and who can help with it."""

    handle: str
    seek: str
    helpers: tuple[Helper, ...]


@dataclass(frozen=True, slots=True)
class Mention:
    """A skill named in a text: ``alias`` is the alias it was named by (as the taxonomy spells it), if not its name."""

    skill: str
    alias: str | None


def words_of(text: str) -> list[str]:
    """The folded words of ``text`` (``c++`` and ``node.js`` whole, like the search's)."""
    return _WORDS.findall(fold(text))


class SkillPhrases:
    """Every skill name and alias as a phrase of folded words, to find the skills a free text names."""

    def __init__(self, org: Org) -> None:
        self.phrases: dict[tuple[str, ...], Mention] = {}
        for name, definition in org.directory.skills.definitions.items():
            for index, spelling in enumerate((name, *definition.aliases)):
                key = tuple(words_of(spelling))
                if key and len(key) <= _LONGEST_PHRASE:
                    self.phrases.setdefault(key, Mention(name, spelling if index else None))
        self.longest = max((len(key) for key in self.phrases), default=0)

    def mentions(self, text: str) -> list[Mention]:
        """The skills ``text`` names, in order, each once; the longest phrase wins (``GTFS-RT`` is not ``GTFS``)."""
        words = words_of(text)
        found: dict[str, Mention] = {}
        start = 0
        while start < len(words):
            for length in range(min(self.longest, len(words) - start), 0, -1):
                mention = self.phrases.get(tuple(words[start : start + length]))
                if mention is not None:
                    found.setdefault(mention.skill, mention)
                    start += length
                    break
            else:
                start += 1
        return list(found.values())


@cache
def _language_words() -> dict[str, str]:
    """Folded one-word names of spoken languages, in French and English (``espagnol``, ``spanish``) -> their code."""
    from babel import Locale

    names: dict[str, str] = {}
    for ui in ("fr", "en"):
        for code, name in Locale(ui).languages.items():
            words = words_of(name)
            if len(code) == 2 and len(words) == 1 and len(words[0]) > 3:
                names.setdefault(words[0], code)
    return names


def spoken_languages(text: str) -> frozenset[str]:
    """The spoken languages ``text`` names: ``French conversation`` -> ``{"fr"}``."""
    names = _language_words()
    return frozenset(names[word] for word in words_of(text) if word in names)


class OfferIndex:
    """What every listed person offers, is asked about and knows: by skill named, and by analysed word."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.analysis = stemming(org.directory.settings.language)
        self.phrases = SkillPhrases(org)
        self.postings: dict[Via, defaultdict[str, list[tuple[str, str]]]] = {"offer": defaultdict(list), "ask": defaultdict(list)}
        self.naming: dict[Via, defaultdict[str, list[tuple[str, str, str | None]]]] = {"offer": defaultdict(list), "ask": defaultdict(list)}
        self._cache: dict[str, list[Helper]] = {}
        self.texts: dict[Via, int] = {"offer": 0, "ask": 0}
        # Each text's words and skills, worked out once: many people write the same ("Python",
        # "onboarding"). The synthetic directory has 357 texts among 8,119 at 10,000 people.
        read: dict[str, tuple[set[str], list[Mention]]] = {}
        for handle in org.sorted_people:
            person = org.people[handle]
            if person.search != "visible":
                continue
            sources: tuple[tuple[Via, list[str]], ...] = (("offer", person.offers), ("ask", person.ask_me_about))
            for via, texts in sources:
                for text in texts:
                    self.texts[via] += 1
                    found = read.get(text)
                    if found is None:
                        found = read[text] = (self.terms(text), self.phrases.mentions(text))
                    terms, mentions = found
                    for term in terms:
                        self.postings[via][term].append((handle, text))
                    for mention in mentions:
                        if len(self.naming[via][mention.skill]) < SKILL_TEXTS:
                            self.naming[via][mention.skill].append((handle, text, mention.alias))
        self.vocabulary: dict[Via, list[str]] = {via: sorted(postings) for via, postings in self.postings.items()}

    def terms(self, text: str) -> set[str]:
        return self.analysis.terms(text) - STOP_WORDS

    def helpers(self, text: str, *, exclude: str | None = None, limit: int = HELPERS) -> list[Helper]:
        """The people who can best help with ``text``, best first, without ``exclude``."""
        key = " ".join(words_of(text))
        if key not in self._cache:
            self._cache[key] = self._rank(text)
        found = [helper for helper in self._cache[key] if helper.handle != exclude]
        return found[:limit]

    def _rank(self, text: str) -> list[Helper]:
        by_skill = self._by_skill(self.phrases.mentions(text))
        by_words = self._by_words(text)
        ranked: list[Helper] = []
        for handle, helper in by_skill.items():
            bonus = WORD_BONUS * by_words[handle].score if handle in by_words else 0.0
            ranked.append(Helper(handle, round(helper.score + bonus, 4), helper.via, helper.text, helper.reason, helper.detail))
        ranked.sort(key=lambda helper: (-helper.score, helper.handle))
        rest = sorted((helper for handle, helper in by_words.items() if handle not in by_skill), key=lambda helper: (-helper.score, helper.handle))
        return (ranked + rest)[: HELPERS * 4]

    def _by_skill(self, mentions: list[Mention]) -> dict[str, Helper]:
        """Who offers, is asked about or holds a skill the seek names; each person's strongest reason, scores summed over skills."""
        found: dict[str, Helper] = {}
        for mention in mentions:
            best: dict[str, Helper] = {}

            def keep(handle: str, score: float, via: Via, text: str, alias: str | None, best: dict[str, Helper] = best, mention: Mention = mention) -> None:
                alias = mention.alias or alias
                helper = Helper(handle, score, via, text, "alias" if alias else "skill", alias or mention.skill)
                if handle not in best or score > best[handle].score:
                    best[handle] = helper

            field: Via
            for field in ("offer", "ask"):
                for handle, text, alias in self.naming[field][mention.skill]:
                    keep(handle, FIELD_WEIGHTS[field], field, text, alias)
            for handle, level in self.org.skill_people.get(mention.skill, [])[:SKILL_HOLDERS]:
                if self.org.people[handle].search == "visible":
                    keep(handle, FIELD_WEIGHTS["skill"] * LEVEL_FACTORS[level], "skill", mention.skill, None)
            for handle, helper in best.items():
                before = found.get(handle)
                if before is None:
                    found[handle] = helper
                else:
                    strongest = helper if helper.score > before.score else before
                    found[handle] = Helper(handle, before.score + helper.score, strongest.via, strongest.text, strongest.reason, strongest.detail)
        return found

    def _by_words(self, seek: str) -> dict[str, Helper]:
        """Offers and topics that share enough of the seek's words (IDF-weighted), in no other spoken language."""
        terms = sorted(self.terms(seek))
        if not terms:
            return {}
        languages = spoken_languages(seek)
        skills = {mention.skill for mention in self.phrases.mentions(seek)}
        # (via, handle, text) -> each seek word it meets with its weight, and its own words that met them
        matched: defaultdict[tuple[Via, str, str], tuple[dict[str, float], set[str]]] = defaultdict(lambda: ({}, set()))
        for query_term in terms:
            field: Via
            for field in ("offer", "ask"):
                postings = self.postings[field]
                total = max(1, self.texts[field])
                for term, factor in self._expand(query_term, field):
                    entries = postings[term]
                    if len(entries) > max(20, COMMON_SHARE * total):
                        continue
                    weight = FIELD_WEIGHTS[field] * factor * math.log(1 + total / len(entries))
                    for handle, text in dict.fromkeys(entries):
                        met, own = matched[(field, handle, text)]
                        met[query_term] = max(weight, met.get(query_term, 0.0))
                        own.add(term)
        found: dict[str, Helper] = {}
        # In the postings' (directory) order: of texts that score the same, the first is shown.
        for (field, handle, text), (met, own) in matched.items():
            if len(met) < WORDS_MIN_COVERAGE * len(terms):
                continue
            other = spoken_languages(text)
            if languages and other and not languages & other:
                continue
            named = {mention.skill for mention in self.phrases.mentions(text)} if skills else set()
            if named and not skills & named:
                continue  # the seek and the text name different skills (GTFS-RT and GTFS): words do not make them one
            score = sum(met.values())
            if handle not in found or score > found[handle].score:
                shown = list(dict.fromkeys(word for word in _WORDS.findall(text) if self.analysis.normalize(word) in own))
                found[handle] = Helper(handle, round(score, 4), field, text, "words", ", ".join(shown))
        return found

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
