"""Compare every mart of two warehouses row for row (a symmetric EXCEPT ALL), leaving out the
columns that record when or in which run a row was made.

    uv run python -m bench.compare_marts <before.duckdb> <after.duckdb>

Prints one line per mart and exits 1 when any differs: the check that a change meant to make a
run faster left what analysts read as it was. Floating-point columns are compared on their first
``--digits`` significant digits (default 10): DuckDB sums in parallel, so two runs of the same
SQL may differ in the last bits of a double (about 1e-13 relative on the sample).
"""

from __future__ import annotations

import argparse
import sys

import duckdb

# Set by the run itself, never by the data: they differ between any two runs.
RUN_COLUMNS = {"run_id", "previous_run_id", "screened_at", "loaded_at", "built_at", "ingested_at"}


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
        cols = ", ".join(
            f"printf('%.{digits}g', \"{c}\")" if t in ("DOUBLE", "FLOAT") else f'"{c}"'
            for c, t in columns
        )
        b, a = f"b.marts.{mart}", f"a.marts.{mart}"
        (row,) = con.execute(
            f"""select (select count(*) from {b}), (select count(*) from {a}),
                       (select count(*) from (select {cols} from {b} except all
                                              select {cols} from {a})),
                       (select count(*) from (select {cols} from {a} except all
                                              select {cols} from {b}))"""
        ).fetchall()
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
