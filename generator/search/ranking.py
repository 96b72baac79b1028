"""What a query means and how people rank for it: one definition for the browser's search and the terminal's.

The weights, what a word weighs where a profile shows it, are :mod:`generator.weights` (the
profile's markup carries them for Pagefind; the terminal's index boosts its fields by them).

A query is read the same way by both (:func:`understand`; ``assets/search.js`` reads
:data:`LEVEL_WORDS` from the search vocabulary): a level word ("expert", "senior",
"confirmé") asks for at least that level, a site's name for people at that site, and what is left
is searched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.directory.model import LEVELS
from generator.search.analysis import fold
from generator.weights import PAGEFIND_RANKING, SKILL_WEIGHTS, WEIGHTS

__all__ = ["LEVEL_WORDS", "PAGEFIND_RANKING", "SKILL_WEIGHTS", "WEIGHTS", "Understood", "understand"]

# Words that ask for a level rather than name a skill: "at least" this level.
LEVEL_WORDS: dict[str, str] = {
    **dict.fromkeys(("expert", "experte", "experts", "expertes"), "expert"),
    **dict.fromkeys(("avance", "avancee", "avances", "avancees", "advanced", "senior", "seniors", "confirme", "confirmee", "confirmes"), "advanced"),
    **dict.fromkeys(("intermediaire", "intermediaires", "intermediate"), "intermediate"),
    **dict.fromkeys(("notions", "debutant", "debutante", "debutants", "beginner", "junior"), "notions"),
}


@dataclass(frozen=True)
class Understood:
    """A query read: the words to search, and the filters its words asked for."""

    words: tuple[str, ...]
    level: str | None = None  # at least this level, in the skills the words name
    location: str | None = None  # a site, as the directory spells it


def understand(query: str, sites: Iterable[str]) -> Understood:
    """``python expert lyon`` -> words ``python``, level ``expert``, location ``Lyon``.

    A level word or a site's name alone is searched as it is: ``lyon`` alone finds the people of
    Lyon through the search itself, and ``expert`` alone finds the word.
    """
    words = query.split()
    by_fold = {fold(site): site for site in sites}
    level = location = None
    kept: list[str] = []
    index = 0
    while index < len(words):
        site, taken = _site_at(words, index, by_fold)
        folded = fold(words[index])
        if site is not None and location is None:
            location, index = site, index + taken
            continue
        if folded in LEVEL_WORDS and level is None:
            level = _stronger(level, LEVEL_WORDS[folded])
            index += 1
            continue
        kept.append(words[index])
        index += 1
    if not kept:  # nothing left to search: the query was the filter's name itself
        return Understood(tuple(words))
    return Understood(tuple(kept), level, location)


def _site_at(words: list[str], index: int, by_fold: dict[str, str]) -> tuple[str | None, int]:
    """The site named by the words from ``index`` on (the longest name first: "Saint Denis"), and how many words it takes."""
    for length in range(min(4, len(words) - index), 0, -1):
        site = by_fold.get(fold(" ".join(words[index : index + length])))
        if site is not None:
            return site, length
    return None, 0


def _stronger(current: str | None, level: str) -> str:
    return level if current is None or LEVELS.index(level) > LEVELS.index(current) else current
