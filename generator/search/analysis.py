"""Text analysis shared by both searches and the matching of people: words, case and accents folded,
French job words unified, stems; the little words a query leaves out.

Plain Python and Snowball's stemmers (``snowballstemmer``, the algorithms' own distribution): the
terminal's index wraps it for Whoosh (:mod:`generator.search.whooshtext`), and rendering a page
that matches people (:mod:`generator.network.matching`) loads no search engine.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

import snowballstemmer  # type: ignore[import-untyped]

# Letters that NFKD does not take apart into a base letter and a mark: without this table
# ``pawel`` would not find Paweł, nor ``bjorn`` Bjørn. Capitals are casefolded first.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ı": "i", "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th", "ħ": "h", "ŧ": "t", "ŀ": "l"})

# A word: letters and digits, with ``c++``, ``node.js`` and ``c#`` kept whole, and never the full stop
# that ends a sentence (``Python.``).
WORD_PATTERN = r"\w+(?:[+#]+(?!\w)|[.+#]\w+)?"
_WORDS = re.compile(WORD_PATTERN)
# Words joined by an apostrophe (O'Brien, N’Diaye): a name is also typed without it.
_APOSTROPHES = "'’ʼ"
_JOINED = re.compile(rf"\w+(?:[{_APOSTROPHES}]\w+)+")


def fold(text: str) -> str:
    """``Paweł  Bjørn-Dalgıç`` -> ``pawel bjorn-dalgic``: casefolded, marks dropped, letters without a decomposition spelled plainly, spaces collapsed.

    The one folding of every search: the index and the query, the terminal's and the browser's.
    """
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).translate(_UNDECOMPOSED).split())


class Analysis:
    """Words (:data:`WORD_PATTERN`), folded, then, given a language with a stemmer, French job words
    unified (:func:`unify_gender`) and stemmed. Without a language (names, places), words joined by
    an apostrophe are also given whole: ``O'Brien`` is ``o``, ``brien`` and ``obrien``.

    Indexing 100,000 people makes some ten million words of a few tens of thousands of distinct
    ones, so each distinct word is normalised once, through one C-level cache.
    """

    def __init__(self, language: str | None = None) -> None:
        self.language = language  # an ISO 639-1 code; stemmed if Snowball knows the language
        self.normalize: Callable[[str], str] = lru_cache(maxsize=1 << 17)(_normalizer(language if language in _STEMMERS else None))

    def words(self, text: str) -> list[str]:
        """The analysed words of ``text``, in order (then, for names, the words joined by an apostrophe)."""
        normalize = self.normalize
        found = [normalize(word) for word in _WORDS.findall(text)]
        if self.language is None and any(mark in text for mark in _APOSTROPHES):
            found += [normalize(joined(word)) for word in _JOINED.findall(text)]
        return found

    def terms(self, text: str) -> set[str]:
        """The distinct analysed words of ``text``."""
        return set(self.words(text))


def joined(word: str) -> str:
    """``O'Brien`` -> ``OBrien``: the word without its apostrophes."""
    return word.translate(_NO_APOSTROPHES)


_NO_APOSTROPHES = str.maketrans(dict.fromkeys(_APOSTROPHES))


def folding() -> Analysis:
    """Words, lowercased, accents folded: for names, places and codes."""
    return Analysis(None)


def stemming(language: str) -> Analysis:
    """:func:`folding`, then the language's stemmer (with French job words first unified)."""
    return Analysis(language.split("-")[0].split("_")[0].lower())


# ISO 639-1 codes of the languages Snowball stems.
_STEMMERS = {
    "ar": "arabic", "da": "danish", "de": "german", "el": "greek", "en": "english", "es": "spanish", "fi": "finnish",
    "fr": "french", "hu": "hungarian", "it": "italian", "nl": "dutch", "no": "norwegian", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sv": "swedish", "tr": "turkish",
}  # fmt: skip


def _normalizer(language: str | None) -> Callable[[str], str]:
    stem = snowballstemmer.stemmer(_STEMMERS[language]).stemWord if language else None
    unify = language == "fr"

    def normalize(word: str) -> str:
        word = fold(word)
        if unify:
            word = unify_gender(word)
        return stem(word) if stem is not None else word

    return normalize


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


# Folded, as queries are compared with them ("a" is also "à"); the browser's search reads them from its vocabulary.
_FRENCH_STOP_WORDS = ("a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou", "par", "pour", "sur", "un", "une")
STOP_WORDS = frozenset((*_FRENCH_STOP_WORDS, "an", "and", "for", "in", "of", "or", "the", "to", "with"))
_QUOTED_OR_WORD = re.compile(r'("[^"]*")|(?<![\w:])([^\W_]+)(?![\w:])')


def without_stop_words(text: str) -> str:
    """``chef de projet`` -> ``chef projet``; a query made only of little words is kept as it is,
    and so is a quoted phrase (``"prise de parole en public"``), whose words are found in their order."""
    kept = _QUOTED_OR_WORD.sub(lambda m: m.group(1) or ("" if fold(m.group(2)) in STOP_WORDS else m.group(2)), text)
    kept = " ".join(kept.replace("'", " ").replace("’", " ").split()) if kept.strip() else ""
    return kept if kept.strip() else text


@cache
def language_names(code: str) -> list[str]:
    from babel import Locale

    names = []
    for ui in ("fr", "en"):
        name = Locale(ui).languages.get(code)
        if name:
            names.append(name)
    return names
