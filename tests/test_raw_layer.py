"""The raw layer: idempotent loads, all-or-nothing sources, rejected rows kept, count bands."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest

from orchestration.checks.raw_checks import shrunk_releases
from orchestration.raw.ingest import ingest_source
from orchestration.settings import SAMPLE_INPUTS
from orchestration.sources import SPECS
from orchestration.sources.common.base import SourceParseError
from orchestration.sources.common.registry import discover

OFAC = next(s for s in SPECS if s.name == "ofac_sdn")


def counts(con) -> dict[str, int]:
    tables = con.execute(
        "select table_name from information_schema.tables where table_schema = 'raw'"
    ).fetchall()
    return {t: con.execute(f"select count(*) from raw.{t}").fetchall()[0][0] for (t,) in tables}


def test_ingesting_the_same_release_twice_changes_nothing(tmp_path):
    files = discover(SAMPLE_INPUTS).for_source("ofac_sdn")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    first = ingest_source(con, OFAC, files)
    before = counts(con)
    second = ingest_source(con, OFAC, files)
    assert first == second
    assert counts(con) == before
    assert before["ofac_sdn__sdn"] == 924 + 4387


def test_a_bad_file_leaves_the_stored_rows_untouched(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS / "sanctions", inputs / "sanctions")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ingest_source(con, OFAC, discover(inputs).for_source("ofac_sdn"))
    before = counts(con)
    (inputs / "sanctions/ofac_sdn/2021-04-25/alt.csv").write_bytes(b"\xff\xfe\x00garbage\r\n")
    with pytest.raises(SourceParseError, match="alt.csv:1: UTF-16 text"):
        ingest_source(con, OFAC, discover(inputs).for_source("ofac_sdn"))
    assert counts(con) == before


def test_rejected_rows_are_kept_with_their_reason(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS / "sanctions", inputs / "sanctions")
    sdn = inputs / "sanctions/ofac_sdn/2023-12-28/sdn.csv"
    sdn.write_bytes(b'99999999,"HALF A ROW"\r\n' + sdn.read_bytes())
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    loads = ingest_source(con, OFAC, discover(inputs).for_source("ofac_sdn"))
    assert loads["sdn"].quarantined == 1
    rows = con.execute(
        "select source_file, source_line, reason, raw_text from raw.quarantine"
    ).fetchall()
    assert rows == [
        (
            "sanctions/ofac_sdn/2023-12-28/sdn.csv",
            1,
            "expected 12 fields, found 2",
            "99999999,HALF A ROW",
        )
    ]


def test_count_band_flags_a_release_that_shrank():
    ok = [(date(2024, 1, 1), 1000), (date(2024, 2, 1), 980), (date(2024, 3, 1), 701)]
    assert shrunk_releases(ok, 0.3) == []
    truncated = [*ok, (date(2024, 4, 1), 400)]
    assert shrunk_releases(truncated, 0.3) == ["2024-04-01: 400 rows after 701 on 2024-03-01"]


def test_files_beside_a_synthetic_note_are_recorded_synthetic(tmp_path):
    """The generator's SYNTHETIC.md marks the files of its folder; a published file's folder has
    none. raw.ingested_files keeps the mark, and an older table without the column gains it."""
    from tools.synthetic import baci_panel

    inputs = tmp_path / "inputs"
    baci_panel.write_baci_years(inputs / "trade" / "baci", [2020], 50)
    shutil.copytree(SAMPLE_INPUTS / "sanctions", inputs / "sanctions")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema raw")
    # A warehouse published before the column existed.
    con.execute(
        "create table raw.ingested_files (source varchar, raw_table varchar, source_file varchar, "
        "release_date date, file_sha256 varchar, row_count bigint, quarantined bigint, "
        "ingested_at timestamp)"
    )
    found = discover(inputs)
    ingest_source(con, OFAC, found.for_source("ofac_sdn"))
    baci = next(s for s in SPECS if s.name == "baci")
    ingest_source(con, baci, found.for_source("baci"))
    marks = dict(
        con.execute(
            "select source, bool_and(is_synthetic) from raw.ingested_files group by 1"
        ).fetchall()
    )
    assert marks == {"ofac_sdn": False, "baci": True}
    (inputs / "trade" / "baci" / "SYNTHETIC.md").unlink()
    assert not any(f.is_synthetic for f in discover(inputs).for_source("baci"))
