"""Name similarity of a query and a listed name, legal forms left out: the smaller of a string
view and a word view, so both must agree (score.py's module docstring has the formula).

- string view (``string_similarity``): the best ratio over the sorted core words, the words
  joined, their fingerprints and the words joined with their forms, typing slips counting one
  edit; a query with a mistyped short form at an end is also compared without it;
- word view (``word_similarity``): each core word's best match on the other side, both ways,
  weighted by inverse document frequency; words that read as mistyped forms or as a mistyped
  "and"/"the" are left out when nothing matches them.

candidates.py bounds the string view from above for many pairs at once; the two must change
together.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from orchestration.screening.normalize import (
    NormName,
    fingerprint,
    looks_like_form_word,
    mistyped_form_ends,
    stop_word_slip,
    stripped_of_form_ends,
)
from orchestration.screening.params import DEFAULT_PARAMS, ScoreParams
from orchestration.screening.respacing import respaced
from orchestration.screening.typing_slips import slip_similarity


def string_similarity(
    query: NormName, listed: NormName, params: ScoreParams = DEFAULT_PARAMS
) -> float:
    """Best of the sorted-words, joined-words and fingerprint ratios, in [0, 1]; the joined
    words with legal forms count too, discounted, for forms glued to a word ("KvantekLimited")."""
    discount = params.fingerprint_discount
    best = max(
        fuzz.ratio(query.sorted_text, listed.sorted_text),
        fuzz.ratio(query.compact, listed.compact),
        fuzz.ratio(query.fingerprint_text, listed.fingerprint_text) * discount,
        fuzz.ratio(query.full_compact, listed.full_compact) * discount,
    )
    # a swap of neighbouring letters or a neighbouring key counts as one edit (typing_slips.py)
    slip = max(
        slip_similarity(query.sorted_text, listed.sorted_text),
        slip_similarity(query.compact, listed.compact),
    )
    return max(best / 100.0, slip)


def _closest(word: str, others: tuple[str, ...], params: ScoreParams) -> float:
    best = 0.0
    key = fingerprint(word)
    for other in others:
        if other == word:
            return 1.0
        score = fuzz.ratio(word, other) / 100.0
        if len(word) == len(other):
            score = max(score, slip_similarity(word, other))
        if key == fingerprint(other):
            score = max(score, params.fingerprint_discount)
        best = max(best, score)
    return best


def _reads_as_no_name_word(word: str, form_end: bool) -> bool:
    """A word the word view leaves out when nothing on the other side matches it: a mistyped
    short form ending or starting the name (``form_end``, normalize.mistyped_form_ends), a
    mistyped long form word or two forms glued, or a mistyped "and" or "the" (normalize.py)."""
    return form_end or looks_like_form_word(word) or stop_word_slip(word)


def _side_score(
    words: tuple[str, ...],
    other: NormName,
    weight,
    params: ScoreParams,
    form_end_positions: set[int],
):
    # Each word's best match among the other side's words and neighbouring pairs; a word split
    # in two ("exc hange") is matched as the pair when the pair matches better than its parts.
    others = other.tokens + tuple(
        a + b for a, b in zip(other.tokens, other.tokens[1:], strict=False)
    )
    scores = [_closest(w, others, params) for w in words]
    for i in range(len(words) - 1):
        pair = _closest(words[i] + words[i + 1], other.tokens, params)
        if pair > max(scores[i], scores[i + 1]):
            scores[i] = scores[i + 1] = pair
    floor = params.word_match_floor
    # a word nothing matches that is a legal-form word with typing errors ("LIMETD") or two
    # forms glued ("PVTLTD") is a form, not a word of the name: left out of both sums; so are
    # the short words ending or starting the name that read as a mistyped short form ("CO.,
    # LT.", "PTE. LD.", "LLB"), where a form stands, and "and" or "the" mistyped ("ANC", "THS")
    ends = form_end_positions
    kept = [(w, s) for i, (w, s) in enumerate(zip(words, scores, strict=True))
            if s >= floor or not _reads_as_no_name_word(w, i in ends)]  # fmt: skip
    total = sum(weight(w) for w, _ in kept)
    matched = sum(weight(w) * s for w, s in kept if s >= floor)
    return total, matched


def word_similarity(
    query: NormName,
    listed: NormName,
    weight,
    params: ScoreParams = DEFAULT_PARAMS,
    listed_families: frozenset[str] | None = None,
) -> float:
    """IDF-weighted mean of each core word's best match on the other side, both directions.
    ``listed_families``: the legal-form families of the listed entity (all its names), which a
    mistyped form ending the query must not conflict with to be left out; default the listed
    name's own."""
    if listed_families is None:
        listed_families = listed.families
    q_ends = mistyped_form_ends(query, listed_families)
    l_ends = mistyped_form_ends(listed, query.families)
    q_total, q_matched = _side_score(query.tokens, listed, weight, params, q_ends)
    l_total, l_matched = _side_score(listed.tokens, query, weight, params, l_ends)
    total = q_total + l_total
    return (q_matched + l_matched) / total if total else 0.0


def name_similarity(
    query: NormName,
    listed: NormName,
    weight=lambda word: 1.0,
    params: ScoreParams = DEFAULT_PARAMS,
    respace: bool = True,
    listed_families: frozenset[str] | None = None,
) -> float:
    """Similarity of two normalised names in [0, 1], legal forms left out (module docstring).
    Below review, the query re-spaced against the listed name (words glued or split by data
    entry, respacing.py) is compared too, and the better comparison kept; ``respace=False``
    when the caller knows the query has only listed words (nothing glued or split).
    ``listed_families``: as word_similarity's."""
    score = _plain_name_similarity(query, listed, weight, params, listed_families)
    if respace and score < params.review:
        other = respaced(query, listed)
        if other is not None:
            score = max(
                score, _plain_name_similarity(other, listed, weight, params, listed_families)
            )
    return score


def _plain_name_similarity(
    query: NormName,
    listed: NormName,
    weight,
    params: ScoreParams,
    listed_families: frozenset[str] | None = None,
):
    score = string_similarity(query, listed, params)
    # a mistyped short form ending the query ("TAKO OLC") weighs on every view of the string;
    # the query without it is compared too, where the word view leaves it out
    # (normalize.stripped_of_form_ends; candidates.py bounds the same comparison)
    stripped = stripped_of_form_ends(query, listed_families or listed.families)
    if stripped is not None:
        score = max(score, string_similarity(stripped, listed, params))
    if score >= params.word_match_floor:
        score = min(score, word_similarity(query, listed, weight, params, listed_families))
    if min(len(query.compact), len(listed.compact)) <= params.short_name_length:
        score = min(score, params.short_name_cap)
    return score
