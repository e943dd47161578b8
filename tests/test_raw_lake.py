"""The raw layer as Parquet for Spark (orchestration/raw_lake.py), on a hand-made warehouse."""

from __future__ import annotations

import duckdb
import pyarrow.parquet as pq

from orchestration.raw_lake import export_raw_lake

ROWS = """
insert into raw.demo__items values
 ('demo', date '2024-01-31', 'a.csv', 2, '6f1c6a8e-2a7e-4c3e-9a51-0d3f1c2b7e10'::uuid,
  99999999999999999999999999999999999999::hugeint, time '12:30:00',
  timestamp_ns '2024-01-31 10:00:00.123456789', interval 3 day, 'x'),
 ('demo', null, 'b.csv', 5, null, 1::hugeint, null, null, null, 'y')
"""


def _warehouse(path):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema raw")
        con.execute(
            """create table raw.demo__items (source varchar, release_date date,
               source_file varchar, source_line bigint, id uuid, big hugeint, at_time time,
               stamp timestamp_ns, span interval, label varchar)"""
        )
        con.execute(ROWS)
        con.execute("create table raw.demo__empty (source varchar, release_date date, n bigint)")


def test_tables_are_partitioned_zstd_parquet_in_spark_safe_types(tmp_path):
    _warehouse(tmp_path / "w.duckdb")
    written = {t.table: t for t in export_raw_lake(tmp_path / "w.duckdb", tmp_path / "lake")}
    items = written["demo__items"]
    assert (items.rows, items.partitioned_by) == (2, ("source", "release_date"))
    folders = sorted(
        p.relative_to(items.path).parent.as_posix() for p in items.path.rglob("*.parquet")
    )
    # A NULL release date goes where Hive (and so Spark) looks for NULLs.
    assert folders == [
        "source=demo/release_date=2024-01-31",
        "source=demo/release_date=__HIVE_DEFAULT_PARTITION__",
    ]
    for file in items.path.rglob("*.parquet"):
        meta = pq.ParquetFile(file).metadata
        assert meta.row_group(0).column(0).compression == "ZSTD"
    schema = pq.read_schema(next(items.path.rglob("*.parquet")))
    types = {name: str(schema.field(name).type) for name in schema.names}
    # Partition columns live in the folder names, not the files.
    assert "source" not in types and "release_date" not in types
    assert types["id"] == "string"  # a UUID has no Spark twin
    assert types["big"] == "decimal128(38, 0)"
    assert types["at_time"] == "string" and types["span"] == "string"
    assert types["stamp"] == "timestamp[us]"


def test_values_read_back_as_written(tmp_path):
    _warehouse(tmp_path / "w.duckdb")
    export_raw_lake(tmp_path / "w.duckdb", tmp_path / "lake")
    con = duckdb.connect()
    rows = con.execute(
        f"""select source, release_date, label, id, cast(big as varchar), stamp
            from read_parquet('{tmp_path}/lake/demo__items/**/*.parquet', hive_partitioning = true)
            order by label"""
    ).fetchall()
    assert [r[:4] for r in rows] == [
        ("demo", __import__("datetime").date(2024, 1, 31), "x",
         "6f1c6a8e-2a7e-4c3e-9a51-0d3f1c2b7e10"),
        ("demo", None, "y", None),
    ]  # fmt: skip
    assert rows[0][4] == "99999999999999999999999999999999999999"
    # Microseconds: .123456789 s rounds to .123457.
    assert str(rows[0][5]) == "2024-01-31 10:00:00.123457"


def test_an_empty_table_keeps_its_columns_and_an_export_replaces_the_last(tmp_path):
    _warehouse(tmp_path / "w.duckdb")
    lake = tmp_path / "lake"
    export_raw_lake(tmp_path / "w.duckdb", lake)
    empty = pq.read_schema(lake / "demo__empty" / "data_0.parquet")
    assert empty.names == ["source", "release_date", "n"]
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("delete from raw.demo__items where label = 'y'")
    export_raw_lake(tmp_path / "w.duckdb", lake)
    files = list((lake / "demo__items").rglob("*.parquet"))
    assert len(files) == 1 and "2024-01-31" in files[0].as_posix()
    assert not [p for p in lake.iterdir() if p.name.startswith(".")]  # no partial folder left


def test_the_parity_check_finds_a_changed_value_and_passes_equal_tables(tmp_path):
    from bench.spark_parity import compare

    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema s")
        con.execute(
            """create table s.t as select * from (values
               (1, 'a', 0.1::double + 0.2::double), (2, 'b', 1.5::double)) v(k, x, d)"""
        )
        out = tmp_path / "spark"
        for name, rows in (
            ("s.same", "(1, 'a', 0.3), (2, 'b', 1.5)"),
            ("s.t", "(1, 'a', 0.3), (2, 'c', 1.5)"),
        ):
            (out / name).mkdir(parents=True)
            con.execute(
                f"copy (select * from (values {rows}) v(k, x, d)) to '{out / name}/part-0.parquet'"
            )
        con.execute("create table s.same as select * from s.t")
    same, changed = compare(warehouse, out, ["s.same", "s.t"])
    # 0.1 + 0.2 and 0.3 differ in the last bits of a double only: the same to 10 digits.
    assert (same.same, same.differing_rows) == (True, 0)
    # One row changed: it is in each direction of the symmetric difference.
    assert (changed.same, changed.differing_rows) == (False, 2)
