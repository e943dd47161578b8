"""Exposure roll-up, reference loading (folder and DuckDB) and the benchmark's generator."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from bench import screening_bench
from orchestration.screening.exposure import company_exposure
from orchestration.screening.reference import load_reference
from orchestration.screening.screen import screen

from .conftest import small_frames


def test_company_exposure(small_index):
    counterparties = pl.DataFrame(
        {"id": ["a", "b", "c"], "name": ["Kriogenmash OAO", "Arktik Logistik", "Zzyzx Qwerty"]}
    )
    matches = screen(counterparties, small_index)
    shipments = pl.DataFrame({"counterparty_id": ["a", "a", "c"], "value_usd": [100.0, 50.0, 50.0]})
    out = company_exposure(counterparties, matches, shipments)
    rows = {r["counterparty_id"]: r for r in out.iter_rows(named=True)}
    assert rows["a"]["is_listed"] and rows["a"]["best_entity_key"] == "t:1"
    assert rows["a"]["lists"] == "test" and rows["a"]["n_hits_alert"] == 1
    assert rows["a"]["best_score"] == pytest.approx(1.0)
    assert "risk_score" not in out.columns  # the mart's score is the only one
    assert rows["c"]["n_hits_review"] == 0 and not rows["c"]["is_listed"]
    assert rows["a"]["flagged_value_usd"] == 150.0 and rows["c"]["flagged_value_usd"] == 0.0
    assert rows["b"]["shipments_value_usd"] == 0.0
    assert out["revenue_at_risk_share"].unique().to_list() == [pytest.approx(0.75)]
    assert out["counterparty_id"].to_list()[0] == "a"
    with pytest.raises(ValueError, match="unknown counterparty ids"):
        company_exposure(
            counterparties, matches, shipments.with_columns(pl.lit("z").alias("counterparty_id"))
        )
    with pytest.raises(ValueError, match="value_usd"):
        company_exposure(counterparties, matches, shipments.drop("value_usd"))


def test_reference_folder_in_csv(tmp_path, small_index):
    entities, names, addresses, identifiers = small_frames()
    entities.with_columns(pl.col("programs").list.join(";")).write_csv(tmp_path / "entities.csv")
    names.write_csv(tmp_path / "names.csv")
    addresses.write_csv(tmp_path / "addresses.csv")
    identifiers.write_csv(tmp_path / "identifiers.csv")
    index = load_reference(tmp_path).index()
    assert [e.programs for e in index.entities] == [e.programs for e in small_index.entities]
    assert index.entities[0].listed_on == small_index.entities[0].listed_on
    assert index.countries == small_index.countries
    (tmp_path / "names.csv").unlink()
    with pytest.raises(FileNotFoundError, match="names"):
        load_reference(tmp_path)
    with pytest.raises(ValueError, match="expected a folder"):
        load_reference(tmp_path / "entities.csv")


def test_reference_from_duckdb_marts(tmp_path):
    entities, names, addresses, identifiers = small_frames()
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        e = entities.with_columns(pl.Series("is_active", [True, True, True, False]))
        for table, frame in (("entity", e), ("name", names), ("address", addresses),
                             ("identifier", identifiers)):  # fmt: skip
            con.register("frame", frame.to_arrow())
            con.execute(f"create table marts.dim_sanctioned_{table} as select * from frame")
            con.unregister("frame")
    index = load_reference(path).index()
    # The vessel t:4 is no longer listed: it and its IMO number are left out.
    assert [e.key for e in index.entities] == ["t:1", "t:2", "t:3"]
    assert ("imo", "8674156") not in index.id_lookup


def test_bench_counterparties_are_deterministic():
    names = ["KRIOGENMASH OAO", "URALVAGONZAVOD", "LIMITED LIABILITY COMPANY ARKTIK LOGISTIK"]
    one = screening_bench.counterparties(names, 500, seed=1)
    assert one.equals(screening_bench.counterparties(names, 500, seed=1))
    assert one.columns == ["id", "name", "country"] and one.height == 500
    assert one["id"].n_unique() == 500


def test_bench_runs(capsys):
    screening_bench.main(["--sizes", "300,600", "--workers", "1"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("reference") and "entities" in lines[0]
    assert lines[1].startswith("load average")
    assert [line.split()[0] for line in lines[3:]] == ["300", "600"]
