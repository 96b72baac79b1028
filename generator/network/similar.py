"""Similar people: for each person, the few people outside their team with the most similar skills.

A person is a vector of skills weighted by level and by rarity (IDF: sharing a rare skill says
more than sharing Excel), compared by cosine. Nobody is compared with everybody: candidates come
from the inverted index skill -> people, through each person's :data:`TOP_SKILLS` strongest
skills only. A rare skill (at most :data:`RARE` holders) makes all its holders candidates of each
other; a common one gives each holder the :data:`WINDOW` next holders in its list sorted by their
other strongest skills (sorted-neighbourhood blocking: neighbours there share this skill and,
most often, the next ones too). Every step runs on numpy arrays, so 100,000 people take seconds.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt

from generator.directory.enrich import Org

LEVEL_WEIGHTS = {"notions": 1.0, "intermediate": 2.0, "advanced": 3.0, "expert": 4.0}
TOP_SKILLS = 4
RARE = 48
WINDOW = 6
LIMIT = 5
MIN_SCORE = 0.15
_CHUNK = 65_536
_SCORE_BITS = 20
_SCALE = (1 << _SCORE_BITS) - 1  # scores kept to about six decimals while sorting

Similar = dict[str, list[tuple[str, float]]]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


def similar_people(org: Org, limit: int = LIMIT, min_score: float = MIN_SCORE) -> Similar:
    """Handle -> up to ``limit`` (handle, cosine) of listed people outside their team, most similar first."""
    handles = sorted(org.people)
    skill_ids = {name: i for i, name in enumerate(sorted(org.skill_people))}
    row_of = {handle: row for row, handle in enumerate(handles)}
    rows_list: list[int] = []
    cols_list: list[int] = []
    levels_list: list[float] = []
    for name, entries in org.skill_people.items():
        rows_list += [row_of[handle] for handle, _ in entries]
        cols_list += [skill_ids[name]] * len(entries)
        levels_list += [LEVEL_WEIGHTS[level] for _, level in entries]
    if not rows_list:
        return {}
    rows, cols = np.array(rows_list, dtype=np.int64), np.array(cols_list, dtype=np.int64)
    people, skills = len(handles), len(skill_ids)
    holders = np.bincount(cols, minlength=skills)
    weights = np.array(levels_list) * np.log1p(people / np.maximum(holders[cols], 1))
    norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=people))
    weights = weights / np.maximum(norms[rows], 1e-12)
    top = _strongest(rows, cols, weights, people)
    left, right = _candidate_pairs(top, skills)
    if not len(left):
        return {}
    scores = _dot_products(rows, cols, weights, people, skills, left, right)
    team_ids = {team: i for i, team in enumerate(sorted({p.team for p in org.people.values() if p.team}))}
    teams = np.array([team_ids.get(org.people[h].team or "", -1 - i) for i, h in enumerate(handles)], dtype=np.int64)
    listed = np.array([org.people[h].search == "visible" for h in handles])
    keep = (scores >= min_score) & (teams[left] != teams[right])
    left, right, scores = left[keep], right[keep], scores[keep]
    # Both directions of each pair, each kept only if the person shown is listed.
    source = np.concatenate([left, right])
    target = np.concatenate([right, left])
    score = np.concatenate([scores, scores])
    shown = listed[target]
    source, target, score = source[shown], target[shown], score[shown]
    # One integer key per suggestion (person, then best score, then handle), sorted once: faster than a lexsort.
    bits = max(1, people.bit_length())
    quantised = np.minimum(np.round(score * _SCALE), _SCALE).astype(np.int64)
    keys = np.sort((source << (bits + _SCORE_BITS)) | ((_SCALE - quantised) << bits) | target)
    source, target = keys >> (bits + _SCORE_BITS), keys & ((1 << bits) - 1)
    score = (_SCALE - ((keys >> bits) & ((1 << _SCORE_BITS) - 1))) / _SCALE
    starts = np.searchsorted(source, source, side="left")
    rank = np.arange(len(source)) - starts
    best = rank < limit
    source, target = source[best], target[best]
    if not len(source):
        return {}
    names = [handles[b] for b in target.tolist()]
    values = np.round(score[best], 4).tolist()
    bounds = np.flatnonzero(np.concatenate([[True], source[1:] != source[:-1], [True]])).tolist()
    return {
        handles[int(source[start])]: list(zip(names[start:end], values[start:end], strict=True)) for start, end in itertools.pairwise(bounds)
    }


def _strongest(rows: Ints, cols: Ints, weights: Floats, people: int) -> Ints:
    """Each person's strongest skills, as a people x TOP_SKILLS array padded with -1."""
    order = np.lexsort((cols, -weights, rows))
    rows, cols = rows[order], cols[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
    top = np.full((people, TOP_SKILLS), -1, dtype=np.int64)
    keep = rank < TOP_SKILLS
    top[rows[keep], rank[keep]] = cols[keep]
    return top


def _candidate_pairs(top: Ints, skills: int) -> tuple[Ints, Ints]:
    """Unordered pairs (left < right) of people worth comparing."""
    people = np.repeat(np.arange(top.shape[0]), TOP_SKILLS)
    skill = top.reshape(-1)
    position = np.tile(np.arange(TOP_SKILLS), top.shape[0])
    valid = skill >= 0
    people, skill, position = people[valid], skill[valid], position[valid]
    # The person's two strongest skills other than this one: the sort key within the skill.
    others = top[people]
    first = np.where(position == 0, others[:, 1], others[:, 0])
    second = np.where(position <= 1, others[:, 2], others[:, 1])
    order = np.lexsort((people, second, first, skill))
    people, skill = people[order], skill[order]
    holders = np.bincount(skill, minlength=skills)
    rare = holders[skill] <= RARE
    pairs: list[Ints] = []
    for offset in range(1, max(RARE, WINDOW) + 1):
        same = skill[:-offset] == skill[offset:]
        same &= rare[:-offset] | (offset <= WINDOW)
        a, b = people[:-offset][same], people[offset:][same]
        pairs.append(np.minimum(a, b) * top.shape[0] + np.maximum(a, b))
    codes = np.sort(np.concatenate(pairs))
    codes = codes[np.concatenate([[True], codes[1:] != codes[:-1]])] if len(codes) else codes
    left, right = codes // top.shape[0], codes % top.shape[0]
    distinct = left != right
    return left[distinct], right[distinct]


def _dot_products(rows: Ints, cols: Ints, weights: Floats, people: int, skills: int, left: Ints, right: Ints) -> Floats:
    """Cosines of the pairs (the rows are unit vectors): dense rows taken in chunks when the matrix fits in memory."""
    scores = np.empty(len(left), dtype=np.float64)
    if people * skills <= 50_000_000:
        matrix = np.zeros((people, skills), dtype=np.float32)
        matrix[rows, cols] = weights
        for start in range(0, len(left), _CHUNK):
            end = start + _CHUNK
            scores[start:end] = np.einsum("ij,ij->i", matrix[left[start:end]], matrix[right[start:end]])
        return scores
    # A very large taxonomy: sparse rows as dictionaries, slower but within memory.
    vectors: list[dict[int, float]] = [{} for _ in range(people)]
    for row, col, weight in zip(rows.tolist(), cols.tolist(), weights.tolist(), strict=True):
        vectors[row][col] = weight
    for index, (a, b) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
        other = vectors[b]
        scores[index] = sum(weight * other.get(col, 0.0) for col, weight in vectors[a].items())
    return scores
