"""OFAC SDN.XML and consolidated.xml, against a real extract of the non-SDN list (counts and
records read back independently with the standard library) and a composed SDN.XML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from orchestration.sources.common.base import SourceFile, SourceParseError
from orchestration.sources.common.registry import discover
from orchestration.sources.ofac_cons.parse import parse_consolidated
from orchestration.sources.ofac_sdn.parse_xml import parse_sdn

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CONS = "sanctions/ofac_cons/2024-05-06/consolidated.xml"
SDN = "sanctions/ofac_sdn/2024-05-06/SDN.XML"
NS = "{https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML}"


def fixture(relative: str) -> SourceFile:
    found = discover(FIXTURES)
    return next(f for files in found.files.values() for f in files if f.relative_path == relative)


@pytest.fixture(scope="module")
def cons():
    return parse_consolidated(fixture(CONS))


def _entry(uid: str) -> ET.Element:
    root = ET.parse(FIXTURES / CONS).getroot()
    return next(e for e in root.iter(f"{NS}sdnEntry") if e.findtext(f"{NS}uid") == uid)


def test_every_entry_is_loaded(cons) -> None:
    text = (FIXTURES / CONS).read_text(encoding="utf-8")
    assert cons.tables["entities"].height == len(re.findall(r"<sdnEntry>", text)) == 15
    assert cons.quarantine == []
    assert set(cons.tables["entities"]["list"]) == {"ofac_cons"}
    aliases = cons.tables["names"].filter(pl.col("name_kind") != "primary")
    assert aliases.height == len(re.findall(r"<aka>", text))


def test_entity_lines_point_at_the_entries(cons) -> None:
    lines = (FIXTURES / CONS).read_text(encoding="utf-8").splitlines()
    for uid, line in cons.tables["entities"].select("source_id", "source_line").rows():
        assert lines[line - 1].strip() == "<sdnEntry>"
        assert lines[line].strip() == f"<uid>{uid}</uid>"


def test_vtb_bank_round_trips(cons) -> None:
    entry = _entry("17013")
    entity = cons.tables["entities"].filter(pl.col("source_id") == "17013").row(0, named=True)
    assert entity["primary_name"] == "VTB BANK PUBLIC JOINT STOCK COMPANY"
    assert entity["schema"] == "organization"
    assert entity["programs"] == [p.text for p in entry.iter(f"{NS}program")]
    assert "RUSSIA-EO14024" in entity["programs"]
    names = cons.tables["names"].filter(pl.col("source_id") == "17013")
    expected = {
        (aka.findtext(f"{NS}lastName"), aka.findtext(f"{NS}type"), aka.findtext(f"{NS}category"))
        for aka in entry.iter(f"{NS}aka")
    }
    kinds = {"weak": "weak_alias"}
    assert {
        (n, k)
        for n, k in names.filter(pl.col("name_kind") != "primary")
        .select("name", "name_kind")
        .rows()
    } == {
        (last, kinds.get(cat, "former" if kind == "f.k.a." else "alias"))
        for last, kind, cat in expected
    }
    ids = cons.tables["identifiers"].filter(pl.col("source_id") == "17013")
    swift = [v for t, v in ids.select("id_type", "id_value").rows() if t == "swift_bic"]
    assert swift == [
        i.findtext(f"{NS}idNumber")
        for i in entry.iter(f"{NS}id")
        if i.findtext(f"{NS}idType") == "SWIFT/BIC"
    ]
    inn = ids.filter(pl.col("id_type") == "inn").select(
        "id_value", "id_type_raw", "issuing_country"
    )
    assert inn.rows() == [("7702070139", "Tax ID No.", "RU")]
    assert "Website" not in set(ids["id_type_raw"])
    addresses = cons.tables["addresses"].filter(pl.col("source_id") == "17013")
    assert set(addresses["country_iso2"]) == {"RU"}
    assert addresses.height == len(list(entry.iter(f"{NS}address")))


def test_hong_kong_company_keeps_its_address(cons) -> None:
    entry = _entry("30924")
    address = entry.find(f"{NS}addressList/{NS}address")
    row = cons.tables["addresses"].filter(pl.col("source_id") == "30924").row(0, named=True)
    assert row["city"] == address.findtext(f"{NS}city")
    assert row["street"] == address.findtext(f"{NS}address1")
    assert row["country_name"] == address.findtext(f"{NS}country") == "China"
    assert row["country_iso2"] == "CN"
    lines = (FIXTURES / CONS).read_text(encoding="utf-8").splitlines()
    assert lines[row["source_line"] - 1].strip() == "<address>"


def test_person_with_nationality_and_weak_alias(cons) -> None:
    entity = cons.tables["entities"].filter(pl.col("source_id") == "9647").row(0, named=True)
    assert entity["schema"] == "person"
    assert entity["country_iso2"] == ["PS"]
    kinds = cons.tables["names"].filter(pl.col("source_id") == "9647")["name_kind"].to_list()
    weak = [a for a in _entry("9647").iter(f"{NS}aka") if a.findtext(f"{NS}category") == "weak"]
    assert kinds.count("weak_alias") == len(weak) > 0


def test_composed_sdn_xml() -> None:
    parsed = parse_sdn(fixture(SDN))
    entities = parsed.tables["entities"]
    assert entities.select("list", "source_id", "schema", "primary_name").rows() == [
        ("ofac_sdn", "20306", "organization", "KRIOGENMASH OAO"),
        ("ofac_sdn", "30823", "vessel", "FORTUNA"),
        ("ofac_sdn", "40969", "person", "Ivan Aleksandrovich MASLOV"),
        ("ofac_sdn", "47042", "organization", "BELLATRIX ENERGY LIMITED"),
    ]
    assert entities.filter(pl.col("source_id") == "40969")["country_iso2"].to_list() == [["RU"]]
    ids = parsed.tables["identifiers"].select("source_id", "id_type", "id_value", "issuing_country")
    assert ids.rows() == [
        ("20306", "ogrn", "1025000513878", "RU"),
        ("20306", "inn", "5001000066", "RU"),
        ("20306", "okpo", "05747985", "RU"),
        ("30823", "imo", "IMO 8674156", None),
        ("40969", "passport", "731849424", "RU"),
        ("47042", "registration_number", "3000934", "HK"),
    ]
    assert parsed.tables["names"].filter(pl.col("name_kind") == "alias")["name"].to_list() == [
        "Ivan Oleksandrovich MASLOV"
    ]


def test_an_entry_without_uid_or_name_is_quarantined(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0"?>\n<sdnList>\n'
        "  <sdnEntry><uid>1</uid><lastName>GOOD</lastName><sdnType>Entity</sdnType></sdnEntry>\n"
        "  <sdnEntry><lastName>NO UID</lastName></sdnEntry>\n"
        "  <sdnEntry><uid>3</uid><sdnType>Individual</sdnType></sdnEntry>\n"
        "</sdnList>\n"
    )
    path = tmp_path / "SDN.XML"
    path.write_text(xml, encoding="utf-8")
    parsed = parse_sdn(SourceFile(path, "ofac_sdn_xml", date(2025, 1, 1), "SDN.XML"))
    assert parsed.tables["entities"]["source_id"].to_list() == ["1"]
    assert [(q["source_line"], q["reason"]) for q in parsed.quarantine] == [
        (4, "missing id"),
        (5, "missing name (id 3)"),
    ]
    assert "<lastName>NO UID</lastName>" in parsed.quarantine[0]["raw_text"]


def test_a_document_of_another_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_text("<CONSOLIDATED_LIST/>", encoding="utf-8")
    with pytest.raises(SourceParseError, match="expected an <sdnList> document"):
        parse_consolidated(SourceFile(path, "ofac_cons", date(2025, 1, 1), "consolidated.xml"))
