"""Shared fixtures: the shipped evaluation reference, a small hand-made reference, and a small
warehouse holding both and a fictional OpenSanctions dataset with ownership."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.raw.ingest import ingest_source
from orchestration.screening.index import ScreeningIndex
from orchestration.screening.reference import load_reference
from orchestration.sources import source_specs
from orchestration.sources.common.registry import discover

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "data/eval"
INPUTS = Path(__file__).parent / "fixtures" / "inputs"
LIST = "opensanctions_ownership_demo"


@pytest.fixture(scope="session")
def eval_index() -> ScreeningIndex:
    return load_reference(EVAL / "reference").index()


def small_frames() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Four listed entities written by hand (names modelled on real listings)."""
    entities = pl.DataFrame(
        {
            "entity_key": ["t:1", "t:2", "t:3", "t:4"],
            "list": ["test", "test", "test", "test"],
            "source_id": ["1", "2", "3", "4"],
            "schema": ["organization", "organization", "organization", "vessel"],
            "primary_name": [
                "KRIOGENMASH OAO",
                "LIMITED LIABILITY COMPANY ARKTIK LOGISTIK",
                "ALPHA TRADING FZE",
                "FORTUNA",
            ],
            "programs": [["RUSSIA-EO14024"], ["RUSSIA-EO14024"], ["IFSR"], ["CAATSA - RUSSIA"]],
            "listed_on": [date(2014, 9, 12), None, None, None],
        }
    )
    names = pl.DataFrame(
        {
            "entity_key": ["t:1", "t:2", "t:3"],
            "name": ["CRYOGENMASH", "ARKTIK LOGISTIK OOO", "ALPHA"],
            "name_kind": ["alias", "alias", "weak_alias"],
        }
    )
    addresses = pl.DataFrame(
        {
            "entity_key": ["t:1", "t:2", "t:3"],
            "full_address": ["Ulitsa Lenina 67, Balashikha, Moscow Region", None, "Jebel Ali"],
            "city": ["Balashikha", None, "Dubai"],
            "country_iso2": ["RU", "RU", "AE"],
        }
    )
    identifiers = pl.DataFrame(
        {
            "entity_key": ["t:1", "t:2", "t:4"],
            "id_type": ["Tax ID No", "Registration Number", "Vessel Registration Identification"],
            "id_value": ["5001000066", "1165032062326", "IMO 8674156"],
        }
    )
    return entities, names, addresses, identifiers


@pytest.fixture()
def small_index() -> ScreeningIndex:
    return ScreeningIndex.from_frames(*small_frames())


@pytest.fixture()
def ownership_warehouse(tmp_path):
    """The fixture dataset loaded by the real parser, and its two targets as active listings."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    files = discover(INPUTS).for_source("opensanctions")
    ingest_source(con, source_specs("opensanctions")[0], files)
    entities, names, addresses, identifiers = small_frames()
    os_targets = con.sql(
        """select list || ':' || source_id as entity_key, list, source_id, schema, primary_name,
                   programs, listed_on, true as is_active, release_date as last_release
            from raw.opensanctions__entities where is_target"""
    ).pl()
    entities = pl.concat(
        [entities.with_columns(pl.lit(True).alias("is_active"),
                               pl.lit(date(2024, 1, 1)).alias("last_release")), os_targets],
        how="diagonal_relaxed",
    )  # fmt: skip
    con.execute("create schema marts")
    for table, frame in (("entity", entities), ("name", names), ("address", addresses),
                         ("identifier", identifiers)):  # fmt: skip
        con.register("frame", frame.to_arrow())
        con.execute(f"create table marts.dim_sanctioned_{table} as select * from frame")
        con.unregister("frame")
    yield con
    con.close()
