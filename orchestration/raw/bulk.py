"""Big CSVs (a BACI year: 11 million rows) go from the file to DuckDB without Python.

Each part (one CSV) is read into a table of its own in schema ``raw_parts`` by one parallel
``create table as select``, which keeps the file's row order. The raw table analysts and models
read, ``raw.<source>__<table>``, is a view over the parts that adds what is the same for a whole
file (lineage, revision, version) and the line number, derived from the row's place in its part.
Stored per row, those constants and a ``row_number()`` (which forces a single-threaded scan)
doubled the load time; derived, they cost nothing at load and little at read.

A part's table is never changed after it is written, so once committed its ``rowid`` is its
row's place in the file. Lines the scan did not turn into rows (rejected by a cast, or blank)
shift the lines after them; then the part gets an explicit ``source_line`` column instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import duckdb
import polars as pl

from orchestration.raw.sql import DUCK_TYPES, run, table_exists
from orchestration.sources.common.base import LINEAGE_SCHEMA, BulkPart, SourceFile, SourceParseError

PARTS_SCHEMA = "raw_parts"
PARTS_TABLE = "raw.bulk_parts"

_PARTS_DDL = f"""
create table if not exists {PARTS_TABLE} (
    raw_table varchar, part_table varchar, replace_key varchar, source_file varchar,
    part_name varchar, row_count bigint, skipped_lines bigint, view_select varchar,
    loaded_at timestamp
)"""


@dataclass
class PartLoad:
    part_table: str
    name: str
    rows: int
    rejects: list[tuple[int, str, str]]  # line, reason, raw text


def ensure_parts_schema(con: duckdb.DuckDBPyConnection) -> None:
    run(con, f"create schema if not exists {PARTS_SCHEMA}")
    run(con, _PARTS_DDL)


def drop_parts(
    con: duckdb.DuckDBPyConnection, raw_table: str, replace_key: str, source_file: str
) -> None:
    """Forget the parts a new file replaces: those under its key (the same BACI year and
    version, loaded again from another place), and its own earlier parts whatever key they
    were stored under (a warehouse written when keys were coarser)."""
    where = "raw_table = ? and (replace_key = ? or source_file = ?)"
    params = [raw_table, replace_key, source_file]
    parts = con.execute(f"select part_table from {PARTS_TABLE} where {where}", params).fetchall()
    for (part_table,) in parts:
        run(con, f"drop table if exists {part_table}")
    run(con, f"delete from {PARTS_TABLE} where {where}", params)


def load_part(
    con: duckdb.DuckDBPyConnection, raw_table: str, replace_key: str, file: SourceFile,
    part: BulkPart,
) -> PartLoad:  # fmt: skip
    """Read one CSV into its own table and register how the raw view reads it."""
    part_table = f'{PARTS_SCHEMA}."{raw_table.removeprefix("raw.")}__{part.name.lower()}"'
    # DuckDB keeps the rejects of every earlier scan on the connection: start from none.
    for rejects_table in ("reject_errors", "reject_scans"):
        run(con, f"drop table if exists {rejects_table}")
    try:
        rows = run(con, f"create or replace table {part_table} as {part.select}")[0][0]
    except (duckdb.IOException, duckdb.InvalidInputException) as err:
        # A corrupt gzip, a file that is not CSV: DuckDB's message, with the file named.
        reason = str(err).splitlines()[0]
        raise SourceParseError(_where(file, part), None, f"unreadable: {reason}") from err
    rejects = sorted([*_scan_rejects(con), *part.refused])
    skipped = _skipped_lines(part, file, rows, {line for line, _, _ in rejects})
    line = _line_expression(con, part_table, part.header_lines, skipped)
    columns = "p.* exclude (source_line)" if skipped else "p.*"
    constants = ", ".join(f"{sql} as {name}" for name, sql in part.constants.items())
    view_select = f"select {columns}, {constants}, {line} as source_line from {part_table} as p"
    run(con, f"delete from {PARTS_TABLE} where part_table = ?", [part_table])
    run(
        con,
        f"insert into {PARTS_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [raw_table, part_table, replace_key, file.relative_path, part.name, rows, len(skipped),
         view_select, datetime.now(UTC).replace(tzinfo=None)],
    )  # fmt: skip
    return PartLoad(part_table=part_table, name=part.name, rows=rows, rejects=rejects)


def _scan_rejects(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, str]]:
    """The lines the last scan rejected (DuckDB creates the table only when it has some)."""
    exists = con.execute(
        "select count(*) from duckdb_tables() where table_name = 'reject_errors' and temporary"
    ).fetchall()[0][0]
    if not exists:
        return []
    return con.execute(
        """select line, coalesce(error_message, ''), coalesce(csv_line, '')
           from reject_errors order by line"""
    ).fetchall()


def _skipped_lines(part: BulkPart, file: SourceFile, rows: int, rejected: set[int]) -> list[int]:
    """Every data line that gave no row: the rejected ones, and blank lines (which DuckDB skips
    silently). A count that still does not add up means records spanning lines, which would
    make every line number after them wrong: that file is refused."""
    lines = count_lines(part.csv_path)
    if lines < part.header_lines:
        raise SourceParseError(_where(file, part), None, "empty file: no header line")
    data_lines = lines - part.header_lines
    if rows + len(rejected) == data_lines:
        return sorted(rejected)
    blank = blank_lines(part.csv_path)
    skipped = sorted(rejected | blank)
    if rows + len(skipped) != data_lines:
        # DuckDB passes over a line longer than it reads without a word: name it.
        long = first_long_line(part.csv_path, MAX_LINE_BYTES)
        if long is not None:
            line, size = long
            raise SourceParseError(
                _where(file, part), line,
                f"a line of {size:,} bytes, longer than the {MAX_LINE_BYTES:,} a CSV line may "
                "have: the file is damaged",
            )  # fmt: skip
        raise SourceParseError(
            _where(file, part), None,
            f"{data_lines} data lines gave {rows} rows, {len(rejected)} rejected and "
            f"{len(blank)} blank: a record spans several lines, so line numbers cannot be kept",
        )  # fmt: skip
    return skipped


def _where(file: SourceFile, part: BulkPart) -> str:
    """The file, and the member when the part comes from inside it."""
    return file.relative_path if part.csv_path == file.path else f"{file.relative_path}:{part.name}"


def count_lines(path: Path) -> int:
    """Lines in a file (a last line without a newline counts), read in big blocks."""
    count, last = 0, b"\n"
    with path.open("rb", buffering=0) as handle:
        while block := handle.read(1 << 22):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


# DuckDB's read_csv default max_line_size.
MAX_LINE_BYTES = 2_000_000


def first_long_line(path: Path, limit: int) -> tuple[int, int] | None:
    """The first line longer than ``limit`` bytes and its length, read in blocks (a damaged
    line can be larger than memory should hold at once)."""
    line, size = 1, 0
    with path.open("rb", buffering=0) as handle:
        while block := handle.read(1 << 22):
            start = 0
            while (end := block.find(b"\n", start)) != -1:
                if size + end - start > limit:
                    return line, size + end - start
                line, size, start = line + 1, 0, end + 1
            size += len(block) - start
    return (line, size) if size > limit else None


def blank_lines(path: Path) -> set[int]:
    """Line numbers of empty lines (only for files whose counts do not add up: slow)."""
    with path.open("rb") as handle:
        return {n for n, text in enumerate(handle, start=1) if not text.strip(b"\r\n")}


def _line_expression(
    con: duckdb.DuckDBPyConnection, part_table: str, header_lines: int, skipped: list[int]
) -> str:
    """How the view gets a row's line: from its place, or, when lines were skipped, from a
    column written once here (row n comes after every skipped line that has fewer than n rows
    before it)."""
    first = header_lines + 1
    if not skipped:
        return f"p.rowid + {first}"
    # The k-th skipped line L (1-based) has L - first - (k - 1) rows before it.
    thresholds = [(line - first - k, k + 1) for k, line in enumerate(skipped)]
    values = ", ".join(f"({rows_before}, {shift})" for rows_before, shift in thresholds)
    # Inside the loading transaction rowids do not start at 0 yet: number the rows instead.
    run(
        con,
        f"""create or replace table {part_table} as
            with numbered as (
                select *, row_number() over (order by rowid) - 1 as row_index from {part_table}
            )
            select p.* exclude (row_index), p.row_index + {first} + coalesce(s.shift, 0)
                as source_line
            from numbered as p
            asof left join (
                select rows_before, max(shift) as shift
                from (values {values}) as v(rows_before, shift) group by rows_before
            ) as s on p.row_index >= s.rows_before
            order by p.row_index""",
    )
    return "p.source_line"


def rebuild_view(
    con: duckdb.DuckDBPyConnection, raw_table: str, schema: dict[str, pl.DataType]
) -> None:
    """Point ``raw_table`` at its parts (or at no rows of the right columns when none)."""
    ensure_parts_schema(con)
    selects = [
        r[0]
        for r in con.execute(
            f"select view_select from {PARTS_TABLE} where raw_table = ? order by part_table",
            [raw_table],
        ).fetchall()
    ]
    body = "\nunion all by name\n".join(selects) if selects else _no_rows(schema)
    run(con, f"create or replace view {raw_table} as {body}")


def adopt_table(con: duckdb.DuckDBPyConnection, raw_table: str, key_sql: str) -> None:
    """Warehouses built before parts held a bulk table's rows in the table itself: move them
    into parts, one per file and replacement key (``key_sql``, an expression over the table's
    columns), so that nothing stored is lost and a file loaded again still replaces its own
    rows. Those parts keep their stored lineage columns."""
    if not table_exists(con, raw_table) or _is_view(con, raw_table):
        return
    groups = con.execute(
        f"select distinct source_file, {key_sql} from {raw_table} order by 1, 2"
    ).fetchall()
    for number, (source_file, key) in enumerate(groups):
        part_table = f'{PARTS_SCHEMA}."{raw_table.removeprefix("raw.")}__adopted_{number}"'
        rows = run(
            con,
            f"""create table {part_table} as select * from {raw_table}
                where source_file is not distinct from ? and {key_sql} is not distinct from ?
                order by source_line""",
            [source_file, key],
        )[0][0]
        run(
            con,
            f"insert into {PARTS_TABLE} values (?, ?, ?, ?, ?, ?, 0, ?, ?)",
            [raw_table, part_table, str(key), source_file, PurePosixPath(source_file or "").name,
             rows, f"select p.* from {part_table} as p",
             datetime.now(UTC).replace(tzinfo=None)],
        )  # fmt: skip
    run(con, f"drop table {raw_table}")


def _is_view(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    schema, name = qualified.split(".")
    return bool(
        con.execute(
            "select count(*) from duckdb_views() where schema_name = ? and view_name = ?",
            [schema, name],
        ).fetchall()[0][0]
    )


def _no_rows(schema: dict[str, pl.DataType]) -> str:
    columns = {**schema, **LINEAGE_SCHEMA}
    casts = [f"cast(null as {DUCK_TYPES[dtype]}) as {name}" for name, dtype in columns.items()]
    return f"select {', '.join(casts)} where false"


def load_file_parts(
    con: duckdb.DuckDBPyConnection, raw_table: str, key: tuple[str, str], file: SourceFile,
    parts: Iterable[BulkPart], schema: dict[str, pl.DataType],
) -> list[PartLoad]:  # fmt: skip
    """Replace the parts under ``key`` (SQL expression, value) by the parts of ``file``."""
    key_sql, replace_key = key
    adopt_table(con, raw_table, key_sql)
    drop_parts(con, raw_table, replace_key, file.relative_path)
    loaded = [load_part(con, raw_table, replace_key, file, part) for part in parts]
    rebuild_view(con, raw_table, schema)
    return loaded


def part_relation(con: duckdb.DuckDBPyConnection, part_table: str) -> str:
    """A part as its raw view shows it (with the per-file columns and the line)."""
    return (
        "("
        + con.execute(
            f"select view_select from {PARTS_TABLE} where part_table = ?", [part_table]
        ).fetchall()[0][0]
        + ")"
    )
