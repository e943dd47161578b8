"""Export tables of the published warehouse for BI tools: Parquet, CSV or XLSX files, each
folder with a ``manifest.json``; and a workbook of the report's tables.

Types, the same in every format where the format has them:

- Parquet keeps DuckDB's logical types: DATE, TIMESTAMP, lists as lists; money columns (numeric
  columns named ``*_usd`` or ``*_eur``, rates such as ``usd_per_eur`` apart) as DECIMAL(18,2).
- CSV and XLSX write lists (and structs) in one format: a compact JSON array or object
  (``["a","b"]``). XLSX cells are typed (dates as dates without a time, numbers as numbers, money
  with two decimals) under a styled, frozen header, with a ``columns`` sheet that explains them.
- Text a spreadsheet would run as a formula is written as text in XLSX and with a leading
  apostrophe in CSV (orchestration/cell_safety.py).

Paths never go into SQL: rows are streamed out of DuckDB as Arrow batches and written by
pyarrow (Parquet, CSV) or XlsxWriter.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from orchestration.cell_safety import CSV_ESCAPE, FORMULA_PATTERN
from orchestration.xlsx_writer import Sheet, write_workbook

FORMATS = ("parquet", "csv", "xlsx")
XLSX_MAX_ROWS = 1_048_575  # a worksheet holds 1,048,576 rows, the header included
MANIFEST = "manifest.json"
WORKBOOK = "roundabout-report.xlsx"
MONEY_TYPE = "DECIMAL(18,2)"
LIST_FORMAT = 'JSON array or object text, e.g. ["a","b"] (CSV and XLSX; Parquet keeps lists)'
FORMULA_NOTE = (
    "text beginning with = + - @ tab or CR is written as text in XLSX and with a leading "
    "apostrophe in CSV, so that no spreadsheet runs it as a formula"
)
BATCH_ROWS = 100_000
_TABLE = re.compile(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*")
_MONEY = re.compile(r".*_(usd|eur)$")
_NUMERIC = re.compile(r"(DOUBLE|FLOAT|REAL|DECIMAL.*|HUGEINT|BIGINT|INTEGER)")
_NESTED = re.compile(r".*(\[\]|\[\d+\])$|^(STRUCT|MAP|UNION).*")


class ExportError(ValueError):
    pass


@dataclass
class Column:
    name: str
    type: str
    description: str

    @property
    def is_money(self) -> bool:
        return (
            bool(_MONEY.fullmatch(self.name))
            and "_per_" not in self.name
            and bool(_NUMERIC.fullmatch(self.type))
        )


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


def columns_of(con: duckdb.DuckDBPyConnection, table: str) -> list[Column]:
    schema, name = table.split(".")
    rows = con.execute(
        "select column_name, data_type, coalesce(comment, '') from duckdb_columns() "
        "where schema_name = ? and table_name = ? order by column_index",
        [schema, name],
    ).fetchall()
    return [Column(*r) for r in rows]


def select_list(columns: list[Column], file_format: str) -> str:
    """The SQL select list giving each column its exported type (names are identifiers read
    from the catalogue, quoted)."""
    out = []
    for column in columns:
        name = '"' + column.name.replace('"', '""') + '"'
        expression = name
        if column.is_money:
            expression = f"cast(round({name}, 2) as {MONEY_TYPE})"
        elif file_format != "parquet" and _NESTED.fullmatch(column.type):
            expression = f"cast(to_json({name}) as varchar)"
        if file_format == "csv" and (column.type == "VARCHAR" or _NESTED.fullmatch(column.type)):
            expression = (
                f"case when regexp_matches({expression}, '{FORMULA_PATTERN}') "
                f"then '{CSV_ESCAPE * 2}' || {expression} else {expression} end"
            )
        out.append(f"{expression} as {name}")
    return ", ".join(out)


def export_tables(
    database: Path, out_dir: Path, file_format: str, tables: list[str] | None = None
) -> list[Path]:
    """Write each table to ``out_dir/<schema>.<table>.<format>`` and update the folder's
    manifest.json; returns the files written (the manifest last)."""
    if file_format not in FORMATS:
        raise ExportError(f"unknown format {file_format!r}; choose one of {', '.join(FORMATS)}")
    if not database.exists():
        raise ExportError(f"no published warehouse at {database}; run `roundabout run` first")
    out_dir.mkdir(parents=True, exist_ok=True)
    written, entries = [], []
    with duckdb.connect(str(database), read_only=True) as con:
        for table in _checked(con, tables) if tables else mart_tables(con):
            target = out_dir / f"{table}.{file_format}"
            columns = columns_of(con, table)
            rows = _export_one(con, table, columns, target, file_format)
            written.append(target)
            entries.append(_entry(con, table, columns, target, rows, file_format))
        inputs = input_files(con)
    written.append(write_manifest(out_dir, database, entries, inputs))
    return written


def _export_one(con, table: str, columns: list[Column], target: Path, file_format: str) -> int:
    # Written beside the target and renamed, so a reader never sees half a file.
    partial = target.with_name(target.name + ".partial")
    sql = f"select {select_list(columns, file_format)} from {table}"
    rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
    if file_format == "xlsx":
        if rows > XLSX_MAX_ROWS:
            raise ExportError(
                f"{table} has {rows:,} rows, more than a worksheet holds; "
                "export it as parquet or csv"
            )
        cursor = con.execute(sql)
        sheet = Sheet(
            table.split(".")[1],
            [c.name for c in columns],
            _fetch(cursor),
            types=[MONEY_TYPE if c.is_money else c.type for c in columns],
            descriptions={c.name: c.description for c in columns if c.description},
            table=table,
        )
        write_workbook(partial, [sheet], notes=_notes(table))
    else:
        reader = con.sql(sql).fetch_record_batch(BATCH_ROWS)
        if file_format == "parquet":
            with pq.ParquetWriter(partial, reader.schema) as writer:
                for batch in reader:
                    writer.write_batch(batch)
        else:
            with pa_csv.CSVWriter(partial, reader.schema) as writer:
                for batch in reader:
                    writer.write_batch(batch)
    os.replace(partial, target)
    return rows


def _fetch(cursor, size: int = 10_000):
    while batch := cursor.fetchmany(size):
        yield from batch


def _notes(table: str) -> list[tuple[str, str]]:
    return [
        ("table", table),
        ("lists", LIST_FORMAT),
        ("money", f"numeric columns named *_usd or *_eur, as {MONEY_TYPE}"),
        ("formulas", FORMULA_NOTE),
    ]


# --- manifest ------------------------------------------------------------------------------------


def input_files(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The files the warehouse was built from, with their release (the vintage) and sha256."""
    known = {
        r[0]
        for r in con.execute(
            "select column_name from duckdb_columns() where schema_name = 'raw' "
            "and table_name = 'ingested_files'"
        ).fetchall()
    }
    wanted = ["source", "source_file", "release_date", "file_sha256", "row_count"]
    if not set(wanted) <= known:
        return []
    cursor = con.execute(
        f"select {', '.join(wanted)} from raw.ingested_files order by source, source_file"
    )
    return [
        {
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in zip(wanted, r, strict=True)
        }
        for r in cursor.fetchall()
    ]


def _entry(con, table: str, columns: list[Column], target: Path, rows: int, file_format: str):
    names = {c.name for c in columns}
    sources = []
    for column in ("source", "sources", "list"):
        if column in names:
            sources = sorted(
                {
                    s.strip()
                    for (v,) in con.execute(f"select distinct {column} from {table}").fetchall()
                    for s in str(v or "").split(",")
                    if s.strip()
                }
            )
            break
    return {
        "table": table,
        "file": target.name,
        "format": file_format,
        "rows": rows,
        "sha256": _sha256(target),
        "sources": sources,
        "columns": [
            {
                "name": c.name,
                "type": MONEY_TYPE if c.is_money else c.type,
                "warehouse_type": c.type,
                "description": c.description,
            }
            for c in columns
        ],
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(out_dir: Path, database: Path, entries: list[dict], inputs: list[dict]) -> Path:
    """manifest.json beside the files: the tables written now, and the earlier entries of this
    folder whose files are still there."""
    path = out_dir / MANIFEST
    kept = []
    if path.exists():
        try:
            earlier = json.loads(path.read_text(encoding="utf-8")).get("tables", [])
        except (json.JSONDecodeError, AttributeError):
            earlier = []
        now = {e["file"] for e in entries}
        kept = [e for e in earlier if e.get("file") not in now and (out_dir / e["file"]).exists()]
    manifest = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "warehouse": str(database),
        "warehouse_published_at": datetime.fromtimestamp(database.stat().st_mtime, UTC).isoformat(
            timespec="seconds"
        ),
        "list_format": LIST_FORMAT,
        "money_type": MONEY_TYPE,
        "formula_cells": FORMULA_NOTE,
        "tables": sorted(kept + entries, key=lambda e: e["file"]),
        "input_files": inputs,
    }
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
    os.replace(partial, path)
    return path


# --- the workbook of the main reports ------------------------------------------------------------


def export_workbook(database: Path, out_dir: Path) -> list[Path]:
    """One XLSX workbook with the tables behind each chart of the report, their definitions and
    the input files; returns the workbook and the manifest."""
    from orchestration.report.data import Marts
    from orchestration.report.pages import build_pages

    if not database.exists():
        raise ExportError(f"no published warehouse at {database}; run `roundabout run` first")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / WORKBOOK
    partial = target.with_name(target.name + ".partial")
    with duckdb.connect(str(database), read_only=True) as con:
        pages = build_pages(Marts(con))
        inputs = input_files(con)
    sheets, notes, entries = [], [], []
    for page in pages:
        notes.append((page.title, page.definition))
        notes += [(page.title, note) for note in page.notes]
        tables = [c.table for c in page.charts] + page.tables
        for table in tables:
            sheets.append(
                Sheet(
                    table.id,
                    table.columns,
                    table.rows,
                    descriptions=table.descriptions,
                    table=", ".join(page.marts),
                )  # fmt: skip
            )
            entries.append({"sheet": table.id, "rows": len(table.rows), "caption": table.caption,
                            "columns": table.columns})  # fmt: skip
    notes += [("lists", LIST_FORMAT), ("formulas", FORMULA_NOTE)]
    inputs_sheet = Sheet(
        "input_files",
        ["source", "source_file", "release_date", "file_sha256", "row_count"],
        [tuple(f.values()) for f in inputs],
        table="raw.ingested_files",
    )
    write_workbook(partial, [*sheets, inputs_sheet], notes=notes)
    os.replace(partial, target)
    manifest = write_manifest(
        out_dir,
        database,
        [
            {
                "table": "report",
                "file": target.name,
                "format": "xlsx",
                "sheets": entries,
                "rows": sum(e["rows"] for e in entries),
                "sha256": _sha256(target),
            }
        ],  # fmt: skip
        inputs,
    )
    return [target, manifest]
