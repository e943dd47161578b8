"""Screening named real listings of the shipped reference (OFAC, UK, Canada, BIS)."""

from __future__ import annotations

import json

import polars as pl
import pytest

from orchestration.screening.screen import MATCH_SCHEMA, screen
from tools.eval.evaluate import load_queries


def matches_for(index, name: str, **columns) -> pl.DataFrame:
    frame = pl.DataFrame({"name": [name], **{k: [v] for k, v in columns.items()}})
    return screen(frame, index)


def keys(matches: pl.DataFrame) -> set[str]:
    return set(matches["entity_key"])


def test_cyrillic_ooo_matches_the_latin_ofac_listing(eval_index):
    found = matches_for(eval_index, "ООО «Арктик Логистик»", country="RU")
    row = found.filter(pl.col("entity_key") == "ofac_sdn:44996").row(0, named=True)
    assert row["matched_name"] == "LIMITED LIABILITY COMPANY ARKTIK LOGISTIK"
    assert row["decision"] == "alert" and row["score"] == 1.0
    features = json.loads(row["features"])
    assert features["query_legal_forms"] == ["llc"]
    assert features["legal_form_agreement"] is True
    assert features["country_agreement"] is True


def test_cyrillic_oao_matches_kriogenmash_on_both_ofac_lists(eval_index):
    assert {"ofac_sdn:20306", "ofac_cons:20306"} <= keys(
        matches_for(eval_index, "ОАО «Криогенмаш»")
    )


def test_alias_typo_and_legal_form_variants(eval_index):
    assert "bis_entity_list:800283a55c14" in keys(matches_for(eval_index, "NPK Uralvagonzavod OAO"))
    assert "ofac_sdn:16885" in keys(matches_for(eval_index, "Uralvagonzavd"))
    # PAO (public joint-stock) and "OPEN JOINT STOCK COMPANY" are one family.
    assert "ofac_sdn:34737" in keys(matches_for(eval_index, "Sovcombank PAO"))
    assert "ofac_sdn:47042" in keys(matches_for(eval_index, "Bellatrix Energy Ltd", country="HK"))


@pytest.mark.parametrize(
    "name",
    [
        "ООО «Криогенмаш»",  # another legal person: an LLC, the listing is a joint-stock company
        "Kriogenmash Kazan",  # a city the listing does not have
        "Uralvagonzavod Logistics",  # the listed name plus a word: another company
        "Bellatrix Energy JSC",
        "Booking Holdings Inc.",  # real unlisted companies sharing common words with listings
        "Dell Technologies Inc.",
    ],
)
def test_near_misses_are_not_matched(eval_index, name):
    found = matches_for(eval_index, name)
    assert not {"ofac_sdn:20306", "ofac_sdn:16885", "ofac_sdn:47042"} & keys(found)
    if "Inc." in name:
        assert found.height == 0


def test_identifier_decides_and_conflict_blocks(eval_index):
    found = matches_for(eval_index, "Totally Unrelated Trading", inn="7706453206")
    assert found.select("entity_key", "score", "decision").rows() == [
        ("ofac_sdn:16885", 1.0, "alert")
    ]
    blocked = matches_for(eval_index, "URALVAGONZAVOD", inn="7700000000")
    assert "ofac_sdn:16885" not in keys(blocked)
    # Listings of the same company without a tax number are not blocked by it.
    assert "canada_sema:Russia|1, Part 2|296" in keys(blocked)


def test_output_columns_and_order(eval_index):
    frame = pl.DataFrame({"id": ["a", "b"], "name": ["Uralvagonzavd", "ОАО «Криогенмаш»"]})
    found = screen(frame, eval_index)
    assert found.schema == pl.Schema(MATCH_SCHEMA)
    assert found["score"].to_list() == sorted(found["score"].to_list(), reverse=True)
    assert set(found["counterparty_id"]) == {"a", "b"}
    assert found["score"].min() >= 0.85


def test_two_workers_give_the_same_rows(eval_index):
    queries = load_queries().head(2000)
    frame = queries.select(pl.col("query_id").alias("id"), pl.col("query_name").alias("name"))
    assert screen(frame, eval_index, workers=2).equals(screen(frame, eval_index, workers=1))


def test_frame_without_name_is_refused(eval_index):
    with pytest.raises(ValueError, match="name"):
        screen(pl.DataFrame({"company": ["X"]}), eval_index)
