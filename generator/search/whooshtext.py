"""The text analysis (:mod:`generator.search.analysis`) as a Whoosh analyzer, for the terminal's index.

The index pickles its analyzers under this module's name (see ``index.FORMAT``): what is pickled is
the language alone, and the analysis is made again when the index is opened.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

from generator.search.analysis import WORD_PATTERN, Analysis, folding, stemming

# Whoosh 2.7 predates Python 3.11 and its modules trigger SyntaxWarning / DeprecationWarning when
# they are compiled; users did nothing wrong, so they do not see them.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh.analysis import Analyzer, RegexTokenizer  # type: ignore[import-untyped]


class WordAnalyzer(Analyzer):  # type: ignore[misc]
    """Whoosh's tokens (with their positions and characters, for phrases) carrying :class:`Analysis`'s words.

    Whoosh would chain a tokenizer and four filters, each a generator handling every token; here
    each token's text goes through the analysis' one cache of normalised words.
    """

    def __init__(self, language: str | None = None) -> None:
        self.language = language
        self._setup()

    def _setup(self) -> None:
        self.analysis: Analysis = stemming(self.language) if self.language else folding()
        self._tokenizer = RegexTokenizer(WORD_PATTERN)

    def __call__(self, value: str, **kwargs: Any) -> Iterator[Any]:
        normalize = self.analysis.normalize
        token, position = None, -1
        for token in self._tokenizer(value, **kwargs):
            token.text = normalize(token.text)
            position = token.pos if kwargs.get("positions") else position + 1
            yield token
        # Indexed as words() gives them: the words joined by an apostrophe after the others. A query
        # is cut as typed: "obrien" finds the joined word, "o'brien" its two parts.
        if token is not None and kwargs.get("mode") == "index":
            extra = self.analysis.words(value)[position + 1 :]
            for offset, word in enumerate(extra, 1):
                token.text, token.pos = word, position + offset
                yield token

    def words(self, value: str) -> list[str]:
        """The texts of the tokens of ``value``, in order: what indexing needs, without a token object each."""
        return self.analysis.words(value)

    def __getstate__(self) -> dict[str, Any]:
        return {"language": self.language}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.language = state["language"]
        self._setup()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordAnalyzer) and other.language == self.language

    def __hash__(self) -> int:
        return hash(self.language)
