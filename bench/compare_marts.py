"""Compare every mart of two warehouses row for row (a symmetric EXCEPT ALL), leaving out the
columns that record when or in which run a row was made, and reading a vintage that is a run's
own load day as the same in both (bench/mart_difference.py).

    uv run python -m bench.compare_marts <before.duckdb> <after.duckdb>

Prints one line per mart and exits 1 when any differs: the check that a change meant to make a
run faster left what analysts read as it was. Doubles are compared within a relative
10^-``--digits`` (default 10; bench/mart_difference.py): DuckDB sums in parallel, so two runs of
the same SQL may differ in the last bits of a double (about 1e-13 relative on the sample).
"""

from __future__ import annotations

import argparse
import sys

import duckdb

from bench.mart_difference import RUN_COLUMNS, load_days, masked_select, unpaired_counts


def compare(before: str, after: str, digits: int = 10) -> list[tuple[str, int, int, int, int]]:
    """(mart, rows before, rows after, rows only before, rows only after) for every mart."""
    con = duckdb.connect()
    con.execute(f"attach '{before}' as b (read_only)")
    con.execute(f"attach '{after}' as a (read_only)")
    marts = [
        t
        for (t,) in con.execute(
            """select distinct table_name from duckdb_tables()
               where schema_name = 'marts' and database_name in ('a', 'b') order by 1"""
        ).fetchall()
    ]
    # The load days of each run, where both hold the facts (a load-day vintage: mart_difference).
    days = {"b": [], "a": []}
    if "fct_trade_flows" in marts:
        days = {side: load_days(con, f"{side}.marts.fct_trade_flows") for side in days}
    out = []
    for mart in marts:
        columns = [
            (c, t)
            for (c, t) in con.execute(
                """select column_name, data_type from duckdb_columns()
                   where database_name = 'b' and schema_name = 'marts' and table_name = ?
                   order by column_index""",
                [mart],
            ).fetchall()
            if c not in RUN_COLUMNS
        ]
        con.execute(
            "create or replace temp view before_rows as "
            + masked_select(f"b.marts.{mart}", columns, days["b"])
        )
        con.execute(
            "create or replace temp view after_rows as "
            + masked_select(f"a.marts.{mart}", columns, days["a"])
        )
        (n_before,) = con.execute("select count(*) from before_rows").fetchone()
        (n_after,) = con.execute("select count(*) from after_rows").fetchone()
        only_before, only_after = unpaired_counts(con, "before_rows", "after_rows", columns, digits)
        row = (n_before, n_after, only_before, only_after)
        out.append((mart, *row))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--digits", type=int, default=10)
    args = parser.parse_args()
    differ = False
    for mart, n_before, n_after, only_before, only_after in compare(
        args.before, args.after, args.digits
    ):
        same = only_before == only_after == 0
        differ |= not same
        print(
            f"{'same' if same else 'DIFFERENT'}  marts.{mart}: {n_before:,} rows before, "
            f"{n_after:,} after, {only_before:,} only before, {only_after:,} only after"
        )
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
