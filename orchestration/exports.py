"""Export tables of the published warehouse for BI tools: Parquet, CSV or XLSX files."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

FORMATS = ("parquet", "csv", "xlsx")
XLSX_MAX_ROWS = 1_048_575  # a worksheet holds 1,048,576 rows, the header included
_TABLE = re.compile(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*")


class ExportError(ValueError):
    pass


def mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema = 'marts' order by 1"
    ).fetchall()
    return [r[0] for r in rows]


def _checked(con: duckdb.DuckDBPyConnection, tables: list[str]) -> list[str]:
    known = set(
        r[0]
        for r in con.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
        ).fetchall()
    )
    for table in tables:
        if not _TABLE.fullmatch(table) or table not in known:
            raise ExportError(f"no table {table!r} in the warehouse (name it schema.table)")
    return tables


def export_tables(
    database: Path, out_dir: Path, file_format: str, tables: list[str] | None = None
) -> list[Path]:
    """Write each table to ``out_dir/<schema>.<table>.<format>``; returns the files written."""
    if file_format not in FORMATS:
        raise ExportError(f"unknown format {file_format!r}; choose one of {', '.join(FORMATS)}")
    if not database.exists():
        raise ExportError(f"no published warehouse at {database}; run `roundabout run` first")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with duckdb.connect(str(database), read_only=True) as con:
        for table in _checked(con, tables) if tables else mart_tables(con):
            target = out_dir / f"{table}.{file_format}"
            _export_one(con, table, target, file_format)
            written.append(target)
    return written


def _export_one(con: duckdb.DuckDBPyConnection, table: str, target: Path, file_format: str):
    # Written beside the target and renamed, so a reader never sees half a file.
    partial = target.with_name(target.name + ".partial")
    if file_format == "xlsx":
        rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
        if rows > XLSX_MAX_ROWS:
            raise ExportError(
                f"{table} has {rows:,} rows, more than a worksheet holds; "
                "export it as parquet or csv"
            )
        frame = con.execute(f"select * from {table}").df()
        frame.to_excel(partial, sheet_name=table.split(".")[1][:31], index=False, engine="openpyxl")
    else:
        # The path goes to DuckDB as an argument, never pasted into SQL (an apostrophe in a
        # folder name would end the string literal).
        relation = con.sql(f"select * from {table}")
        if file_format == "parquet":
            relation.write_parquet(str(partial))
        else:
            relation.write_csv(str(partial), header=True)
    partial.replace(target)
