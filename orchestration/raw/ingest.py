"""Load every file of one source into its raw tables, all or nothing."""

from __future__ import annotations

import duckdb
import polars as pl

from orchestration.raw.bulk import load_file_parts
from orchestration.raw.writer import (
    QUARANTINE_TABLE,
    TableLoad,
    ensure_raw_schema,
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
    _, replace_key = _key_for(spec, table, file)
    rows, rejects = load_file_parts(
        con, f"raw.{spec.raw_table(table)}", replace_key, file, spec.bulk_parts(file, table),
        spec.schemas[table],
    )  # fmt: skip
    if rejects:
        parsed = ParsedFile(tables={})
        inside_zip = file.path.suffix.lower() == ".zip"
        for part, line, message, text in rejects:
            reason = message.splitlines()[0]
            parsed.reject(table, int(line), f"{part}: {reason}" if inside_zip else reason, text)
        _write_quarantine(con, file, quarantine_frame(parsed, file))
    return TableLoad(raw_table=table, rows=rows, quarantined=len(rejects))


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
    parsed = {f.relative_path: spec.parse(f) for f in files if not spec.bulk_parts}
    totals = {t: TableLoad(raw_table=t) for t in spec.tables}
    loads: list[tuple[SourceFile, TableLoad]] = []
    ensure_raw_schema(con)
    run(con, "begin transaction")
    try:
        for file in files:
            _clear_quarantine(con, file)
            if spec.bulk_parts:
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
