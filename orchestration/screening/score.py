"""Scoring a counterparty against one listed entity, with the evidence kept as features.

score = best over the entity's name variants of
            name similarity
            - weak-alias penalty          (weak aliases weigh less)
            - location penalty            (a place word on one side only, or different places)
        - legal-form conflict             (families disagree: OOO vs AO)
        - country mismatch                (both known, no country in common)
        - identifier conflict             (same identifier type on both sides, no common value)
        - schema mismatch                 (counterparty type vs listed schema)
        + address agreement bonus
clipped to [0, 1]; a common identifier of the same type overrides all of it with 1.0.

Name similarity (name_similarity.py) is the smaller of two views, so both must agree:

- string view: the best rapidfuzz ``ratio`` (normalised Indel similarity) over the sorted core
  words (word order ignored), over the words joined without spaces (spacing and Pinyin syllables
  ignored) and, slightly discounted, over the sorted word fingerprints (romanisation variants);
- word view: every core word on either side is matched to its closest word on the other side
  (ratio or equal fingerprints; a word split in two is matched as the pair), and the matches are
  averaged with inverse-document-frequency weights, so that "Dell Technologies" and "Drex
  Technologies" differ by their rare words, not agree by the common one.

Names of four letters or fewer (acronyms such as "UVZ") cannot score above ``short_name_cap``.
Decisions: ``alert`` at or above ``alert``, ``review`` at or above ``review``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace

import numpy as np
from rapidfuzz import fuzz

from orchestration.screening.candidates import name_candidates, string_bounds
from orchestration.screening.cut_names import (
    CUT_REORDERED_BOUND,
    cut_after_reordering,
    truncation_similarity,
)
from orchestration.screening.han_glossary import has_han, translations
from orchestration.screening.index import ScreeningIndex, Variant
from orchestration.screening.legal_forms import LEGAL_FORMS, families_agree
from orchestration.screening.name_similarity import name_similarity
from orchestration.screening.normalize import (
    NormName,
    fingerprint,
    is_han,
    normalize_name,
)
from orchestration.screening.params import DEFAULT_PARAMS, ScoreParams
from orchestration.screening.persons import birth_date_agreement, person_similarity
from orchestration.screening.respacing import may_respace
from orchestration.screening.skeleton import (
    arabic_name_skeleton,
    arabic_name_words,
    has_arabic,
    latin_name_words,
    long_vowels_conflict,
    skeleton_similarity,
)


@dataclass(frozen=True)
class Query:
    """A counterparty ready to screen: identifiers by canonical type, country as ISO2."""

    id: str
    name: str
    norm: NormName
    country: str | None = None
    address: str | None = None
    identifiers: dict[str, frozenset[str]] = field(default_factory=dict)
    schema: str | None = None
    birth_date: str | None = None


@dataclass(frozen=True)
class Match:
    entity: int
    matched_name: str
    score: float
    decision: str | None
    features: dict

    def features_json(self) -> str:
        return json.dumps(self.features, ensure_ascii=False, sort_keys=True)


def _unmatched_places(
    words: set[str], others: set[str], index: ScreeningIndex, tolerance: float
) -> list[str]:
    # A place word is matched when the other side has the same word or a close spelling of it
    # ("moskva"/"moskwa"): only the unmatched ones are location evidence.
    return sorted(
        w
        for w in words
        if index.is_place(w) and not any(fuzz.ratio(w, o) >= tolerance for o in others)
    )


def _location(query: NormName, listed: NormName, index: ScreeningIndex, params: ScoreParams):
    q_words, l_words = set(query.tokens), set(listed.tokens)
    q_only, l_only = q_words - l_words, l_words - q_words
    if q_only and l_only:
        # a place written as one word on one side and two on the other ("Hongkong", "Hong
        # Kong") is the same place: the two words are read as the one
        for words, tokens, others in ((q_words, query.tokens, l_words),
                                      (l_words, listed.tokens, q_words)):  # fmt: skip
            for a, b in zip(tokens, tokens[1:], strict=False):
                if a + b in others:
                    words.difference_update((a, b))
                    words.add(a + b)
        q_only, l_only = q_words - l_words, l_words - q_words
    q_places = _unmatched_places(q_only, l_only, index, params.place_word_tolerance)
    l_places = _unmatched_places(l_only, q_only, index, params.place_word_tolerance)
    if q_places and l_places:
        penalty = params.location_conflict
    elif q_places:
        penalty = params.location_extra
    elif l_places:
        penalty = params.location_missing
    else:
        penalty = 0.0
    return penalty, q_places, l_places


def _is_person(query: Query, entity: int, index: ScreeningIndex) -> bool:
    return index.entities[entity].schema == "person" and query.schema in (None, "person")


def _pairing_keys(query: Query) -> tuple[list[str], int] | None:
    """The fingerprints of the query's words of two letters or more and how many of them are
    needed in a listed person's name (:func:`_may_pair`); None when no person can pair."""
    if query.schema not in (None, "person"):
        return None
    words = [w for w in query.norm.all_words if len(w) > 1]
    if len(query.norm.all_words) < 2 or not words:
        return None
    # short words may be initials ("Putin V.V." -> "vv") or short names: not required
    return [fingerprint(w) for w in words], max(1, min(2, sum(1 for w in words if len(w) > 4)))


def _may_pair(keys: tuple[list[str], int], variant: Variant) -> bool:
    # A cheap test before the pairing itself (persons.py), for names the string view rules out:
    # the query's longer words (two of them at most needed) have the fingerprints of listed
    # words, and the listed name has no fewer words than the query.
    fingerprints, needed = keys
    if len(fingerprints) > len(variant.norm.tokens):
        return False
    return sum(1 for f in fingerprints if f in variant.person_keys) >= needed


def _skeleton_score(query: Query, variant: int, index: ScreeningIndex, params: ScoreParams):
    """A name in Arabic script against a listed name by consonant skeletons (skeleton.py):
    from review (``skeleton_min_share`` of the listed consonants agreeing) up to
    ``skeleton_cap`` (all of them); 0 below."""
    share = skeleton_similarity(arabic_name_skeleton(query.name), index.skeletons()[0][variant])
    if share < params.skeleton_min_share:
        return 0.0
    listed = index.variants[variant]
    if not has_arabic(listed.name) and long_vowels_conflict(
        arabic_name_words(query.name), latin_name_words(listed.norm.tokens)
    ):
        return 0.0
    spread = (share - params.skeleton_min_share) / (1.0 - params.skeleton_min_share)
    return params.review + (params.skeleton_cap - params.review) * spread


def _variant_score(
    query: Query,
    variant_number: int,
    index: ScreeningIndex,
    params: ScoreParams,
    respace: bool,
    arabic: bool = False,
):
    variant = index.variants[variant_number]
    # the forms of every name of the entity: a mistyped form ending the query is left out of
    # the word view only when it does not conflict with them (normalize.mistyped_form_ends)
    families = index.entity_families[variant.entity] | variant.norm.families
    similarity = name_similarity(query.norm, variant.norm, index.weight, params, respace, families)
    person = None
    if _is_person(query, variant.entity, index):
        person = person_similarity(query.norm.tokens, variant.norm.tokens, variant.surname)
        if person is None and query.norm.all_words != query.norm.tokens:
            person = person_similarity(query.norm.all_words, variant.norm.tokens, variant.surname)
        if person is not None and person.score > similarity:
            similarity = person.score
        else:
            person = None
    skeleton = _skeleton_score(query, variant_number, index, params) if arabic else 0.0
    if skeleton > similarity:
        similarity, person = skeleton, None
    truncated = truncation_similarity(query, variant.norm, params)
    cut = truncated > similarity
    if cut:
        similarity = truncated
    adjustments: dict[str, float] = {}
    if variant.kind == "weak_alias":
        adjustments["weak_alias"] = -params.weak_alias_penalty
    penalty, q_places, l_places = _location(query.norm, variant.norm, index, params)
    if person is not None:
        penalty, q_places, l_places = 0.0, [], []  # a person's names are not places
    elif cut and not q_places:
        penalty = 0.0  # the listed place words were cut off with the rest; the cap keeps review
    if l_places and not q_places:
        # The query left out a city or region of the listed name ("Kazan Helicopters" written
        # "Helicopters"...): compared without it, the name can reach review, never alert. It
        # counts when it beats the whole name less the place penalty.
        rest = [w for w in variant.norm.tokens if w not in l_places]
        information = sum(index.weight(w) for w in rest) / index.unknown_weight
        if information >= params.partial_place_min_weight:
            rest_norm = normalize_name(" ".join(rest))
            partial = name_similarity(
                query.norm, rest_norm, index.weight, params, respace, families
            )
            if partial < params.partial_place_min_similarity:
                partial = 0.0
            partial = min(partial, params.partial_place_cap)
            if partial > similarity - penalty:
                similarity = partial
                penalty = 0.0  # the cap already keeps it at review
    if penalty:
        adjustments["location"] = -penalty
    detail = {
        "matched_name": variant.name,
        "name_kind": variant.kind,
        "name_score": round(similarity, 4),
        "query_places": q_places,
        "matched_places": l_places,
    }
    if skeleton and skeleton >= similarity:
        detail["name_comparison"] = "consonant_skeleton"
    if person is not None:
        detail["person_initials"] = person.initials
        detail["person_names_left_out"] = list(person.left_out)
    return similarity + sum(adjustments.values()), adjustments, detail


def _identifier_evidence(query: Query, listed: dict[str, frozenset[str]]):
    agree, conflict = [], []
    for id_type, values in sorted(query.identifiers.items()):
        if id_type in listed:
            (agree if values & listed[id_type] else conflict).append(id_type)
    return agree, conflict


def _address_similarity(query: Query, addresses: tuple[str, ...]) -> float | None:
    if not query.address or not addresses:
        return None
    return max(fuzz.token_set_ratio(query.address, a) for a in addresses) / 100.0


def decide(score: float, params: ScoreParams = DEFAULT_PARAMS) -> str | None:
    if score >= params.alert:
        return "alert"
    if score >= params.review:
        return "review"
    return None


def _entity_adjustments(query: Query, entity: int, index: ScreeningIndex, params: ScoreParams):
    adjustments: dict[str, float] = {}
    families = index.entity_families[entity]
    forms_agree = families_agree(query.norm.families, families)
    if forms_agree is False:
        adjustments["legal_form_conflict"] = -params.legal_form_conflict
    countries = index.countries[entity]
    country_agrees = query.country in countries if query.country and countries else None
    if country_agrees is False:
        adjustments["country_mismatch"] = -params.country_mismatch
    agree, conflict = _identifier_evidence(query, index.identifiers[entity])
    if conflict and not agree:
        adjustments["identifier_conflict"] = -params.identifier_conflict
    listed_schema = index.entities[entity].schema
    if query.schema and listed_schema not in ("unknown", query.schema):
        adjustments["schema_mismatch"] = -params.schema_mismatch
    births = index.entities[entity].birth_dates
    birth = birth_date_agreement(query.birth_date, births)
    if birth == "exact":
        adjustments["birth_date_agreement"] = params.birth_date_bonus
    elif birth == "conflict":
        adjustments["birth_date_conflict"] = -params.birth_date_conflict
    address = _address_similarity(query, index.addresses[entity])
    if address is not None and address >= params.address_min_similarity:
        adjustments["address_agreement"] = params.address_bonus
    evidence = {
        "query_legal_forms": list(query.norm.legal_forms),
        "listed_legal_families": sorted(families),
        "legal_form_agreement": forms_agree,
        "query_country": query.country,
        "listed_countries": sorted(countries),
        "country_agreement": country_agrees,
        "address_similarity": None if address is None else round(address, 4),
        "identifier_match": agree,
        "identifier_conflict": conflict,
        "query_birth_date": query.birth_date,
        "listed_birth_dates": list(births),
        "birth_date_agreement": birth,
    }
    return adjustments, evidence, bool(agree)


def score_entity(
    query: Query,
    entity: int,
    index: ScreeningIndex,
    params: ScoreParams = DEFAULT_PARAMS,
    variant_ids: list[int] | None = None,
    entity_evidence: tuple | None = None,
) -> Match:
    """Score one candidate entity: the best name variant (among ``variant_ids``, default all),
    then the entity-level evidence (``entity_evidence``: :func:`_entity_adjustments`' result
    when the caller has it already)."""
    ids = variant_ids if variant_ids else index.entity_variants[entity]
    # whether the query may hold glued or split words depends on the query alone
    respace = may_respace(query.norm, index.word_weights)
    arabic = has_arabic(query.name)  # compared by consonant skeletons too (skeleton.py)
    scored = [_variant_score(query, v, index, params, respace, arabic) for v in ids]
    base, variant_adjustments, detail = max(scored, key=lambda item: item[0])
    if entity_evidence is None:
        entity_evidence = _entity_adjustments(query, entity, index, params)
    adjustments, evidence, identified = entity_evidence
    total = round(min(1.0, max(0.0, base + sum(adjustments.values()))), 4)
    score = 1.0 if identified else total
    features = {
        **detail,
        **evidence,
        "adjustments": {
            k: round(v, 4) for k, v in sorted({**variant_adjustments, **adjustments}.items())
        },
    }
    return Match(entity, detail["matched_name"], score, decide(score, params), features)


# Han legal forms (有限公司 ...) stay as written in a translated name: normalisation reads them
_HAN_FORMS = frozenset(
    v for form in LEGAL_FORMS for v in form.variants if v and all(is_han(c) for c in v)
)


def match_query(
    query: Query, index: ScreeningIndex, params: ScoreParams = DEFAULT_PARAMS
) -> list[Match]:
    """Every candidate entity scoring at or above review for one counterparty; a name with Han
    characters is also compared through its Latin readings (han_glossary.py), capped at
    ``translation_cap``."""
    matches = _match_name(query, index, params)
    if not has_han(query.name):
        return matches
    best = {m.entity: m for m in matches}
    for reading in translations(query.name, _HAN_FORMS):
        translated = replace(query, name=reading, norm=normalize_name(reading))
        for match in _match_name(translated, index, params):
            # an identifier in common decides as it does for any name (score_entity)
            identified = bool(match.features.get("identifier_match"))
            score = match.score if identified else min(match.score, params.translation_cap)
            if match.entity not in best or score > best[match.entity].score:
                features = {**match.features, "name_comparison": "han_translation",
                            "translated_name": reading}  # fmt: skip
                best[match.entity] = replace(
                    match, score=score, decision=decide(score, params), features=features
                )
    return [m for m in best.values() if m.decision is not None]


def _match_name(query: Query, index: ScreeningIndex, params: ScoreParams) -> list[Match]:
    identified_list = index.identified(query.identifiers)
    identified = set(identified_list)
    entities, variant_ids, bounds = name_candidates(query, index, params)
    extra = [e for e in identified_list if e not in entities]
    if extra:
        # entities an identifier brings in, whatever the name: first, as in index.candidates
        extra_ids = [v for e in extra for v in index.entity_variants[e]]
        extra_bounds = string_bounds(query, extra_ids, index, params)
        entities = [*extra, *entities]
        variant_ids = [*extra_ids, *variant_ids]
        bounds = np.concatenate([extra_bounds, bounds]) if len(bounds) else extra_bounds
    if not variant_ids:
        return []
    # Nothing but an address or a birth date adds to a score: a variant below this bound cannot
    # reach review. The comparison of a listed name without its place words has its own bound
    # (candidates.string_bounds); a listed person's name, compared word by word in any order
    # with names left out (persons.py), is kept by a cheap test of its own.
    floor = params.review - params.address_bonus
    if query.birth_date:
        floor -= params.birth_date_bonus
    pairing = _pairing_keys(query)
    ids = np.fromiter(variant_ids, dtype=np.int64, count=len(variant_ids))
    if may_respace(query.norm, index.word_weights):
        # words glued or split may compare better re-spaced (name_similarity): bounded loosely
        bounds = bounds + params.respace_margin
    if has_arabic(query.name):
        # compared by consonant skeletons too, which the string view does not bound
        skeletons = [_skeleton_score(query, v, index, params) for v in variant_ids]
        bounds = np.maximum(bounds, np.array(skeletons, dtype=bounds.dtype))
    keep = bounds >= floor
    if len(query.name.strip()) >= params.truncation_min_length and len(query.norm.tokens) >= 3:
        # a name cut after its words were reordered (cut_after_reordering) is not bounded by
        # the string view: tested on the variants that come near, kept or not (a kept one's
        # bound may be under the cap the cut reaches)
        near = (bounds >= CUT_REORDERED_BOUND) & (bounds < params.truncation_cap)
        near = np.flatnonzero(near).tolist()
        cut = [
            i for i in near if cut_after_reordering(query.norm, index.variants[variant_ids[i]].norm)
        ]
        if cut:
            bounds = bounds.copy()  # the cached bounds of the name stay as they are
            bounds[cut] = params.truncation_cap
            keep[cut] = True
    if pairing is not None:
        # the word-by-word test runs in Python, so only on the persons' variants still out
        for i in np.flatnonzero(~keep & index.person_mask[ids]).tolist():
            keep[i] = _may_pair(pairing, index.variants[variant_ids[i]])
    # An upper bound of each kept variant's name score (_variant_score): the string view, or
    # the cap of a listed name compared without its place words; a person's name compared word
    # by word is not bounded by the string view.
    ceiling = bounds + 1e-6
    ceiling[index.place_mask[ids]] = np.maximum(
        ceiling[index.place_mask[ids]], params.partial_place_cap
    )
    may_be_person = query.schema in (None, "person")
    promising: dict[int, list[int]] = {}
    best: dict[int, float] = {}
    kept = ids[keep].tolist()
    for v, entity, top in zip(
        kept, index.variant_entity[ids[keep]].tolist(), ceiling[keep].tolist(), strict=True
    ):
        promising.setdefault(entity, []).append(v)
        if may_be_person and index.entities[entity].schema == "person":
            top = math.inf
        best[entity] = max(best.get(entity, top), top)
    # What the evidence of the entity subtracts (another country, legal form, identifier ...)
    # applies to every variant, so an entity whose best bound minus it stays under review is
    # not scored name by name: the same decisions at a fraction of the cost (most candidates of
    # a file are near misses in another country).
    cutoff = params.review - 1e-4  # scores are rounded to four decimals before the decision
    matches = []
    for entity in entities:
        if entity not in promising and entity not in identified:
            continue
        evidence = _entity_adjustments(query, entity, index, params)
        if entity not in identified and best[entity] + sum(evidence[0].values()) < cutoff:
            continue
        match = score_entity(query, entity, index, params, promising.get(entity), evidence)
        if match.decision is not None:
            matches.append(match)
    return matches
