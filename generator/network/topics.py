"""Where a profile's topic leads: the group it names, else the search for it.

An interest or an ask-me-about topic is free text. It leads to a group when it names one and only
one: the group's whole name or slug (``Course à pied``, ``club-escalade``), else its name without
the word that says what kind of group it is (``escalade`` for *Club escalade*, ``Lyon`` for *Site
de Lyon*), else the group's whole name inside the topic (``le projet billettique Nantes``).
A part of a name is not enough: ``Kubernetes`` is not *Projet migration Kubernetes*. Words are compared folded (case and accents). When several groups
fit as well (``billettique``: a team and a project), the search, which lists them all, is the
better answer than a guess.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from generator.directory.enrich import slugify
from generator.directory.model import Group
from generator.search.analysis import STOP_WORDS, fold

_MAX_WORDS = 8  # longer names and topics are compared by their first words only


def _words(text: str) -> tuple[str, ...]:
    return tuple(fold(text).replace("’", " ").replace("'", " ").replace("-", " ").split())[:_MAX_WORDS]


def _says_something(phrase: tuple[str, ...]) -> bool:
    return any(len(word) >= 3 and word not in STOP_WORDS for word in phrase)


def _cores(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A name without the one word that says what kind of group it is, first or last with its little
    words: *Club escalade* -> ``escalade``, *Site de Lyon* -> ``lyon``, *Guilde Python* -> ``python``."""
    cores = []
    for cut in range(1, len(words)):
        for kind, core in ((words[:cut], words[cut:]), (words[-cut:], words[:-cut])):
            if sum(1 for word in kind if word not in STOP_WORDS) == 1 and _says_something(core):
                cores.append(core)
    return cores


class TopicGroups:
    """Groups by their name, slug and the core of their name, to find the group a topic names."""

    def __init__(self, groups: Mapping[str, Group]) -> None:
        self.exact: defaultdict[tuple[str, ...], set[str]] = defaultdict(set)
        self.cores: defaultdict[tuple[str, ...], set[str]] = defaultdict(set)
        self.names: defaultdict[tuple[str, ...], set[str]] = defaultdict(set)  # names of two words or more
        for slug, group in groups.items():
            words = _words(group.name)
            self.exact[words].add(slug)
            self.exact[tuple(slug.split("-"))].add(slug)
            if len(words) >= 2:
                self.names[words].add(slug)
            for core in _cores(words):
                self.cores[core].add(slug)
        self._found: dict[str, str | None] = {}

    def group_for(self, topic: str) -> str | None:
        """The slug of the one group ``topic`` names, or None."""
        if topic not in self._found:
            self._found[topic] = self._find(topic)
        return self._found[topic]

    def _find(self, topic: str) -> str | None:
        words = _words(topic)
        if not _says_something(words):
            return None
        for found in (self.exact.get(words, set()) | self.exact.get(tuple(slugify(topic).split("-")), set()), self.cores.get(words, set())):
            if found:
                return next(iter(found)) if len(found) == 1 else None
        inside = set()  # a group's whole name inside a longer topic
        for start in range(len(words)):
            for end in range(start + 2, len(words) + 1):
                if end - start < len(words):
                    inside |= self.names.get(words[start:end], set())
        return next(iter(inside)) if len(inside) == 1 else None
