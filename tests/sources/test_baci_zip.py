"""BACI release zips (BACI_HS17_V202601.zip): every member streamed into DuckDB, checked against
the member CSVs read with the csv module."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import tempfile
import zipfile
from pathlib import Path

import duckdb
import pytest

from orchestration.raw.ingest import ingest_source
from orchestration.raw.writer import ensure_empty_tables
from orchestration.settings import SAMPLE_INPUTS, Settings, activate, deactivate
from orchestration.sources import source_specs
from orchestration.sources.baci import release_zip as baci
from orchestration.sources.common.base import SourceParseError
from orchestration.sources.common.registry import discover
from tools.synthetic import baci_panel

SAMPLE_BACI = SAMPLE_INPUTS / "trade" / "baci"
RELEASE = next(s for s in source_specs("baci") if s.name == "baci_release")


@functools.cache
def _panel() -> Path:
    """The synthetic BACI panel (tools/synthetic), generated once for this module."""
    out = Path(tempfile.mkdtemp(prefix="baci_panel_"))
    baci_panel.write_sample(out)
    return out


def year_lines(year: int, rows: int) -> bytes:
    """The header and the first ``rows`` records of the synthetic panel's BACI year file."""
    lines = (_panel() / f"BACI_HS17_Y{year}_V202601.csv").read_bytes().split(b"\n")
    return b"\n".join(lines[: rows + 1]) + b"\n"


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def release_members(version: str = "V202601", years=(2022, 2023), rows: int = 40) -> dict:
    members = {f"BACI_HS17_Y{y}_{version}.csv": year_lines(y, rows) for y in years}
    members[f"country_codes_{version}.csv"] = (
        SAMPLE_BACI / "country_codes_V202601.csv"
    ).read_bytes()
    members[f"product_codes_HS17_{version}.csv"] = (
        SAMPLE_BACI / "product_codes_HS17_V202301.csv"
    ).read_bytes()
    members["Readme.txt"] = b"BACI release notes\n"
    return members


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


@pytest.fixture
def build_dir(tmp_path) -> Path:
    """The build folder of a run under way in the home ``tmp_path``."""
    settings = Settings(home=tmp_path, inputs=tmp_path)
    folder = settings.build_db.parent
    folder.mkdir()
    activate(settings)
    yield folder
    deactivate()
    baci.remove_extracted()


@pytest.fixture
def con(build_dir):
    connection = duckdb.connect(str(build_dir / "warehouse.duckdb"))
    yield connection
    connection.close()


def ingest(con, inputs: Path) -> dict:
    files = discover(inputs).for_source("baci_release")
    return ingest_source(con, RELEASE, files)


def test_release_zip_is_claimed_by_its_own_source(tmp_path):
    write_zip(tmp_path / "trade" / "baci" / "BACI_HS17_V202601.zip", release_members())
    found = discover(tmp_path)
    assert [f.relative_path for f in found.for_source("baci_release")] == [
        "trade/baci/BACI_HS17_V202601.zip"
    ]
    assert found.for_source("baci") == [] and found.skipped == []


def test_every_member_is_loaded_with_its_lines(tmp_path, con):
    members = release_members()
    write_zip(tmp_path / "trade" / "baci" / "BACI_HS17_V202601.zip", members)
    loads = ingest(con, tmp_path)
    assert {t: (load.rows, load.quarantined) for t, load in loads.items()} == {
        "trade": (80, 0),
        "country_codes": (238, 0),
        "product_codes": (5384, 0),
    }
    for year in (2022, 2023):
        member = f"BACI_HS17_Y{year}_V202601.csv"
        expected = csv_rows(members[member])
        got = con.execute(
            "select source_line, t, i, j, k, v, q, partition_key, file_year from "
            "raw.baci_release__trade where source_member = ? order by source_line",
            [member],
        ).fetchall()
        assert [row[0] for row in got] == list(range(2, len(expected) + 2))
        for row, record in zip(got, expected, strict=True):
            quantity = float(record["q"]) if record["q"] else None
            assert row[1:7] == (
                int(record["t"]), int(record["i"]), int(record["j"]), record["k"],
                float(record["v"]), quantity,
            )  # fmt: skip
            assert row[7:] == (f"HS17/{year}", year)
    lineage = con.execute(
        "select distinct source, source_file, file_sha256, hs_revision, baci_version "
        "from raw.baci_release__trade"
    ).fetchall()
    sha = hashlib.sha256((tmp_path / "trade/baci/BACI_HS17_V202601.zip").read_bytes()).hexdigest()
    assert lineage == [("baci_release", "trade/baci/BACI_HS17_V202601.zip", sha, "HS17", "V202601")]


def test_code_tables_inside_the_zip(tmp_path, con):
    members = release_members()
    write_zip(tmp_path / "trade" / "baci" / "BACI_HS17_V202601.zip", members)
    ingest(con, tmp_path)
    countries = csv_rows(members["country_codes_V202601.csv"])
    taiwan = next(r for r in countries if r["country_code"] == "490")
    assert con.execute(
        "select country_name, iso2, iso3, source_member, source_line "
        "from raw.baci_release__country_codes where country_code = 490"
    ).fetchall() == [
        (taiwan["country_name"], taiwan["country_iso2"] or None, taiwan["country_iso3"],
         "country_codes_V202601.csv", countries.index(taiwan) + 2)
    ]  # fmt: skip
    products = csv_rows(members["product_codes_HS17_V202601.csv"])
    assert products[0]["code"] == "10121"  # published without its leading zero
    assert con.execute(
        "select code, description, hs_revision, baci_version from "
        "raw.baci_release__product_codes where source_line = 2"
    ).fetchall() == [("010121", products[0]["description"], "HS17", "V202601")]


def test_members_are_extracted_one_at_a_time_next_to_the_warehouse(tmp_path, build_dir, con):
    write_zip(tmp_path / "trade" / "baci" / "BACI_HS17_V202601.zip", release_members())
    extracted: list[Path] = []
    on_disk: list[int] = []  # extracted CSVs present right after each extraction
    original = baci.ReleaseArchive.extract

    def spy(self, member, target_dir):
        path = original(self, member, target_dir)
        extracted.append(path)
        on_disk.append(len(list(build_dir.glob("baci-release-*/*.csv"))))
        return path

    baci.ReleaseArchive.extract = spy
    try:
        ingest(con, tmp_path)
    finally:
        baci.ReleaseArchive.extract = original
    assert [p.name for p in extracted] == [
        "BACI_HS17_Y2022_V202601.csv", "BACI_HS17_Y2023_V202601.csv",
        "country_codes_V202601.csv", "product_codes_HS17_V202601.csv",
    ]  # fmt: skip
    assert all(p.parent.parent == build_dir for p in extracted)
    assert on_disk == [1, 1, 1, 1]
    assert [p.exists() for p in extracted] == [False, False, False, False]
    baci.remove_extracted()
    assert not any(p.name.startswith("baci-release-") for p in build_dir.iterdir())


def test_each_release_version_is_kept_and_the_same_release_replaces_itself(tmp_path, con):
    """A release of another version is a vintage of its own, kept beside the older one; the
    same release fetched again (under a release folder) replaces its rows."""
    write_zip(tmp_path / "old" / "trade" / "baci" / "BACI_HS17_V202601.zip", release_members())
    ingest(con, tmp_path / "old")
    newer = release_members("V202701", years=(2023,), rows=5)
    write_zip(tmp_path / "new" / "trade" / "baci" / "BACI_HS17_V202701.zip", newer)
    ingest(con, tmp_path / "new")
    counts = (
        "select baci_version, t, count(*) from raw.baci_release__trade group by all order by all"
    )
    assert con.execute(counts).fetchall() == [
        ("V202601", 2022, 40), ("V202601", 2023, 40), ("V202701", 2023, 5),
    ]  # fmt: skip
    again = release_members(years=(2022,), rows=4)
    write_zip(tmp_path / "again" / "trade" / "baci" / "2026-02-01" / "BACI_HS17_V202601.zip", again)
    ingest(con, tmp_path / "again")
    assert con.execute(counts).fetchall() == [("V202601", 2022, 4), ("V202701", 2023, 5)]


def test_release_without_code_tables_leaves_them_empty(tmp_path, con):
    members = {"BACI_HS17_Y2022_V202601.csv": year_lines(2022, 3)}
    write_zip(tmp_path / "trade" / "baci" / "BACI_HS17_V202601.zip", members)
    loads = ingest(con, tmp_path)
    assert (loads["trade"].rows, loads["country_codes"].rows, loads["product_codes"].rows) == (
        3, 0, 0,
    )  # fmt: skip
    columns = [r[0] for r in con.execute("describe raw.baci_release__country_codes").fetchall()]
    assert columns[:6] == ["country_code", "country_name", "iso2", "iso3", "baci_version",
                           "source_member"]  # fmt: skip


def bad_value_release(tmp_path) -> Path:
    data = year_lines(2022, 3) + b"2022,4,8,010121,not-a-number,1.0\n"
    return write_zip(
        tmp_path / "trade/baci/BACI_HS17_V202601.zip", {"BACI_HS17_Y2022_V202601.csv": data}
    )


def test_unreadable_values_are_quarantined_with_the_zip(tmp_path, con):
    bad_value_release(tmp_path)
    loads = ingest(con, tmp_path)
    assert (loads["trade"].rows, loads["trade"].quarantined) == (3, 1)
    assert con.execute("select source_file, raw_text from raw.quarantine").fetchall() == [
        ("trade/baci/BACI_HS17_V202601.zip", "2022,4,8,010121,not-a-number,1.0")
    ]


def test_a_country_code_that_is_no_number_is_quarantined(tmp_path, con):
    table = b"country_code,country_name,country_iso2,country_iso3\n4,Afghanistan,AF,AFG\n"
    members = {
        "BACI_HS17_Y2022_V202601.csv": year_lines(2022, 2),
        "country_codes_V202601.csv": table + b"x1,Nowhere,NW,NWH\n",
    }
    write_zip(tmp_path / "trade" / "baci" / "BACI_HS17_V202601.zip", members)
    loads = ingest(con, tmp_path)
    assert (loads["country_codes"].rows, loads["country_codes"].quarantined) == (1, 1)
    assert con.execute("select raw_text from raw.quarantine").fetchall() == [("x1,Nowhere,NW,NWH",)]


def test_a_reject_is_reported_for_its_own_table_only(tmp_path, con):
    bad_value_release(tmp_path)
    loads = ingest(con, tmp_path)
    assert (loads["country_codes"].quarantined, loads["product_codes"].quarantined) == (0, 0)
    assert con.execute("select raw_table from raw.quarantine").fetchall() == [("trade",)]


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        ({"BACI_HS22_Y2022_V202601.csv": b"t,i,j,k,v,q\n"}, "is HS22 V202601, not HS17"),
        ({"BACI_HS17_Y2022_V202501.csv": b"t,i,j,k,v,q\n"}, "is HS17 V202501, not HS17 V202601"),
        ({"country_codes_V202601.csv": b"country_code,iso3\n"}, "no BACI_HS17_Y<year>_V202601"),
        (
            {"a/BACI_HS17_Y2022_V202601.csv": b"t\n", "b/BACI_HS17_Y2022_V202601.csv": b"t\n"},
            "two members for year 2022",
        ),
    ],
)
def test_packaging_errors_name_the_zip(tmp_path, con, members, reason):
    write_zip(tmp_path / "trade" / "baci" / "BACI_HS17_V202601.zip", members)
    with pytest.raises(SourceParseError, match=reason) as raised:
        ingest(con, tmp_path)
    assert raised.value.path == "trade/baci/BACI_HS17_V202601.zip"


def test_a_file_that_is_no_zip_fails(tmp_path, con):
    path = tmp_path / "trade" / "baci" / "BACI_HS17_V202601.zip"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"t,i,j,k,v,q\n2022,4,8,010121,1.0,1.0\n")
    with pytest.raises(SourceParseError, match="not a valid zip file"):
        ingest(con, tmp_path)
    ensure_empty_tables(con, RELEASE)
    assert con.execute("select count(*) from raw.baci_release__trade").fetchall() == [(0,)]


def test_a_corrupted_member_fails_while_extracting(tmp_path, con):
    path = write_zip(
        tmp_path / "trade" / "baci" / "BACI_HS17_V202601.zip",
        {"BACI_HS17_Y2022_V202601.csv": year_lines(2022, 200)},
    )
    data = bytearray(path.read_bytes())
    data[200:260] = bytes(60)  # inside the member's compressed bytes
    path.write_bytes(bytes(data))
    with pytest.raises(SourceParseError, match="cannot extract BACI_HS17_Y2022_V202601.csv"):
        ingest(con, tmp_path)


CODES_V202301 = Path(__file__).parents[1] / "fixtures" / "baci_codes" / "country_codes_V202301.csv"


def test_retired_codes_inside_a_release_map_and_unknown_shared_codes_are_refused(tmp_path, con):
    """The release's country table (a copy of BACI's V202301 table) gets the loose file's check:
    58 Belgium-Luxembourg, 280 West Germany and 736 former Sudan share their ISO3 with the
    current code and ref_country_codes knows them, so they load; 711 Southern African Customs
    Union is labelled ZAF like 710 South Africa and is not known: refused, with the zip, the
    member, the line and the reason, and every line after it keeps its own number."""
    members = {
        "BACI_HS17_Y2022_V202301.csv": year_lines(2022, 3),
        "country_codes_V202301.csv": CODES_V202301.read_bytes(),
    }
    write_zip(tmp_path / "trade" / "baci" / "BACI_HS17_V202301.zip", members)
    loads = ingest(con, tmp_path)
    # The oracle: the member read with the csv module, lines counted from the header (line 1).
    text = CODES_V202301.read_text(encoding="utf-8")
    records = list(csv.DictReader(io.StringIO(text)))
    line_of = {r["country_code"]: n for n, r in enumerate(records, start=2)}
    assert (loads["country_codes"].rows, loads["country_codes"].quarantined) == (
        len(records) - 1, 1,
    )  # fmt: skip
    stored = dict(
        con.execute(
            "select country_code, iso3 from raw.baci_release__country_codes "
            "where country_code in (56, 58, 276, 280, 729, 736, 710, 711)"
        ).fetchall()
    )
    assert stored == {56: "BEL", 58: "BEL", 276: "DEU", 280: "DEU", 729: "SDN", 736: "SDN",
                      710: "ZAF"}  # fmt: skip
    lines = dict(
        con.execute(
            "select country_code, source_line from raw.baci_release__country_codes"
        ).fetchall()
    )
    assert lines == {int(code): line for code, line in line_of.items() if code != "711"}
    ((source_file, line, reason, raw),) = con.execute(
        "select source_file, source_line, reason, raw_text from raw.quarantine"
    ).fetchall()
    assert (source_file, line) == ("trade/baci/BACI_HS17_V202301.zip", line_of["711"])
    assert raw == text.splitlines()[line_of["711"] - 1]
    assert reason.startswith("country_codes_V202301: BACI code 711")
    assert "shares ISO3 ZAF with code(s) 710" in reason
