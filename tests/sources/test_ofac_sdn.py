"""OFAC's legacy SDN CSVs, checked against the raw bytes of the bundled real extracts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from orchestration.settings import SAMPLE_INPUTS
from orchestration.sources.common.base import SourceFile, SourceParseError
from orchestration.sources.ofac_sdn.parse_csv import parse

OFAC = SAMPLE_INPUTS / "sanctions" / "ofac_sdn"


def source_file(path: Path, release: str = "2021-04-25") -> SourceFile:
    return SourceFile(
        path=path,
        source="ofac_sdn",
        release_date=date.fromisoformat(release),
        relative_path=f"sanctions/ofac_sdn/{release}/{path.name}",
    )


def raw_records(path: Path) -> list[bytes]:
    """Records counted from the bytes: CRLF-separated, the final 0x1A dropped."""
    data = path.read_bytes()
    assert data.endswith(b"\r\n\x1a")
    return [line for line in data[:-1].split(b"\r\n") if line]


@pytest.mark.parametrize(
    ("release", "name", "table"),
    [
        ("2021-04-25", "sdn.csv", "sdn"),
        ("2021-04-25", "add.csv", "add"),
        ("2021-04-25", "alt.csv", "alt"),
        ("2023-12-28", "sdn.csv", "sdn"),
    ],
)
def test_row_counts_match_the_raw_file(release, name, table):
    path = OFAC / release / name
    parsed = parse(source_file(path, release))
    frame = parsed.tables[table]
    records = raw_records(path)
    assert frame.height == len(records)
    assert parsed.quarantine == []
    first_id = int(records[0].split(b",")[0])
    assert frame["ent_num"][0] == first_id
    assert frame["source_line"].to_list()[:3] == [1, 2, 3]


def test_russia_program_count_2023():
    path = OFAC / "2023-12-28" / "sdn.csv"
    frame = parse(source_file(path, "2023-12-28")).tables["sdn"]
    expected = sum(1 for r in raw_records(path) if b"RUSSIA-EO14024" in r)
    assert frame.filter(frame["program"].str.contains("RUSSIA-EO14024")).height == expected
    assert expected == 3527


def test_named_entity_fields_and_nulls():
    frame = parse(source_file(OFAC / "2021-04-25" / "sdn.csv")).tables["sdn"]
    row = frame.filter(frame["ent_num"] == 11275).to_dicts()[0]
    assert row["sdn_name"] == "PO, Kong"
    assert row["sdn_type"] == "individual"
    assert row["program"] == "SDNTK"
    assert row["title"] is None  # "-0- " in the file
    assert "Passport H90011666 (Hong Kong)" in row["remarks"]
    assert row["source_line"] == 48


def test_addresses_and_aliases_of_a_named_entity():
    add = parse(source_file(OFAC / "2021-04-25" / "add.csv")).tables["add"]
    rows = add.filter(add["ent_num"] == 11275).sort("add_num")
    assert rows["add_num"].to_list() == [16543, 16544, 16545, 16546, 16547]
    assert set(rows["country"]) == {"Hong Kong"}
    assert rows["address"][3] == "Flat B, 16/F, Dragon View, No. 5 Dragon Terrace"
    alt = parse(source_file(OFAC / "2021-04-25" / "alt.csv")).tables["alt"]
    assert alt.filter(alt["ent_num"] == 11275)["alt_name"].to_list() == ["PU, Chiang"]


def test_wrong_field_count_is_quarantined_not_dropped(tmp_path):
    path = tmp_path / "sdn.csv"
    path.write_bytes(
        b'1,"GOOD ONE",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        b'2,"SHORT ROW",-0- \r\n'
        b'x3,"BAD ID",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'
    )
    parsed = parse(source_file(path))
    assert parsed.tables["sdn"]["sdn_name"].to_list() == ["GOOD ONE"]
    reasons = {q["source_line"]: q["reason"] for q in parsed.quarantine}
    assert reasons == {
        2: "expected 12 fields, found 3",
        3: "ent_num is not a whole number: 'x3'",
    }


def test_unreadable_file_names_file_and_line(tmp_path):
    path = tmp_path / "sdn.csv"
    path.write_bytes(b"not,a,sdn\r\nfile\r\n\x1a")
    with pytest.raises(SourceParseError) as err:
        parse(source_file(path))
    assert (
        str(err.value)
        == "sanctions/ofac_sdn/2021-04-25/sdn.csv:1: no valid sdn.csv rows in the file"
    )


def test_windows_1252_text_is_decoded(tmp_path):
    path = tmp_path / "sdn.csv"
    path.write_bytes(
        '7,"CAF\u00c9 S.A.",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'.encode(
            "cp1252"
        )
    )
    assert parse(source_file(path)).tables["sdn"]["sdn_name"].to_list() == ["CAF\u00c9 S.A."]
