"""The raw layer as Parquet files, for the engines that do not read DuckDB's file (Spark).

Each ``raw.<table>`` of a warehouse becomes a folder ``<lake>/<table>/`` of zstd Parquet files,
Hive-partitioned by ``source`` and ``release_date`` (the lineage columns every raw table
carries), in types both engines read alike: DuckDB-only types (UUID, TIME, INTERVAL, HUGEINT,
the unsigned integers, nanosecond and time-zone timestamps) are cast to what Spark has, and
timestamps to microseconds. dbt's macro ``register_raw_sources`` (macros/compat/) declares the
folders as the ``raw`` sources on Spark; DuckDB keeps reading its own tables.

A table's folder is written beside the old one and swapped in by renames, so a reader sees the
old files or the new ones, never half of each. An empty table gets one Parquet file with no
rows, whose schema tells Spark the columns.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

PARTITION_COLUMNS = ("source", "release_date")

# DuckDB types without a Spark twin, and the type they are written as. Decimal(38, 0) holds
# every HUGEINT a warehouse of trade values needs; text keeps a UUID's and a TIME's value.
SPARK_TYPES = {
    "UUID": "varchar",
    "TIME": "varchar",
    "TIME WITH TIME ZONE": "varchar",
    "INTERVAL": "varchar",
    "HUGEINT": "decimal(38, 0)",
    "UHUGEINT": "decimal(38, 0)",
    "UBIGINT": "decimal(20, 0)",
    "UINTEGER": "bigint",
    "USMALLINT": "integer",
    "UTINYINT": "smallint",
    "TIMESTAMP_NS": "timestamp",
    "TIMESTAMP_MS": "timestamp",
    "TIMESTAMP_S": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamp",
}


@dataclass(frozen=True)
class LakeTable:
    table: str
    path: Path
    rows: int
    partitioned_by: tuple[str, ...]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def spark_safe_select(columns: list[tuple[str, str]]) -> str:
    """The select list writing ``columns`` (name, DuckDB type) in Spark-safe types."""
    out = []
    for name, duck_type in columns:
        spark_type = SPARK_TYPES.get(duck_type.upper())
        column = _quote(name)
        out.append(f"cast({column} as {spark_type}) as {column}" if spark_type else column)
    return ", ".join(out)


def raw_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables and views of schema raw (a bulk table is a view over its parts)."""
    rows = con.execute(
        """select table_name from information_schema.tables
           where table_schema = 'raw' order by table_name"""
    ).fetchall()
    return [name for (name,) in rows]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    rows = con.execute(
        """select column_name, data_type from information_schema.columns
           where table_schema = 'raw' and table_name = ? order by ordinal_position""",
        [table],
    ).fetchall()
    return [(name, data_type) for name, data_type in rows]


def export_table(con: duckdb.DuckDBPyConnection, table: str, lake: Path) -> LakeTable:
    columns = _columns(con, table)
    names = {name for name, _ in columns}
    partitions = tuple(c for c in PARTITION_COLUMNS if c in names)
    final = lake / table
    partial = lake / f".{table}.partial"
    old = lake / f".{table}.old"
    for leftover in (partial, old):
        shutil.rmtree(leftover, ignore_errors=True)
    partial.mkdir(parents=True)
    select = f"select {spark_safe_select(columns)} from raw.{_quote(table)}"
    (rows,) = con.execute(f"select count(*) from raw.{_quote(table)}").fetchone()
    options = "format parquet, compression zstd"
    try:
        if rows and partitions:
            by = ", ".join(_quote(c) for c in partitions)
            into = f"{_literal(str(partial))} ({options}, partition_by ({by}))"
        else:
            # No partition folders: the file itself names every column and its type.
            into = f"{_literal(str(partial / 'data_0.parquet'))} ({options})"
            partitions = ()
        con.execute(f"copy ({select}) to {into}")
    except duckdb.Error as error:
        # A value Spark's types cannot hold (a HUGEINT beyond 38 digits): nothing is replaced.
        shutil.rmtree(partial, ignore_errors=True)
        raise ValueError(f"raw.{table}: not written to the lake: {error}") from error
    if final.exists():
        final.rename(old)
    partial.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    return LakeTable(table, final, rows, partitions)


def export_raw_lake(database: Path, lake: Path) -> list[LakeTable]:
    """Write every raw table of the warehouse at ``database`` under ``lake``."""
    lake.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database), read_only=True) as con:
        return [export_table(con, table, lake) for table in raw_tables(con)]
