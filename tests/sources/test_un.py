"""UN Security Council Consolidated List, against a real extract read back independently with the
standard library's ElementTree."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from orchestration.sources.common.base import SourceFile
from orchestration.sources.common.registry import discover
from orchestration.sources.un.parse import parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
UN = "sanctions/un/2025-04-19/consolidated.xml"


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


@pytest.fixture(scope="module")
def parsed():
    found = discover(FIXTURES)
    return parse(next(f for f in found.for_source("un") if f.relative_path == UN))


@pytest.fixture(scope="module")
def records() -> dict[str, ET.Element]:
    root = ET.parse(FIXTURES / UN).getroot()
    return {
        _norm(e.findtext("REFERENCE_NUMBER")): e
        for e in root.iter()
        if e.tag in ("INDIVIDUAL", "ENTITY")
    }


def test_counts_match_the_file(parsed) -> None:
    text = (FIXTURES / UN).read_text(encoding="utf-8")
    entities = parsed.tables["entities"]
    assert entities.filter(pl.col("schema") == "person").height == text.count("<INDIVIDUAL>") == 53
    assert (
        entities.filter(pl.col("schema") == "organization").height == text.count("<ENTITY>") == 22
    )
    assert parsed.quarantine == []
    originals = parsed.tables["names"].filter(pl.col("name_kind") == "original_script")
    assert originals.height == len(re.findall(r"<NAME_ORIGINAL_SCRIPT>[^<\s]", text))


def test_every_alias_is_kept_with_its_quality(parsed, records) -> None:
    kinds = {"Low": "weak_alias", "f.k.a.": "former"}
    expected = {
        (ref, _norm(a.findtext("ALIAS_NAME")), kinds.get(_norm(a.findtext("QUALITY")), "alias"))
        for ref, el in records.items()
        for a in el
        if a.tag.endswith("_ALIAS") and _norm(a.findtext("ALIAS_NAME"))
    }
    names = parsed.tables["names"].filter(
        pl.col("name_kind").is_in(["alias", "weak_alias", "former"])
    )
    assert set(names.select("source_id", "name", "name_kind").rows()) == expected
    assert {k for _, _, k in expected} == {"alias", "weak_alias", "former"}


def test_documents_become_identifiers(parsed, records) -> None:
    expected = {
        (ref, _norm(d.findtext("TYPE_OF_DOCUMENT")), _norm(d.findtext("NUMBER")))
        for ref, el in records.items()
        for d in el.iter("INDIVIDUAL_DOCUMENT")
        if _norm(d.findtext("NUMBER"))
    }
    ids = parsed.tables["identifiers"].select("source_id", "id_type_raw", "id_value").rows()
    assert set(ids) == expected and len(ids) == len(expected)


def test_umarov_round_trips(parsed, records) -> None:
    entity = parsed.tables["entities"].filter(pl.col("source_id") == "QDi.290").row(0, named=True)
    assert entity["primary_name"] == "DOKU KHAMATOVICH UMAROV"
    assert entity["programs"] == ["Al-Qaida"]
    assert entity["listed_on"] == date(2011, 3, 10)
    # "former Soviet Union" has no ISO code: only the Russian Federation remains.
    assert entity["country_iso2"] == ["RU"]
    assert entity["remarks"].startswith("Physical description: 180 cm tall")
    names = parsed.tables["names"].filter(pl.col("source_id") == "QDi.290")
    assert names.select("name", "name_kind", "script").rows() == [
        ("DOKU KHAMATOVICH UMAROV", "primary", "latin"),
        ("Умаров Доку Хаматович", "original_script", "cyrillic"),
        ("Lom-ali Butayev (Butaev)", "alias", "latin"),
        ("Dokka Umarov", "alias", "latin"),  # given twice (two birth dates), kept once
    ]
    assert '"DATAID": "2960872"' in entity["record_json"]


def test_entity_address_and_line(parsed) -> None:
    address = parsed.tables["addresses"].filter(pl.col("source_id") == "KPe.005").row(0, named=True)
    assert address["full_address"] == "Sanaee Street, Kish Island, Iran (Islamic Republic of)"
    assert (address["street"], address["region"], address["country_iso2"]) == (
        "Sanaee Street",
        "Kish Island",
        "IR",
    )
    lines = (FIXTURES / UN).read_text(encoding="utf-8").splitlines()
    assert lines[address["source_line"] - 1].strip() == "<ENTITY_ADDRESS>"
    entity = parsed.tables["entities"].filter(pl.col("source_id") == "KPe.005").row(0, named=True)
    assert lines[entity["source_line"] - 1].strip() == "<ENTITY>"
    assert "<DATAID>690755</DATAID>" in lines[entity["source_line"]]


def test_quirks_of_the_real_file(parsed) -> None:
    entities = parsed.tables["entities"]
    # "KPe.055 " carries a trailing space in the file.
    assert entities.filter(pl.col("source_id") == "KPe.055").height == 1
    # LISTED_ON with a time-zone offset ("2015-...-04:00") still gives the date.
    offset = entities.filter(pl.col("record_json").str.contains("-04:00"))
    assert offset.height == 1 and offset["listed_on"][0].year == 2015
    assert entities["listed_on"].null_count() == 0


def test_records_without_reference_or_name_are_quarantined(tmp_path: Path) -> None:
    xml = """<?xml version='1.0' encoding='UTF-8'?>
<CONSOLIDATED_LIST dateGenerated='2025-01-01T00:00:00Z'>
    <INDIVIDUALS>
        <INDIVIDUAL><FIRST_NAME>NO</FIRST_NAME><SECOND_NAME>REFERENCE</SECOND_NAME></INDIVIDUAL>
    </INDIVIDUALS>
    <ENTITIES>
        <ENTITY><REFERENCE_NUMBER>KPe.999</REFERENCE_NUMBER><FIRST_NAME/></ENTITY>
        <ENTITY><REFERENCE_NUMBER>KPe.998</REFERENCE_NUMBER><FIRST_NAME>OK CO</FIRST_NAME></ENTITY>
    </ENTITIES>
</CONSOLIDATED_LIST>
"""
    path = tmp_path / "consolidated.xml"
    path.write_text(xml, encoding="utf-8")
    result = parse(SourceFile(path, "un", date(2025, 1, 1), "consolidated.xml"))
    assert result.tables["entities"]["source_id"].to_list() == ["KPe.998"]
    assert [(q["source_line"], q["reason"]) for q in result.quarantine] == [
        (4, "missing id"),
        (7, "missing name (id KPe.999)"),
    ]
