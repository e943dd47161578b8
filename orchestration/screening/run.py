"""One screening run: a counterparty file (and a shipments file) against a warehouse, giving the
rows of the ``raw.screening__*`` tables the dbt screening models read.

Shared by ``roundabout screen`` (against the published warehouse, nothing written there) and the
Dagster screening asset (against the build warehouse, rows appended to the run history):

- ``runs``: one row describing the run (files, sha256, counts, list releases, thresholds);
- ``counterparties``, ``shipments``: the checked input rows with lineage (file, sha256, line);
- ``matches``: the engine's matches (``fct_screening_matches`` columns) with the basis of the
  listing (``listed``, or ``owned_50`` for an entity caught by an ownership rule), whether the
  hit is new against the previous screening and why, and the counterparty's lineage;
- ``ownership_shares``: the 50% rule per list, entity and regime (:mod:`owned`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from orchestration.reference.countries import to_iso3
from orchestration.screening.counterparties import read_counterparties
from orchestration.screening.identifiers import COUNTERPARTY_ID_COLUMNS
from orchestration.screening.index import ScreeningIndex
from orchestration.screening.index_cache import cached_index
from orchestration.screening.owned import (
    SHARE_SCHEMA,
    Ownership,
    caught_reference,
    empty,
    ownership_for,
)
from orchestration.screening.reference import Reference, load_connection
from orchestration.screening.score import DEFAULT_PARAMS, ScoreParams
from orchestration.screening.screen import MATCH_SCHEMA, screen
from orchestration.screening.shipments import SHIPMENT_SCHEMA, read_shipments
from orchestration.sources.common.base import file_sha256

SOURCE = "screening"
LINEAGE = {"source": pl.String, "source_file": pl.String, "file_sha256": pl.String,
           "source_line": pl.Int64}  # fmt: skip
RUN_SCHEMA = {
    "run_id": pl.String,
    "screened_at": pl.Datetime("us"),
    "as_of": pl.Date,
    "configured": pl.Boolean,
    "counterparties_file": pl.String,
    "counterparties_sha256": pl.String,
    "shipments_file": pl.String,
    "shipments_sha256": pl.String,
    "n_counterparties": pl.Int64,
    "n_shipments": pl.Int64,
    "n_matches": pl.Int64,
    "n_alerts": pl.Int64,
    "n_new_hits": pl.Int64,
    "previous_run_id": pl.String,
    "reference_entities": pl.Int64,
    "owned_entities": pl.Int64,
    "list_releases": pl.String,
    "review_threshold": pl.Float64,
    "alert_threshold": pl.Float64,
    "ownership_edges_used": pl.Int64,
    "ownership_edges_without_share": pl.Int64,
    "ownership_edges_rejected": pl.Int64,
}
COUNTERPARTY_SCHEMA = {
    "run_id": pl.String,
    "counterparty_id": pl.String,
    "name": pl.String,
    "country_iso2": pl.String,
    "country_iso3": pl.String,
    "address": pl.String,
    "type": pl.String,
    "incorporation_date": pl.Date,
    "identifiers": pl.String,
    "input_issues": pl.String,
    "record_sha256": pl.String,
    **LINEAGE,
}
SHIPMENT_RAW_SCHEMA = {"run_id": pl.String, **SHIPMENT_SCHEMA, **LINEAGE}
MATCH_RAW_SCHEMA = {
    "run_id": pl.String,
    **MATCH_SCHEMA,
    "entity_basis": pl.String,
    "is_new_hit": pl.Boolean,
    "new_hit_cause": pl.String,
    "previous_run_id": pl.String,
    **LINEAGE,
}
OWNERSHIP_RAW_SCHEMA = {"run_id": pl.String, **SHARE_SCHEMA}
SCHEMAS = {
    "runs": RUN_SCHEMA,
    "counterparties": COUNTERPARTY_SCHEMA,
    "shipments": SHIPMENT_RAW_SCHEMA,
    "matches": MATCH_RAW_SCHEMA,
    "ownership_shares": OWNERSHIP_RAW_SCHEMA,
}


@dataclass(frozen=True)
class RunInputs:
    counterparties: Path | None = None
    shipments: Path | None = None

    @property
    def configured(self) -> bool:
        return self.counterparties is not None


@dataclass(frozen=True)
class PreviousRun:
    """What a new hit is measured against: the last configured run kept in the warehouse."""

    run_id: str
    hits: frozenset[tuple[str, str]]  # (counterparty_id, entity_key)
    records: dict[str, str]  # counterparty_id -> record_sha256


@dataclass
class ScreeningRun:
    runs: pl.DataFrame
    counterparties: pl.DataFrame
    shipments: pl.DataFrame
    matches: pl.DataFrame
    ownership_shares: pl.DataFrame
    ownership: Ownership = field(default_factory=empty)

    def tables(self) -> dict[str, pl.DataFrame]:
        return {name: getattr(self, name) for name in SCHEMAS}

    @property
    def new_hits(self) -> pl.DataFrame:
        return self.matches.filter(pl.col("is_new_hit"))


def empty_tables() -> dict[str, pl.DataFrame]:
    return {name: pl.DataFrame(schema=schema) for name, schema in SCHEMAS.items()}


def unconfigured_run(run_id: str, screened_at: datetime) -> ScreeningRun:
    """A run with no counterparty file: recorded, with empty tables."""
    tables = empty_tables()
    counts = {c: 0 for c, dtype in RUN_SCHEMA.items() if dtype == pl.Int64}
    row = (
        {c: None for c in RUN_SCHEMA}
        | counts
        | {
            "run_id": run_id,
            "screened_at": screened_at,
            "as_of": screened_at.date(),
            "configured": False,
        }
    )
    tables["runs"] = pl.DataFrame([row], schema=RUN_SCHEMA)
    return ScreeningRun(**tables)


@dataclass
class CheckedInputs:
    """The counterparty and shipments files, read and checked."""

    paths: RunInputs
    counterparties: pl.DataFrame
    shipments: pl.DataFrame


@dataclass
class WarehouseLists:
    """What a screening reads from the warehouse, read once so the connection can be closed
    before screening (worker processes are forked from a process without DuckDB threads)."""

    reference: Reference
    listed_size: int
    owned_keys: set[str]
    ownership: Ownership
    list_releases: str


def read_inputs(inputs: RunInputs) -> CheckedInputs:
    """Read and check the files (a bad file fails before the lists are read)."""
    if inputs.counterparties is None:
        raise ValueError("no counterparty file")
    counterparties = read_counterparties(inputs.counterparties)
    shipments = (
        read_shipments(inputs.shipments, set(counterparties["id"]))
        if inputs.shipments is not None
        else pl.DataFrame(schema=SHIPMENT_SCHEMA)
    )
    return CheckedInputs(inputs, counterparties, shipments)


def read_lists(con: duckdb.DuckDBPyConnection, as_of: date) -> WarehouseLists:
    """The listed entities, the ownership rule's result, and the entities it catches."""
    ownership = ownership_for(con, as_of)
    reference = load_connection(con)
    listed_size = reference.entities.height
    owned = caught_reference(con, ownership.caught())
    if owned is not None:
        reference = reference.extended(owned)
    owned_keys = set(owned.entities["entity_key"]) if owned is not None else set()
    return WarehouseLists(reference, listed_size, owned_keys, ownership, _list_releases(con))


def screen_warehouse(
    con: duckdb.DuckDBPyConnection,
    inputs: RunInputs,
    run_id: str,
    screened_at: datetime,
    previous: PreviousRun | None = None,
    workers: int = 1,
    params: ScoreParams = DEFAULT_PARAMS,
    index_dir: Path | None = None,
) -> ScreeningRun:
    """Screen ``inputs`` against the marts (and ownership tables) reachable through ``con``.
    ``index_dir``: where the index of the lists is kept between runs (index_cache.py)."""
    if not inputs.configured:
        return unconfigured_run(run_id, screened_at)
    checked = read_inputs(inputs)
    lists = read_lists(con, screened_at.date())
    index = cached_index(lists.reference, index_dir) if index_dir else None
    return screen_checked(lists, checked, run_id, screened_at, previous, workers, params, index)


def screen_checked(
    lists: WarehouseLists,
    checked: CheckedInputs,
    run_id: str,
    screened_at: datetime,
    previous: PreviousRun | None = None,
    workers: int = 1,
    params: ScoreParams = DEFAULT_PARAMS,
    index: ScreeningIndex | None = None,
) -> ScreeningRun:
    """Screen checked inputs against lists already read; the run's raw rows. ``index``: the
    index of ``lists.reference`` when the caller has it (index_cache.py), else built here."""
    paths, ownership = checked.paths, lists.ownership
    index = index if index is not None else lists.reference.index()
    matches = screen(checked.counterparties, index, params, workers)
    cp_raw = _counterparty_rows(checked.counterparties, paths.counterparties, run_id)
    match_raw = _match_rows(matches, cp_raw, lists.owned_keys, previous, run_id)
    ship_raw = _lineage(checked.shipments, paths.shipments, run_id, SHIPMENT_RAW_SCHEMA)
    shares = ownership.shares.with_columns(pl.lit(run_id).alias("run_id"))
    run = {
        "run_id": run_id,
        "screened_at": screened_at,
        "as_of": screened_at.date(),
        "configured": True,
        "counterparties_file": str(paths.counterparties),
        "counterparties_sha256": file_sha256(paths.counterparties),
        "shipments_file": str(paths.shipments) if paths.shipments else None,
        "shipments_sha256": file_sha256(paths.shipments) if paths.shipments else None,
        "n_counterparties": cp_raw.height,
        "n_shipments": ship_raw.height,
        "n_matches": match_raw.height,
        "n_alerts": match_raw.filter(pl.col("decision") == "alert").height,
        "n_new_hits": match_raw.filter(pl.col("is_new_hit")).height,
        "previous_run_id": previous.run_id if previous else None,
        "reference_entities": lists.listed_size,
        "owned_entities": len(lists.owned_keys),
        "list_releases": lists.list_releases,
        "review_threshold": params.review,
        "alert_threshold": params.alert,
        "ownership_edges_used": ownership.edges_used,
        "ownership_edges_without_share": ownership.edges_without_share,
        "ownership_edges_rejected": ownership.rejected.height,
    }
    return ScreeningRun(
        runs=pl.DataFrame([run], schema=RUN_SCHEMA),
        counterparties=cp_raw,
        shipments=ship_raw,
        matches=match_raw,
        ownership_shares=shares.select(list(OWNERSHIP_RAW_SCHEMA)),
        ownership=ownership,
    )


def _list_releases(con: duckdb.DuckDBPyConnection) -> str:
    rows = con.execute(
        "select list, max(last_release) from marts.dim_sanctioned_entity where is_active "
        "group by list order by list"
    ).fetchall()
    return json.dumps({name: str(day) if day else None for name, day in rows})


def _lineage(frame: pl.DataFrame, path: Path | None, run_id: str, schema: dict) -> pl.DataFrame:
    if path is None:
        return pl.DataFrame(schema=schema)
    return frame.with_columns(
        pl.lit(run_id).alias("run_id"),
        pl.lit(SOURCE).alias("source"),
        pl.lit(str(path)).alias("source_file"),
        pl.lit(file_sha256(path)).alias("file_sha256"),
    ).select(list(schema))


def record_sha256(record: dict) -> str:
    """A counterparty's screened fields, hashed: an unchanged record hashes the same."""
    text = json.dumps(record, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _counterparty_rows(frame: pl.DataFrame, path: Path, run_id: str) -> pl.DataFrame:
    id_columns = [c for c in frame.columns if c in COUNTERPARTY_ID_COLUMNS]
    dated = "incorporation_date" in frame.columns
    rows = []
    for row in frame.iter_rows(named=True):
        ids = {c: row[c] for c in id_columns if row[c]}
        screened = {k: row[k] for k in ("name", "country", "address", "type")} | {"ids": ids}
        rows.append(
            {
                "run_id": run_id,
                "counterparty_id": row["id"],
                "name": row["name"],
                "country_iso2": row["country"],
                "country_iso3": to_iso3(row["country"]) if row["country"] else None,
                "address": row["address"],
                "type": row["type"],
                "incorporation_date": row["incorporation_date"] if dated else None,
                "identifiers": json.dumps(ids, sort_keys=True) if ids else None,
                "input_issues": row.get("input_issues"),
                "record_sha256": record_sha256(screened),
                "source_line": row["source_line"],
            }
        )
    if not rows:
        return pl.DataFrame(schema=COUNTERPARTY_SCHEMA)
    schema = {c: COUNTERPARTY_SCHEMA[c] for c in rows[0]}
    return _lineage(pl.DataFrame(rows, schema=schema), path, run_id, COUNTERPARTY_SCHEMA)


def _match_rows(
    matches: pl.DataFrame,
    counterparties: pl.DataFrame,
    owned_keys: set[str],
    previous: PreviousRun | None,
    run_id: str,
) -> pl.DataFrame:
    lineage = counterparties.select("counterparty_id", "record_sha256", *LINEAGE)
    out = matches.join(lineage, on="counterparty_id", how="left").with_columns(
        pl.lit(run_id).alias("run_id"),
        pl.when(pl.col("entity_key").is_in(list(owned_keys)))
        .then(pl.lit("owned_50"))
        .otherwise(pl.lit("listed"))
        .alias("entity_basis"),
    )
    causes = [
        new_hit_cause(previous, cp, entity, record)
        for cp, entity, record in out.select(
            "counterparty_id", "entity_key", "record_sha256"
        ).iter_rows()
    ]
    out = out.with_columns(
        pl.Series("new_hit_cause", causes, dtype=pl.String),
        pl.lit(previous.run_id if previous else None, dtype=pl.String).alias("previous_run_id"),
    ).with_columns(pl.col("new_hit_cause").is_not_null().alias("is_new_hit"))
    return out.select(list(MATCH_RAW_SCHEMA))


def new_hit_cause(
    previous: PreviousRun | None, counterparty: str, entity_key: str, record: str
) -> str | None:
    """Why a hit is new, or None when the previous screening had it too:

    - ``first_screening``: no screening before this one;
    - ``list_change``: the counterparty was screened last time with the same record, so the
      hit comes from the lists (an entity added, a name or identifier added to one);
    - ``counterparty_change``: the counterparty is new in the file or its record changed.
    """
    if previous is None:
        return "first_screening"
    if (counterparty, entity_key) in previous.hits:
        return None
    if previous.records.get(counterparty) == record:
        return "list_change"
    return "counterparty_change"


def run_time() -> datetime:
    """Screening time: now in UTC, without a time zone (a DuckDB timestamp)."""
    return datetime.now(UTC).replace(tzinfo=None)
