"""The third-party JSON of the BIS Entity List, MEU List and Denied Persons List: ids derived from
name, country and address, duplicates kept traceable."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from orchestration.sources.bis_derived.parse import address_country, listing_date, parse
from orchestration.sources.common.base import SourceFile, SourceParseError
from orchestration.sources.common.registry import discover

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RELEASE = "sanctions/bis_derived/2026-07-09"


def _parse(name: str):
    found = discover(FIXTURES)
    relative = f"{RELEASE}/{name}"
    return parse(next(f for f in found.for_source("bis_derived") if f.relative_path == relative))


@pytest.fixture(scope="module")
def entity_list():
    return _parse("bis_entity_list.json")


@pytest.fixture(scope="module")
def dpl():
    return _parse("bis_dpl.json")


def _entries(name: str) -> list[dict]:
    return json.loads((FIXTURES / RELEASE / name).read_text(encoding="utf-8"))["entities"]


def _key(entry: dict) -> str:
    parts = [" ".join((entry[k] or "").split()).casefold() for k in ("name", "country", "address")]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


@pytest.mark.parametrize(
    ("name", "list_name", "count"),
    [("bis_entity_list.json", "bis_entity_list", 25), ("bis_meu.json", "bis_meu", 70)],
)
def test_every_entry_is_loaded(name: str, list_name: str, count: int) -> None:
    parsed = _parse(name)
    entities = parsed.tables["entities"]
    assert entities.height == len(_entries(name)) == count
    assert set(entities["list"]) == {list_name}
    assert entities["source_id"].n_unique() == count
    assert parsed.quarantine == []


def test_denied_persons_duplicates_stay_traceable(dpl) -> None:
    entries = _entries("bis_dpl.json")
    entities = dpl.tables["entities"]
    assert entities.height == len(entries) == 564
    assert entities["source_id"].n_unique() == 564
    repeats = Counter(json.dumps(e, sort_keys=True) for e in entries)
    extra = sum(n - 1 for n in repeats.values())
    suffixed = entities.filter(pl.col("source_id").str.ends_with("-2"))
    assert suffixed.height == extra == 2
    chu = entities.filter(pl.col("primary_name") == "NEI-CHIEN CHU").sort("source_line")
    key = _key(next(e for e in entries if e["name"] == "NEI-CHIEN CHU"))
    assert chu["source_id"].to_list() == [f"bis-dpl-{key}", f"bis-dpl-{key}-2"]
    lines = (FIXTURES / RELEASE / "bis_dpl.json").read_text(encoding="utf-8").splitlines()
    first, second = chu["source_line"].to_list()
    assert first < second
    assert lines[first - 1].strip() == lines[second - 1].strip() == "{"
    assert lines[first].strip() == lines[second].strip() == '"name": "NEI-CHIEN CHU",'
    assert chu["listed_on"].to_list() == [date(2006, 6, 23)] * 2


def test_ids_are_hashes_of_name_country_and_address(entity_list) -> None:
    entries = _entries("bis_entity_list.json")
    expected = [f"bis-el-{_key(e)}" for e in entries]
    assert entity_list.tables["entities"].sort("source_line")["source_id"].to_list() == expected


def test_wong_yung_fai_round_trips(entity_list) -> None:
    rows = entity_list.tables["entities"].filter(pl.col("primary_name") == "Wong Yung Fai")
    assert rows.height == 2  # listed twice, with and without addresses
    with_addresses = rows.filter(pl.col("country_iso2").list.len() > 1).row(0, named=True)
    assert with_addresses["country_iso2"] == ["CN", "HK"]
    assert with_addresses["listed_on"] == date(2010, 1, 13)  # earliest of 1/13/10 and 12/23/20
    sid = with_addresses["source_id"]
    names = entity_list.tables["names"].filter(pl.col("source_id") == sid)
    assert names.select("name", "name_kind").rows() == [
        ("Wong Yung Fai", "primary"),
        ("Tonny Wong", "alias"),
    ]
    addresses = entity_list.tables["addresses"].filter(pl.col("source_id") == sid)
    raw = next(
        e for e in _entries("bis_entity_list.json") if e["name"] == "Wong Yung Fai" and e["address"]
    )
    assert addresses.height == raw["address"].count("; and ") + 1 == 6
    assert set(addresses["country_iso2"]) == {"HK"}
    assert addresses["full_address"][0] == (
        "Unit 27B, Block 8, Monte Vista, 9 Sha On Street, Ma On Shan, New Territories, Hong Kong"
    )


def test_russian_institute_round_trips(entity_list) -> None:
    name = "48th Central Scientific Research Institute, Kirov"
    entity = (
        entity_list.tables["entities"].filter(pl.col("primary_name") == name).row(0, named=True)
    )
    assert entity["country_iso2"] == ["RU"]
    assert entity["listed_on"] == date(2020, 8, 27)
    assert entity["remarks"] == "For all items subject to the EAR. (See § 744.11 of the EAR)"
    assert json.loads(entity["record_json"])["federal_register"] == "85 FR 52901, 8/27/20"
    aliases = entity_list.tables["names"].filter(
        (pl.col("source_id") == entity["source_id"]) & (pl.col("name_kind") == "alias")
    )
    assert aliases["name"].to_list() == [
        "48th TsNII Kirov",
        "Scientific Research Institute of Microbiology",
        "Scientific Research Institute of Epidemiology and Hygiene",
    ]


def test_listing_date_and_address_country_rules() -> None:
    assert listing_date(
        {"effective_date": "1981-09-10", "federal_register": "85 FR 1, 8/27/20"}
    ) == (date(1981, 9, 10))
    assert listing_date({"federal_register": "63 FR 64322, 11/19/98.\n65 FR 14444, 3/17/00."}) == (
        date(1998, 11, 19)
    )
    assert listing_date({"federal_register": "85 FR 83799, 12/23/2020"}) == date(2020, 12, 23)
    assert listing_date({"federal_register": "no date, 13/45/20"}) is None
    assert address_country("4945 SAGEWOOD LANE, HEMET, CA, US, 92545") == ("US", "US")
    assert address_country("Kirov, Kirov Oblast, Russia.") == ("Russia", "RU")
    assert address_country("Kabul, Afghanistan. (See alternate addresses under Pakistan).") == (
        "Afghanistan",
        "AF",
    )
    assert address_country("Somewhere") == (None, None)


def test_an_entry_without_name_is_quarantined_and_bad_json_fails(tmp_path: Path) -> None:
    text = (
        '{"list_id": "bis-meu", "entities": [\n'
        ' {"name": "A Co", "country": "China"},\n'
        ' {"name": " ", "country": "China"}\n]}'
    )
    path = tmp_path / "bis_meu.json"
    path.write_text(text, encoding="utf-8")
    file = SourceFile(path, "bis_derived", date(2026, 1, 1), "bis_meu.json")
    result = parse(file)
    assert result.tables["entities"]["primary_name"].to_list() == ["A Co"]
    assert [(q["source_line"], q["reason"][:12]) for q in result.quarantine] == [
        (3, "missing name")
    ]
    path.write_text(text.replace('"A Co",', '"A Co"'), encoding="utf-8")
    with pytest.raises(SourceParseError) as err:
        parse(SourceFile(path, "bis_derived", date(2026, 1, 2), "bis_meu.json"))
    assert err.value.line == 2 and "malformed JSON" in err.value.reason
