"""UK lists: the real FCDO summary export (ODS, and its CSV), the composed full-format CSV and XML
and the composed OFSI ConList.csv."""

from __future__ import annotations

import csv
import shutil
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from orchestration.sources.common.base import SourceFile, SourceParseError
from orchestration.sources.common.registry import discover
from orchestration.sources.uk.parse import parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SUMMARY = "sanctions/uk/2025-08-11"
ODF_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def fixture(relative: str) -> SourceFile:
    found = discover(FIXTURES)
    return next(f for f in found.for_source("uk") if f.relative_path == relative)


def tmp_file(tmp_path: Path, name: str, data: bytes) -> SourceFile:
    path = tmp_path / name
    path.write_bytes(data)
    return SourceFile(path, "uk", date(2025, 1, 1), f"sanctions/uk/2025-01-01/{name}")


@pytest.fixture(scope="module")
def ods():
    return parse(fixture(f"{SUMMARY}/uk_sanctions_list.ods"))


def _ods_first_cells() -> list[str]:
    """The first cell of every row of the sheet, read with zipfile and ElementTree."""
    with zipfile.ZipFile(FIXTURES / SUMMARY / "uk_sanctions_list.ods") as archive:
        root = ET.fromstring(archive.read("content.xml"))
    cells = []
    for row in root.iter(f"{ODF_TABLE}table-row"):
        first = row.find(f"{ODF_TABLE}table-cell")
        text = "".join(first.itertext()).strip() if first is not None else ""
        cells.append(text)
    return [c for c in cells if c]


def test_ods_loads_every_designation(ods) -> None:
    ids = _ods_first_cells()
    assert ids[0] == "Unique ID"
    entities = ods.tables["entities"]
    assert entities.height + len(ods.quarantine) == len(ids) - 1 == 5302
    assert set(entities["source_id"]) | {"BEL0174", "RUS1467"} == set(ids[1:])
    assert [(q["reason"], q["source_line"]) for q in ods.quarantine] == [
        ("missing name (id BEL0174)", ids.index("BEL0174") + 1),
        ("missing name (id RUS1467)", ids.index("RUS1467") + 1),
    ]
    counts = dict(entities.group_by("schema").len().rows())
    assert counts == {"person": 3754 - 2, "organization": 1087, "vessel": 461}


def test_named_designations_round_trip(ods) -> None:
    rows = {r["source_id"]: r for r in ods.tables["entities"].iter_rows(named=True)}
    kiselyov = rows["RUS0001"]
    assert (kiselyov["primary_name"], kiselyov["schema"], kiselyov["programs"]) == (
        "Kiselyov Dmitry Konstantinovich",
        "person",
        ["Russia"],
    )
    assert kiselyov["listed_on"] == date(2020, 12, 31)
    hk = rows["RUS2253"]
    assert (hk["primary_name"], hk["schema"], hk["listed_on"]) == (
        "Xin Quan Electronics (Hong Kong) Co., Limited",
        "organization",
        date(2024, 11, 7),
    )
    assert rows["DPR0139"]["primary_name"] == "HONG KONG ELECTRONICS"
    assert rows["DPR0075"]["schema"] == "vessel"


def test_csv_beside_the_ods_is_recorded_as_a_duplicate() -> None:
    parsed = parse(fixture(f"{SUMMARY}/uk_sanctions_list.csv"))
    assert all(frame.height == 0 for frame in parsed.tables.values())
    assert [q["reason"] for q in parsed.quarantine] == [
        "duplicate format: this release is loaded from uk_sanctions_list.ods in the same folder"
    ]


def test_csv_alone_matches_the_ods(tmp_path: Path, ods) -> None:
    shutil.copy(FIXTURES / SUMMARY / "uk_sanctions_list.csv", tmp_path)
    path = tmp_path / "uk_sanctions_list.csv"
    parsed = parse(SourceFile(path, "uk", date(2025, 8, 11), "uk_sanctions_list.csv"))
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    named = [r for r in rows if r["Name"].strip()]
    entities = parsed.tables["entities"]
    assert entities.height == len(named) == 23
    assert {q["reason"] for q in parsed.quarantine} == {
        "missing name (id BEL0174)",
        "missing name (id RUS1467)",
    }
    columns = ["source_id", "schema", "primary_name", "programs", "listed_on", "record_json"]
    from_ods = ods.tables["entities"].filter(pl.col("source_id").is_in(entities["source_id"]))
    assert (
        entities.select(columns)
        .sort("source_id")
        .equals(from_ods.select(columns).sort("source_id"))
    )
    by_id = {r["Unique ID"]: r for r in named}
    for sid, name, programs in entities.select("source_id", "primary_name", "programs").rows():
        assert name == by_id[sid]["Name"].strip()
        assert programs == [by_id[sid]["Regime Name"]]
    # Lines are physical lines: the blank names hold an embedded newline.
    lines = path.read_text(encoding="utf-8").splitlines()
    for sid, line in entities.select("source_id", "source_line").rows():
        assert lines[line - 1].startswith(f"{sid},")


def test_full_format_csv() -> None:
    parsed = parse(fixture("sanctions/uk/2024-06-03/UK-Sanctions-List.csv"))
    assert parsed.tables["entities"].select(
        "source_id", "schema", "primary_name", "programs", "listed_on", "country_iso2"
    ).rows() == [
        ("RUS9901", "person", "Ivan Ivanovich PRIMEROV", ["Russia"], date(2022, 3, 15), ["RU"]),
        ("RUS9902", "organization", "EXAMPLE ELECTRONICS (HONG KONG) CO., LIMITED", ["Russia"],
         date(2024, 11, 7), ["HK"]),
        ("RUS9903", "vessel", "EXAMPLE STAR", ["Russia"], date(2024, 5, 9), []),
    ]  # fmt: skip
    assert parsed.tables["names"].select("source_id", "name", "name_kind", "script").rows() == [
        ("RUS9901", "Ivan Ivanovich PRIMEROV", "primary", "latin"),
        ("RUS9901", "Иван Иванович ПРИМЕРОВ", "original_script", "cyrillic"),
        ("RUS9901", "Ivan PRIMEROFF", "alias", "latin"),
        ("RUS9901", "VANYA", "weak_alias", "latin"),
        ("RUS9902", "EXAMPLE ELECTRONICS (HONG KONG) CO., LIMITED", "primary", "latin"),
        ("RUS9902", "示例電子(香港)有限公司", "original_script", "han"),
        ("RUS9902", "EXAMPLE ELECTRONICS HK", "alias", "latin"),
        ("RUS9903", "EXAMPLE STAR", "primary", "latin"),
    ]
    # Details repeated on each name row are kept once.
    assert parsed.tables["addresses"].select(
        "source_id", "full_address", "country_iso2"
    ).rows() == [
        ("RUS9901", "1 Primernaya Street, Moscow, Russia", "RU"),
        ("RUS9902", "Unit 1, 1/F, Example Building, 1 Example Road, Kowloon, Hong Kong", "HK"),
    ]
    assert parsed.tables["identifiers"].select("source_id", "id_type", "id_value").rows() == [
        ("RUS9901", "passport", "700000001"),
        ("RUS9902", "registration_number", "7654321"),
        ("RUS9903", "imo", "9000001"),
    ]
    assert [(q["source_line"], q["reason"]) for q in parsed.quarantine] == [
        (9, "missing Unique ID"),
        (10, "missing name (id RUS9904)"),
    ]


def test_full_format_xml_gives_the_same_designations() -> None:
    xml = parse(fixture("sanctions/uk/2024-06-04/UK-Sanctions-List.xml"))
    from_csv = parse(fixture("sanctions/uk/2024-06-03/UK-Sanctions-List.csv"))
    columns = ["source_id", "schema", "primary_name", "programs", "listed_on", "country_iso2"]
    assert (
        xml.tables["entities"].select(columns).equals(from_csv.tables["entities"].select(columns))
    )
    for table, columns in (
        ("names", ["source_id", "name", "name_kind"]),
        ("addresses", ["source_id", "full_address", "city", "country_iso2"]),
        ("identifiers", ["source_id", "id_type", "id_value"]),
    ):
        assert set(xml.tables[table].select(columns).rows()) == set(
            from_csv.tables[table].select(columns).rows()
        )
    assert xml.quarantine == []
    lines = (FIXTURES / "sanctions/uk/2024-06-04/UK-Sanctions-List.xml").read_text().splitlines()
    for line in xml.tables["entities"]["source_line"]:
        assert lines[line - 1].strip() == "<Designation>"


def test_conlist() -> None:
    parsed = parse(fixture("sanctions/uk/2024-01-15/ConList.csv"))
    assert parsed.tables["entities"].select(
        "source_id", "schema", "primary_name", "listed_on", "country_iso2", "remarks"
    ).rows() == [
        ("99911", "person", "Pyotr Petrovich OBRAZTSOV", date(2022, 3, 16), ["RU", "UA"],
         "Fictional person for tests."),
        ("99912", "organization", "SAMPLE TRADING (HK) LIMITED", date(2023, 6, 30), ["HK"], None),
    ]  # fmt: skip
    assert parsed.tables["names"].select("name", "name_kind").rows() == [
        ("Pyotr Petrovich OBRAZTSOV", "primary"),
        ("Пётр Петрович ОБРАЗЦОВ", "original_script"),
        ("Petr OBRAZTSOFF", "alias"),
        ("SAMPLE TRADING (HK) LIMITED", "primary"),
        ("SAMPLE TRADING HONG KONG", "weak_alias"),
    ]
    assert parsed.tables["entities"]["source_line"].to_list() == [3, 5]


def test_conlist_with_two_title_lines_in_windows_1252(tmp_path: Path) -> None:
    text = (FIXTURES / "sanctions/uk/2024-01-15/ConList.csv").read_bytes().decode("utf-8")
    title, rest = text.split("\r\n", 1)
    rest = rest.replace("Пётр Петрович ОБРАЗЦОВ", "").replace("SAMPLE TRADING (HK)", "SOCIÉTÉ (HK)")
    data = f"{title}\r\nConsolidated list of targets\r\n{rest}".encode("cp1252")
    parsed = parse(tmp_file(tmp_path, "ConList.csv", data))
    assert parsed.tables["entities"]["primary_name"].to_list() == [
        "Pyotr Petrovich OBRAZTSOV",
        "SOCIÉTÉ (HK) LIMITED",
    ]
    assert parsed.tables["entities"]["source_line"].to_list() == [4, 6]
    bom = parse(tmp_file(tmp_path, "ConList2.csv", b"\xef\xbb\xbf" + text.encode("utf-8")))
    assert bom.tables["entities"].height == 2


def test_format_precedence_in_one_release(tmp_path: Path) -> None:
    xml = (FIXTURES / "sanctions/uk/2024-06-04/UK-Sanctions-List.xml").read_bytes()
    full_csv = (FIXTURES / "sanctions/uk/2024-06-03/UK-Sanctions-List.csv").read_bytes()
    csv_file = tmp_file(tmp_path, "UK-Sanctions-List.csv", full_csv)
    assert parse(csv_file).tables["entities"].height == 3
    xml_file = tmp_file(tmp_path, "UK-Sanctions-List.xml", xml)
    assert parse(csv_file).tables["entities"].height == 0
    assert "loaded from UK-Sanctions-List.xml" in parse(csv_file).quarantine[0]["reason"]
    assert parse(xml_file).tables["entities"].height == 3


def test_unknown_layout_and_broken_ods_fail_clearly(tmp_path: Path) -> None:
    with pytest.raises(SourceParseError) as err:
        parse(tmp_file(tmp_path, "list.csv", b"a,b,c\n1,2,3\n"))
    assert err.value.line == 1 and "no UK list header" in err.value.reason
    with pytest.raises(SourceParseError, match="unreadable ODS file"):
        parse(tmp_file(tmp_path, "list.ods", b"PK\x03\x04 not really a zip"))
    with pytest.raises(SourceParseError, match="expected a <Designations> document"):
        parse(tmp_file(tmp_path, "list.xml", b"<export/>"))
