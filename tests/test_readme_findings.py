"""The README's findings from the bundled sample, recounted from the raw files (OFAC lists,
Armstat, Comtrade, Comext) with the plain csv module (no Roundabout code): the README must keep
saying what the files say, and its queries must give the same figures from the warehouse."""

from __future__ import annotations

import csv
import gzip
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from orchestration.settings import SAMPLE_INPUTS

README = Path(__file__).resolve().parents[1] / "README.md"
SDN = SAMPLE_INPUTS / "sanctions" / "ofac_sdn"
# OFAC's legacy SDN_Type: "-0-" stands for an entity (an organization).
KINDS = {"-0-": "organizations", "individual": "persons", "vessel": "vessels",
         "aircraft": "aircraft"}  # fmt: skip


def entries(path: Path) -> dict[str, list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {r[0].strip(): r for r in csv.reader(handle) if r and r[0].strip().isdigit()}


def programs(row: list[str]) -> list[str]:
    return [p.strip(" []") for p in row[3].split("] [")]


def readme() -> str:
    return re.sub(r"\s+", " ", README.read_text(encoding="utf-8"))


def test_findings_match_the_raw_lists():
    old = entries(SDN / "2021-04-25" / "sdn.csv")
    new = entries(SDN / "2023-12-28" / "sdn.csv")
    added, removed = set(new) - set(old), set(old) - set(new)
    text = readme()
    assert f"OFAC added {len(added):,} entities, removed {len(removed)}" in text

    russia = [k for k in added if "RUSSIA-EO14024" in programs(new[k])]
    kinds = Counter(new[k][2].strip() for k in russia)
    assert f"{len(russia):,} of those {len(added):,} additions are under RUSSIA-EO14024" in text
    for kind, word in KINDS.items():
        assert f"{kinds[kind]:,} {word}" in text

    counts = Counter(p for row in new.values() for p in programs(row)).most_common(2)
    (first, n1), (second, n2) = counts
    assert first == "RUSSIA-EO14024"
    assert f"{n1:,} active entities, against {n2} for the next, {second}" in text


# --- the trade findings, recounted from the bundled files ----------------------------------------

TRADE = SAMPLE_INPUTS / "trade"
SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "reference"
FX = Path(__file__).resolve().parents[1] / "orchestration" / "reference" / "data"


def gz_rows(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def armenia_exports_to_russia_musd() -> dict[int, float]:
    """Armstat's exports to the Russian Federation per year, thousand USD -> million USD."""
    totals: dict[int, float] = defaultdict(float)
    for r in gz_rows(TRADE / "national" / "armstat_arm_trade_country_monthly_2017_2024.csv.gz"):
        if r["country"] == "Russian Federation":
            totals[int(r["year"])] += float(r["export"]) / 1000
    return dict(totals)


def armenia_car_exports_to_russia_musd() -> dict[int, float]:
    """Comtrade heading 8703 (aggregate level 4), summed over the modes of transport."""
    totals: dict[int, float] = defaultdict(float)
    path = TRADE / "comtrade" / "armenia_georgia" / "vehicle_trade_armenia_to_russia.csv.gz"
    for r in gz_rows(path):
        assert r["trade_flow"] == "Export" and r["partner_iso"] == "RUS"
        if r["aggregate_level"] == "4" and r["commodity_code"] == "8703":
            totals[int(r["year"])] += float(r["trade_value_us"]) / 1e6
    return dict(totals)


def seed(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def eu_chpl_exports_to_kyrgyzstan_musd() -> dict[int, float]:
    """EU members' exports to KG of the CN8 lines under a CHPL subheading (HS2017 equivalents
    for CN2020-2021, the HS2022 list for CN2022), each month converted at its ECB rate."""
    hs2022 = {r["hs6"] for r in seed(SEEDS, "ref_chpl")}
    hs2017 = {
        r["hs6"] for r in seed(SEEDS, "ref_chpl_hs_concordance") if r["include_in_tier"] == "true"
    }
    rate = {
        (int(r["year"]), int(r["month"])): float(r["usd_per_eur"])
        for r in seed(FX, "ref_fx_eur_usd_monthly")
    }
    totals: dict[int, float] = defaultdict(float)
    path = (
        TRADE / "eurostat_comext" / "2023-01-21" / "comext_ds045409_chpl_monthly_2020_2022.csv.gz"
    )
    for r in gz_rows(path):
        code, year, month = r["product_code"], int(r["period"][:4]), int(r["period"][5:])
        chpl = hs2017 if year <= 2021 else hs2022
        exported = r["partner_iso2"] == "KG" and r["flow"] == "EXPORT"
        if exported and len(code) == 8 and code[:6] in chpl:
            totals[year] += float(r["value_eur"]) * rate[(year, month)] / 1e6
    return dict(totals)


def test_trade_findings_match_the_raw_files():
    text = readme()
    arm = armenia_exports_to_russia_musd()
    assert (
        f"its exports to Russia rose from USD {arm[2021]:,.0f}m in 2021 to USD {arm[2022]:,.0f}m "
        f"in 2022 and USD {arm[2023]:,.0f}m in 2023"
    ) in text
    cars = armenia_car_exports_to_russia_musd()
    assert max(cars) == 2023  # the file ends in October 2023
    assert (
        f"USD {cars[2021]:.1f}m in 2021, USD {cars[2022]:.1f}m in 2022 and USD "
        f"{cars[2023]:.1f}m in January-October 2023"
    ) in text
    eu = eu_chpl_exports_to_kyrgyzstan_musd()
    baseline = (eu[2020] + eu[2021]) / 2
    assert (
        f"reached USD {eu[2022]:.1f}m in January-November 2022, {eu[2022] / baseline:.1f} times "
        f"their 2020-2021 mean of USD {baseline:.1f}m"
    ) in text


def readme_query(number: int) -> str:
    """The SQL of the README's trade finding ``number`` (1-based), as printed."""
    section = README.read_text(encoding="utf-8").split("### Three findings")[1]
    return re.findall(r"^   `(select .+)`$", section, flags=re.MULTILINE)[number - 1]


@pytest.mark.slow
def test_the_readme_queries_give_the_recounted_figures(warehouse):
    arm = armenia_exports_to_russia_musd()
    got = dict(warehouse.execute(readme_query(1)).fetchall())
    assert {y: got[y] for y in (2021, 2022, 2023)} == {y: round(arm[y]) for y in (2021, 2022, 2023)}
    cars = armenia_car_exports_to_russia_musd()
    got = dict(warehouse.execute(readme_query(2)).fetchall())
    assert got == {y: round(v, 1) for y, v in cars.items()}
    eu = eu_chpl_exports_to_kyrgyzstan_musd()
    rows = {r[0]: r for r in warehouse.execute(readme_query(3)).fetchall()}
    assert rows[2022][1] == pytest.approx(eu[2022] * 1e6, rel=1e-9)
    assert rows[2022][2] == pytest.approx((eu[2020] + eu[2021]) / 2 * 1e6, rel=1e-9)
    assert rows[2022][4] is True and rows[2022][5] is False  # partial year; not observed
