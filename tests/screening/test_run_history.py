"""A screening run against a warehouse, its raw rows, and new hits against the history."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

import polars as pl

from orchestration.screening import history
from orchestration.screening.run import (
    RunInputs,
    new_hit_cause,
    record_sha256,
    screen_warehouse,
    unconfigured_run,
)

from .conftest import LIST

T0 = datetime(2026, 6, 2, 8, 0)
COUNTERPARTIES = (
    "id,name,country,registration_number,incorporation_date\n"
    "hc,Harbour Crest Components Ltd,HK,3170001,2022-07-04\n"
    "kr,Kriogenmash OAO,RU,,\n"
    "bw,Bellwether Garden Supplies Inc,US,,\n"
)
SHIPMENTS = "counterparty,date,hs6,value,currency,destination\nhc,2023-03-01,854231,250,USD,RU\n"


def inputs(tmp_path, counterparties: str = COUNTERPARTIES) -> RunInputs:
    cp, sh = tmp_path / "cp.csv", tmp_path / "sh.csv"
    cp.write_text(counterparties)
    sh.write_text(SHIPMENTS)
    return RunInputs(cp, sh)


def hits(run) -> dict[tuple[str, str], str | None]:
    rows = run.matches.select("counterparty_id", "entity_key", "new_hit_cause").rows()
    return {(cp, entity): cause for cp, entity, cause in rows}


def add_listing(con, key: str, name: str) -> None:
    """A new listed entity, as a list release that adds it would leave the marts."""
    con.execute(
        "insert into marts.dim_sanctioned_entity (entity_key, list, source_id, schema, "
        "primary_name, programs, is_active, last_release) values "
        "(?, 'test', ?, 'organization', ?, ['NEW'], true, date '2026-06-03')",
        [key, key.split(":")[1], name],
    )


def test_first_run_rows_and_lineage(ownership_warehouse, tmp_path):
    con, given = ownership_warehouse, inputs(tmp_path)
    run = screen_warehouse(con, given, "r1", T0)
    assert hits(run) == {
        ("hc", f"{LIST}:demo-a"): "first_screening",
        ("kr", "t:1"): "first_screening",
    }
    basis = dict(zip(run.matches["entity_key"], run.matches["entity_basis"], strict=True))
    assert basis == {f"{LIST}:demo-a": "owned_50", "t:1": "listed"}
    summary = run.runs.row(0, named=True)
    assert summary["configured"] and summary["n_counterparties"] == 3
    assert (summary["n_matches"], summary["n_alerts"], summary["n_new_hits"]) == (2, 2, 2)
    assert summary["reference_entities"] == 6 and summary["owned_entities"] == 3
    assert (
        summary["counterparties_sha256"]
        == hashlib.sha256(given.counterparties.read_bytes()).hexdigest()
    )
    assert json.loads(summary["list_releases"]) == {LIST: "2026-06-01", "test": "2024-01-01"}
    assert summary["as_of"] == date(2026, 6, 2)
    cps = run.counterparties.to_dicts()
    assert [c["source_line"] for c in cps] == [2, 3, 4]
    assert cps[0]["country_iso3"] == "HKG" and cps[0]["incorporation_date"] == date(2022, 7, 4)
    assert json.loads(cps[0]["identifiers"]) == {"registration_number": "3170001"}
    assert cps[1]["identifiers"] is None
    assert cps[0]["record_sha256"] == record_sha256(
        {"name": "Harbour Crest Components Ltd", "country": "HK", "address": None,
         "type": None, "ids": {"registration_number": "3170001"}}
    )  # fmt: skip
    kr = run.matches.filter(pl.col("counterparty_id") == "kr").row(0, named=True)
    assert (kr["source_line"], kr["source_file"]) == (3, str(given.counterparties))
    assert run.shipments["value_usd"].to_list() == [250.0]
    assert run.shipments["source_line"].to_list() == [2]
    assert set(run.ownership_shares["run_id"]) == {"r1"}
    # Entities a to d under OFAC, EU and UK; under the BIS rule, suspended on 2026-06-02, nothing
    # is caught, so c (held through a) gets no share and has no row.
    assert run.ownership_shares.height == 3 * 4 + 3


def test_new_hits_against_the_previous_run(ownership_warehouse, tmp_path):
    con, given = ownership_warehouse, inputs(tmp_path)
    assert history.previous_run(con) is None
    first = screen_warehouse(con, given, "r1", T0)
    history.write_run(con, first)
    history.write_run(con, unconfigured_run("r2", datetime(2026, 6, 2, 9, 0)))

    add_listing(con, "test:99", "BELLWETHER GARDEN SUPPLIES INC")
    previous = history.previous_run(con)
    assert previous.run_id == "r1"  # the unconfigured run is not compared with
    second = screen_warehouse(con, given, "r3", datetime(2026, 6, 3, 8, 0), previous)
    assert hits(second) == {
        ("hc", f"{LIST}:demo-a"): None,
        ("kr", "t:1"): None,
        ("bw", "test:99"): "list_change",
    }
    assert second.new_hits["entity_key"].to_list() == ["test:99"]
    assert second.runs["previous_run_id"][0] == "r1" and second.runs["n_new_hits"][0] == 1
    history.write_run(con, second)

    # RUS is RU again (the record is unchanged); a counterparty added to the file is new.
    edited = COUNTERPARTIES.replace("OAO,RU,", "OAO,RUS,") + "sv,Severny Instrument Plant,RU,,\n"
    third = screen_warehouse(
        con, inputs(tmp_path, edited), "r4", datetime(2026, 6, 4), history.previous_run(con)
    )
    assert hits(third) == {
        ("hc", f"{LIST}:demo-a"): None,
        ("kr", "t:1"): None,
        ("bw", "test:99"): None,
        ("sv", f"{LIST}:demo-l2"): "counterparty_change",
    }
    assert new_hit_cause(None, "kr", "t:1", "x") == "first_screening"


def test_history_keeps_runs_and_matches_and_prunes_inputs(ownership_warehouse, tmp_path):
    con, given = ownership_warehouse, inputs(tmp_path)
    for number in range(1, 4):
        previous = history.previous_run(con)
        run = screen_warehouse(con, given, f"r{number}", datetime(2026, 6, number), previous)
        history.write_run(con, run)
    history.write_run(con, run)  # the same run again (a retried step) replaces its rows

    def count(table: str) -> dict[str, int]:
        rows = con.execute(f"select run_id, count(*) from {table} group by 1 order by 1").fetchall()
        return dict(rows)

    assert count("raw.screening__runs") == {"r1": 1, "r2": 1, "r3": 1}
    assert count("raw.screening__matches") == {"r1": 2, "r2": 2, "r3": 2}
    assert count("raw.screening__counterparties") == {"r2": 3, "r3": 3}
    assert count("raw.screening__shipments") == {"r2": 1, "r3": 1}
    assert count("raw.screening__ownership_shares") == {"r2": 15, "r3": 15}
    new = con.execute(
        "select run_id, count(*) from raw.screening__matches where is_new_hit group by 1"
    ).fetchall()
    assert new == [("r1", 2)]


def test_unconfigured_run_is_recorded_with_empty_tables(ownership_warehouse):
    run = screen_warehouse(ownership_warehouse, RunInputs(), "r0", T0)
    assert run.runs["configured"].to_list() == [False]
    assert run.runs["n_matches"].to_list() == [0]
    assert all(frame.is_empty() for name, frame in run.tables().items() if name != "runs")
    history.write_run(ownership_warehouse, run)
    assert history.previous_run(ownership_warehouse) is None
