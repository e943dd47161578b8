"""OpenSanctions targets.simple.csv and FollowTheMoney entities (fictional fixtures: the real data
is CC BY-NC and stays out of the repository)."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from orchestration.sources.common.base import SourceFile, SourceParseError
from orchestration.sources.common.registry import discover
from orchestration.sources.opensanctions.parse import parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SIMPLE = "sanctions/opensanctions/ua_war_sanctions/2026-03-13/targets.simple.csv"
FTM = "sanctions/opensanctions/sanctions/2026-03-14/entities.ftm.json"


def fixture(relative: str) -> SourceFile:
    return next(
        f for f in discover(FIXTURES).for_source("opensanctions") if f.relative_path == relative
    )


def copied(tmp_path: Path, relative: str, dataset: str = "sanctions") -> SourceFile:
    folder = tmp_path / "sanctions" / "opensanctions" / dataset / "2026-01-01"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(relative).name
    shutil.copy(FIXTURES / relative, path)
    return SourceFile(
        path, "opensanctions", date(2026, 1, 1), path.relative_to(tmp_path).as_posix()
    )


@pytest.fixture(scope="module")
def simple():
    return parse(fixture(SIMPLE))


@pytest.fixture(scope="module")
def ftm():
    return parse(fixture(FTM))


def test_simple_csv_rows(simple) -> None:
    with (FIXTURES / SIMPLE).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    entities = simple.tables["entities"]
    assert entities.height + len(simple.quarantine) == len(rows) == 4
    assert [(q["source_line"], q["reason"]) for q in simple.quarantine] == [(6, "missing id")]
    assert entities.select(
        "list", "source_id", "schema", "programs", "country_iso2", "is_target", "source_line"
    ).rows() == [
        ("opensanctions_ua_war_sanctions", "NK-fixture0001", "organization", ["UA-WS-MILIND"],
         ["RU"], True, 2),
        ("opensanctions_ua_war_sanctions", "NK-fixture0002", "vessel", ["UA-WS-MARE"],
         ["LR", "PA"], True, 4),  # "suhh" (Soviet Union) has no ISO code
        ("opensanctions_ua_war_sanctions", "NK-fixture0003", "person", [], ["RU"], True, 5),
    ]  # fmt: skip
    assert (
        entities["remarks"][0]
        == '"A fictional developer of test products. Second line of the note."'
    )
    assert simple.tables["ownership"].height == 0


def test_simple_csv_names_and_identifiers(simple) -> None:
    names = simple.tables["names"].filter(pl.col("source_id") == "NK-fixture0001")
    assert names.select("name", "name_kind", "script").rows() == [
        ('JOINT-STOCK COMPANY "EXAMPLE CHEMICAL PLANT"', "primary", "latin"),
        ("EXAMPLE CHEMICAL PLANT JSC", "alias", "latin"),
        ("АО «Пример Химзавод»", "alias", "cyrillic"),
    ]
    assert simple.tables["identifiers"].select("source_id", "id_type", "id_value").rows() == [
        ("NK-fixture0001", "other", "1020000000001"),
        ("NK-fixture0001", "other", "5000000001"),
        ("NK-fixture0002", "imo", "IMO9000002"),
    ]


def test_ftm_entities_and_what_attaches_to_them(ftm) -> None:
    lines = (FIXTURES / FTM).read_text(encoding="utf-8").splitlines()
    things = [
        json.loads(x) for x in lines if json.loads(x)["schema"] in ("Company", "Person", "Vessel")
    ]
    entities = ftm.tables["entities"]
    assert entities.height == len(things) - 1  # one person has no name
    assert entities.select("source_id", "schema", "programs", "listed_on", "is_target").rows() == [
        ("os-co-1", "organization", ["EX-RUS", "EX-MIL"], date(2022, 6, 28), True),
        ("os-co-2", "organization", [], None, False),
        ("os-person-1", "person", [], None, True),
        ("os-vessel-1", "vessel", [], None, True),
    ]
    company = entities.row(0, named=True)
    assert company["primary_name"] == "Example Microelectronics JSC"
    assert company["country_iso2"] == ["RU"]
    assert json.loads(company["record_json"])["id"] == "os-co-1"
    names = ftm.tables["names"].filter(pl.col("source_id") == "os-co-1")
    assert names.select("name", "name_kind").rows() == [
        ("Example Microelectronics JSC", "primary"),
        ("AO Primer Mikroelektronika", "alias"),
        ("Пример Микроэлектроника", "alias"),
        ("EXMIC", "weak_alias"),
        ("Example Radio Plant", "former"),
    ]
    address = ftm.tables["addresses"].row(0, named=True)
    assert (
        address["source_id"],
        address["city"],
        address["postal_code"],
        address["country_iso2"],
    ) == (
        "os-co-1",
        "Zelenograd",
        "124000",
        "RU",
    )
    assert address["source_line"] == 2  # the Address entity's own line
    ids = ftm.tables["identifiers"].select("source_id", "id_type", "id_value", "issuing_country")
    assert ids.rows() == [
        ("os-co-1", "inn", "7700000002", None),
        ("os-co-1", "ogrn", "1027700000002", None),
        ("os-co-2", "registration_number", "3000002", None),
        ("os-person-1", "passport", "700000004", "RU"),
        ("os-vessel-1", "imo", "IMO9000002", None),
    ]


def test_ftm_ownership(ftm) -> None:
    assert ftm.tables["ownership"].select(
        "source_id", "owner_id", "asset_id", "share_pct", "share_raw", "start_date", "end_date",
        "source_line",
    ).rows() == [
        ("os-own-1", "os-co-1", "os-co-2", 51.0, "51", date(2021, 3, 1), None, 6),
        ("os-own-2", "os-person-1", "os-co-2", None, "25-50", None, date(2024, 12, 31), 9),
    ]  # fmt: skip
    assert set(ftm.tables["ownership"]["list"]) == {"opensanctions_sanctions"}
    assert [(q["raw_table"], q["source_line"], q["reason"]) for q in ftm.quarantine] == [
        ("entities", 12, "missing name (id os-person-2)"),
        ("ownership", 10, "ownership without owner or asset"),
    ]


def test_both_files_of_one_release_load_once(tmp_path: Path) -> None:
    csv_file = copied(tmp_path, SIMPLE, "ua_war_sanctions")
    assert parse(csv_file).tables["entities"]["list"][0] == "opensanctions_ua_war_sanctions"
    copied(tmp_path, FTM, "ua_war_sanctions")
    skipped = parse(csv_file)
    assert {t: f.height for t, f in skipped.tables.items()} == {
        "entities": 0, "names": 0, "addresses": 0, "identifiers": 0, "ownership": 0,
    }  # fmt: skip
    assert "loaded from entities.ftm.json" in skipped.quarantine[0]["reason"]
    assert skipped.tables["entities"].schema["is_target"] == pl.Boolean


def test_bad_inputs(tmp_path: Path) -> None:
    bad = copied(tmp_path, FTM)
    bad.path.write_text('{"id": "a", "schema": "Person"}\n{"id": "b", \n', encoding="utf-8")
    with pytest.raises(SourceParseError) as err:
        parse(bad)
    assert err.value.line == 2 and "malformed JSON" in err.value.reason
    outside = SourceFile(bad.path, "opensanctions", date(2026, 1, 1), "entities.ftm.json")
    with pytest.raises(SourceParseError, match="cannot tell the dataset"):
        parse(outside)
