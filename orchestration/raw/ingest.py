"""Load every file of one source into its raw tables, all or nothing."""

from __future__ import annotations

import duckdb
import polars as pl

from orchestration.raw.bulk import PARTS_TABLE, ensure_parts_schema, load_file_parts
from orchestration.raw.sql import table_exists
from orchestration.raw.writer import (
    FILES_TABLE,
    QUARANTINE_TABLE,
    TableLoad,
    ensure_raw_schema,
    record_files,
    replace_rows,
    run,
)
from orchestration.sources.common.base import (
    ParsedFile,
    SourceFile,
    SourceParseError,
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
    parts = load_file_parts(
        con, f"raw.{spec.raw_table(table)}", _key_for(spec, table, file), file,
        spec.bulk_parts(file, table), spec.schemas[table],
    )  # fmt: skip
    rejected = [(p.name, *reject) for p in parts for reject in p.rejects]
    if rejected:
        parsed = ParsedFile(tables={})
        inside_zip = file.path.suffix.lower() == ".zip"
        for member, line, message, text in rejected:
            reason = message.splitlines()[0]
            parsed.reject(table, int(line), f"{member}: {reason}" if inside_zip else reason, text)
        _write_quarantine(con, file, quarantine_frame(parsed, file))
    return TableLoad(
        raw_table=table, rows=sum(p.rows for p in parts), quarantined=len(rejected),
        parts=[p.part_table for p in parts],
    )  # fmt: skip


def _already_loaded(con: duckdb.DuckDBPyConnection, spec: SourceSpec, file: SourceFile) -> bool:
    """A big file the warehouse holds byte for byte (same sha256), every part in place: reading
    it again would write the same rows and check them again (half a minute a BACI year)."""
    recorded = con.execute(
        f"""select f.row_count, f.file_sha256,
                   (select count(*) from {PARTS_TABLE} as p
                    where p.raw_table = f.raw_table and p.source_file = f.source_file)
            from {FILES_TABLE} as f where f.source = ? and f.source_file = ?""",
        [spec.name, file.relative_path],
    ).fetchall()
    return bool(recorded) and all(
        sha == file.sha256 and (rows == 0 or parts > 0) for rows, sha, parts in recorded
    )


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


def parse_file(spec: SourceSpec, file: SourceFile) -> ParsedFile:
    """The parser's result; whatever a damaged file makes a parser raise comes out as a
    SourceParseError naming the file (the original error stays chained, for the log)."""
    try:
        return spec.parse(file)
    except SourceParseError:
        raise
    except Exception as err:
        detail = str(err).strip().splitlines()[0] if str(err).strip() else ""
        raise SourceParseError(
            file.relative_path, None, f"unreadable by the {spec.name} parser: "
            f"{type(err).__name__}{': ' + detail[:300] if detail else ''}",
        ) from err  # fmt: skip


def ingest_source(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, files: list[SourceFile]
) -> dict[str, TableLoad]:
    """Parse every file first (so a bad file fails before anything is written), then write all
    of them in one transaction."""
    parsed = {f.relative_path: parse_file(spec, f) for f in files if not spec.bulk_parts}
    totals = {t: TableLoad(raw_table=t) for t in spec.tables}
    loads: list[tuple[SourceFile, TableLoad]] = []
    ensure_raw_schema(con)
    if spec.bulk_parts:
        ensure_parts_schema(con)
    run(con, "begin transaction")
    try:
        for file in files:
            if spec.bulk_parts and _already_loaded(con, spec, file):
                for total in totals.values():
                    total.unchanged += 1
                continue
            _clear_quarantine(con, file)
            if spec.bulk_parts:
                file_loads = [_load_bulk(con, spec, file, t) for t in spec.tables]
            else:
                file_loads = _load_parsed(con, spec, file, parsed[file.relative_path])
            for load in file_loads:
                totals[load.raw_table].rows += load.rows
                totals[load.raw_table].quarantined += load.quarantined
                totals[load.raw_table].parts += load.parts
                loads.append((file, load))
        record_files(con, spec, loads)
        run(con, "commit")
    except BaseException:
        run(con, "rollback")
        raise
    return totals


def _refuse_shrunk_redelivery(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, table: str, file: SourceFile,
    rows: int, key: str, value: str,
) -> None:  # fmt: skip
    """A file delivered again replaces the rows its earlier copy loaded: when the new copy holds
    far fewer rows than the band allows, it is more likely cut short than a mass delisting, and
    the earlier rows stay. The band between releases (raw_checks) cannot see this: the release
    just loses rows, and may even keep more than the release before it."""
    max_shrink = spec.count_bands.get(table)
    qualified = f"raw.{spec.raw_table(table)}"
    if max_shrink is None or not table_exists(con, qualified):
        return
    held = con.execute(f"select count(*) from {qualified} where {key} = ?", [value]).fetchall()
    held = held[0][0]
    if held and rows < (1 - max_shrink) * held:
        raise SourceParseError(
            file.relative_path,
            None,
            f"this copy gives {rows:,} {table} rows where the copy already loaded gave "
            f"{held:,}: it loses more than {max_shrink:.0%} of them, more likely a file cut "
            "short than a mass delisting; the rows already loaded are kept",
        )


def _load_parsed(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, file: SourceFile, parsed: ParsedFile
) -> list[TableLoad]:
    loads = []
    for table, frame in parsed.tables.items():
        if table not in spec.tables:
            raise ValueError(f"{spec.name} parser produced undeclared table {table!r}")
        key, value = _key_for(spec, table, file)
        _refuse_shrunk_redelivery(con, spec, table, file, frame.height, key, value)
        rows = replace_rows(con, f"raw.{spec.raw_table(table)}", frame, key, [value])
        rejected = sum(1 for q in parsed.quarantine if q["raw_table"] == table)
        loads.append(TableLoad(raw_table=table, rows=rows, quarantined=rejected))
    if parsed.quarantine:
        _write_quarantine(con, file, quarantine_frame(parsed, file))
    return loads


def quarantined_rows(
    con: duckdb.DuckDBPyConnection, files: list[SourceFile], limit: int = 20
) -> dict[str, list[str]]:
    """What the files of this run put in quarantine, by raw table: ``file:line: reason``, the
    first ``limit`` of each table and a count of the rest, for the run summary."""
    if not files:
        return {}
    rows = con.execute(
        f"""select raw_table, source_file, source_line, reason,
                   count(*) over (partition by raw_table) as n
            from {QUARANTINE_TABLE} where source_file in (select unnest(?))
            qualify row_number() over (partition by raw_table order by source_file, source_line)
                    <= ?
            order by raw_table, source_file, source_line""",
        [[f.relative_path for f in files], limit],
    ).fetchall()
    out: dict[str, list[str]] = {}
    for table, path, line, reason, n in rows:
        lines = out.setdefault(table, [])
        lines.append(f"{path}:{line}: {reason}")
        if len(lines) == limit and n > limit:
            lines.append(f"... and {n - limit:,} more in raw.quarantine")
    return out
