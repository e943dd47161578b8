"""The trade marts against real published files (tests/fixtures/trade_real, see its PROVENANCE.md).

One pipeline run reads the extracts; every expected figure is computed again here straight from
the same files with polars or the csv module (the EU27 composition written out below), never
from the pipeline's code.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections import defaultdict
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.settings import SAMPLE_INPUTS
from tests.conftest import run_in

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "trade_real" / "trade"
RELATIONAL = (
    FIXTURE / "eurostat_comext" / "comext_eu_member_totals_to_transit_countries_2019_2024.csv.gz"
)  # noqa: E501
DS045409 = (
    FIXTURE / "eurostat_comext" / "2023-01-21" / "comext_ds045409_extract_monthly_2020_2022.csv.gz"
)  # noqa: E501
ARMENIA = FIXTURE / "comtrade" / "armenia_georgia" / "vehicle_trade_armenia_russia.csv.gz"
GEORGIA = FIXTURE / "comtrade" / "armenia_georgia" / "vehicle_trade_georgia.csv.gz"
BACI_2022 = FIXTURE / "baci" / "baci_hs17_v202601_critical_materials_2022.csv.gz"
BACI_2024 = FIXTURE / "baci" / "baci_hs17_v202601_critical_materials_latest_year.parquet"

# The EU27 (2020 composition) by the first word of Eurostat's reporter labels.
EU27 = {
    "Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Denmark", "Estonia",
    "Finland", "France", "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia",
    "Lithuania", "Luxembourg", "Malta", "Netherlands", "Poland", "Portugal", "Romania",
    "Slovakia", "Slovenia", "Spain", "Sweden",
}  # fmt: skip
PARTNERS = {"Russian": "RU", "Armenia": "AM", "Georgia": "GE", "Kazakhstan": "KZ",
            "Kyrgyzstan": "KG", "Uzbekistan": "UZ"}  # fmt: skip


def read_gz_csv(path: Path) -> pl.DataFrame:
    return pl.read_csv(gzip.decompress(path.read_bytes()), infer_schema=False)


@pytest.fixture(scope="module")
def real_summary(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("inputs")
    (inputs / "sanctions").symlink_to(SAMPLE_INPUTS / "sanctions")
    (inputs / "trade").symlink_to(FIXTURE)
    home = tmp_path_factory.mktemp("home")
    summary = run_in(home, inputs, fresh=True)
    assert summary.success, summary.render()
    return summary


@pytest.fixture(scope="module")
def real(real_summary):
    with duckdb.connect(str(real_summary.published_db), read_only=True) as con:
        yield con


# --- oracles ------------------------------------------------------------------------------------


def relational_exports() -> pl.DataFrame:
    """Monthly total-goods exports of the relational export, one row per reporter label, partner,
    month and vintage (the export's own timestamp), repeated records dropped as published."""
    raw = read_gz_csv(RELATIONAL)
    raw = raw.unique(
        subset=["REPORTER", "PARTNER", "PRODUCT", "FLOW", "STAT_PROCEDURE", "PERIOD",
                "VALUE_IN_EUR"], keep="first", maintain_order=True,
    )  # fmt: skip
    months = {m: i for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        start=1)}  # fmt: skip
    rows = []
    for r in raw.iter_rows(named=True):
        if r["FLOW"] not in ("EXPORT", "2-EXPORT") or r["source_folder"] == "eu_year_export":
            continue
        found = re.fullmatch(r"(\S+) (\d{4})", r["PERIOD"])
        value = r["VALUE_IN_EUR"]
        if found is None or not value or not re.fullmatch(r"-?\d+(\.\d+)?", value):
            continue
        partner = next(code for word, code in PARTNERS.items() if r["PARTNER"].startswith(word))
        rows.append({
            "reporter": r["REPORTER"], "partner": partner, "year": int(found.group(2)),
            "month": months[found.group(1)[:3]], "value": float(value),
            "vintage": re.search(r"\d{4}-\d{2}-\d{2}", r["source_file"]).group(0),
        })  # fmt: skip
    frame = pl.DataFrame(rows)
    first = pl.col("reporter").str.split(" ").list.first()
    return frame.with_columns(
        first.is_in(sorted(EU27)).alias("member"),
        (pl.col("reporter") == "United Kingdom").alias("uk"),
        pl.col("reporter").str.contains(r"^(European Union|Union européenne) - 27").alias("eu27"),
    )


# --- EU27 by membership ---------------------------------------------------------------------------


def test_eu27_totals_to_russia_and_transit_countries_by_year_from_each_vintage(real):
    oracle = (
        relational_exports().filter("member")
        .group_by("vintage", "partner", "year").agg(pl.col("value").sum())
    )  # fmt: skip
    ds = read_gz_csv(DS045409).filter(
        (pl.col("product_code") == "TOTAL") & (pl.col("flow") == "EXPORT")
    )
    ds_oracle = ds.group_by(
        pl.lit("2023-01-21").alias("vintage"), pl.col("partner_iso2").alias("partner"),
        pl.col("period").str.slice(0, 4).cast(pl.Int64).alias("year"),
    ).agg(pl.col("value_eur").cast(pl.Float64).sum().alias("value"))  # fmt: skip
    expected = {
        (str(v), p, y): value
        for v, p, y, value in pl.concat([oracle, ds_oracle]).iter_rows()
        if p in ("RU", "AM", "GE", "KZ", "KG", "UZ") and p != "BY"
    }
    got = {
        (str(v), p, y): value
        for v, p, y, value in real.execute("""
            select vintage, partner_code, year, sum(eu27_members_eur)
            from marts.fct_eu27_trade
            where series = 'vintage' and frequency = 'M' and flow = 'X'
              and product_code = 'TOTAL' and partner_code in ('RU', 'AM', 'GE', 'KZ', 'KG', 'UZ')
            group by all""").fetchall()
    }
    assert set(got) == set(expected)
    assert {y for _, _, y in got} == {2019, 2020, 2021, 2022, 2023, 2024}
    assert {v for v, _, _ in got} >= {"2023-01-21"} and len({v for v, _, _ in got}) > 1
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-12), key


def test_members_add_up_to_the_eu27_row_month_by_month_and_2019_leaves_the_uk_out(real):
    frame = relational_exports()
    cells = (
        frame.group_by("vintage", "partner", "year", "month")
        .agg(
            pl.col("value").filter("member").sum().alias("members"),
            pl.col("reporter").filter("member").n_unique().alias("count"),
            pl.col("value").filter("eu27").sum().alias("eu27"),
            pl.col("value").filter("eu27").len().alias("eu27_rows"),
            pl.col("value").filter("uk").sum().alias("uk"),
        )
        .filter(pl.col("eu27_rows") > 0)
    )
    # The property holds in the published files themselves (a member with no row had no trade
    # that month) ...
    assert cells.height > 400
    assert (cells["members"] - cells["eu27"]).abs().max() < 1
    # ... and the mart reproduces it month by month, with the UK apart.
    got = {
        (str(v), p, y, m): (members, published, uk, n)
        for v, p, y, m, members, published, uk, n in real.execute("""
            select vintage, partner_code, year, month, eu27_members_eur, eu27_published_eur,
                   uk_eur, eu27_member_count
            from marts.fct_eu27_trade
            where series = 'vintage' and frequency = 'M' and flow = 'X'
              and product_code = 'TOTAL' and eu27_published_eur is not null""").fetchall()
    }
    for v, p, y, m, members, _, eu27, _, uk in cells.iter_rows():
        mine = got[(v, p, y, m)]
        assert mine[0] == pytest.approx(members, rel=1e-12)
        assert mine[1] == pytest.approx(eu27, rel=1e-12)
        assert abs(mine[0] - mine[1]) < 1
        if y == 2019:
            assert uk > 0 and mine[2] == pytest.approx(uk, rel=1e-12)


def test_a_uk_inside_eu27_figure_is_not_reproduced(real):
    """Studies that summed every Comext reporter for 2019 counted the UK inside the EU27: that
    figure is computed here from the raw file and shown different from the mart's."""
    frame = relational_exports().filter(
        (pl.col("partner") == "RU") & (pl.col("year") == 2019) & (pl.col("month") <= 12)
    )
    vintage = frame["vintage"].max()
    frame = frame.filter(pl.col("vintage") == vintage)
    eu27 = frame.filter("member")["value"].sum()
    with_uk = eu27 + frame.filter("uk")["value"].sum()
    (mart,) = real.execute(f"""
        select sum(eu27_members_eur) from marts.fct_eu27_trade
        where series = 'vintage' and vintage = date '{vintage}' and partner_code = 'RU'
          and year = 2019 and frequency = 'M' and flow = 'X' and product_code = 'TOTAL'
    """).fetchone()
    assert with_uk - eu27 > 2e9  # about EUR 3 bn to Russia alone
    assert mart == pytest.approx(eu27, rel=1e-12)
    assert mart != pytest.approx(with_uk, rel=1e-3)


def test_all_goods_except_chapter_27(real):
    ds = read_gz_csv(DS045409).filter(
        (pl.col("flow") == "EXPORT") & (pl.col("partner_iso2") == "RU")
        & pl.col("product_code").is_in(["TOTAL", "27"])
    )  # fmt: skip
    oracle = ds.group_by(pl.col("period").str.slice(0, 4).cast(pl.Int64).alias("year")).agg(
        (pl.col("value_eur").cast(pl.Float64).filter(pl.col("product_code") == "TOTAL").sum()
         - pl.col("value_eur").cast(pl.Float64).filter(pl.col("product_code") == "27").sum())
        .alias("value")
    )  # fmt: skip
    got = dict(
        real.execute("""
        select year, sum(case when product_code = 'TOTAL' then eu27_members_eur end)
                     - sum(case when product_code = '27' then eu27_members_eur end)
        from marts.fct_eu27_trade
        where series = 'vintage' and vintage = date '2023-01-21' and partner_code = 'RU'
          and flow = 'X' and frequency = 'M' and product_code in ('TOTAL', '27')
        group by year""").fetchall()
    )
    assert set(got) == {2020, 2021, 2022}
    for year, value in oracle.iter_rows():
        assert got[year] == pytest.approx(value, rel=1e-12)
    (level,) = real.execute(
        "select distinct product_level from marts.fct_trade_flows where product_code = '27'"
    ).fetchone()
    assert level == "HS2"


def test_a_cn8_market_value(real):
    """EU member states' exports of CN8 85176200 to Kazakhstan, per year, at CN8."""
    ds = read_gz_csv(DS045409).filter(
        (pl.col("flow") == "EXPORT") & (pl.col("partner_iso2") == "KZ")
        & (pl.col("product_code") == "85176200")
    )  # fmt: skip
    oracle = dict(ds.group_by(pl.col("period").str.slice(0, 4).cast(pl.Int64)).agg(
        pl.col("value_eur").cast(pl.Float64).sum()).iter_rows())  # fmt: skip
    got = dict(
        real.execute("""
        select year, sum(value_eur) from marts.fct_trade_flows
        where source = 'comext' and product_level = 'CN8' and product_code = '85176200'
          and partner_code = 'KZ' and flow = 'X' and is_latest_vintage
        group by year""").fetchall()
    )
    assert oracle and got.keys() == oracle.keys()
    for year, value in oracle.items():
        assert got[year] == pytest.approx(value, rel=1e-12)


def _comtrade_exports_to_russia(path: Path, level: str) -> dict[int, float]:
    """HS 8703 exports to Russia by year, summed over the modes of transport the file splits a
    flow into (Armenia) or its TOTAL MOT rows (Georgia)."""
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    totals: dict[int, float] = defaultdict(float)
    rows = list(csv.DictReader(io.StringIO(text)))
    has_total = any(r["mot_desc"] == "TOTAL MOT" for r in rows)
    for r in rows:
        if (r["trade_flow"] == "Export" and r["partner_iso"] == "RUS"
                and r["commodity_code"] == "8703" and r["aggregate_level"] == level
                and (r["mot_desc"] == "TOTAL MOT") == has_total):  # fmt: skip
            totals[int(r["year"])] += float(r["trade_value_us"])
    return dict(totals)


@pytest.mark.parametrize(("reporter", "path"), [("ARM", ARMENIA), ("GEO", GEORGIA)])
def test_hs8703_exports_to_russia(real, reporter, path):
    oracle = _comtrade_exports_to_russia(path, "4")
    got = dict(
        real.execute(f"""
        select year, sum(value_usd) from marts.fct_trade_flows
        where source = 'comtrade' and reporter_iso3 = '{reporter}' and flow = 'X'
          and partner_iso3 = 'RUS' and product_code = '8703' and product_level = 'HS4'
          and is_latest_vintage
        group by year""").fetchall()
    )
    assert oracle and got.keys() == oracle.keys()
    for year, value in oracle.items():
        assert got[year] == pytest.approx(value, rel=1e-9)


# --- BACI extracts ------------------------------------------------------------------------------


def _shares(values: dict[str, float]) -> dict[str, float]:
    total = sum(values.values())
    return {k: v / total for k, v in values.items()}


@pytest.mark.parametrize("year", [2022, 2024])
def test_baci_critical_materials_partner_shares(real, year):
    """Shares of each exporter in Russia's imports of the critical-materials codes."""
    if year == 2022:
        raw = read_gz_csv(BACI_2022).filter(pl.col("j") == "RUS")
        values = raw.group_by("i").agg(pl.col("value").cast(pl.Float64).sum())
    else:
        raw = pl.read_parquet(BACI_2024).filter(pl.col("importer") == "RUS")
        values = raw.group_by("exporter").agg((pl.col("value_kusd") * 1000).sum())
    # BACI writes Taiwan as S19 ("Other Asia, nes"); its country table maps the code to 490.
    oracle = _shares({("TWN" if k == "S19" else k): v for k, v in values.iter_rows()})
    got = _shares(
        dict(
            real.execute(f"""
        select exporter_iso3, sum(value_usd) from marts.fct_trade_flows
        where source = 'baci' and year = {year} and importer_iso3 = 'RUS' and is_latest_vintage
        group by exporter_iso3""").fetchall()
        )
    )
    assert got.keys() == oracle.keys()
    for exporter, share in oracle.items():
        assert got[exporter] == pytest.approx(share, rel=1e-9, abs=1e-15)


# --- vintages and coverage ---------------------------------------------------------------------


def test_every_vintage_is_kept_and_revisions_compare_them(real):
    rows = dict(
        real.execute("""
        select vintage_basis, count(distinct vintage) from marts.fct_trade_flows
        where source = 'comext' group by 1""").fetchall()
    )
    assert rows["release_folder"] == 1 and rows["file"] >= 2
    # Germany's all-goods exports to Russia, June 2021: in the 2023-01-21 extract and in a later
    # relational export; the revision is their difference.
    ds = read_gz_csv(DS045409).filter(
        (pl.col("reporter_iso2") == "DE") & (pl.col("partner_iso2") == "RU")
        & (pl.col("product_code") == "TOTAL") & (pl.col("flow") == "EXPORT")
        & (pl.col("period") == "2021-06")
    )["value_eur"].cast(pl.Float64).item()  # fmt: skip
    rel = relational_exports().filter(
        pl.col("reporter").str.starts_with("Germany") & (pl.col("partner") == "RU")
        & (pl.col("year") == 2021) & (pl.col("month") == 6)
    ).sort("vintage")  # fmt: skip
    first_later = rel.row(0, named=True)
    revision = real.execute(f"""
        select previous_value_eur, value_eur, revision_eur from marts.fct_trade_revisions
        where source = 'comext' and reporter_code = 'DE' and partner_code = 'RU'
          and product_code = 'TOTAL' and flow = 'X' and year = 2021 and month = 6
          and previous_vintage = date '2023-01-21'
          and vintage = date '{first_later["vintage"]}'""").fetchone()
    assert revision == pytest.approx((ds, first_later["value"], first_later["value"] - ds))
    # The default series takes the newest vintage: the relational export's.
    (chosen,) = real.execute("""
        select vintage from marts.fct_trade_flows
        where source = 'comext' and reporter_code = 'DE' and partner_code = 'RU'
          and product_code = 'TOTAL' and flow = 'X' and year = 2021 and month = 6
          and is_latest_vintage""").fetchone()
    assert str(chosen) == rel["vintage"].max()


def test_revisions_show_cells_revised_added_and_dropped_and_add_up_to_the_total(real):
    """Germany's all-goods exports in June 2021, the 2023-01-21 extract against the first later
    relational export: a partner in both is revised, in the later only added, in the earlier
    only dropped, and the revisions add up to the change of Germany's total to those partners."""
    ds = read_gz_csv(DS045409).filter(
        (pl.col("reporter_iso2") == "DE") & (pl.col("product_code") == "TOTAL")
        & (pl.col("flow") == "EXPORT") & (pl.col("period") == "2021-06")
    )  # fmt: skip
    earlier = dict(ds.select("partner_iso2", pl.col("value_eur").cast(pl.Float64)).iter_rows())
    rel = relational_exports().filter(
        pl.col("reporter").str.starts_with("Germany") & (pl.col("year") == 2021)
        & (pl.col("month") == 6)
    )  # fmt: skip
    first_later = rel["vintage"].min()
    later = dict(
        rel.filter(pl.col("vintage") == first_later).select("partner", "value").iter_rows()
    )
    rows = real.execute(f"""
        select partner_code, revision_kind, previous_value_eur, value_eur, revision_eur
        from marts.fct_trade_revisions
        where source = 'comext' and reporter_code = 'DE' and product_code = 'TOTAL'
          and flow = 'X' and year = 2021 and month = 6
          and previous_vintage = date '2023-01-21' and vintage = date '{first_later}'
    """).fetchall()
    kinds = {partner: kind for partner, kind, *_ in rows}
    expected = {p: "revised" for p in earlier.keys() & later.keys()}
    expected |= {p: "added" for p in later.keys() - earlier.keys()}
    expected |= {p: "dropped" for p in earlier.keys() - later.keys()}
    assert kinds == expected
    for partner, _, before, after, revision in rows:
        assert (before, after) == (
            pytest.approx(earlier.get(partner)),
            pytest.approx(later.get(partner)),
        )
        assert revision == pytest.approx(later.get(partner, 0) - earlier.get(partner, 0))
    assert sum(r[-1] for r in rows) == pytest.approx(
        sum(later.values()) - sum(earlier.values()), rel=1e-12
    )


def test_nothing_loaded_is_unaccounted_for(real):
    result = real.execute("select * from marts.fct_data_coverage")
    columns = [d[0] for d in result.description]
    coverage = pl.DataFrame(result.fetchall(), schema=columns, orient="row")
    assert coverage.height == 6  # the code table holds no flows
    assert (coverage["values_unaccounted"] == 0).all()
    assert (coverage["values_loaded"] == coverage["rows_loaded"] * coverage["values_per_row"]).all()
    georgia = coverage.filter(pl.col("source_file").str.ends_with("vehicle_trade_georgia.csv.gz"))
    lines = sum(1 for _ in csv.reader(io.StringIO(gzip.decompress(GEORGIA.read_bytes()).decode())))
    # Every line of the Georgian HS4 file reaches the fact (at HS4: it has no HS6 roll-up).
    assert georgia["rows_read"].item() == lines - 1
    assert georgia["values_in_fct_trade_flows"].item() == lines - 1
    assert georgia["values_in_hs6_rollup"].item() == 0
    relational = coverage.filter(pl.col("source_file").str.contains("relational|member_totals"))
    assert relational["values_of_group_reporters"].item() > 0


def test_the_run_summary_accounts_for_every_trade_file(real_summary):
    text = real_summary.render()
    assert "trade files accounted for: 6" in text
    assert "UNACCOUNTED" not in text
    assert "vehicle_trade_georgia.csv.gz: read 2,493, loaded 2,493" in text
