"""Damaged inputs are refused with the file, line and reason, never loaded as a success.

Each case starts from a real file (the bundled sample, or a real extract in tests/fixtures) and
damages it the way files get damaged in practice: a download cut short, a save in the wrong
encoding, a web page instead of the list, a corrupt archive, a runaway line. The expected
counts come from the raw bytes (plain ``csv`` over the file), not from the parsers.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.checks.raw_checks import absent_results
from orchestration.home_lock import HomeBusy, home_lock
from orchestration.raw.ingest import ingest_source, quarantined_rows
from orchestration.raw.writer import ensure_empty_tables
from orchestration.settings import SAMPLE_INPUTS
from orchestration.sources import SPECS
from orchestration.sources.common.base import SourceFile, SourceParseError
from orchestration.sources.common.registry import discover
from orchestration.sources.ofac_sdn.parse_csv import parse as parse_ofac
from orchestration.sources.opensanctions.parse import PARSERS as OPENSANCTIONS
from tools.synthetic import baci_panel

FIXTURES = Path(__file__).parent / "fixtures"
SDN_2023 = SAMPLE_INPUTS / "sanctions/ofac_sdn/2023-12-28/sdn.csv"
SDN_2023_REL = "sanctions/ofac_sdn/2023-12-28/sdn.csv"
UA_WAR = FIXTURES / "damaged" / "ua_war_sanctions_targets.simple.csv"
SPEC = {s.name: s for s in SPECS}


def ofac_file(path: Path, relative: str = SDN_2023_REL) -> SourceFile:
    return SourceFile(path, "ofac_sdn", date(2023, 12, 28), relative)


def write_as(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def csv_records(data: bytes) -> int:
    """Records in OFAC bytes read by the plain csv module (end byte dropped)."""
    text = data.decode("utf-8").rstrip("\r\n").removesuffix("\x1a")
    return sum(1 for r in csv.reader(io.StringIO(text, newline="")) if any(r))


# --- 1. truncated files and re-deliveries --------------------------------------------------------


def test_a_file_cut_mid_line_is_refused_naming_the_file(tmp_path):
    raw = SDN_2023.read_bytes()
    cut = raw[: len(raw) // 2]
    assert not cut.endswith(b"\r\n")  # the cut falls inside a record
    path = write_as(tmp_path, "sdn.csv", cut)
    with pytest.raises(SourceParseError) as err:
        parse_ofac(ofac_file(path))
    assert err.value.path == SDN_2023_REL
    assert err.value.line == cut.count(b"\n") + 1
    assert "no end-of-file byte (0x1A)" in err.value.reason


def test_a_cut_inside_a_quoted_field_is_refused_even_with_the_end_byte(tmp_path):
    raw = SDN_2023.read_bytes()
    # The first quoted remarks field opening after 95% of the file: cut a few bytes into it.
    opening = raw.index(b',"', int(len(raw) * 0.95)) + 2
    cut = raw[: opening + 5] + b"\x1a"
    path = write_as(tmp_path, "sdn.csv", cut)
    with pytest.raises(SourceParseError) as err:
        parse_ofac(ofac_file(path))
    assert err.value.line == raw[:opening].count(b"\n") + 1
    assert "quoted field" in err.value.reason and "not closed" in err.value.reason


def test_a_redelivery_that_loses_rows_is_refused_and_the_held_rows_stay(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS / "sanctions", inputs / "sanctions")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ingest_source(con, SPEC["ofac_sdn"], discover(inputs).for_source("ofac_sdn"))
    held = con.execute(
        "select count(*) from raw.ofac_sdn__sdn where source_file = ?", [SDN_2023_REL]
    ).fetchall()[0][0]
    assert held == csv_records(SDN_2023.read_bytes())
    # The same file re-exported from a copy cut at half: whole lines, end byte and all, so
    # nothing in the file itself gives the cut away.
    lines = SDN_2023.read_bytes().split(b"\r\n")
    half = b"\r\n".join(lines[: len(lines) // 2]) + b"\r\n\x1a"
    (inputs / SDN_2023_REL).write_bytes(half)
    assert parse_ofac(ofac_file(inputs / SDN_2023_REL)).tables["sdn"].height == len(lines) // 2
    with pytest.raises(SourceParseError) as err:
        ingest_source(con, SPEC["ofac_sdn"], discover(inputs).for_source("ofac_sdn"))
    assert err.value.path == SDN_2023_REL
    assert f"{len(lines) // 2:,} sdn rows where the copy already loaded gave {held:,}" in str(
        err.value
    )
    count = con.execute(
        "select count(*) from raw.ofac_sdn__sdn where source_file = ?", [SDN_2023_REL]
    ).fetchall()[0][0]
    assert count == held


def test_a_redelivery_within_the_band_replaces_the_rows(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS / "sanctions", inputs / "sanctions")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ingest_source(con, SPEC["ofac_sdn"], discover(inputs).for_source("ofac_sdn"))
    lines = SDN_2023.read_bytes().removesuffix(b"\r\n\x1a").split(b"\r\n")
    kept = lines[: int(len(lines) * 0.8)]  # a 20% drop: inside the 30% band
    (inputs / SDN_2023_REL).write_bytes(b"\r\n".join(kept) + b"\r\n\x1a")
    ingest_source(con, SPEC["ofac_sdn"], discover(inputs).for_source("ofac_sdn"))
    count = con.execute(
        "select count(*) from raw.ofac_sdn__sdn where source_file = ?", [SDN_2023_REL]
    ).fetchall()[0][0]
    assert count == len(kept)


def test_quarantined_rows_are_listed_with_file_line_and_reason(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS / "sanctions", inputs / "sanctions")
    sdn = inputs / SDN_2023_REL
    sdn.write_bytes(b'99999999,"HALF A ROW"\r\n' + sdn.read_bytes())
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    files = discover(inputs).for_source("ofac_sdn")
    ingest_source(con, SPEC["ofac_sdn"], files)
    assert quarantined_rows(con, files) == {
        "sdn": [f"{SDN_2023_REL}:1: expected 12 fields, found 2"]
    }


# --- 2. wrong encodings, web pages, UTF-16 -------------------------------------------------------


def opensanctions_file(path: Path) -> SourceFile:
    return SourceFile(
        path,
        "opensanctions",
        date(2026, 3, 13),
        "sanctions/opensanctions/ua_war_sanctions/2026-03-13/targets.simple.csv",
    )


def test_a_list_saved_as_windows_1251_is_refused_naming_the_encoding(tmp_path):
    text = UA_WAR.read_text(encoding="utf-8")
    assert any("\u0400" <= ch <= "\u04ff" for ch in text)  # the extract carries Cyrillic
    folder = tmp_path / "ua_war_sanctions" / "2026-03-13"
    folder.mkdir(parents=True)
    path = write_as(folder, "targets.simple.csv", text.encode("cp1251", errors="replace"))
    # The first line with Cyrillic, found without the parser.
    first = next(n for n, line in enumerate(text.splitlines(), 1) if any(
        "\u0400" <= ch <= "\u04ff" for ch in line))  # fmt: skip
    with pytest.raises(SourceParseError) as err:
        OPENSANCTIONS["opensanctions"].parse(opensanctions_file(path))
    assert err.value.path.endswith("targets.simple.csv")
    assert err.value.line == first
    assert "cp1251" in err.value.reason and "Russian" in err.value.reason


def test_the_same_list_in_utf8_loads_its_cyrillic_names(tmp_path):
    folder = tmp_path / "ua_war_sanctions" / "2026-03-13"
    folder.mkdir(parents=True)
    path = write_as(folder, "targets.simple.csv", UA_WAR.read_bytes())
    names = OPENSANCTIONS["opensanctions"].parse(opensanctions_file(path)).tables["names"]
    assert "cyrillic" in set(names["script"])


def test_utf16_and_html_pages_say_what_they_are(tmp_path):
    text = SDN_2023.read_bytes().decode("utf-8")
    for data, expected in (
        (text.encode("utf-16"), "UTF-16 text (little-endian, byte-order mark)"),
        (text.encode("utf-16-le"), "UTF-16 text (little-endian)"),
        (
            b"<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title>"
            b"</head><body>try later</body></html>\n",
            "an HTML page titled '503 Service Temporarily Unavailable'",
        ),
    ):
        path = write_as(tmp_path, "sdn.csv", data)
        with pytest.raises(SourceParseError) as err:
            parse_ofac(ofac_file(path))
        assert err.value.path == SDN_2023_REL
        assert expected in err.value.reason
        assert "no valid" not in err.value.reason


def test_utf8_encoded_twice_is_refused(tmp_path):
    twice = UA_WAR.read_text(encoding="utf-8").encode("utf-8").decode("cp1252", "replace")
    folder = tmp_path / "ua_war_sanctions" / "2026-03-13"
    folder.mkdir(parents=True)
    path = write_as(folder, "targets.simple.csv", twice.encode("utf-8"))
    with pytest.raises(SourceParseError, match="UTF-8 text encoded twice"):
        OPENSANCTIONS["opensanctions"].parse(opensanctions_file(path))


def test_every_real_file_still_decodes():
    """The plausibility checks refuse none of the bundled real files (BACI's country table
    carries a few doubly encoded names of its own, which must not stop it)."""
    from orchestration.sources.common.base import decode_text

    paths = [*SAMPLE_INPUTS.rglob("*.csv"), *FIXTURES.rglob("*.csv"), *FIXTURES.rglob("*.xml")]
    for path in paths:
        decode_text(path.read_bytes(), path)


# --- 7. corrupt archives, runaway lines ---------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "source"),
    [("trade/comtrade/critical_materials", "comtrade"), ("trade/eurostat_comext", "comext")],
)
def test_a_corrupt_gzip_names_the_file(tmp_path, folder, source):
    shutil.copytree(FIXTURES / folder, tmp_path / folder)
    files = [f for f in discover(tmp_path).for_source(source) if f.path.name.endswith(".gz")]
    assert files
    damaged = bytearray(files[0].path.read_bytes())
    for k in range(len(damaged) // 2, len(damaged) // 2 + 40):
        damaged[k] ^= 0x55
    files[0].path.write_bytes(bytes(damaged))
    with pytest.raises(SourceParseError) as err:
        ingest_source(duckdb.connect(), SPEC[source], discover(tmp_path).for_source(source))
    assert err.value.path == files[0].relative_path
    assert "not a valid gzip file" in err.value.reason


def test_a_runaway_line_in_baci_is_named_as_such(tmp_path):
    target = tmp_path / "trade/baci" / "BACI_HS17_Y2020_V202601.csv"
    target.parent.mkdir(parents=True)
    baci_panel.write_baci_year(target, 2020, 500)
    raw = target.read_bytes()
    target.write_bytes(raw + b"2020,31,76,850110," + b"1" * (50 << 20) + b",1\n")
    with pytest.raises(SourceParseError) as err:
        ingest_source(duckdb.connect(), SPEC["baci"], discover(tmp_path).for_source("baci"))
    assert err.value.line == raw.count(b"\n") + 1
    assert "a line of 52,428,820 bytes" in err.value.reason
    assert "spans several lines" not in str(err.value)


# --- 4. a source absent from the inputs ---------------------------------------------------------


def test_an_absent_source_passes_its_checks_on_a_fresh_home():
    con = duckdb.connect()
    ensure_empty_tables(con, SPEC["ofac_sdn"])
    results = list(absent_results(con, SPEC["ofac_sdn"]))
    assert {(r.asset_key.path[-1], r.check_name) for r in results} == {
        ("ofac_sdn__sdn", "gx_suite"),
        ("ofac_sdn__add", "gx_suite"),
        ("ofac_sdn__alt", "gx_suite"),
        ("ofac_sdn__sdn", "release_count_band"),
    }
    assert all(r.passed for r in results)
    assert {r.description for r in results} == {
        "source absent from this run's inputs: nothing loaded yet"
    }


# --- 5. one run per home ------------------------------------------------------------------------


def test_a_second_run_on_the_same_home_stops_at_once(tmp_path):
    home = tmp_path / "home"
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time\n"
            "from pathlib import Path\n"
            "from orchestration.home_lock import home_lock\n"
            f"with home_lock(Path({str(home)!r})):\n"
            "    print('held', flush=True)\n"
            "    time.sleep(60)\n"
        )],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        build = home / "build" / "warehouse.duckdb"
        build.parent.mkdir(parents=True)
        build.write_bytes(b"the running build")
        with pytest.raises(HomeBusy) as err, home_lock(home):
            pass
        assert f"pid {holder.pid}" in str(err.value)
        assert build.read_bytes() == b"the running build"
    finally:
        holder.kill()
        holder.wait()
    with home_lock(home):  # the lock died with its holder
        pass


# --- messages that must say what the problem is -------------------------------------------------


def test_an_xlsx_formula_without_a_saved_value_is_named_as_such(tmp_path):
    import openpyxl

    from orchestration.screening.counterparties import read_counterparties

    # Names of listed entities, read from the real sample list (plain csv module).
    text = SDN_2023.read_bytes().decode("utf-8").rstrip("\r\n").removesuffix("\x1a")
    names = [r[1] for r in csv.reader(io.StringIO(text, newline=""))][:3]
    book = openpyxl.Workbook()  # openpyxl stores formulas without a computed value
    sheet = book.active
    sheet.append(["id", "name", "country"])
    sheet.append(["c1", names[0], "RU"])
    sheet.append(["c2", '=HYPERLINK("http://example.invalid","x")', "HK"])
    sheet.append(["c3", names[2], "CN"])
    path = tmp_path / "customers.xlsx"
    book.save(path)
    with pytest.raises(SourceParseError) as err:
        read_counterparties(path)
    assert err.value.line == 3
    assert "field 'name': a formula (=HYPERLINK(" in err.value.reason
    assert "without a saved value" in err.value.reason
    assert "empty name" not in err.value.reason
    sheet["B3"] = names[1]  # the value itself: read as the other rows
    book.save(path)
    assert read_counterparties(path)["name"].to_list() == names


def test_the_quarantine_table_name_agrees_with_the_raw_layer():
    from orchestration.raw.writer import QUARANTINE_TABLE
    from orchestration.sources.ofac_sdn import release_completeness

    assert release_completeness.QUARANTINE_TABLE == QUARANTINE_TABLE


def test_a_zero_byte_file_says_so(tmp_path):
    path = write_as(tmp_path, "sdn.csv", b"")
    with pytest.raises(SourceParseError) as err:
        parse_ofac(ofac_file(path))
    assert str(err.value) == f"{SDN_2023_REL}: empty file (0 bytes): the download or copy failed"


def test_roundabout_run_on_a_busy_home_exits_at_once(tmp_path, capsys, monkeypatch):
    from orchestration.cli import main
    from orchestration.settings import BUILD_DB_VAR, FRESH_VAR, HOME_VAR, INPUTS_VAR

    # A test may set settings in the environment: the environment as it was afterwards.
    for var in (HOME_VAR, INPUTS_VAR, BUILD_DB_VAR, FRESH_VAR):
        if var in os.environ:
            monkeypatch.setenv(var, os.environ[var])
        else:
            monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    home = tmp_path / "home"
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import time\n"
            "from pathlib import Path\n"
            "from orchestration.home_lock import home_lock\n"
            f"with home_lock(Path({str(home)!r})):\n"
            "    print('held', flush=True)\n"
            "    time.sleep(60)\n"
        )],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        build = home / "build" / "warehouse.duckdb"
        build.parent.mkdir(parents=True)
        build.write_bytes(b"the running build")
        code = main(["--home", str(home), "run", "--inputs", str(SAMPLE_INPUTS)])
        assert code == 3
        err = capsys.readouterr().err
        assert err.startswith(f"roundabout run: another run is using the home {home} (pid ")
        assert build.read_bytes() == b"the running build"
    finally:
        holder.kill()
        holder.wait()


def test_a_failed_dbt_test_without_description_is_described():
    """dagster-dbt leaves a failed test's description empty: the summary says which test,
    what it checks, and how many rows fail it."""
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.run_report import check_description

    spec = next(
        s
        for a in defs.assets
        for s in getattr(a, "check_specs", [])
        if s.name.startswith("relationships_") and "dim_sanctioned_name" in s.name
    )
    evaluation = dg.AssetCheckEvaluation(
        asset_key=spec.asset_key,
        check_name=spec.name,
        passed=False,
        metadata={"dagster_dbt/failed_row_count": 12},
    )

    class Result:  # the one method of Dagster's execution result the summary reads
        def get_asset_check_evaluations(self):
            return [evaluation]

    described = check_description(Result(), spec.asset_key.to_user_string(), spec.name)
    assert described.endswith(f"12 rows fail it (dbt test {spec.name}; details in the run's log)")
    assert described.startswith(spec.description or f"dbt test {spec.name}")
