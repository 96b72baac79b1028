"""How much a word weighs where it is found in a profile: one table for both searches.

Pagefind (the browser) reads the weights from each profile's markup (``data-pagefind-weight``, on
its scale of 0 to 10: the templates take them from here); Whoosh (the terminal) boosts the
fields it indexes by the same numbers (:mod:`generator.search.index`). A skill's holders come
first, by level, then a match in the title or in "ask me about", then in what a person offers,
and a mention in a bio last; the name weighs as much as the expert's skill. Where a word comes
again in a profile, weights add up: the levels are far enough apart that an advanced holder who
also offers the skill and mentions it in a bio stays under the expert.
"""

from __future__ import annotations

SKILL_WEIGHTS: dict[str, float] = {"expert": 10.0, "advanced": 7.0, "intermediate": 5.0, "notions": 3.5}
WEIGHTS: dict[str, float] = {
    "name": 10.0,
    **{f"skill_{level}": weight for level, weight in SKILL_WEIGHTS.items()},
    "title": 3.0,
    "ask": 3.0,
    "offers": 2.0,
    "team": 2.0,
    "group": 1.5,
    "location": 1.5,
    "lang": 1.5,
    "seeks": 1.0,
    "interests": 1.0,
    "bio": 0.5,
}
ALIAS_DISCOUNT = 0.5  # a skill found by one of its other names weighs this much less than by its name

# Pagefind's ranking for profiles: the weights decide, not how often a word comes or how long a
# profile is (a long profile is no sign of a better match). Read by assets/search.js.
PAGEFIND_RANKING: dict[str, float] = {"termFrequency": 0.0, "pageLength": 0.0}
