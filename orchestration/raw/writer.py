"""Write parsed files into the warehouse's ``raw`` schema.

Each file's rows replace the rows an earlier run loaded from the same file (or partition), in one
transaction per source: a failure leaves what was stored before untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import polars as pl

from orchestration.raw.bulk import rebuild_view
from orchestration.raw.sql import DUCK_TYPES, run, table_exists
from orchestration.sources.common.base import (
    LINEAGE_SCHEMA,
    QUARANTINE_SCHEMA,
    SourceFile,
    SourceSpec,
)

QUARANTINE_TABLE = "raw.quarantine"
FILES_TABLE = "raw.ingested_files"

_FILES_DDL = f"""
create table if not exists {FILES_TABLE} (
    source varchar, raw_table varchar, source_file varchar, release_date date,
    file_sha256 varchar, row_count bigint, quarantined bigint, ingested_at timestamp,
    is_synthetic boolean
)"""
# Warehouses made before the column existed gain it (NULL: not known to be synthetic).
_FILES_MIGRATION = f"alter table {FILES_TABLE} add column if not exists is_synthetic boolean"


@dataclass
class TableLoad:
    raw_table: str
    rows: int = 0
    quarantined: int = 0
    # Bulk tables: the part tables written (their raw table is a view over every part).
    parts: list[str] = field(default_factory=list)
    # Bulk files not read again: the warehouse holds them already, byte for byte.
    unchanged: int = 0


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    run(con, "create schema if not exists raw")
    cols = ", ".join(f"{name} {DUCK_TYPES[dtype]}" for name, dtype in QUARANTINE_SCHEMA.items())
    run(con, f"create table if not exists {QUARANTINE_TABLE} ({cols})")
    run(con, _FILES_DDL)
    run(con, _FILES_MIGRATION)


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"describe {relation}").fetchall()]


def _add_missing_columns(con: duckdb.DuckDBPyConnection, qualified: str, incoming: str) -> None:
    """Publishers add fields over time: widen the raw table rather than fail or drop them."""
    have = {name for name, _ in _columns(con, qualified)}
    for name, ctype in _columns(con, incoming):
        if name not in have:
            run(con, f'alter table {qualified} add column "{name}" {ctype}')


def replace_rows(
    con: duckdb.DuckDBPyConnection, qualified: str, frame: pl.DataFrame, key: str, values: list
) -> int:
    """Replace the rows of ``qualified`` whose ``key`` is in ``values`` by ``frame``."""
    con.register("_incoming", frame)
    try:
        return insert_replacing(con, qualified, "_incoming", key, values)
    finally:
        con.unregister("_incoming")


def insert_replacing(
    con: duckdb.DuckDBPyConnection, qualified: str, relation: str, key: str, values: list
) -> int:
    """Delete the rows keyed by ``values``, then insert ``relation`` (a view, table or subquery)."""
    if not table_exists(con, qualified):
        run(con, f"create table {qualified} as select * from {relation} limit 0")
    else:
        _add_missing_columns(con, qualified, relation)
    run(con, f"delete from {qualified} where {key} in (select unnest(?))", [values])
    return run(con, f"insert into {qualified} by name select * from {relation}")[0][0]


def record_files(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, loads: list[tuple[SourceFile, TableLoad]]
) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        (
            spec.name,
            f"raw.{spec.raw_table(t.raw_table)}",
            f.relative_path,
            f.release_date,
            f.sha256,
            t.rows,
            t.quarantined,
            now,
            f.is_synthetic,
        )
        for f, t in loads
    ]
    files = sorted({f.relative_path for f, _ in loads})
    run(con, f"delete from {FILES_TABLE} where source_file in (select unnest(?))", [files])
    if rows:
        con.executemany(
            f"insert into {FILES_TABLE} (source, raw_table, source_file, release_date, "
            "file_sha256, row_count, quarantined, ingested_at, is_synthetic) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def ensure_empty_tables(con: duckdb.DuckDBPyConnection, spec: SourceSpec) -> None:
    """Create the source's raw tables, empty, where no file has created them yet."""
    ensure_raw_schema(con)
    for table, columns in spec.schemas.items():
        qualified = f"raw.{spec.raw_table(table)}"
        if table_exists(con, qualified):
            continue
        if spec.bulk_parts:
            rebuild_view(con, qualified, columns)
            continue
        con.register("_empty", pl.DataFrame(schema={**columns, **LINEAGE_SCHEMA}))
        try:
            run(con, f"create table {qualified} as select * from _empty")
        finally:
            con.unregister("_empty")
