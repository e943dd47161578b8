"""Count the rows two relations do not share, doubles compared within a tolerance.

Both the before/after comparison of a change (bench/compare_marts.py) and the DuckDB/Spark parity
(bench/spark_parity.py) take the symmetric difference by ``EXCEPT ALL`` and then pair off the rows
that differ only by floating-point noise: engines, and one engine's parallel threads, sum in an
order of their own, so the last bits of a double may differ. Two rows equal in every other column
whose doubles agree within a relative 10^-``digits`` (or 1e-9 absolute, for a difference of two
large sums that cancel) are the same row. Rounding the doubles to a number of digits instead would
not do: two values either side of a rounding boundary (…14175 and …141749999) round apart however
many digits are kept.

Both also read a date equal to one of a side's load days as one marker (``masked_select``): a trade
row whose file states no vintage takes the day it was loaded (vintage_basis 'load_date'), so two
runs either side of midnight give it different dates, as they give it different ``loaded_at``,
while the row is the same.
"""

from __future__ import annotations

import duckdb

FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")

# Set by the run itself, never by the data: they differ between any two runs.
RUN_COLUMNS = {
    "run_id", "previous_run_id", "screened_at", "loaded_at", "built_at", "ingested_at",
    "fact_built_at",  # int_metric_trade_flows: the build time of the facts it was made from
}  # fmt: skip

# Stands for a side's load day in a date column (``masked_select``): a date no data holds.
LOAD_DAY = "date '0001-01-01'"


def load_days(con: duckdb.DuckDBPyConnection, facts: str) -> list[str]:
    """The days a side's trade files were loaded, from its fct_trade_flows (``loaded_at``, a
    run column): every day from the first load to the last, as SQL date literals."""
    rows = con.execute(
        f"select distinct cast(d as date) from (select unnest(generate_series("
        f"min(loaded_at)::date, max(loaded_at)::date, interval 1 day)) as d from {facts})"
        f" where d is not null"
    ).fetchall()
    return [f"date '{day}'" for (day,) in rows]


def masked_select(
    relation: str, columns: list[tuple[str, str]], days: list[str] = (), cast: bool = False
) -> str:
    """The select of ``relation``'s ``columns`` ((name, DuckDB type)), cast to those types if
    asked, with a date equal to one of the side's load ``days`` read as LOAD_DAY."""
    items = []
    for name, duck_type in columns:
        column = f'"{name}"'
        if cast:
            column = f"cast({column} as {duck_type})"
        if duck_type == "DATE" and days:
            column = f"case when {column} in ({', '.join(days)}) then {LOAD_DAY} else {column} end"
        items.append(f'{column} as "{name}"')
    return f"select {', '.join(items)} from {relation}"


def unpaired_counts(
    con: duckdb.DuckDBPyConnection,
    left: str,
    right: str,
    columns: list[tuple[str, str]],
    digits: int = 10,
) -> tuple[int, int]:
    """(rows only in ``left``, rows only in ``right``) once rows that differ only by noise in
    their doubles are paired off. ``left`` and ``right`` are relations of the same ``columns``
    ((name, DuckDB type), in order)."""
    names = ", ".join(f'"{n}"' for n, _ in columns)
    con.execute(
        f"create or replace temp view only_left as "
        f"select {names} from {left} except all select {names} from {right}"
    )
    con.execute(
        f"create or replace temp view only_right as "
        f"select {names} from {right} except all select {names} from {left}"
    )
    (only_left,) = con.execute("select count(*) from only_left").fetchone()
    (only_right,) = con.execute("select count(*) from only_right").fetchone()
    floats = [f'"{n}"' for n, t in columns if t in FLOAT_TYPES]
    if not floats or not only_left or not only_right:
        return only_left, only_right
    others = [f'"{n}"' for n, t in columns if t not in FLOAT_TYPES]
    # Rows equal in every other column, in the order of their doubles, are paired one to one.
    partition = f"partition by {', '.join(others)} " if others else ""
    numbered = (
        f"select *, row_number() over ({partition}order by {', '.join(floats)}) as pair_number"
    )
    same_key = [f"x.{c} is not distinct from y.{c}" for c in others] + [
        "x.pair_number = y.pair_number"
    ]
    close = [
        f"(x.{c} is not distinct from y.{c} or abs(x.{c} - y.{c}) <= 1e-9"
        f" or abs(x.{c} - y.{c}) <= 1e-{digits} * greatest(abs(x.{c}), abs(y.{c})))"
        for c in floats
    ]
    (paired,) = con.execute(
        f"""with x as ({numbered} from only_left), y as ({numbered} from only_right)
            select count(*) from x inner join y
            on {" and ".join(same_key)} where {" and ".join(close)}"""
    ).fetchone()
    return only_left - paired, only_right - paired
