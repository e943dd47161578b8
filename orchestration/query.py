"""Read-only SQL against the published warehouse."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb


def analyst_connection(database: Path, external_access: bool = False) -> duckdb.DuckDBPyConnection:
    """The published warehouse, read-only. Analyst SQL gets no file system, network or other
    databases (DuckDB's ``enable_external_access``), and cannot switch it back on: otherwise
    ``read_csv('/etc/passwd')``, ``COPY ... TO`` and ``ATTACH`` would all work from a query."""
    config = {"lock_configuration": True}
    if not external_access:
        config["enable_external_access"] = False
    return duckdb.connect(str(database), read_only=True, config=config)


def run_query(
    database: Path, sql: str, output_format: str = "table", external_access: bool = False
) -> int:
    if not database.exists():
        print(
            f"roundabout query: no published warehouse at {database}; run `roundabout run`",
            file=sys.stderr,
        )
        return 2
    with analyst_connection(database, external_access) as con:
        try:
            relation = con.sql(sql)
        except duckdb.Error as err:
            print(f"roundabout query: {err}", file=sys.stderr)
            return 2
        if relation is None:
            return 0
        frame = relation.pl()
    if output_format == "csv":
        sys.stdout.write(frame.write_csv())
    elif output_format == "json":
        sys.stdout.write(frame.write_json() + "\n")
    else:
        import polars as pl

        with pl.Config(tbl_rows=200, tbl_cols=50, fmt_str_lengths=60, tbl_width_chars=200):
            print(frame)
    return 0
