"""The thresholds and weights of scoring (score.py, name_similarity.py), in one frozen record:
``roundabout screen``, the pipeline's screening asset and the evaluation tools pass one through.
Their reasons are in docs/screening.md, "Parameters and weights"."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScoreParams:
    """Thresholds and weights (docs/screening.md gives the reasons for each value)."""

    review: float = 0.85
    alert: float = 0.90
    weak_alias_penalty: float = 0.10
    short_name_length: int = 4
    short_name_cap: float = 0.85
    fingerprint_discount: float = 0.97
    word_match_floor: float = 0.75
    legal_form_conflict: float = 0.25
    location_conflict: float = 0.25
    location_extra: float = 0.20
    location_missing: float = 0.05
    place_word_tolerance: float = 80.0
    country_mismatch: float = 0.15
    identifier_conflict: float = 0.40
    schema_mismatch: float = 0.15
    address_min_similarity: float = 0.85
    address_bonus: float = 0.05
    truncation_min_length: int = 30
    truncation_min_similarity: float = 0.95
    truncation_discount: float = 0.95
    truncation_cap: float = 0.87
    # a start shared by more listings than this is a legal form or a generic word, not a name
    truncation_max_listings: int = 10
    partial_place_cap: float = 0.87
    # the name without the place must agree closely, and keep some information: its words'
    # IDF weights must add up to this share of the weight of a word found in one listed name
    # only, so a remainder of one generic word ("TRADING" of "MOSCOW TRADING") is no name
    partial_place_min_similarity: float = 0.90
    partial_place_min_weight: float = 0.9
    birth_date_bonus: float = 0.05
    birth_date_conflict: float = 0.30
    birth_year_conflict: float = 0.30
    # how much re-spacing (respacing.py) may raise a name's score above its string bound: a
    # query with a word no listed name has keeps the variants this close to review for scoring
    respace_margin: float = 0.10
    # a name in Arabic script compared with a Latin one by consonant skeletons (skeleton.py):
    # at least this share of the listed name's consonants agreeing gives a review, never an
    # alert (the skeleton of a short name is shared by many names)
    skeleton_min_share: float = 0.5
    skeleton_cap: float = 0.89
    # a Chinese name read through the glossary (han_glossary.py): a review at most, since the
    # Pinyin of a brand is a guess at the English name the company chose
    translation_cap: float = 0.89


DEFAULT_PARAMS = ScoreParams()
