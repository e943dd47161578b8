"""The candidates of a counterparty's name and their string bounds, for many names at once.

Scoring (score.py) compares a query with every name of its candidate entities; most candidates
cannot reach review. This module finds the candidates (the index's blocking keys, and listed
names a long query starts like, for names cut by fixed-width fields) and bounds each candidate
name's similarity from above with a few vectorised string comparisons (rapidfuzz's pairwise
``cpdist`` over all pairs of many queries), so that only names that can reach review are scored.
Results are kept per name in the index's per-process name cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process

from orchestration.screening.index import PREFIX_LENGTHS, ScreeningIndex
from orchestration.screening.normalize import without_form_ends
from orchestration.screening.typing_slips import slip_bounds

if TYPE_CHECKING:  # score.py imports this module: its types only for annotations
    from orchestration.screening.score import Query, ScoreParams

# the letters of a listed name's start a cut query must hold (cut_names.reaches_name)
NAME_START = 4
# the letters of core words a cut query must have to be compared without its legal forms
CUT_MIN_CORE = 20


def string_bounds(
    query: Query, variant_ids: list[int], index: ScreeningIndex, params: ScoreParams
) -> np.ndarray:
    return _string_bounds_many([(query, variant_ids)], index, params)[0]


def _gather(column: list[str], ids: list[int]) -> Sequence[str]:
    return itemgetter(*ids)(column) if len(ids) > 1 else [column[ids[0]]]


def _string_bounds_many(
    items: list[tuple[Query, list[int]]], index: ScreeningIndex, params: ScoreParams
) -> list[np.ndarray]:
    # The string view of every (query, candidate variant) pair of many queries in a few C calls
    # (rapidfuzz's pairwise cpdist): it bounds the name similarity from above, so variants that
    # cannot reach the review threshold are never scored further.
    counts = [len(ids) for _, ids in items]
    ids = [v for _, variant_ids in items for v in variant_ids]
    if not ids:
        return [np.zeros(0, dtype=np.float32) for _ in items]

    def repeated(attribute: str, norms: list | None = None) -> list[str]:
        texts: list[str] = []
        for (query, _), count, norm in zip(items, counts, norms or [None] * len(items),
                                           strict=True):  # fmt: skip
            texts += [getattr(norm or query.norm, attribute)] * count
        return texts

    def string_view(norms: list | None, at: list[int] | None = None) -> np.ndarray:
        # string_similarity of every pair (of the pairs ``at``): the best of its four views
        views = (
            ("sorted_text", "sorted", 1.0),
            ("compact", "compact", 1.0),
            ("fingerprint_text", "fingerprint", params.fingerprint_discount),
            ("full_compact", "full", params.fingerprint_discount),
        )
        variants = ids if at is None else [ids[i] for i in at]
        best = None
        for attribute, column, factor in views:
            texts = repeated(attribute, norms)
            queries = texts if at is None else [texts[i] for i in at]
            listed = _gather(index.texts[column], variants)
            scores = process.cpdist(queries, listed, scorer=fuzz.ratio)
            if column in ("sorted", "compact"):
                # typing slips count one edit (string_similarity): bounded by the OSA distance
                scores = np.maximum(scores, slip_bounds(queries, list(listed)))
            scores = scores * (factor / 100.0)
            best = scores if best is None else np.maximum(best, scores)
        return best

    best = string_view(None)
    # a query with a mistyped short form at its end is compared without it too, whatever the
    # listing's forms (name_similarity._plain_name_similarity, normalize.stripped_of_form_ends)
    stripped = [without_form_ends(query.norm) for query, _ in items]
    if any(stripped):
        at = np.flatnonzero(np.repeat([s is not None for s in stripped], counts)).tolist()
        best[at] = np.maximum(best[at], string_view(stripped, at))
    long_query = np.repeat(
        [len(q.name.strip()) >= params.truncation_min_length for q, _ in items], counts
    )
    if long_query.any():
        # A cut name: the listed names cut to the query's length (truncation_similarity).
        pairs = np.flatnonzero(long_query).tolist()
        query_texts = repeated("full_compact")
        texts = [query_texts[i] for i in pairs]
        full = _gather(index.texts["full"], [ids[i] for i in pairs])
        cut = [listed[: len(text)] for text, listed in zip(texts, full, strict=True)]
        scores = process.cpdist(texts, cut, scorer=fuzz.ratio)
        # and the core words joined, legal forms left out, for queries with enough of them
        # (truncation_similarity)
        long_core = np.repeat([len(q.norm.compact) >= CUT_MIN_CORE for q, _ in items], counts)
        chosen = np.flatnonzero(long_core[pairs])
        if len(chosen):
            at = [pairs[i] for i in chosen.tolist()]
            owner = np.repeat(np.arange(len(items)), counts)[at].tolist()
            cores = [items[j][0].norm.compact for j in owner]
            listed = _gather(index.texts["compact"], [ids[i] for i in at])
            cut = [text[: len(core)] for core, text in zip(cores, listed, strict=True)]
            scores[chosen] = np.maximum(
                scores[chosen], process.cpdist(cores, cut, scorer=fuzz.ratio)
            )
        # only a cut close enough to count (truncation_similarity) raises the bound
        scores = np.where(
            scores >= params.truncation_min_similarity * 100.0,
            np.minimum(scores * (params.truncation_discount / 100.0), params.truncation_cap),
            0.0,
        )
        best[pairs] = np.maximum(best[pairs], scores)
    # A listed name compared without its place words (empty texts for names without one),
    # capped as the comparison itself is (_variant_score).
    places = np.flatnonzero(index.place_mask[ids])
    if len(places):
        chosen = places.tolist()
        placed = [ids[i] for i in chosen]
        placeless = np.zeros(len(places))
        for attribute, column in (("sorted_text", "placeless_sorted"),
                                  ("compact", "placeless_compact")):  # fmt: skip
            texts = repeated(attribute)
            queries = [texts[i] for i in chosen]
            scores = process.cpdist(queries, _gather(index.texts[column], placed),
                                    scorer=fuzz.ratio)  # fmt: skip
            placeless = np.maximum(placeless, scores)
        best[places] = np.maximum(
            best[places], np.minimum(placeless / 100.0, params.partial_place_cap)
        )
    return np.split(best, np.cumsum(counts)[:-1])


def cut_candidates(query: Query, index: ScreeningIndex, params: ScoreParams) -> list[int]:
    """Listings whose name starts as a long query does (a name cut by a fixed-width field):
    the longest start of the query kept in the index is looked up, and the listings whose
    name, cut to the query's length, is as close as a truncation match needs; none when more
    than ``truncation_max_listings`` share it (a legal form or a generic word, not a name)."""
    if len(query.name.strip()) < params.truncation_min_length:
        return []
    text = query.norm.full_compact
    lengths = [n for n in PREFIX_LENGTHS if n <= len(text) - 2]
    if not lengths:
        return []
    posting = index.postings.get("^" + text[: lengths[-1]])
    if posting is None or len(posting) > index.blocking.max_df:
        return []
    full, compact, core = index.texts["full"], index.texts["compact"], query.norm.compact
    # only listings whose name (past the legal form) the query reaches (cut_names.reaches_name)
    if len(core) < NAME_START:
        return []
    posting = posting[[compact[v][:NAME_START] in core for v in posting.tolist()]]
    if not len(posting):
        return []
    cut = [full[v][: len(text)] for v in posting.tolist()]
    scores = process.cdist([text], cut, scorer=fuzz.ratio)[0]
    close = posting[scores >= params.truncation_min_similarity * 100.0]
    entities = list(dict.fromkeys(index.variant_entity[close].tolist()))
    return entities if len(entities) <= params.truncation_max_listings else []


_NAME_CACHE_SIZE = 20_000


def _name_key(query: Query, params: ScoreParams) -> tuple:
    return (query.norm.original, len(query.name.strip()) >= params.truncation_min_length, params)


def prepare_names(queries: Sequence[Query], index: ScreeningIndex, params: ScoreParams) -> None:
    """Find the candidates and string bounds of the names of many queries at once (numpy and
    rapidfuzz over all of them, :meth:`ScreeningIndex.by_names`, :func:`_string_bounds_many`)
    and keep them in the index's per-process name cache for :func:`match_query`."""
    todo: dict[tuple, Query] = {}
    for query in queries:
        key = _name_key(query, params)
        if key not in index.name_cache:
            todo.setdefault(key, query)
    if not todo:
        return
    if len(index.name_cache) + len(todo) > _NAME_CACHE_SIZE:
        index.name_cache.clear()
    found = index.by_names([q.norm for q in todo.values()])
    items = []
    for query, entities in zip(todo.values(), found, strict=True):
        entities += [e for e in cut_candidates(query, index, params) if e not in entities]
        # a name in Arabic script: the listed names with its consonants (skeleton.py)
        entities += [e for e in index.skeleton_candidates(query.name) if e not in entities]
        items.append((entities, [v for e in entities for v in index.entity_variants[e]]))
    bounds = _string_bounds_many(
        [(q, variant_ids) for q, (_, variant_ids) in zip(todo.values(), items, strict=True)],
        index,
        params,
    )
    for key, (entities, variant_ids), bound in zip(todo, items, bounds, strict=True):
        index.name_cache[key] = (entities, variant_ids, bound)


def name_candidates(query: Query, index: ScreeningIndex, params: ScoreParams):
    """The entities the name brings in, their variants and string bounds (cached per name)."""
    key = _name_key(query, params)
    cached = index.name_cache.get(key)
    if cached is None:
        prepare_names([query], index, params)
        cached = index.name_cache[key]
    return cached
