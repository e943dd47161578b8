"""The country-level metric marts on real files.

- The synthetic BACI panel (the session's synthetic warehouse): the planted diversion pattern of
  tools/synthetic/README.md shows in the re-export match, capacity and new-flow metrics, and the
  offset ratio, excess growth and supplier shares equal sums computed here from the BACI CSVs.
- Eurostat Comext (tests/fixtures/trade/eurostat_comext, a real DS-045409 extract): EU27 exports
  of CHPL goods to Russia, Kazakhstan, Kyrgyzstan and Armenia in 2021 and 2022 equal the sums of
  the extract's lines, read with the csv module and converted with the ECB seed; the extract is
  loaded into a copy of the synthetic warehouse and the marts rebuilt by dbt.

The dbt unit tests of the metric models run without a pipeline in tests/test_dbt_unit_tests.py.
"""

from __future__ import annotations

import csv
import gzip
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from orchestration.raw.ingest import ingest_source
from orchestration.reference import DATA_DIR
from orchestration.settings import DBT_PROJECT_DIR
from orchestration.sources import source_specs
from orchestration.sources.common.registry import discover

SEEDS = DBT_PROJECT_DIR / "seeds" / "reference"
# Seeds kept with the Python reference package (dbt_project.yml lists that folder too).
REFERENCE_TABLES = ("ref_country_codes", "ref_fx_eur_usd_monthly")
EXTRACT = (
    Path(__file__).parent / "fixtures" / "trade" / "eurostat_comext"
    / "comext_chpl_cn8_eu27_to_ru_am_kg_kz_2021_2022.csv.gz"
)  # fmt: skip
# The parser claims DS-045409 files by name; the fixture keeps a name it does not claim.
DS045409_NAME = "comext_ds045409_chpl_cn8_extract_monthly_2021_2022.csv.gz"
MARTS = ("fct_country_exposure", "fct_transit_offset", "fct_russia_chpl_suppliers",
         "fct_mirror_gaps")  # fmt: skip
BASELINE = (2019, 2020, 2021)
PARTNERS = {"RU": "RUS", "KZ": "KAZ", "KG": "KGZ", "AM": "ARM"}

pytestmark = pytest.mark.slow


def one_row(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> dict:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1, rows
    return dict(zip(names, rows[0], strict=True))


def seed(name: str) -> list[dict[str, str]]:
    folder = DATA_DIR if name in REFERENCE_TABLES else SEEDS
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def group(name: str, version: str) -> set[str]:
    return {
        r["iso3"]
        for r in seed("ref_country_group")
        if r["group_name"] == name and r["group_version"] == version
    }


COALITION = group("coalition", "2023-09-26")
TRANSIT = group("transit", "2022-06-28")


def chpl_tiers() -> dict[str, dict[str, str]]:
    """HS version -> code -> tier, from the two CHPL seeds (the trap left out)."""
    tier_of = {r["hs6"]: r["tier"] for r in seed("ref_chpl")}
    hs2017 = {
        r["hs6"]: tier_of[r["chpl_hs6"]]
        for r in seed("ref_chpl_hs_concordance")
        if r["include_in_tier"] == "true"
    }
    return {"HS2022": tier_of, "HS2017": hs2017}


# --------------------------------------------------------------------------------------------
# The synthetic BACI panel, planted pattern
# --------------------------------------------------------------------------------------------


def exposure(con, country: str, year: int, basket: str) -> dict:
    return one_row(
        con,
        "select * from marts.fct_country_exposure where sources = 'baci' and country_iso3 = ? "
        "and year = ? and basket = ? and hs_version = 'HS2017' and month is null",
        [country, year, basket],
    )


def baci_flows(baci: Path) -> list[tuple[int, str, str, str, float]]:
    """(year, exporter, importer, HS6, USD) of the panel's CSVs. BACI codes Taiwan 490 'S19'."""
    with (baci / "country_codes_V202601.csv").open(encoding="utf-8", newline="") as handle:
        iso3 = {r["country_code"]: r["country_iso3"] for r in csv.DictReader(handle)}
    iso3["490"] = "TWN"
    flows = []
    for path in sorted(baci.glob("BACI_HS17_Y*_V202601.csv")):
        with path.open(newline="") as handle:
            for r in csv.DictReader(handle):
                flows.append(
                    (int(r["t"]), iso3[r["i"]], iso3[r["j"]], r["k"], float(r["v"]) * 1000)
                )
    return flows


@pytest.fixture(scope="module")
def sample_flows(synthetic_inputs):
    return baci_flows(synthetic_inputs / "trade" / "baci")


@pytest.fixture(scope="module")
def warehouse(synthetic_warehouse):
    """In this module, the synthetic panel's warehouse."""
    return synthetic_warehouse


def test_planted_pattern_in_reexport_match_capacity_and_new_flows(warehouse):
    # tools/synthetic/README.md, 2023: each tier-1 code gets 30,000k / 4 = 7,500k from the
    # coalition against a 2019-2021 mean of 6,000k / 3 / 4 = 500k; Kyrgyzstan sends 6,000k of
    # each to Russia against 50k / 4 = 12.5k, and tier-1 goods to no one else.
    kgz = exposure(warehouse, "KGZ", 2023, "chpl_tier_1")
    assert kgz["coalition_imports_increase_usd"] == pytest.approx(4 * 7_000_000)
    assert kgz["reexport_matched_usd"] == pytest.approx(4 * (6_000_000 - 12_500))
    assert kgz["reexport_match_ratio"] == pytest.approx(23_950_000 / 28_000_000)
    assert kgz["exports_to_world_baseline_usd"] == pytest.approx(50_000)
    assert kgz["capacity_ratio"] == pytest.approx(24_000_000 / 50_000)
    assert kgz["capacity_flag"] is True
    assert kgz["exports_to_russia_new_flow_count"] == 4  # 12.5k baselines, 6m each in 2023

    # Armenia, tier 2 (five codes): imports 3,000k a code against 1,000k, exports to Russia
    # 1,920k against 240k (above the USD 100,000 HS6 floor: no new flow).
    arm = exposure(warehouse, "ARM", 2023, "chpl_tier_2")
    assert arm["reexport_match_ratio"] == pytest.approx(5 * 1_680_000 / (5 * 2_000_000))
    assert arm["capacity_ratio"] == pytest.approx(9_600_000 / 1_200_000)
    assert arm["capacity_flag"] is True
    assert arm["exports_to_russia_new_flow_count"] == 0

    # Georgia, the flat control: no increase to match, exports to Russia at pre-war capacity.
    geo = exposure(warehouse, "GEO", 2023, "chpl_tier_1")
    assert geo["coalition_imports_increase_usd"] == pytest.approx(0)
    assert geo["reexport_match_ratio"] is None
    assert geo["capacity_ratio"] == pytest.approx(1.0)
    assert geo["capacity_flag"] is False
    assert geo["exports_to_russia_new_flow_count"] == 0  # 25k a code, never USD 1m


def yearly(flows, keep) -> dict[int, float]:
    totals: dict[int, float] = defaultdict(float)
    for year, exporter, importer, hs6, usd in flows:
        if keep(exporter, importer, hs6):
            totals[year] += usd
    return totals


def change(totals: dict[int, float], year: int) -> float:
    return totals[year] - sum(totals[y] for y in BASELINE) / len(BASELINE)


def test_offset_ratio_matches_the_csv_and_holds_the_planted_rise(warehouse, sample_flows):
    tier1 = {k for k, tier in chpl_tiers()["HS2017"].items() if tier == "1"}
    to_russia = yearly(sample_flows, lambda e, i, k: e in COALITION and i == "RUS" and k in tier1)
    rises = {
        t: change(yearly(sample_flows, lambda e, i, k, t=t: e in COALITION and i == t
                         and k in tier1), 2023)
        for t in TRANSIT
    }  # fmt: skip
    assert rises["KGZ"] == pytest.approx(30_000_000 - 2_000_000)  # the planted rise
    increase = sum(max(0.0, r) for r in rises.values())
    drop = -change(to_russia, 2023)
    row = one_row(
        warehouse,
        "select * from marts.fct_transit_offset where sources = 'baci' and year = 2023 "
        "and month is null and basket = 'chpl_tier_1' and product_level = 'basket'",
        [],
    )
    assert row["coalition_drop_to_ru_usd"] == pytest.approx(drop, rel=1e-9)
    assert row["transit_increase_usd"] == pytest.approx(increase, rel=1e-9)
    assert row["transit_offset_ratio"] == pytest.approx(increase / drop, rel=1e-9)
    assert row["offset_flag"] is (increase / drop > 0.5)
    assert row["transit_countries_increasing"] == sum(1 for r in rises.values() if r > 0)


def test_excess_growth_against_the_comparison_goods(warehouse, sample_flows):
    eu_listed = {r["code"][:6] for r in seed("ref_eu_export_sanctions_cn8")}
    chpl_related = {r["hs6"] for r in seed("ref_chpl_hs_concordance")}
    codes = {k for _, _, _, k, _ in sample_flows}
    comparison = {
        k for k in codes
        if k[:2] in ("84", "85", "90") and k not in chpl_related and k not in eu_listed
    }  # fmt: skip
    assert comparison and "847130" not in comparison  # laptops are on the EU list
    imports = yearly(
        sample_flows, lambda e, i, k: e in COALITION and i == "KGZ" and k in comparison
    )
    base = sum(imports[y] for y in BASELINE) / 3
    comparison_growth = imports[2023] / base - 1
    row = exposure(warehouse, "KGZ", 2023, "chpl_tier_1")
    assert row["comparison_coalition_imports_growth"] == pytest.approx(comparison_growth, rel=1e-9)
    assert row["coalition_imports_excess_growth"] == pytest.approx(14.0 - comparison_growth)


def test_russia_supplier_shares_and_hhi(warehouse, sample_flows):
    chpl = set(chpl_tiers()["HS2017"])
    by_origin: dict[str, float] = defaultdict(float)
    for year, exporter, importer, hs6, usd in sample_flows:
        if year == 2023 and importer == "RUS" and hs6 in chpl:
            by_origin[exporter] += usd
    total = sum(by_origin.values())
    hhi = sum((v / total) ** 2 for v in by_origin.values())
    rows = warehouse.execute(
        "select origin_iso3, supplier_share, hhi, origin_count "
        "from marts.fct_russia_chpl_suppliers where sources = 'baci' and year = 2023 "
        "and month is null and basket = 'chpl' and hs_version = 'HS2017'"
    ).fetchall()
    shares = {origin: share for origin, share, _, _ in rows}
    assert shares.keys() == by_origin.keys()
    assert shares["CHN"] == pytest.approx(by_origin["CHN"] / total, rel=1e-9)
    assert shares["HKG"] == pytest.approx(by_origin["HKG"] / total, rel=1e-9)  # apart from CHN
    assert {round(h, 12) for _, _, h, _ in rows} == {round(hhi, 12)}
    assert rows[0][3] == len(by_origin)


# --------------------------------------------------------------------------------------------
# Eurostat Comext (real extract)
# --------------------------------------------------------------------------------------------


def run_dbt(args: list[str], database: Path, workdir: Path) -> None:
    """dbt in its own process on ``database`` (profiles.yml reads ROUNDABOUT_BUILD_DB), with its
    target and logs kept out of the project folder."""
    env = {**os.environ, "ROUNDABOUT_BUILD_DB": str(database),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}  # fmt: skip
    command = [
        str(Path(sys.executable).with_name("dbt")), *args,
        "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs"),
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-6000:]


@pytest.fixture(scope="module")
def comext_build(synthetic_run, tmp_path_factory):
    """The synthetic warehouse plus the Comext extract, loaded by the Comext parser and rebuilt."""
    work = tmp_path_factory.mktemp("comext")
    database = work / "warehouse.duckdb"
    shutil.copyfile(synthetic_run.published_db, database)
    folder = work / "inputs" / "trade" / "eurostat_comext"
    folder.mkdir(parents=True)
    shutil.copyfile(EXTRACT, folder / DS045409_NAME)
    files = discover(work / "inputs", specs=source_specs("comext")).for_source("comext")
    assert [Path(f.relative_path).name for f in files] == [DS045409_NAME]
    with duckdb.connect(str(database)) as con:
        ingest_source(con, source_specs("comext")[0], files)
    run_dbt(["build", "--select", *(f"+{mart}" for mart in MARTS)], database, work)
    return database


@pytest.fixture(scope="module")
def comext_db(comext_build):
    with duckdb.connect(str(comext_build), read_only=True) as con:
        yield con


def usd_per_eur() -> dict[tuple[int, int], float]:
    return {
        (int(r["year"]), int(r["month"])): float(r["usd_per_eur"])
        for r in seed("ref_fx_eur_usd_monthly")
    }


@pytest.fixture(scope="module")
def extract_sums() -> dict[tuple, float]:
    """USD sums of the extract's CHPL lines by (partner ISO3, year, month or None, basket), each
    line converted at its month's ECB rate; CN2021 codes are HS2017, CN2022 codes HS2022."""
    tiers = chpl_tiers()
    rate = usd_per_eur()
    sums: dict[tuple, float] = defaultdict(float)
    with gzip.open(EXTRACT, "rt", encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            code, year, month = r["product_code"], int(r["period"][:4]), int(r["period"][5:])
            tier = tiers["HS2017" if year <= 2021 else "HS2022"].get(code[:6])
            if len(code) != 8 or tier is None or r["flow"] != "EXPORT":
                continue
            usd = float(r["value_eur"]) * rate[(year, month)]
            basket = "chpl_tier_" + tier.replace(".", "").lower()
            for period in (month, None):
                for name in ("chpl", basket):
                    sums[(PARTNERS[r["partner_iso2"]], year, period, name)] += usd
    return sums


def test_comext_eu27_chpl_exports_to_transit_countries(comext_db, extract_sums):
    for country in ("KAZ", "KGZ", "ARM"):
        for year in (2021, 2022):
            row = one_row(
                comext_db,
                "select * from marts.fct_country_exposure where sources = 'comext' "
                "and country_iso3 = ? and year = ? and month is null and basket = 'chpl'",
                [country, year],
            )
            expected = extract_sums[(country, year, None, "chpl")]
            assert expected > 1_000_000
            assert row["coalition_imports_usd"] == pytest.approx(expected, rel=1e-9)
            # Comext holds EU members' declarations only: these countries' exports to Russia
            # are not observed, so they are NULL, never zero.
            assert row["exports_to_russia_observed"] is False
            assert row["exports_to_russia_usd"] is None


def test_comext_eu27_chpl_exports_to_russia_and_offset(comext_db, extract_sums):
    rows = {
        r[0]: r[1:]
        for r in comext_db.execute(
            "select year, coalition_exports_to_russia_usd, coalition_drop_to_ru_usd, "
            "transit_increase_usd, transit_offset_ratio, baseline_year_count "
            "from marts.fct_transit_offset where sources = 'comext' and month is null "
            "and basket = 'chpl' and product_level = 'basket'"
        ).fetchall()
    }
    for year in (2021, 2022):
        assert rows[year][0] == pytest.approx(extract_sums[("RUS", year, None, "chpl")], rel=1e-9)
    # The extract starts in 2021: the baseline is 2021 alone.
    drop = extract_sums[("RUS", 2021, None, "chpl")] - extract_sums[("RUS", 2022, None, "chpl")]
    rise = sum(
        max(0.0, extract_sums[(t, 2022, None, "chpl")] - extract_sums[(t, 2021, None, "chpl")])
        for t in ("KAZ", "KGZ", "ARM")
    )
    _, drop_usd, increase, ratio, base_years = rows[2022]
    assert base_years == 1
    assert drop_usd == pytest.approx(drop, rel=1e-9)
    assert increase == pytest.approx(rise, rel=1e-9)
    assert ratio == pytest.approx(rise / drop, rel=1e-9)


def test_comext_months_tiers_and_hs_versions(comext_db, extract_sums):
    # Tier 3.B holds HS2017 880330 in 2021 and HS2022 880730 in 2022; 2022 rows take their
    # baseline from the HS2017 basket. March 2022 compares with March 2021.
    for year in (2021, 2022):
        row = one_row(
            comext_db,
            "select * from marts.fct_country_exposure where sources = 'comext' "
            "and country_iso3 = 'KAZ' and year = ? and month is null and basket = 'chpl_tier_3b'",
            [year],
        )
        assert row["coalition_imports_usd"] == pytest.approx(
            extract_sums[("KAZ", year, None, "chpl_tier_3b")], rel=1e-9
        )
        assert row["baseline_hs_version"] == "HS2017"
        assert row["months_covered"] == (12 if year == 2021 else 11)
        assert row["is_partial_year"] is (year == 2022)
    march = one_row(
        comext_db,
        "select * from marts.fct_country_exposure where sources = 'comext' "
        "and country_iso3 = 'KAZ' and year = 2022 and month = 3 and basket = 'chpl'",
        [],
    )
    assert march["coalition_imports_usd"] == pytest.approx(
        extract_sums[("KAZ", 2022, 3, "chpl")], rel=1e-9
    )
    assert march["coalition_imports_baseline_usd"] == pytest.approx(
        extract_sums[("KAZ", 2021, 3, "chpl")], rel=1e-9
    )
    assert march["baseline_floor_usd"] == pytest.approx(1_000_000 / 12)


def test_comext_coverage_ratio_from_the_reported_totals(comext_db):
    # Only Germany's all-goods totals are in the extract: coverage of the coalition's exports
    # to Kazakhstan is Germany's HS6 detail (eight-digit lines, CHPL or not) over its totals.
    rate = usd_per_eur()
    detail = total = 0.0
    with gzip.open(EXTRACT, "rt", encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            if r["reporter_iso2"] != "DE" or r["partner_iso2"] != "KZ" or r["period"][:4] != "2021":
                continue
            usd = float(r["value_eur"]) * rate[(2021, int(r["period"][5:]))]
            if r["product_code"] == "TOTAL":
                total += usd
            elif len(r["product_code"]) == 8:
                detail += usd
    row = one_row(
        comext_db,
        "select coalition_imports_coverage_ratio from marts.fct_country_exposure "
        "where sources = 'comext' and country_iso3 = 'KAZ' and year = 2021 and month is null "
        "and basket = 'chpl'",
        [],
    )
    assert 0 < detail < total
    assert row["coalition_imports_coverage_ratio"] == pytest.approx(detail / total, rel=1e-9)
