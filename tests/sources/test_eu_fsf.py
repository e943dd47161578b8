"""EU Financial Sanctions Files XML 1.1 (composed in the documented schema)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from orchestration.sources.common.base import SourceFile, SourceParseError
from orchestration.sources.common.registry import discover
from orchestration.sources.eu_fsf.parse import parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EU = "sanctions/eu_fsf/2025-08-01/20250801-FULL-1_1.xml"
NS = "{http://eu.europa.ec/fpi/fsd/export}"


@pytest.fixture(scope="module")
def parsed():
    return parse(next(f for f in discover(FIXTURES).for_source("eu_fsf") if f.relative_path == EU))


def test_counts_and_quarantine(parsed) -> None:
    root = ET.parse(FIXTURES / EU).getroot()
    entities = list(root.iter(f"{NS}sanctionEntity"))
    nameless = [e for e in entities if e.find(f"{NS}nameAlias") is None]
    assert parsed.tables["entities"].height == len(entities) - len(nameless) == 3
    lines = (FIXTURES / EU).read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if 'logicalId="990004"' in text)
    assert [(q["source_line"], q["reason"]) for q in parsed.quarantine] == [
        (line, "missing name (id 990004)")
    ]
    names = parsed.tables["names"]
    assert names.height == len(list(root.iter(f"{NS}nameAlias")))


def test_person_round_trips(parsed) -> None:
    person = parsed.tables["entities"].filter(pl.col("source_id") == "990001").row(0, named=True)
    assert person["schema"] == "person"
    assert person["primary_name"] == "Sergei Sergeevich OBRAZETS"
    assert person["programs"] == ["UKR"]
    assert person["listed_on"] == date(2022, 2, 28)
    assert person["remarks"] == "Fictional person for tests."
    assert person["country_iso2"] == ["RU"]
    names = parsed.tables["names"].filter(pl.col("source_id") == "990001")
    assert names.select("name", "name_kind", "script").rows() == [
        ("Sergei Sergeevich OBRAZETS", "primary", "latin"),
        ("Сергей Сергеевич ОБРАЗЕЦ", "alias", "cyrillic"),
        ("Seryozha", "weak_alias", "latin"),
    ]
    ids = parsed.tables["identifiers"].filter(pl.col("source_id") == "990001")
    assert ids.select("id_type", "id_value", "id_type_raw", "issuing_country").rows() == [
        ("passport", "700000003", "passport", "RU")
    ]


def test_companies_with_addresses_and_registration_numbers(parsed) -> None:
    addresses = parsed.tables["addresses"].select(
        "source_id", "street", "city", "postal_code", "country_name", "country_iso2"
    )
    assert addresses.rows() == [
        ("990002", "Primernaya Street 10", "Moscow", "123456", "RUSSIAN FEDERATION", "RU"),
        ("990003", "Flat A, 10/F, Example Centre, 1 Sample Road", "Kowloon", None, "HONG KONG",
         "HK"),
    ]  # fmt: skip
    ids = parsed.tables["identifiers"].filter(pl.col("source_id") != "990001")
    assert ids.select("source_id", "id_type", "id_value", "id_type_raw").rows() == [
        ("990002", "ogrn", "1027700000001", "regnumber"),
        ("990002", "inn", "7700000001", "fiscalcode"),
        ("990003", "registration_number", "3000001", "regnumber"),
    ]
    hk = parsed.tables["entities"].filter(pl.col("source_id") == "990003").row(0, named=True)
    assert hk["listed_on"] is None  # no designationDate on the entity
    assert hk["country_iso2"] == ["HK"]
    han = parsed.tables["names"].filter(pl.col("script") == "han")["name"].to_list()
    assert han == ["示例元件(香港)有限公司"]


def test_record_json_keeps_the_attributes(parsed) -> None:
    person = parsed.tables["entities"].filter(pl.col("source_id") == "990001").row(0, named=True)
    assert '"@euReferenceNumber": "EU.9901.01"' in person["record_json"]
    assert '"@identificationTypeDescription": "National passport"' in person["record_json"]


def test_primary_name_falls_back_to_the_first_alias(tmp_path: Path) -> None:
    xml = (
        '<export xmlns="http://eu.europa.ec/fpi/fsd/export">\n'
        '<sanctionEntity logicalId="1"><subjectType code="enterprise"/>'
        '<nameAlias wholeName="ООО Пример" nameLanguage="RU" strong="true"/>'
        '<nameAlias wholeName="Primer LLC" strong="false"/></sanctionEntity>\n'
        '<sanctionEntity><nameAlias wholeName="No Id"/></sanctionEntity>\n'
        "</export>\n"
    )
    path = tmp_path / "eu.xml"
    path.write_text(xml, encoding="utf-8")
    result = parse(SourceFile(path, "eu_fsf", date(2025, 1, 1), "eu.xml"))
    assert result.tables["entities"].select("primary_name", "schema").rows() == [
        ("ООО Пример", "organization")
    ]
    assert result.tables["names"]["name_kind"].to_list() == ["primary", "weak_alias"]
    assert [(q["source_line"], q["reason"]) for q in result.quarantine] == [(3, "missing id")]
    path.write_text("<sanctionEntity/>", encoding="utf-8")
    with pytest.raises(SourceParseError, match="expected an <export> document"):
        parse(SourceFile(path, "eu_fsf", date(2025, 1, 2), "eu.xml"))
