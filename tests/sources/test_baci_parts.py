"""Loose BACI yearly CSVs: each file is one part of raw.baci__trade, and every row's line number,
derived from its place in the part, points at the line of the file it came from (checked by
reading the file's lines back), also when bad or blank lines sit in between."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from orchestration.raw.ingest import ingest_source
from orchestration.raw.writer import ensure_empty_tables
from orchestration.sources import source_specs
from orchestration.sources.common.base import SourceParseError
from orchestration.sources.common.registry import discover

TRADE = next(s for s in source_specs("baci") if s.name == "baci")
HEADER = "t,i,j,k,v,q"


def write_year(root: Path, lines: list[str], year: int = 2022, version: str = "V202601") -> Path:
    path = root / "trade" / "baci" / f"BACI_HS17_Y{year}_{version}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    return path


def ingest(con, root: Path) -> dict:
    return ingest_source(con, TRADE, discover(root).for_source("baci"))


def stored(con) -> list[tuple]:
    return con.execute(
        "select source_line, t, i, j, k, v, q from raw.baci__trade order by source_line"
    ).fetchall()


def as_row(line: str) -> tuple:
    t, i, j, k, v, q = line.split(",")
    return (int(t), int(i), int(j), k.zfill(6), float(v), float(q) if q not in ("", "NA") else None)


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    yield connection
    connection.close()


def lines_of(path: Path) -> list[str]:
    return path.read_text().split("\n")


def test_rows_keep_their_lines_and_lineage(tmp_path, con):
    path = write_year(tmp_path, ["2022,4,8,10121,1.5,0.2", "2022,4,12,010121,2.25,NA",
                                 "2022,8,4,854231,100,"])  # fmt: skip
    loads = ingest(con, tmp_path)
    assert (loads["trade"].rows, loads["trade"].quarantined) == (3, 0)
    file_lines = lines_of(path)
    assert stored(con) == [(n, *as_row(file_lines[n - 1])) for n in (2, 3, 4)]
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert con.execute(
        "select distinct source, source_file, file_sha256, release_date, hs_revision, "
        "baci_version, partition_key, file_year from raw.baci__trade"
    ).fetchall() == [("baci", "trade/baci/BACI_HS17_Y2022_V202601.csv", sha, None, "HS17",
                      "V202601", "HS17/2022", 2022)]  # fmt: skip


def test_rejected_and_blank_lines_shift_the_lines_after_them(tmp_path, con):
    path = write_year(tmp_path, [
        "2022,4,8,010121,1.5,0.2",          # line 2
        "2022,4,12,010121,not-a-number,1",  # line 3: rejected
        "",                                 # line 4: blank
        "2022,4,20,010121,3,1",             # line 5
        "2022,x,20,010121,3,1",             # line 6: rejected
        "2022,4,24,010121,4,1",             # line 7
        "2022,4,28,010121,5,1",             # line 8
    ])  # fmt: skip
    loads = ingest(con, tmp_path)
    assert (loads["trade"].rows, loads["trade"].quarantined) == (4, 2)
    file_lines = lines_of(path)
    assert stored(con) == [(n, *as_row(file_lines[n - 1])) for n in (2, 5, 7, 8)]
    assert con.execute(
        "select source_line, raw_text from raw.quarantine order by source_line"
    ).fetchall() == [(3, file_lines[2]), (6, file_lines[5])]


def test_a_record_spanning_lines_is_refused_with_the_file_named(tmp_path, con):
    write_year(tmp_path, ["2022,4,8,010121,1.5,0.2"])
    ingest(con, tmp_path)
    before = stored(con)
    newer = tmp_path / "newer"
    write_year(newer, ['2022,4,8,"0101\n21",1.5,0.2', "2022,4,12,010121,2,1"], version="V202701")
    with pytest.raises(SourceParseError, match="a record spans several lines") as raised:
        ingest(con, newer)
    assert raised.value.path == "trade/baci/BACI_HS17_Y2022_V202701.csv"
    # The older version of the year is still there, whole.
    assert stored(con) == before
    assert con.execute("select part_name from raw.bulk_parts").fetchall() == [
        ("BACI_HS17_Y2022_V202601",)
    ]


def test_every_version_of_a_year_is_kept_and_the_same_version_replaces_itself(tmp_path, con):
    """Each BACI version is a vintage: V202701 of 2022 sits beside V202601. The same version
    of the year loaded again from a release folder replaces its rows."""
    write_year(tmp_path / "old", ["2022,4,8,010121,1.5,0.2", "2022,4,12,010121,2,1"])
    write_year(tmp_path / "old", ["2021,4,8,010121,9,1"], year=2021)
    ingest(con, tmp_path / "old")
    write_year(tmp_path / "new", ["2022,4,8,010121,7,0.2"], version="V202701")
    ingest(con, tmp_path / "new")
    assert con.execute(
        "select t, baci_version, v, source_line from raw.baci__trade order by t, baci_version, v"
    ).fetchall() == [(2021, "V202601", 9.0, 2), (2022, "V202601", 1.5, 2),
                     (2022, "V202601", 2.0, 3), (2022, "V202701", 7.0, 2)]  # fmt: skip
    again = tmp_path / "again"
    path = write_year(again, ["2022,4,8,010121,1.75,0.2"])
    dated = again / "trade" / "baci" / "2026-02-01"
    dated.mkdir()
    path.rename(dated / path.name)
    ingest(con, again)
    assert con.execute(
        "select t, baci_version, v, source_file from raw.baci__trade order by t, baci_version"
    ).fetchall() == [
        (2021, "V202601", 9.0, "trade/baci/BACI_HS17_Y2021_V202601.csv"),
        (2022, "V202601", 1.75, "trade/baci/2026-02-01/BACI_HS17_Y2022_V202601.csv"),
        (2022, "V202701", 7.0, "trade/baci/BACI_HS17_Y2022_V202701.csv"),
    ]
    assert con.execute(
        "select table_name from duckdb_tables() where schema_name = 'raw_parts' order by 1"
    ).fetchall() == [("baci__trade__baci_hs17_y2021_v202601",),
                     ("baci__trade__baci_hs17_y2022_v202601",),
                     ("baci__trade__baci_hs17_y2022_v202701",)]  # fmt: skip


def test_a_file_already_held_is_not_read_again(tmp_path, con):
    write_year(tmp_path, ["2022,4,8,010121,1.5,0.2", "2022,4,12,010121,2,1"])
    first = ingest(con, tmp_path)["trade"]
    rows = stored(con)
    parts = con.execute("select part_table, loaded_at from raw.bulk_parts").fetchall()
    again = ingest(con, tmp_path)["trade"]
    assert (first.rows, first.unchanged, len(first.parts)) == (2, 0, 1)
    assert (again.rows, again.unchanged, again.parts) == (0, 1, [])
    assert stored(con) == rows
    assert con.execute("select part_table, loaded_at from raw.bulk_parts").fetchall() == parts
    assert con.execute("select row_count from raw.ingested_files").fetchall() == [(2,)]


def test_a_changed_file_of_the_same_name_is_read_again(tmp_path, con):
    path = write_year(tmp_path, ["2022,4,8,010121,1.5,0.2"])
    ingest(con, tmp_path)
    path.write_text(f"{HEADER}\n2022,4,8,010121,9.5,0.2\n2022,4,12,010121,2,1\n")
    load = ingest(con, tmp_path)["trade"]
    assert (load.rows, load.unchanged) == (2, 0)
    assert [row[5] for row in stored(con)] == [9.5, 2.0]


def test_no_file_leaves_an_empty_raw_table_with_its_columns(con):
    ensure_empty_tables(con, TRADE)
    columns = [r[0] for r in con.execute("describe raw.baci__trade").fetchall()]
    assert columns == ["t", "i", "j", "k", "v", "q", "hs_revision", "baci_version",
                       "partition_key", "file_year", "source", "release_date", "source_file",
                       "file_sha256", "source_line"]  # fmt: skip
    assert con.execute("select count(*) from raw.baci__trade").fetchall() == [(0,)]


def test_rows_of_an_older_warehouse_are_kept_as_parts(tmp_path, con):
    """Before parts, raw.baci__trade held every row itself: its rows become parts, a file of
    another version sits beside them, and the file loaded again replaces its own rows."""
    con.execute("create schema raw").fetchall()
    con.execute(
        """create table raw.baci__trade as
           select 2021 as t, 4 as i, 8 as j, '010121' as k, 5.0 as v, 1.0 as q,
                  'HS17' as hs_revision, 'V202501' as baci_version, 'HS17/2021' as partition_key,
                  2021 as file_year, 'baci' as source, cast(null as date) as release_date,
                  'trade/baci/BACI_HS17_Y2021_V202501.csv' as source_file, 'aa' as file_sha256,
                  2 as source_line
           union all
           select 2022, 4, 8, '010121', 6.0, 1.0, 'HS17', 'V202501', 'HS17/2022', 2022, 'baci',
                  null, 'trade/baci/BACI_HS17_Y2022_V202501.csv', 'bb', 2"""
    ).fetchall()
    write_year(tmp_path, ["2022,4,8,010121,7.5,0.2"], version="V202601")
    write_year(tmp_path, ["2021,4,8,010121,5.5,1"], year=2021, version="V202501")
    ingest(con, tmp_path)
    assert con.execute(
        "select table_type from information_schema.tables where table_name = 'baci__trade'"
    ).fetchall() == [("VIEW",)]
    assert con.execute(
        "select t, baci_version, v, source_file, source_line from raw.baci__trade "
        "order by t, baci_version"
    ).fetchall() == [
        (2021, "V202501", 5.5, "trade/baci/BACI_HS17_Y2021_V202501.csv", 2),
        (2022, "V202501", 6.0, "trade/baci/BACI_HS17_Y2022_V202501.csv", 2),
        (2022, "V202601", 7.5, "trade/baci/BACI_HS17_Y2022_V202601.csv", 2),
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("t,i,j,k,q,v\n2022,4,8,010121,0.2,1.5\n", "found t,i,j,k,q,v"),
        ("t,i,j,k,v\n2022,4,8,010121,1.5\n", "found t,i,j,k,v"),
        ("", "found an empty file"),
    ],
)
def test_a_header_other_than_bacis_is_refused(tmp_path, con, text, found):
    """Columns are read by position: another order would swap values and quantities."""
    path = write_year(tmp_path, [])
    path.write_text(text)
    with pytest.raises(SourceParseError, match=found) as raised:
        ingest(con, tmp_path)
    assert (raised.value.path, raised.value.line) == ("trade/baci/BACI_HS17_Y2022_V202601.csv", 1)
