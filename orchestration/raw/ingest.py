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
    # DuckDB keeps the rejects of every earlier scan on the connection: start from none, so
    # the rejects read below are this file's own.
    for rejects_table in ("reject_errors", "reject_scans"):
        run(con, f"drop table if exists {rejects_table}")
    run(con, f"create or replace temp view _bulk as {select_sql}")
    rows = insert_replacing(con, qualified, "_bulk", key, [value])
    rejects = _scan_rejects(con)
    loaded = TableLoad(raw_table=table, rows=rows)
    if rejects:
        parsed = ParsedFile(tables={})
        for line, message, text in rejects:
            parsed.reject(table, int(line), message.splitlines()[0], text)
        _write_quarantine(con, file, quarantine_frame(parsed, file))
        loaded.quarantined = len(rejects)
    run(con, "drop view _bulk")
    return loaded


def _scan_rejects(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The lines the last bulk scan rejected (DuckDB creates the table only when it has some)."""
    exists = con.execute(
        "select count(*) from duckdb_tables() where table_name = 'reject_errors' and temporary"
    ).fetchall()[0][0]
    if not exists:
        return []
    return con.execute(
        """select line, coalesce(error_message, ''), coalesce(csv_line, '')
           from reject_errors order by line"""
    ).fetchall()


def _clear_quarantine(con: duckdb.DuckDBPyConnection, file: SourceFile) -> None:
    """Forget what an earlier load of this file rejected: the new load says it again."""
    run(con, f"delete from {QUARANTINE_TABLE} where source_file = ?", [file.relative_path])


def _write_quarantine(
    con: duckdb.DuckDBPyConnection, file: SourceFile, frame: pl.DataFrame
) -> None:
    """Add rejected rows; a file loading several tables adds each table's own."""
    con.register("_rejected", frame)
    try:
        run(con, f"insert into {QUARANTINE_TABLE} by name select * from _rejected")
    finally:
        con.unregister("_rejected")


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
            _clear_quarantine(con, file)
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
