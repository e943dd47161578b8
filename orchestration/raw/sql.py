"""Small helpers every writer of the raw schema needs."""

from __future__ import annotations

import duckdb
import polars as pl

# Polars column types as DuckDB spells them, for tables and views declared from a schema.
DUCK_TYPES = {
    pl.String: "varchar", pl.Int64: "bigint", pl.Int32: "integer", pl.Float64: "double",
    pl.Date: "date",
}  # fmt: skip


def run(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    """Execute a statement and consume its result (duckdb 2.x refuses further work on a
    connection that holds an unfinished result)."""
    return con.execute(sql, params).fetchall()


def table_exists(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    schema, name = qualified.split(".")
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema=? and table_name=?",
        [schema, name],
    ).fetchall()
    return bool(row[0][0])
