"""Candidate generation and scoring on a hand-made reference of four entities."""

from __future__ import annotations

import json
from dataclasses import replace

import polars as pl
import pytest

from orchestration.screening.index import BlockingParams, ScreeningIndex, block_keys
from orchestration.screening.name_similarity import (
    name_similarity,
    string_similarity,
    word_similarity,
)
from orchestration.screening.normalize import normalize_name
from orchestration.screening.score import (
    DEFAULT_PARAMS,
    Query,
    decide,
    match_query,
    score_entity,
)

from .conftest import small_frames


def query(name: str, **kwargs) -> Query:
    return Query(id="q", name=name, norm=normalize_name(name), **kwargs)


def test_block_keys():
    keys = block_keys(normalize_name("ARKTIK LOGISTIK OOO"))
    assert keys == {
        "=arktik logistik",
        "arktik",
        "logistik",
        "arktiklogistik",
        "~arktik",
        "~logistik",
        "{logist",
        "<arkt",
        ">ktik",
        "<logi",
        ">stik",
    }


def test_typo_neighbours(small_index):
    assert small_index.typo_neighbours("logistk") == {"logistik"}  # a letter dropped
    assert small_index.typo_neighbours("kriogenmahs") == {"kriogenmash"}  # two letters swapped
    assert small_index.typo_neighbours("logistik") == set()  # listed words need none
    assert small_index.typo_neighbours("abc") == set()  # too short to guess


def test_candidates_by_name_typo_and_identifier(small_index):
    keys = [e.key for e in small_index.entities]
    by_typo = small_index.candidates(normalize_name("Kriogenmahs"), {})
    assert keys[by_typo[0]] == "t:1"
    by_id = small_index.candidates(
        normalize_name("Nothing Alike"), {"tax_id": frozenset({"5001000066"})}
    )
    assert [keys[e] for e in by_id] == ["t:1"]
    assert small_index.candidates(normalize_name("Zzyzx Qwerty"), {}) == []


def test_candidates_are_bounded(small_index):
    tight = ScreeningIndex.from_frames(*small_frames(), blocking=BlockingParams(max_candidates=1))
    assert len(tight.candidates(normalize_name("Alpha Arktik Kriogenmash"), {})) == 1


def test_word_weights(small_index):
    # 4 primary names + 3 aliases = 7 variants; "alpha" is in two of them.
    assert small_index.weight("alpha") == pytest.approx(__import__("math").log(7 / 2))
    assert small_index.weight("neverlisted") == pytest.approx(__import__("math").log(7))


def test_frames_are_checked():
    entities, names, addresses, identifiers = small_frames()
    with pytest.raises(ValueError, match="lacks column"):
        ScreeningIndex.from_frames(entities.drop("schema"), names, addresses, identifiers)
    bad_names = pl.concat(
        [names, pl.DataFrame({"entity_key": ["t:9"], "name": ["X"], "name_kind": ["alias"]})]
    )
    with pytest.raises(ValueError, match="t:9"):
        ScreeningIndex.from_frames(entities, bad_names, addresses, identifiers)
    odd_kind = names.with_columns(pl.lit("nickname").alias("name_kind"))
    with pytest.raises(ValueError, match="nickname"):
        ScreeningIndex.from_frames(entities, odd_kind, addresses, identifiers)


def test_string_similarity_by_hand():
    # sorted words "rosneft" vs "rosneft trading": 2*7/(7+15); joined 2*7/(7+14) is higher.
    score = string_similarity(normalize_name("Rosneft"), normalize_name("Rosneft Trading"))
    assert score == pytest.approx(2 / 3)


def test_word_similarity_by_hand():
    q, listed = normalize_name("Kriogenmash"), normalize_name("Kriogenmash Trading")
    assert word_similarity(q, listed, lambda w: 1.0) == pytest.approx(2 / 3)
    weights = {"kriogenmash": 3.0, "trading": 1.0}
    assert word_similarity(q, listed, weights.get) == pytest.approx(6 / 7)


def test_name_similarity():
    assert (
        name_similarity(normalize_name("KRIOGENMASH OAO"), normalize_name("ОАО Криогенмаш")) == 1.0
    )
    # Pinyin syllables of a Han name are matched as pairs of the romanised name.
    assert name_similarity(normalize_name("深圳华为"), normalize_name("Shenzhen Huawei")) == 1.0
    # Acronyms are capped below alert.
    assert (
        name_similarity(normalize_name("UVZ"), normalize_name("UVZ"))
        == DEFAULT_PARAMS.short_name_cap
    )
    # A rare word that differs outweighs a common one that agrees.
    weights = {"technology": 0.5, "dell": 5.0, "drex": 5.0}
    low = name_similarity(
        normalize_name("Dell Technologies"), normalize_name("Drex Technologies"), weights.get
    )
    assert low < 0.5


def test_identifier_is_decisive(small_index):
    match = score_entity(
        query("Nothing Alike Trading", identifiers={"tax_id": frozenset({"5001000066"})}),
        0,
        small_index,
    )
    assert (match.score, match.decision) == (1.0, "alert")
    assert match.features["identifier_match"] == ["tax_id"]


def test_conflicting_identifier_blocks(small_index):
    q = query("KRIOGENMASH OAO", identifiers={"tax_id": frozenset({"7700000000"})})
    match = score_entity(q, 0, small_index)
    assert match.score == pytest.approx(1.0 - DEFAULT_PARAMS.identifier_conflict)
    assert match.decision is None
    assert match.features["identifier_conflict"] == ["tax_id"]
    assert match_query(q, small_index) == []


def test_country_and_legal_form_evidence(small_index):
    assert score_entity(query("Kriogenmash OAO", country="RU"), 0, small_index).score == 1.0
    other_country = score_entity(query("Kriogenmash OAO", country="CN"), 0, small_index)
    assert other_country.score == pytest.approx(1.0 - DEFAULT_PARAMS.country_mismatch)
    assert other_country.features["country_agreement"] is False
    other_form = score_entity(query("ООО Криогенмаш"), 0, small_index)
    assert other_form.score == pytest.approx(1.0 - DEFAULT_PARAMS.legal_form_conflict)
    assert other_form.features["legal_form_agreement"] is False
    assert other_form.decision is None
    same_family = score_entity(query("PAO Kriogenmash"), 0, small_index)
    assert same_family.features["legal_form_agreement"] is True and same_family.score == 1.0


def test_location_words(small_index):
    extra = score_entity(query("Kriogenmash Dubai OAO"), 0, small_index)
    assert extra.features["query_places"] == ["dubai"]
    assert extra.features["adjustments"]["location"] == -DEFAULT_PARAMS.location_extra
    assert extra.decision is None


def test_weak_alias_weighs_less(small_index):
    match = score_entity(query("Alpha"), 2, small_index)
    assert match.features["name_kind"] == "weak_alias"
    assert match.score == pytest.approx(1.0 - DEFAULT_PARAMS.weak_alias_penalty)
    assert match.decision == "alert"


def test_address_and_schema(small_index):
    # a misspelt name scoring under 0.95, so the bonus is not clipped at 1.0 ("p" for "s" is no
    # typing slip: a swap such as "Kriogenmahs" now scores 0.955)
    plain = score_entity(query("Kriogenmaph"), 0, small_index)
    with_address = score_entity(
        query("Kriogenmaph", address="ulitsa lenina 67 balashikha moscow region"), 0, small_index
    )
    assert with_address.score == pytest.approx(plain.score + DEFAULT_PARAMS.address_bonus)
    vessel = score_entity(query("Kriogenmash OAO", schema="vessel"), 0, small_index)
    assert vessel.score == pytest.approx(1.0 - DEFAULT_PARAMS.schema_mismatch)


def test_decisions_and_features_json(small_index):
    assert decide(0.95) == "alert" and decide(0.86) == "review" and decide(0.5) is None
    strict = replace(DEFAULT_PARAMS, review=0.99, alert=0.995)
    assert decide(0.95, strict) is None
    match = score_entity(query("Kriogenmash"), 0, small_index)
    features = json.loads(match.features_json())
    assert features["matched_name"] == "KRIOGENMASH OAO"
    assert features["listed_countries"] == ["RU"]
