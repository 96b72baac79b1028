"""Text analysis shared by the terminal's index and the matching of people: words, case and
accents folded, French job words unified, stems; the little words a query leaves out.

Built on Whoosh's tokenizer and Snowball stemmers, so that the index (which pickles its analyzers
under this module's name: see index.FORMAT) and :mod:`generator.network.matching` cut and stem
words the same way.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

# Whoosh 2.7 predates Python 3.11 and its modules trigger SyntaxWarning / DeprecationWarning when
# they are compiled; users did nothing wrong, so they do not see them.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh.analysis import Analyzer, RegexTokenizer  # type: ignore[import-untyped]
    from whoosh.lang import has_stemmer, stemmer_for_language  # type: ignore[import-untyped]
    from whoosh.support.charset import accent_map  # type: ignore[import-untyped]


def folding_analyzer() -> Analyzer:
    """Words, lowercased, accents folded: for names, places and codes."""
    return WordAnalyzer()


def stemming_analyzer(language: str) -> Analyzer:
    """:func:`folding_analyzer`, then the language's stemmer (with French job words first unified)."""
    code = language.split("-")[0].split("_")[0].lower()
    return WordAnalyzer(code if code == "fr" or has_stemmer(code) else None)


_WORD_PATTERN = r"\w+(?:[.+#]\w*|[+#]+)?"


class WordAnalyzer(Analyzer):  # type: ignore[misc]
    """Words (``c++``, ``node.js`` and ``c#`` kept whole), lowercased, accents folded, then, given a
    language, French job words unified (:func:`unify_gender`) and stemmed.

    Whoosh would chain a tokenizer and four filters, each a generator handling every token, and
    cache stems in a pure-Python cache that costs about as much as stemming. Indexing 100,000
    people makes some ten million tokens of a few tens of thousands of distinct words, so each
    distinct word is normalised once, through one C-level cache. The index stores its analyzers
    (pickled): the cache is left out and made again when the index is opened.
    """

    def __init__(self, language: str | None = None) -> None:
        self.language = language
        self._setup()

    def _setup(self) -> None:
        self._tokenizer = RegexTokenizer(_WORD_PATTERN)
        self._findall = re.compile(_WORD_PATTERN).findall
        stem = stemmer_for_language(self.language) if self.language and has_stemmer(self.language) else None
        unify = self.language == "fr"

        def normalize(word: str) -> str:
            word = word.lower().translate(accent_map)
            if unify:
                word = unify_gender(word)
            return stem(word) if stem is not None else word

        self._normalize = lru_cache(maxsize=1 << 17)(normalize)

    def __call__(self, value: str, **kwargs: Any) -> Iterator[Any]:
        normalize = self._normalize
        for token in self._tokenizer(value, **kwargs):
            token.text = normalize(token.text)
            yield token

    def words(self, value: str) -> list[str]:
        """The texts of the tokens of ``value``, in order: what indexing needs, without a token object each."""
        normalize = self._normalize
        return [normalize(word) for word in self._findall(value)]

    def __getstate__(self) -> dict[str, Any]:
        return {"language": self.language}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.language = state["language"]
        self._setup()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordAnalyzer) and other.language == self.language

    def __hash__(self) -> int:
        return hash(self.language)


GENDER_ENDINGS = (("euses", "eurs"), ("euse", "eur"), ("rices", "eurs"), ("rice", "eur"), ("iennes", "iens"), ("ienne", "ien"))


def unify_gender(word: str) -> str:
    """A feminine job word to its masculine form, before stemming: ``developpeuse`` -> ``developpeur``.

    The Snowball stemmer keeps the two apart, and a directory is searched by job titles.
    """
    if len(word) >= 7:
        for ending, replacement in GENDER_ENDINGS:
            if word.endswith(ending):
                return word[: -len(ending)] + replacement
    return word


_FRENCH_STOP_WORDS = ("à", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "sur", "un", "une")
STOP_WORDS = frozenset((*_FRENCH_STOP_WORDS, "a", "an", "and", "for", "in", "of", "the", "with"))
_WORD = re.compile(r"(?<![\w:])([^\W_]+)(?![\w:])", re.UNICODE)


def without_stop_words(text: str) -> str:
    """``chef de projet`` -> ``chef projet``; a query made only of little words is kept as it is."""
    kept = _WORD.sub(lambda m: "" if m.group(1).casefold() in STOP_WORDS else m.group(1), text)
    kept = " ".join(kept.replace("'", " ").replace("’", " ").split()) if kept.strip() else ""
    return kept if kept.strip() else text


def fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


@cache
def language_names(code: str) -> list[str]:
    from babel import Locale

    names = []
    for ui in ("fr", "en"):
        name = Locale(ui).languages.get(code)
        if name:
            names.append(name)
    return names
