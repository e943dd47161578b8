"""Load every file of one source into its raw tables, all or nothing."""

from __future__ import annotations

import duckdb
import polars as pl

from orchestration.raw.writer import (
    QUARANTINE_TABLE,
    TableLoad,
    ensure_raw_schema,
    insert_replacing,
    record_files,
    replace_rows,
    run,
)
from orchestration.sources.base import (
    ParsedFile,
    SourceFile,
    SourceSpec,
    quarantine_frame,
)


def _empty_quarantine(file: SourceFile) -> pl.DataFrame:
    return quarantine_frame(ParsedFile(tables={}), file)


def _key_for(spec: SourceSpec, table: str, file: SourceFile) -> tuple[str, str]:
    if table in spec.replace_on:
        column, value_of = spec.replace_on[table]
        return column, value_of(file)
    return "source_file", file.relative_path


def _load_bulk(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, file: SourceFile, table: str
) -> TableLoad:
    """Stream a big file straight into DuckDB; cast failures become quarantine rows."""
    qualified = f"raw.{spec.raw_table(table)}"
    key, value = _key_for(spec, table, file)
    select_sql = spec.bulk_select(file, table)
    run(con, f"create or replace temp view _bulk as {select_sql}")
    rows = insert_replacing(con, qualified, "_bulk", key, [value])
    rejects = con.execute(
        """select line, coalesce(error_message, ''), coalesce(csv_line, '')
           from reject_errors order by line"""
    ).fetchall()
    loaded = TableLoad(raw_table=table, rows=rows)
    if rejects:
        parsed = ParsedFile(tables={})
        for line, message, text in rejects:
            parsed.reject(table, int(line), message.splitlines()[0], text)
        _write_quarantine(con, file, quarantine_frame(parsed, file))
        loaded.quarantined = len(rejects)
    run(con, "drop view _bulk")
    return loaded


def _write_quarantine(
    con: duckdb.DuckDBPyConnection, file: SourceFile, frame: pl.DataFrame
) -> None:
    replace_rows(con, QUARANTINE_TABLE, frame, "source_file", [file.relative_path])


def ingest_source(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, files: list[SourceFile]
) -> dict[str, TableLoad]:
    """Parse every file first (so a bad file fails before anything is written), then write all
    of them in one transaction."""
    parsed = {f.relative_path: spec.parse(f) for f in files if not spec.bulk_select}
    totals = {t: TableLoad(raw_table=t) for t in spec.tables}
    loads: list[tuple[SourceFile, TableLoad]] = []
    ensure_raw_schema(con)
    run(con, "begin transaction")
    try:
        for file in files:
            _write_quarantine(con, file, _empty_quarantine(file))
            if spec.bulk_select:
                file_loads = [_load_bulk(con, spec, file, t) for t in spec.tables]
            else:
                file_loads = _load_parsed(con, spec, file, parsed[file.relative_path])
            for load in file_loads:
                totals[load.raw_table].rows += load.rows
                totals[load.raw_table].quarantined += load.quarantined
                loads.append((file, load))
        record_files(con, spec, loads)
        run(con, "commit")
    except BaseException:
        run(con, "rollback")
        raise
    return totals


def _load_parsed(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, file: SourceFile, parsed: ParsedFile
) -> list[TableLoad]:
    loads = []
    for table, frame in parsed.tables.items():
        if table not in spec.tables:
            raise ValueError(f"{spec.name} parser produced undeclared table {table!r}")
        key, value = _key_for(spec, table, file)
        rows = replace_rows(con, f"raw.{spec.raw_table(table)}", frame, key, [value])
        rejected = sum(1 for q in parsed.quarantine if q["raw_table"] == table)
        loads.append(TableLoad(raw_table=table, rows=rows, quarantined=rejected))
    if parsed.quarantine:
        _write_quarantine(con, file, quarantine_frame(parsed, file))
    return loads
