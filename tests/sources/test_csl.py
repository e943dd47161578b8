"""trade.gov Consolidated Screening List, CSV and JSON (composed in the documented format)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from orchestration.sources.common.base import SourceFile, SourceParseError
from orchestration.sources.common.registry import discover
from orchestration.sources.csl.parse import list_of, parse, values

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CSV = "sanctions/csl/2025-09-01/consolidated.csv"
JSON = "sanctions/csl/2025-09-02/consolidated.json"


def fixture(relative: str) -> SourceFile:
    return next(f for f in discover(FIXTURES).for_source("csl") if f.relative_path == relative)


def tmp_file(tmp_path: Path, name: str, text: str) -> SourceFile:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return SourceFile(path, "csl", date(2025, 1, 1), f"sanctions/csl/2025-01-01/{name}")


@pytest.fixture(scope="module")
def from_csv():
    return parse(fixture(CSV))


@pytest.mark.parametrize(
    ("source", "list_name"),
    [
        ("Entity List (EL) - Bureau of Industry and Security", "bis_entity_list"),
        ("Military End User (MEU) List - Bureau of Industry and Security", "bis_meu"),
        ("Denied Persons List (DPL) - Bureau of Industry and Security", "bis_dpl"),
        ("Unverified List (UVL) - Bureau of Industry and Security", "bis_uvl"),
        ("Specially Designated Nationals (SDN) - Treasury Department", "ofac_sdn"),
        ("Sectoral Sanctions Identifications List (SSI) - Treasury Department", "ofac_cons"),
        ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", "ofac_cons"),
        ("ITAR Debarred (DTC) - State Department", "ddtc_debarred"),
        ("Nonproliferation Sanctions (ISN) - State Department", "state_isn"),
        ("Some New List (SNL) - Example Agency", "csl_some_new_list_snl"),
        (None, "csl_unknown"),
    ],
)
def test_source_names_map_to_lists(source: str | None, list_name: str) -> None:
    assert list_of(source) == list_name


def test_every_csv_row_is_loaded_or_quarantined(from_csv) -> None:
    with (FIXTURES / CSV).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    entities = from_csv.tables["entities"]
    assert entities.height + len(from_csv.quarantine) == len(rows) == 9
    assert [(q["source_line"], q["reason"]) for q in from_csv.quarantine] == [
        (10, "missing name (id deadbeef)")
    ]
    assert dict(entities.group_by("list").len().rows()) == {
        "bis_entity_list": 1, "bis_meu": 1, "bis_dpl": 1, "bis_uvl": 1, "ofac_sdn": 2,
        "ofac_cons": 1, "csl_some_new_list_snl": 1,
    }  # fmt: skip
    assert entities["source_line"].to_list() == list(range(2, 10))


def test_entity_list_row_with_two_hong_kong_addresses(from_csv) -> None:
    entity = (
        from_csv.tables["entities"].filter(pl.col("list") == "bis_entity_list").row(0, named=True)
    )
    assert (entity["primary_name"], entity["listed_on"], entity["country_iso2"]) == (
        "Wong Yung Fai",
        date(2010, 1, 13),
        ["HK"],
    )
    addresses = from_csv.tables["addresses"].filter(pl.col("source_id") == entity["source_id"])
    assert addresses.select("full_address", "country_iso2").rows() == [
        ("Unit 27B, Block 8, Monte Vista, 9 Sha On Street, Ma On Shan, New Territories, HK", "HK"),
        ("Unit 1006, 10/F Carnarvon Plaza, 20 Carnarvon Road, TST, Kowloon, HK", "HK"),
    ]
    names = from_csv.tables["names"].filter(pl.col("source_id") == entity["source_id"])
    assert names["name"].to_list() == ["Wong Yung Fai", "Tonny Wong"]


def test_sdn_row_identifiers(from_csv) -> None:
    entity = from_csv.tables["entities"].filter(pl.col("source_id") == "20306").row(0, named=True)
    assert (entity["list"], entity["schema"], entity["programs"]) == (
        "ofac_sdn",
        "organization",
        ["UKRAINE-EO13662", "RUSSIA-EO14024"],
    )
    ids = from_csv.tables["identifiers"].filter(pl.col("source_id") == "20306")
    # Website and "Secondary sanctions risk:" are features, not identifiers.
    assert ids.select("id_type", "id_value", "id_type_raw", "issuing_country").rows() == [
        ("ogrn", "1025000513878", "Registration ID", "RU"),
        ("inn", "5001000066", "Tax ID No.", "RU"),
        ("okpo", "05747985", "Government Gazette Number", "RU"),
    ]
    ssi = from_csv.tables["identifiers"].filter(pl.col("source_id") == "18715")
    assert ssi.select("id_type", "issuing_country").rows() == [
        ("registration_number", "UA"),
        ("tax_id", "UA"),
        ("swift_bic", None),
    ]


def test_json_results_with_structured_fields() -> None:
    parsed = parse(fixture(JSON))
    entities = parsed.tables["entities"]
    raw = json.loads((FIXTURES / JSON).read_text(encoding="utf-8"))["results"]
    assert entities.height == len(raw) == 3
    assert entities.select("list", "source_id", "schema", "country_iso2").rows() == [
        ("ofac_sdn", "40969", "person", ["RU"]),
        ("bis_entity_list", raw[1]["id"], "unknown", ["HK"]),
        ("ofac_cons", "18715", "organization", []),
    ]
    lines = (FIXTURES / JSON).read_text(encoding="utf-8").splitlines()
    for line in entities["source_line"]:
        assert lines[line - 1].strip() == "{"
    assert parsed.tables["identifiers"].select("source_id", "id_type", "id_value").rows() == [
        ("40969", "passport", "731849424"),
        ("18715", "swift_bic", "SABRUAUK"),
    ]
    address = parsed.tables["addresses"].row(0, named=True)
    assert (address["street"], address["city"], address["region"], address["country_iso2"]) == (
        "Unit 27B, Block 8, Monte Vista, 9 Sha On Street",
        "Ma On Shan",
        "New Territories",
        "HK",
    )


def test_bare_json_array_and_duplicate_formats(tmp_path: Path) -> None:
    results = json.loads((FIXTURES / JSON).read_text(encoding="utf-8"))["results"]
    bare = tmp_file(tmp_path, "consolidated.json", json.dumps(results))
    assert parse(bare).tables["entities"]["source_id"].to_list() == [
        "40969",
        results[1]["id"],
        "18715",
    ]
    beside = tmp_file(tmp_path, "consolidated.csv", (FIXTURES / CSV).read_text(encoding="utf-8"))
    skipped = parse(beside)
    assert skipped.tables["entities"].height == 0
    assert "loaded from consolidated.json" in skipped.quarantine[0]["reason"]


def test_values_splits_text_and_keeps_arrays() -> None:
    assert values("A; B;  C") == ["A", "B", "C"]
    assert values(["A", None, ""]) == ["A"]
    assert values(None) == []


def test_bad_files_fail_clearly(tmp_path: Path) -> None:
    with pytest.raises(SourceParseError, match="not a Consolidated Screening List header"):
        parse(tmp_file(tmp_path, "consolidated.csv", "a,b\n1,2\n"))
    with pytest.raises(SourceParseError) as err:
        parse(
            tmp_file(tmp_path, "consolidated.json", '{"results": [\n{"name": "x"},\n{"name": }\n]}')
        )
    assert err.value.line == 3
