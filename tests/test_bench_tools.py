"""The benchmarks' own tools: the mart comparison finds a changed row and ignores run-time
columns and the last bits of a double; the process-tree sampler sees a child's memory."""

from __future__ import annotations

import sys

import duckdb

from bench.compare_marts import compare
from bench.measure import exponent, run_tree


def warehouse(path, rows, built_at="2026-01-01"):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_x (k varchar, v double, built_at timestamp)")
        con.executemany(
            "insert into marts.fct_x values (?, ?, ?)", [(k, v, built_at) for k, v in rows]
        )


def test_compare_marts(tmp_path):
    warehouse(tmp_path / "a.duckdb", [("a", 0.1 + 0.2), ("b", 2.0)])
    # the same rows, another build time and 0.3 summed the other way: the same marts
    warehouse(tmp_path / "b.duckdb", [("b", 2.0), ("a", 0.3)], built_at="2026-02-02")
    warehouse(tmp_path / "c.duckdb", [("a", 0.3), ("b", 2.5)])
    assert compare(str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb")) == [
        ("fct_x", 2, 2, 0, 0)
    ]
    assert compare(str(tmp_path / "a.duckdb"), str(tmp_path / "c.duckdb")) == [
        ("fct_x", 2, 2, 1, 1)
    ]


def test_compare_marts_pairs_doubles_either_side_of_a_rounding_boundary(tmp_path):
    # 2e-14 apart, relatively: the same figure. At ten significant digits the first rounds to
    # 1.000000001 and the second to 1.000000000, so rounding would call them different.
    warehouse(tmp_path / "a.duckdb", [("a", 1.00000000050001), ("b", 7.0)])
    warehouse(tmp_path / "b.duckdb", [("a", 1.00000000049999), ("b", 7.0)])
    assert compare(str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb")) == [
        ("fct_x", 2, 2, 0, 0)
    ]
    # 1e-6 apart, relatively: a real difference, one row on each side.
    warehouse(tmp_path / "c.duckdb", [("a", 1.000001), ("b", 7.0)])
    assert compare(str(tmp_path / "a.duckdb"), str(tmp_path / "c.duckdb")) == [
        ("fct_x", 2, 2, 1, 1)
    ]


def test_run_tree_sees_a_child_of_the_child():
    # The child starts a grandchild that holds 300 MB for a second.
    grandchild = "b = bytearray(300 * 2**20); import time; time.sleep(1)"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}])"
    run = run_tree([sys.executable, "-c", child])
    assert run.returncode == 0
    assert run.peak_rss_mb > 300
    assert run.seconds >= 1


def test_exponent_of_a_power_law():
    assert round(exponent([1, 3, 7], [10 * n**1.5 for n in (1, 3, 7)]), 6) == 1.5


def test_spark_parity_reads_a_load_day_vintage_as_the_sides_load_day(tmp_path):
    """Two runs either side of midnight: a row whose file states no vintage takes its load day
    (vintage_basis 'load_date') on each side, and is still the same row; a stated vintage that
    differs is still a difference."""
    from bench.spark_parity import compare as parity_compare

    def facts(rows, loaded_at):
        return [(*row, loaded_at) for row in rows]

    columns = "k varchar, vintage date, vintage_basis varchar, loaded_at timestamp"
    duck = tmp_path / "w.duckdb"
    with duckdb.connect(str(duck)) as con:
        con.execute("create schema marts")
        con.execute(f"create table marts.fct_trade_flows ({columns})")
        con.executemany(
            "insert into marts.fct_trade_flows values (?, ?, ?, ?)",
            facts(
                [("a", "2026-12-07", "load_date"), ("b", "2024-11-16", "file")],
                "2026-12-07 23:50:00",
            ),
        )
    spark = tmp_path / "spark"

    def spark_side(rows):
        (spark / "marts.fct_trade_flows").mkdir(parents=True, exist_ok=True)
        with duckdb.connect() as con:
            con.execute(f"create table t ({columns})")
            con.executemany("insert into t values (?, ?, ?, ?)", facts(rows, "2026-12-08 00:10:00"))
            con.execute(f"copy t to '{spark}/marts.fct_trade_flows/part-0.parquet'")

    spark_side([("a", "2026-12-08", "load_date"), ("b", "2024-11-16", "file")])
    [same] = parity_compare(duck, spark, ["marts.fct_trade_flows"])
    assert (same.duckdb_rows, same.spark_rows, same.differing_rows) == (2, 2, 0)
    spark_side([("a", "2026-12-08", "load_date"), ("b", "2024-11-17", "file")])
    [changed] = parity_compare(duck, spark, ["marts.fct_trade_flows"])
    assert changed.differing_rows == 2


def test_compare_marts_reads_a_load_day_vintage_as_each_runs_load_day(tmp_path):
    """The before/after comparison of two runs either side of midnight: a row whose file states
    no vintage takes each run's load day and is still the same row, in every mart; a stated
    vintage that differs is still a difference."""

    def run(path, facts, loaded_at):
        with duckdb.connect(str(path)) as con:
            con.execute("create schema marts")
            con.execute(
                "create table marts.fct_trade_flows "
                "(k varchar, vintage date, vintage_basis varchar, loaded_at timestamp)"
            )
            con.executemany(
                "insert into marts.fct_trade_flows values (?, ?, ?, ?)",
                [(*row, loaded_at) for row in facts],
            )
            # another mart carrying the vintage on
            con.execute(
                "create table marts.fct_series as select k, vintage from marts.fct_trade_flows"
            )

    run(
        tmp_path / "before.duckdb",
        [("a", "2026-12-07", "load_date"), ("b", "2024-11-16", "file")],
        "2026-12-07 23:50:00",
    )
    run(
        tmp_path / "after.duckdb",
        [("a", "2026-12-08", "load_date"), ("b", "2024-11-16", "file")],
        "2026-12-08 00:10:00",
    )
    run(
        tmp_path / "changed.duckdb",
        [("a", "2026-12-08", "load_date"), ("b", "2024-11-17", "file")],
        "2026-12-08 00:10:00",
    )
    before = str(tmp_path / "before.duckdb")
    assert compare(before, str(tmp_path / "after.duckdb")) == [
        ("fct_series", 2, 2, 0, 0),
        ("fct_trade_flows", 2, 2, 0, 0),
    ]
    assert compare(before, str(tmp_path / "changed.duckdb")) == [
        ("fct_series", 2, 2, 1, 1),
        ("fct_trade_flows", 2, 2, 1, 1),
    ]
