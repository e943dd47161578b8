"""The 50% rule over warehouse ownership tables, and caught entities added to the reference."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import polars as pl
import pytest

from orchestration.screening.owned import (
    OWNERSHIP_TABLE,
    caught_reference,
    ownership_for,
    shares_for,
)
from orchestration.screening.reference import load_connection
from orchestration.screening.screen import screen

from .conftest import LIST

AS_OF = date(2025, 1, 1)  # before the BIS affiliates rule


def edges(*rows: tuple) -> pl.DataFrame:
    """Raw ownership rows: (owner, asset, share, start, end) in list "l", lines 1, 2, ..."""
    return pl.DataFrame(
        [
            ("l", o, a, s, st, en, "f.json", "sha", line)
            for line, (o, a, s, st, en) in enumerate(rows, 1)
        ],
        schema={"list": pl.String, "owner_id": pl.String, "asset_id": pl.String,
                "share_pct": pl.Float64, "start_date": pl.Date, "end_date": pl.Date,
                "source_file": pl.String, "file_sha256": pl.String, "source_line": pl.Int64},
        orient="row",
    )  # fmt: skip


def by_regime(result, entity: str) -> dict[str, tuple[float, bool]]:
    rows = result.shares.filter(pl.col("entity_id") == entity).iter_rows(named=True)
    return {r["regime"]: (r["listed_owner_share"], r["is_owned_50"]) for r in rows}


def test_faq_401_example_3_and_the_regimes():
    # X owns 50% of A and 10% of B; A owns 40% of B: B is blocked under OFAC with 50%.
    result = shares_for(
        edges(("X", "A", 50.0, None, None), ("X", "B", 10.0, None, None),
              ("A", "B", 40.0, None, None)),
        [("l", "X")],
        AS_OF,
    )  # fmt: skip
    b = by_regime(result, "B")
    assert b["ofac"] == (pytest.approx(0.5), True) and b["eu"][1] is True
    # UK: A is not caught (50% is not more than 50%), and stakes are not added up.
    assert b["uk"] == (pytest.approx(0.1), False)
    assert by_regime(result, "A")["uk"] == (pytest.approx(0.5), False)
    assert by_regime(result, "A")["bis_affiliates"] == (pytest.approx(0.5), False)
    assert set(result.shares.filter(pl.col("regime") == "bis_affiliates")["in_force"]) == {False}
    b_ofac = result.shares.filter((pl.col("entity_id") == "B") & (pl.col("regime") == "ofac"))
    owners = json.loads(b_ofac["direct_owners"][0])
    assert owners == [
        {"owner_caught": True, "owner_id": "A", "owner_listed": False, "share_pct": 40.0,
         "source_line": 3},
        {"owner_caught": False, "owner_id": "X", "owner_listed": True, "share_pct": 10.0,
         "source_line": 2},
    ]  # fmt: skip
    assert result.caught().to_dicts() == [
        {"list": "l", "entity_id": "A"},
        {"list": "l", "entity_id": "B"},
    ]


def test_edges_out_of_time_without_share_or_over_100_percent():
    result = shares_for(
        edges(
            ("X", "A", 60.0, date(2020, 1, 1), date(2023, 12, 31)),  # ended before AS_OF
            ("X", "B", None, None, None),  # "majority": no percentage
            ("X", "C", 70.0, None, None),
            ("Y", "C", 40.0, None, None),  # C: 110% in total
            ("X", "D", 0.0, None, None),  # a share of nothing
            ("Z", "E", 90.0, None, None),  # Z is not listed: nothing flows
        ),
        [("l", "X")],
        AS_OF,
    )
    assert (result.edges_not_in_force, result.edges_without_share) == (1, 1)
    assert result.rejected["reason"].to_list() == [
        "stakes in C add up to 110.0%",
        "stakes in C add up to 110.0%",
        "share 0.0% outside (0, 100]",
    ]
    assert result.rejected["source_line"].to_list() == [3, 4, 5]
    assert result.shares.is_empty() and result.edges_used == 1


def test_fixture_dataset_shares_and_caught_reference(ownership_warehouse):
    con = ownership_warehouse
    result = ownership_for(con, AS_OF)
    assert (result.edges_used, result.edges_without_share, result.edges_not_in_force) == (5, 1, 1)
    assert by_regime(result, "demo-a")["uk"] == (pytest.approx(0.6), True)
    assert by_regime(result, "demo-b")["ofac"] == (pytest.approx(0.5), True)
    assert by_regime(result, "demo-b")["uk"] == (pytest.approx(0.3), False)
    assert by_regime(result, "demo-c")["eu"] == (pytest.approx(0.5), True)
    assert by_regime(result, "demo-c")["uk"] == (pytest.approx(0.5), False)
    assert by_regime(result, "demo-d")["ofac"] == (pytest.approx(0.4), False)
    assert set(result.shares["source_file"]) == {
        "sanctions/opensanctions/ownership_demo/2026-06-01/entities.ftm.json"
    }
    caught = result.caught()
    assert caught["entity_id"].to_list() == ["demo-a", "demo-b", "demo-c"]

    owned = caught_reference(con, caught)
    assert owned.entities["entity_key"].to_list() == [f"{LIST}:demo-{x}" for x in "abc"]
    assert owned.entities["programs"].to_list() == [[], [], []]
    assert (f"{LIST}:demo-a", "registration_number", "3170001") in set(
        owned.identifiers.select("entity_key", "id_type", "id_value").iter_rows()
    )
    reference = load_connection(con).extended(owned)
    counterparties = pl.DataFrame(
        {
            "id": ["1", "2"],
            "name": ["Harbour Crest Components Ltd", "Kriogenmash OAO"],
            "registration_number": ["3170001", None],
        }
    )
    found = screen(counterparties, reference.index())
    assert found.select("counterparty_id", "entity_key", "decision").rows() == [
        ("1", f"{LIST}:demo-a", "alert"),
        ("2", "t:1", "alert"),
    ]


def test_no_ownership_table_means_no_shares(tmp_path):
    con = duckdb.connect()
    assert ownership_for(con, AS_OF).shares.is_empty()
    assert caught_reference(con, ownership_for(con, AS_OF).caught()) is None
    assert OWNERSHIP_TABLE == "raw.opensanctions__ownership"
