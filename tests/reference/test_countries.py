"""The country resolver against tables it was not built by: ISO 3166 as pycountry carries it, the
BACI and UNSD code tables, the datahub names and the Eurostat label/code pairs in the fixtures."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pycountry
import pytest

from orchestration.reference.areas import AGGREGATE, country_index
from orchestration.reference.countries import (
    countries,
    country_iso2,
    iso2_code,
    iso3_from_baci,
    iso3_from_m49,
    to_iso2,
    to_iso3,
)
from orchestration.screening.countries import is_place_word, iso2_from_name
from orchestration.settings import SAMPLE_INPUTS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "trade"
REFERENCE = FIXTURES / "reference"
ISO = list(pycountry.countries)


def read(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_table_is_iso_3166_plus_kosovo():
    assert {c.iso2 for c in countries()} == {c.alpha_2 for c in ISO} | {"XK"}
    assert {c.iso3 for c in countries()} == {c.alpha_3 for c in ISO} | {"XKX"}


@pytest.mark.parametrize("country", ISO, ids=lambda c: c.alpha_3)
def test_iso_codes_resolve_both_ways(country):
    assert to_iso3(country.alpha_2) == country.alpha_3
    assert to_iso3(f" {country.alpha_3.lower()} ") == country.alpha_3
    assert to_iso2(country.alpha_3) == country.alpha_2
    assert iso2_code(country.alpha_2) == country.alpha_2
    assert iso3_from_m49(country.numeric) == country.alpha_3


def test_codes_that_are_not_countries():
    assert to_iso2("XK") == "XK" and to_iso3("XKX") == "XKX"  # Kosovo, user-assigned
    assert to_iso3("NA") == "NAM"  # Namibia, not a missing value
    assert iso2_code("00") is None  # the EU list's "unknown"
    assert iso2_code("ZZ") is None and iso2_code("RUS") is None and iso2_code(None) is None
    assert to_iso2("RUSSIA") is None and to_iso3("ZZ") is None


def test_baci_codes_follow_the_baci_country_table():
    """Every code of BACI's own table: its ISO3 where that is an ISO country (490 'Other Asia,
    nes', ISO3 S19, is Taiwan), nothing for BACI's groups and dissolved states."""
    iso3 = {c.alpha_3 for c in ISO}
    rows = read(SAMPLE_INPUTS / "trade" / "baci" / "country_codes_V202601.csv")
    assert len(rows) > 200
    for row in rows:
        code = "TWN" if row["country_iso3"] == "S19" else row["country_iso3"]
        expected = code if code in iso3 else None
        assert iso3_from_baci(row["country_code"]) == expected, row
        if expected and row["country_iso2"]:
            assert to_iso2(expected) == row["country_iso2"]
    # BACI's own codes where they differ from ISO numeric, and historical ones.
    assert [iso3_from_baci(c) for c in (842, 251, 699, 757, 579, 58, 280)] == [
        "USA", "FRA", "IND", "CHE", "NOR", "BEL", "DEU",
    ]  # fmt: skip


def test_comtrade_codes_follow_the_unsd_table():
    """UNSD's "Comtrade Country Code and Name": each area code is the country of its ISO
    numeric code (841 'USA and Puerto Rico' is the USA, 381 Italy before 1997 is Italy), 490 is
    Taiwan, areas without an ISO numeric code are no country."""
    index = country_index()
    rows = read(REFERENCE / "comtrade_country_codes_iso.csv")
    for row in rows:
        if not row["unCode"].isdigit():
            continue
        numeric = row["isoNumerical"]
        iso = pycountry.countries.get(numeric=numeric.zfill(3)) if numeric.isdigit() else None
        expected = "TWN" if row["unCode"] == "490" else (iso.alpha_3 if iso else None)
        area = index.comtrade_area(int(row["unCode"]))
        assert (area.iso3 if area else None) == expected, row
    assert index.comtrade_area(0).kind == AGGREGATE  # World


@pytest.mark.parametrize(
    "column",
    [
        "official_name_en", "UNTERM English Short", "UNTERM English Formal", "CLDR display name",
        "official_name_fr", "UNTERM French Short", "UNTERM French Formal",
        "official_name_ru", "UNTERM Russian Short", "UNTERM Russian Formal",
    ],
)  # fmt: skip
def test_trade_labels_in_three_languages(column):
    """Every name the datahub country table gives in English, French and Russian."""
    index = country_index()
    for row in read(REFERENCE / "country_codes_datahub.csv"):
        if row["ISO3166-1-Alpha-3"] and row[column]:
            area = index.label_area(row[column])
            assert area is not None and area.iso3 == row["ISO3166-1-Alpha-3"], row[column]


def test_eurostat_labels_agree_with_eurostat_codes():
    """Comext extracts carry Eurostat's code beside its label ("DE", "Germany (incl. German
    Democratic Republic 'DD' from 1991)"): both resolve to the ISO3 of that code."""
    index = country_index()
    pairs = set()
    for name in (
        "comext_ds045409_eu27_to_ru_by_am_ge_kg_kz_uz_monthly_2020_2022.csv.gz",
        "comext_chpl_cn8_eu27_to_ru_am_kg_kz_2021_2022.csv.gz",
    ):
        for row in read(FIXTURES / "eurostat_comext" / name):
            pairs.add((row["reporter_iso2"], row["reporter_label"]))
            pairs.add((row["partner_iso2"], row["partner_label"]))
    assert len(pairs) >= 30
    for code, label in pairs:
        expected = pycountry.countries.get(alpha_2=code).alpha_3
        assert index.label_area(label).iso3 == expected, label
        assert index.code_area(code).iso3 == expected


def test_names_as_sanctions_lists_write_them():
    cases = {
        "Russian Federation": "RU",
        "Russia": "RU",
        "Russia / Russie": "RU",  # Canada's bilingual form
        "Iran, Islamic Republic of": "IR",
        "Burma": "MM",
        "Korea, North": "KP",
        "Hong Kong": "HK",
        "Côte d'Ivoire": "CI",
        "Region: Crimea": "UA",
        "Kosovo": "XK",
        "United Arab Emirates": "AE",
    }
    for name, iso2 in cases.items():
        assert country_iso2(name) == iso2, name
    assert country_iso2("Atlantis") is None and country_iso2(None) is None


def test_screening_names_and_place_words():
    """The datahub CLDR and official English names give their ISO2; capitals are place words."""
    for row in read(REFERENCE / "country_codes_datahub.csv"):
        if row["ISO3166-1-Alpha-2"]:
            assert iso2_from_name(row["CLDR display name"]) == row["ISO3166-1-Alpha-2"]
            assert iso2_from_name(row["official_name_en"]) == row["ISO3166-1-Alpha-2"]
    assert iso2_from_name("Kosovo") == "XK"
    assert is_place_word("moscow") and is_place_word("pristina") and is_place_word("armenia")
    assert not is_place_word("united")  # a word of country names that names no place
