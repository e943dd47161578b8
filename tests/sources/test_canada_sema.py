"""Canada's Consolidated Autonomous Sanctions List, against a real extract."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from orchestration.sources.canada_sema.parse import aliases, parse
from orchestration.sources.common.base import SourceFile
from orchestration.sources.common.registry import discover

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEMA = "sanctions/canada_sema/2025-05-25/sema-lmes.xml"


@pytest.fixture(scope="module")
def parsed():
    found = discover(FIXTURES)
    return parse(next(f for f in found.for_source("canada_sema") if f.relative_path == SEMA))


def _entity(parsed, source_id: str) -> dict:
    return parsed.tables["entities"].filter(pl.col("source_id") == source_id).row(0, named=True)


def test_every_record_is_loaded_with_a_unique_id(parsed) -> None:
    text = (FIXTURES / SEMA).read_text(encoding="utf-8")
    entities = parsed.tables["entities"]
    assert entities.height == text.count("<record>") == 59
    assert parsed.quarantine == []
    assert entities["source_id"].n_unique() == entities.height
    # The id is rebuilt here from the file by hand: regulation | schedule | item.
    root = ET.parse(FIXTURES / SEMA).getroot()
    expected = {
        "|".join(
            [
                r.findtext("Country").split(" / ")[0].strip(),
                re.sub(r"\s*,\s*", ", ", (r.findtext("Schedule") or "-").strip()),
                r.findtext("Item").strip(),
            ]
        )
        for r in root.iter("record")
    }
    assert set(entities["source_id"]) == expected


def test_schedule_spacing_and_missing_schedule(parsed) -> None:
    plant = _entity(parsed, "Belarus|1, Part 3|2")  # "1,Part 3" in the file
    assert plant["primary_name"] == (
        'Open Joint Stock Company "Minsk Electrotechnical Plant named after V.I. Kozlov"'
    )
    jvcfoa = "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR)"
    person = _entity(parsed, f"{jvcfoa}|-|69")
    assert person["primary_name"] == "Maher Abdulaziz MUTREB"
    assert person["programs"] == [jvcfoa]


def test_regime_is_the_program_not_the_country(parsed) -> None:
    vessel = _entity(parsed, "Russia|1.1|17")
    assert (vessel["primary_name"], vessel["schema"], vessel["programs"]) == (
        "Nurkez",
        "vessel",
        ["Russia"],
    )
    assert vessel["listed_on"] == date(2025, 2, 21)
    assert vessel["country_iso2"] == []
    ids = parsed.tables["identifiers"].filter(pl.col("source_id") == "Russia|1.1|17")
    assert ids.select("id_type", "id_value", "id_type_raw").rows() == [
        ("imo", "9253325", "ShipIMONumber")
    ]
    vessels = parsed.tables["entities"].filter(pl.col("schema") == "vessel").height
    assert vessels == (FIXTURES / SEMA).read_text(encoding="utf-8").count("<ShipIMONumber>")


def test_china_regime_and_names(parsed) -> None:
    china = parsed.tables["entities"].filter(pl.col("programs").list.contains("China"))
    root = ET.parse(FIXTURES / SEMA).getroot()
    assert china.height == sum(
        1 for r in root.iter("record") if r.findtext("Country").startswith("China")
    )
    assert _entity(parsed, "China|Part 1|1")["primary_name"] == "Hailun Zhu"
    assert _entity(parsed, "China|Part 2|1")["schema"] == "organization"
    assert _entity(parsed, "Zimbabwe|-|4")["primary_name"] == "Flora Buka"  # no-break spaces


def test_aliases_split_and_lose_their_language_labels(parsed) -> None:
    names = parsed.tables["names"].filter(pl.col("source_id") == "Belarus|1, Part 1|103")
    assert names.select("name", "name_kind", "script").rows() == [
        ("Andrei Romanovich TARASEVICH", "primary", "latin"),
        ("Andrei Ramanavich TARASEVICH", "alias", "latin"),
        ("Андрэй Раманавiч ТАРАСЕВIЧ", "alias", "cyrillic"),
        ("Андрей Романович ТАРАСЕВИЧ", "alias", "cyrillic"),
    ]
    concord = parsed.tables["names"].filter(pl.col("source_id") == "Russia|1, Part 2|351")
    assert concord["name"].to_list() == [
        "Concord Management and Consulting LLC",
        "Конкорд Менеджмент и консалтинг, ООО",  # a company's comma is no separator
    ]


def test_alias_splitting_rules() -> None:
    assert aliases("A B, Russian\xa0: В Г", is_person=True) == ["A B", "В Г"]
    assert aliases("Bank X, PJSC; X Bank", is_person=False) == ["Bank X, PJSC", "X Bank"]
    assert aliases("OJSC X, Belarussian: Y, Russian: Z", is_person=False) == ["OJSC X", "Y", "Z"]
    assert aliases(None, is_person=True) == []


def test_a_record_without_item_or_name_is_quarantined(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<data-set>\n'
        "\t<record><Country>Russia / Russie</Country><LastName>A</LastName></record>\n"
        "\t<record><Country>Russia / Russie</Country><Item>2</Item></record>\n"
        "\t<record><Country>Iran</Country><EntityOrShip>B Co</EntityOrShip><Item>3</Item>"
        "</record>\n</data-set>\n"
    )
    path = tmp_path / "sema-lmes.xml"
    path.write_text(xml, encoding="utf-8")
    result = parse(SourceFile(path, "canada_sema", date(2025, 1, 1), "sema-lmes.xml"))
    assert result.tables["entities"]["source_id"].to_list() == ["Iran|-|3"]
    assert [(q["source_line"], q["reason"]) for q in result.quarantine] == [
        (3, "missing id"),
        (4, "missing name (id Russia|-|2)"),
    ]
