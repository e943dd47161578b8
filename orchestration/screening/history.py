"""The screening history in the warehouse: ``raw.screening__*`` tables, appended run by run.

``runs`` and ``matches`` keep every run, so new hits can always be traced back to the screening
that first had them. The inputs (``counterparties``, ``shipments``) and ``ownership_shares`` keep
the last :data:`KEEP_INPUT_RUNS` configured runs only: they are the analyst's files again (their
path and sha256 stay in ``runs``), and a daily screening of a large file would otherwise grow the
warehouse by the whole file every day.
"""

from __future__ import annotations

import duckdb
import polars as pl

from orchestration.raw.sql import run as execute
from orchestration.raw.sql import table_exists
from orchestration.screening.run import SCHEMAS, PreviousRun, ScreeningRun

KEEP_INPUT_RUNS = 2
PRUNED = ("counterparties", "shipments", "ownership_shares")


def raw_table(name: str) -> str:
    return f"raw.screening__{name}"


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw screening tables, empty, where they do not exist yet."""
    execute(con, "create schema if not exists raw")
    for name, schema in SCHEMAS.items():
        if table_exists(con, raw_table(name)):
            _add_new_columns(con, raw_table(name), schema)
            continue
        con.register("_empty", pl.DataFrame(schema=schema).to_arrow())
        try:
            execute(con, f"create table {raw_table(name)} as select * from _empty")
        finally:
            con.unregister("_empty")


def _add_new_columns(con: duckdb.DuckDBPyConnection, table: str, schema: dict) -> None:
    # A warehouse written before a column was added keeps its rows; the new column is empty
    # for them.
    have = {row[0] for row in con.execute(f"describe {table}").fetchall()}
    for column, dtype in schema.items():
        if column not in have:
            sql_type = "varchar" if dtype == pl.String else None
            if sql_type is None:
                raise ValueError(f"{table}: cannot add column {column} of type {dtype}")
            execute(con, f"alter table {table} add column {column} {sql_type}")


def previous_run(con: duckdb.DuckDBPyConnection) -> PreviousRun | None:
    """The last configured run in the history, or None before the first one."""
    ensure_tables(con)
    last = execute(
        con,
        f"select run_id from {raw_table('runs')} where configured "
        "order by screened_at desc, run_id desc limit 1",
    )
    if not last:
        return None
    run_id = last[0][0]
    hits = execute(
        con,
        f"select counterparty_id, entity_key from {raw_table('matches')} where run_id = ?",
        [run_id],
    )
    records = execute(
        con,
        f"select counterparty_id, record_sha256 from {raw_table('counterparties')} "
        "where run_id = ?",
        [run_id],
    )
    return PreviousRun(run_id=run_id, hits=frozenset(hits), records=dict(records))


def write_run(con: duckdb.DuckDBPyConnection, run: ScreeningRun) -> None:
    """Append the run's rows (replacing rows of the same run id, so a retried step does not
    double them) and prune old inputs, in one transaction."""
    ensure_tables(con)
    run_id = run.runs["run_id"][0]
    execute(con, "begin transaction")
    try:
        for name, frame in run.tables().items():
            table = raw_table(name)
            execute(con, f"delete from {table} where run_id = ?", [run_id])
            con.register("_rows", frame.select(list(SCHEMAS[name])).to_arrow())
            try:
                execute(con, f"insert into {table} by name select * from _rows")
            finally:
                con.unregister("_rows")
        _prune(con)
        execute(con, "commit")
    except BaseException:
        execute(con, "rollback")
        raise


def _prune(con: duckdb.DuckDBPyConnection) -> None:
    kept = f"""
        select run_id from {raw_table("runs")} where configured
        order by screened_at desc, run_id desc limit {KEEP_INPUT_RUNS}
    """
    for name in PRUNED:
        execute(con, f"delete from {raw_table(name)} where run_id not in ({kept})")
