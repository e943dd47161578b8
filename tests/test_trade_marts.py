"""The trade marts end to end: BACI, Comtrade, Comext and national tables in fct_trade_flows.

Two pipeline runs share one warehouse home: the first on the synthetic BACI panel (generated
afresh, with the sample's sanctions lists) plus the trade fixtures, the second on one new BACI
year file, an older BACI version of a panel year and one BACI release zip only (the build starts
from the published warehouse, so everything loaded before stays). Every expected value is
computed here from the raw fixture files with the csv module, not with the parsers or models.
"""

from __future__ import annotations

import csv
import gzip
import io
import shutil
import zipfile
from collections import defaultdict
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.raw.writer import ensure_empty_tables
from orchestration.reference.countries import COUNTRY_TABLE
from orchestration.reference.fx import FX_TABLE
from orchestration.sources import source_specs
from orchestration.sources.comext import parse as comext
from orchestration.sources.common.registry import discover
from tests.conftest import run_in
from tools.synthetic.baci_panel import write_inputs

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TRADE = FIXTURES / "trade"
COMTRADE = TRADE / "comtrade"
COMEXT = TRADE / "eurostat_comext"
NATIONAL = TRADE / "national"
CANADA = FIXTURES / "trade_marts" / "trade" / "comtrade" / "vehicle_trade_armenia_canada_2022.csv"
RELATIONAL = COMEXT / "comext_eu_member_totals_to_transit_countries_2019_2024.csv"
DS045409 = COMEXT / "comext_ds045409_eu27_to_ru_by_am_ge_kg_kz_uz_monthly_2020_2022.csv.gz"

# One row per cell in the default series (every vintage and file is kept beside it).
KEY = ("source, frequency, year, month, exporter_iso3, importer_iso3, reporter_code, "
       "partner_code, flow, product_code, hs_version")  # fmt: skip
# Run 2 adds a BACI year the sample does not have, and an HS2022 release zip.
NEW_YEAR_ROWS = [
    ("2016", "276", "643", "854231", "1500.250", "2.500"),
    ("2016", "276", "51", "854231", "40.000", ""),
    ("2016", "51", "643", "854231", "12.125", "0.010"),
]
RELEASE_ROWS = [
    ("2023", "156", "643", "854231", "9100.000", "3.000"),
    ("2023", "417", "643", "854232", "250.500", "0.200"),
]


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def baci_text(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["t", "i", "j", "k", "v", "q"])
    writer.writerows(rows)
    return out.getvalue()


# The trade fixtures this module reads (named: other tests keep more files in those folders).
FIRST_FILES = [
    COMTRADE / "api" / "comtrade_C_M_HS_202201_r51.json",
    COMTRADE / "api" / "comtrade_get_C_A_HS_2022.csv",
    COMTRADE / "armenia_georgia" / "vehicle_trade_armenia.csv",
    COMTRADE / "armenia_georgia" / "vehicle_trade_georgia.csv",
    COMTRADE / "critical_materials" / "comtrade_2022.csv.gz",
    COMTRADE / "critical_materials" / "comtrade_2024.csv.gz",
    RELATIONAL,
    DS045409,
    COMEXT / "full202201.dat",
    NATIONAL / "armstat_arm_trade_country_monthly.csv",
    NATIONAL / "kazakhstan_import_yearly.csv",
    NATIONAL / "uzbek_import_yearly.csv",
]


def first_inputs(root: Path) -> Path:
    write_inputs(root)
    for path in FIRST_FILES:
        target = root / path.relative_to(FIXTURES)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    target = root / "trade" / "comtrade" / "armenia_canada" / CANADA.name
    target.parent.mkdir()
    shutil.copy(CANADA, target)
    return root


def older_version_rows(baci: Path) -> list[tuple[str, ...]]:
    """An older BACI version (V202301) of the panel's 2022 (in the folder ``baci``): its first
    three cells, two of them with other values (V202601 revised them) and one as it is, and a
    cell V202601 dropped."""
    newer = read_csv(baci / "BACI_HS17_Y2022_V202601.csv")[:3]
    cells = [tuple(r[c] for c in "tijkvq") for r in newer]
    assert DROPPED_CELL[1:4] not in {c[1:4] for c in cells}
    return [
        (*cells[0][:4], f"{float(cells[0][4]) * 0.5:.3f}", cells[0][5]),
        (*cells[1][:4], f"{float(cells[1][4]) + 1:.3f}", cells[1][5]),
        cells[2],
        DROPPED_CELL,
    ]


# Albania to Andorra: no row of the panel's 2022 (checked in the test).
DROPPED_CELL = ("2022", "8", "20", "854231", "77.500", "1.000")


def second_inputs(root: Path, first: Path) -> Path:
    folder = root / "trade" / "baci"
    folder.mkdir(parents=True)
    (folder / "BACI_HS17_Y2016_V202601.csv").write_text(baci_text(NEW_YEAR_ROWS))
    older = older_version_rows(first / "trade" / "baci")
    (folder / "BACI_HS17_Y2022_V202301.csv").write_text(baci_text(older))
    with zipfile.ZipFile(folder / "BACI_HS22_V202601.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("BACI_HS22_Y2023_V202601.csv", baci_text(RELEASE_ROWS))
    return root


def partitions(database: Path) -> dict[str, tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            """select load_partition, count(*), min(built_at), max(built_at), min(loaded_at),
                      max(loaded_at), sum(value_usd)
               from marts.fct_trade_flows group by load_partition"""
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


@pytest.fixture(scope="module")
def inputs_1(tmp_path_factory) -> Path:
    return first_inputs(tmp_path_factory.mktemp("trade_marts_inputs") / "inputs_1")


@pytest.fixture(scope="module")
def runs(tmp_path_factory, inputs_1):
    base = tmp_path_factory.mktemp("trade_marts")
    home = base / "home"
    first = run_in(home, inputs=inputs_1)
    assert first.success, first.render()
    before = partitions(first.published_db)
    second = run_in(home, inputs=second_inputs(base / "inputs_2", inputs_1))
    assert second.success, second.render()
    return first, before, second


@pytest.fixture(scope="module")
def db(runs):
    with duckdb.connect(str(runs[2].published_db), read_only=True) as con:
        yield con


def query(con, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


# --------------------------------------------------------------------------------------------
# The runs
# --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_both_runs_publish_with_every_check_passing(runs):
    first, _, second = runs
    for summary in (first, second):
        assert summary.published and not summary.failed_checks
        assert summary.skipped_files == []
    checked = {(c.asset, c.name) for c in first.checks}
    for table in ("comtrade__records", "comtrade__legacy_monthly", "comtrade__compact",
                  "comext__bulk", "comext__relational_view", "comext__ds045409",
                  "armstat__trade_by_country", "national_yearly__imports_by_partner",
                  "baci_release__trade"):  # fmt: skip
        assert (f"raw/{table}", "gx_suite") in checked


@pytest.mark.slow
def test_adding_a_year_rebuilds_only_its_partitions(runs, db, inputs_1):
    _, before, _ = runs
    after = partitions(runs[2].published_db)
    added = set(after) - set(before)
    assert added == {"baci/HS2017/A/2016", "baci/HS2022/A/2023"}
    assert set(before) <= set(after)
    # The older version of 2022 is a vintage of that year's partition: it alone is rebuilt.
    rebuilt = "baci/HS2017/A/2022"
    for partition, state in before.items():
        if partition != rebuilt:
            assert after[partition] == state, partition  # same rows, built_at and loaded_at
    older = older_version_rows(inputs_1 / "trade" / "baci")
    assert after[rebuilt][0] == before[rebuilt][0] + len(older)
    first_build = max(state[2] for state in before.values())
    for partition in [*added, rebuilt]:
        assert after[partition][1] > first_build  # built by the second run
    rows = query(
        db,
        "select exporter_iso3, importer_iso3, hs6, value_usd, quantity, source_file, source_line "
        "from marts.fct_trade_flows where load_partition = 'baci/HS2017/A/2016' order by 7",
    )
    iso = {"276": "DEU", "643": "RUS", "51": "ARM"}
    assert rows == [
        (iso[i], iso[j], k, pytest.approx(float(v) * 1000), float(q) if q else None,
         "trade/baci/BACI_HS17_Y2016_V202601.csv", line)
        for line, (_, i, j, k, v, q) in enumerate(NEW_YEAR_ROWS, start=2)
    ]  # fmt: skip


@pytest.mark.slow
def test_two_baci_versions_of_a_year_are_both_kept_and_the_newest_is_the_default(db, inputs_1):
    """BACI_HS17_Y2022_V202301 and _V202601 both loaded: each is a vintage of its own, the
    default series takes V202601 (vintage 2026-01-01) wherever it has the cell and V202301
    where only it has one, and fct_trade_revisions shows what V202601 revised, added and
    dropped. Expected values from the two files read with the csv module."""
    baci = inputs_1 / "trade" / "baci"
    newer = read_csv(baci / "BACI_HS17_Y2022_V202601.csv")
    older = [dict(zip("tijkvq", row, strict=True)) for row in older_version_rows(baci)]
    # BACI writes Taiwan as S19 ("Other Asia, nes"); the warehouse maps that code to TWN.
    codes = {r["country_code"]: "TWN" if r["country_iso3"] == "S19" else r["country_iso3"]
             for r in read_csv(baci / "country_codes_V202601.csv")}  # fmt: skip

    def cell(r):
        return codes[r["i"]], codes[r["j"]], r["k"].zfill(6)

    old_values = {cell(r): float(r["v"]) * 1000 for r in older}
    new_values = {cell(r): float(r["v"]) * 1000 for r in newer}
    where = "source = 'baci' and year = 2022 and hs_version = 'HS2017'"
    kept = query(
        db,
        f"select vintage, source_version, count(*), sum(value_usd) from marts.fct_trade_flows "
        f"where {where} group by all order by 1",
    )
    assert [(str(v), s, n) for v, s, n, _ in kept] == [
        ("2023-01-01", "V202301", len(older)), ("2026-01-01", "V202601", len(newer)),
    ]  # fmt: skip
    assert kept[0][3] == pytest.approx(sum(old_values.values()))
    assert kept[1][3] == pytest.approx(sum(new_values.values()))
    default = {
        (e, i, k): (str(v), value)
        for e, i, k, v, value in query(
            db,
            f"select exporter_iso3, importer_iso3, hs6, vintage, value_usd "
            f"from marts.fct_trade_flows where {where} and is_latest_vintage",
        )
    }
    expected = {c: ("2023-01-01", v) for c, v in old_values.items()}
    expected |= {c: ("2026-01-01", v) for c, v in new_values.items()}
    assert default.keys() == expected.keys()
    for key, (vintage, value) in expected.items():
        assert default[key] == (vintage, pytest.approx(value)), key
    revisions = query(
        db,
        f"""select revision_kind, exporter_iso3, importer_iso3, product_code, previous_value_usd,
                   value_usd, revision_usd
            from marts.fct_trade_revisions
            where {where} and previous_vintage = date '2023-01-01'
              and vintage = date '2026-01-01'""",
    )
    by_kind = defaultdict(dict)
    for kind, e, i, k, before, after, revision in revisions:
        by_kind[kind][(e, i, k)] = (before, after, revision)
    assert set(by_kind) == {"revised", "added", "dropped"}
    assert by_kind["revised"].keys() == old_values.keys() & new_values.keys()
    for key, (before, after, revision) in by_kind["revised"].items():
        assert (before, after) == (pytest.approx(old_values[key]), pytest.approx(new_values[key]))
        assert revision == pytest.approx(new_values[key] - old_values[key])
    assert by_kind["dropped"] == {
        key: (pytest.approx(value), None, pytest.approx(-value))
        for key, value in old_values.items() if key not in new_values
    }  # fmt: skip
    assert by_kind["added"].keys() == new_values.keys() - old_values.keys()
    # Every change adds up to the change of the year's total between the two versions.
    assert sum(r[-1] for r in revisions) == pytest.approx(
        sum(new_values.values()) - sum(old_values.values())
    )


@pytest.mark.slow
def test_release_zip_rows_reach_the_mart_with_their_member(db):
    rows = query(
        db,
        "select exporter_iso3, hs6, hs_version, value_usd, source_file, source_member, "
        "source_line from marts.fct_trade_flows where load_partition = 'baci/HS2022/A/2023' "
        "order by source_line",
    )
    assert rows == [
        ("CHN", "854231", "HS2022", pytest.approx(9_100_000), "trade/baci/BACI_HS22_V202601.zip",
         "BACI_HS22_Y2023_V202601.csv", 2),
        ("KGZ", "854232", "HS2022", pytest.approx(250_500), "trade/baci/BACI_HS22_V202601.zip",
         "BACI_HS22_Y2023_V202601.csv", 3),
    ]  # fmt: skip


# --------------------------------------------------------------------------------------------
# Values against the raw files
# --------------------------------------------------------------------------------------------


def ecb_rate(year: int, month: int) -> float:
    rows = read_csv(FX_TABLE)
    period = (str(year), str(month))
    return next(float(r["usd_per_eur"]) for r in rows if (r["year"], r["month"]) == period)


def is_eu_aggregate(label: str) -> bool:
    return label.startswith(("European Union", "Euro area"))


@pytest.mark.slow
def test_eu27_exports_to_armenia_in_a_month_are_the_members_sum(db):
    rows = [
        r for r in read_csv(RELATIONAL)
        if (r["PARTNER"], r["PERIOD"], r["FLOW"]) == ("Armenia", "Aug. 2024", "EXPORT")
    ]  # fmt: skip
    members = [r for r in rows if not is_eu_aggregate(r["REPORTER"])]
    eu27 = [r for r in rows if r["REPORTER"].startswith("European Union - 27 countries")]
    members_eur = sum(float(r["VALUE_IN_EUR"]) for r in members)
    assert len(eu27) == 1 and members_eur == float(eu27[0]["VALUE_IN_EUR"]) == 162_635_477
    got = query(
        db,
        """select count(*), count(distinct exporter_iso3), sum(value_eur), sum(value_usd),
                  bool_and(d.is_eu27), bool_and(f.reporter_iso3 = f.exporter_iso3)
           from marts.fct_trade_flows as f join marts.dim_country as d on d.iso3 = f.exporter_iso3
           where source = 'comext' and importer_iso3 = 'ARM' and frequency = 'M' and year = 2024
             and month = 8 and hs6 = 'TOTAL' and flow = 'X' and is_latest_vintage""",
    )[0]
    assert got[:3] == (len(members), len(members), members_eur)
    assert got[3] == pytest.approx(members_eur * ecb_rate(2024, 8))
    assert got[4:] == (True, True)
    check = query(
        db,
        """select eu27_value_eur, members_value_eur, member_count
           from intermediate.int_trade_comext_eu_check
           where partner_area_code = 'AM' and year = 2024 and month = 8""",
    )
    assert check == [(members_eur, members_eur, len(members))]


def parent_modes(code: str) -> set[str]:
    """Comtrade modes of transport nest by digits (3000 Land > 3200 Road)."""
    return {code[:1] + "000", code[:2] + "00"} - {code}


def comtrade_parts(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows that add up to a total: a mode whose parent mode is also there is left out."""
    present = defaultdict(set)
    for r in rows:
        present[(r["period"], r["trade_code"], r["partner_code"], r["commodity_code"])].add(
            r["mot_code"]
        )
    return [
        r for r in rows
        if not parent_modes(r["mot_code"])
        & present[(r["period"], r["trade_code"], r["partner_code"], r["commodity_code"])]
    ]  # fmt: skip


@pytest.mark.slow
def test_armenia_exports_of_cars_to_russia_in_2022(db):
    rows = read_csv(COMTRADE / "armenia_georgia" / "vehicle_trade_armenia.csv")
    exports = comtrade_parts(
        [r for r in rows if (r["year"], r["trade_code"], r["partner_code"]) == ("2022", "X", "643")]
    )
    heading = sum(float(r["trade_value_us"]) for r in exports if r["commodity_code"] == "8703")
    by_month: dict[int, float] = defaultdict(float)
    for r in exports:
        if len(r["commodity_code"]) == 6:
            by_month[int(r["month"])] += float(r["trade_value_us"])
    assert sum(by_month.values()) == pytest.approx(heading)  # the subheadings add up
    got = query(
        db,
        """select month, sum(value_usd), bool_and(reporter_iso3 = 'ARM'),
                  bool_and(reporter_side = 'exporter'), bool_and(hs6 like '8703__')
           from marts.fct_trade_flows
           where source = 'comtrade' and exporter_iso3 = 'ARM' and importer_iso3 = 'RUS'
             and year = 2022 and flow = 'X' and hs6 like '8703%' and in_hs6_rollup
           group by month order by month""",
    )
    assert [(m, pytest.approx(v)) for m, v, *_ in got] == sorted(by_month.items())
    assert all(row[2:] == (True, True, True) for row in got)
    assert sum(v for _, v, *_ in got) == pytest.approx(236_844_254.09)


@pytest.mark.slow
def test_baci_and_comtrade_mirror_pair(db, inputs_1):
    baci = [
        r for r in read_csv(inputs_1 / "trade" / "baci" / "BACI_HS17_Y2022_V202601.csv")
        if (r["i"], r["j"], r["k"]) == ("124", "51", "870323")
    ]  # fmt: skip
    assert len(baci) == 1
    imports = comtrade_parts(
        [r for r in read_csv(CANADA) if (r["trade_code"], r["commodity_code"]) == ("M", "870323")]
    )
    reported = sum(float(r["trade_value_us"]) for r in imports)
    got = query(
        db,
        """select source, reporter_iso3, reporter_side, flow, valuation, count(*), sum(value_usd)
           from marts.fct_trade_flows
           where exporter_iso3 = 'CAN' and importer_iso3 = 'ARM' and year = 2022
             and hs6 = '870323' and in_hs6_rollup
           group by all order by source""",
    )
    assert got == [
        ("baci", None, None, None, "FOB", 1, pytest.approx(float(baci[0]["v"]) * 1000)),
        ("comtrade", "ARM", "importer", "M", "CIF", len({r["month"] for r in imports}),
         pytest.approx(reported)),
    ]  # fmt: skip


@pytest.mark.slow
def test_armstat_totals(db):
    rows = read_csv(NATIONAL / "armstat_arm_trade_country_monthly.csv", encoding="utf-8-sig")
    wanted = ("Russian Federation", "2024", "1")
    russia = next(r for r in rows if (r["country"], r["year"], r["month"]) == wanted)
    got = query(
        db,
        """select flow, exporter_iso3, importer_iso3, hs6, hs_version, value_usd
           from marts.fct_trade_flows
           where source = 'armstat' and year = 2024 and month = 1 and 'RUS' in (exporter_iso3,
                 importer_iso3) and is_latest_vintage order by flow""",
    )
    assert got == [
        ("M", "RUS", "ARM", "TOTAL", None, pytest.approx(float(russia["import_origin"]) * 1000)),
        ("X", "ARM", "RUS", "TOTAL", None, pytest.approx(float(russia["export"]) * 1000)),
    ]


# --------------------------------------------------------------------------------------------
# De-duplication and double counting
# --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_repeated_comext_download_counts_once(db):
    publisher = ("REPORTER", "PARTNER", "PRODUCT", "FLOW", "STAT_PROCEDURE", "PERIOD",
                 "VALUE_IN_EUR")  # fmt: skip
    rows = [r for r in read_csv(RELATIONAL) if r["source_folder"] == "kyrgyzstan_import_eurostat"]
    distinct = {tuple(r[c] for c in publisher) for r in rows}
    assert len(rows) - len(distinct) == 29  # Feb. 2024 was downloaded twice
    members = [r for r in distinct if not is_eu_aggregate(r[0])]
    got = query(
        db,
        """select count(*), sum(value_eur) from marts.fct_trade_flows
           where source = 'comext' and exporter_iso3 = 'KGZ' and flow = 'M' and year = 2024
             and month = 2 and hs6 = 'TOTAL' and not reporter_is_group and is_latest_vintage""",
    )
    assert got == [(len(members), sum(float(r[-1]) for r in members))]


@pytest.mark.slow
def test_compact_pull_keeps_one_total_per_flow(db):
    rows = read_csv(COMTRADE / "critical_materials" / "comtrade_2022.csv.gz")
    largest: dict[tuple, float] = {}
    for r in rows:
        if r["reporter"] == "276" and r["partner"] not in ("0", "97", "899"):
            key = (r["partner"], r["cmd"], r["flow"])
            largest[key] = max(largest.get(key, 0.0), float(r["value"]))
    codes = {
        code: r["iso3"]
        for r in read_csv(COUNTRY_TABLE)
        for code in [r["comtrade_code"], *r["comtrade_codes_other"].split("|")]
        if code
    }
    expected: dict[tuple, float] = defaultdict(float)
    for (partner, _, flow), value in largest.items():
        if partner in codes:  # areas that are no country are kept, flagged, and left out here
            expected[(codes[partner], flow)] += value
    got = query(
        db,
        """select case flow when 'X' then importer_iso3 else exporter_iso3 end, flow, value_usd
           from marts.fct_trade_flows
           where source = 'comtrade' and reporter_iso3 = 'DEU' and hs6 = '250490'
             and year = 2022 and partner_is_country and in_hs6_rollup""",
    )
    assert len(got) == len(expected) > 20
    assert {(p, f): pytest.approx(v) for p, f, v in got} == expected


@pytest.mark.slow
def test_same_cell_in_two_comext_files_counts_once(db):
    bulk = next(
        r for r in read_csv(COMEXT / "full202201.dat")
        if (r["REPORTER"], r["PARTNER"], r["PRODUCT_NC"], r["FLOW"], r["PERIOD"])
        == ("DE", "RU", "TOTAL", "2", "202201")
    )  # fmt: skip
    ds = [
        r for r in read_csv(DS045409)
        if (r["reporter_iso2"], r["partner_iso2"], r["product_code"], r["flow"], r["period"])
        == ("DE", "RU", "TOTAL", "EXPORT", "2022-01")
    ]  # fmt: skip
    assert len(ds) == 1 and ds[0]["value_eur"] != bulk["VALUE_IN_EUROS"]
    got = query(
        db,
        """select value_eur, source_table from marts.fct_trade_flows
           where source = 'comext' and exporter_iso3 = 'DEU' and importer_iso3 = 'RUS'
             and frequency = 'M' and year = 2022 and month = 1 and hs6 = 'TOTAL' and flow = 'X'
             and is_latest_vintage""",
    )
    # Both files were loaded by one run (one load-date vintage): the bulk file (codes) is
    # preferred to the reshaped export, which stays beside it outside the default series.
    assert got == [(float(bulk["VALUE_IN_EUROS"]), "comext__bulk")]


@pytest.mark.slow
def test_cn8_codes_are_kept_and_make_the_hs6_rollup_without_headings(db):
    cells = [
        r for r in read_csv(DS045409)
        if (r["reporter_iso2"], r["partner_iso2"], r["flow"], r["period"])
        == ("DE", "RU", "EXPORT", "2022-06")
    ]  # fmt: skip
    cn8 = [r for r in cells if len(r["product_code"]) == 8 and r["product_code"][:6] == "854231"]
    assert len(cn8) > 1
    assert any(r["product_code"] == "8471" for r in read_csv(DS045409))  # a heading is published
    got = query(
        db,
        """select product_code, product_level, product_code_digits, in_hs6_rollup, value_eur
           from marts.fct_trade_flows
           where source = 'comext' and exporter_iso3 = 'DEU' and importer_iso3 = 'RUS'
             and year = 2022 and month = 6 and hs6 = '854231' and is_latest_vintage
           order by product_code""",
    )
    assert got == sorted((r["product_code"], "CN8", 8, True, float(r["value_eur"])) for r in cn8)
    # Headings (and chapters, where a file has them) are kept at their level, with no HS6 and
    # outside the roll-up.
    levels = query(
        db,
        """select distinct product_level, hs6, in_hs6_rollup from marts.fct_trade_flows
           where product_code_digits < 6 order by 1""",
    )
    assert ("HS4", None, False) in levels
    assert {row[0] for row in levels} <= {"HS2", "HS4"} and {row[1:] for row in levels} == {
        (None, False)
    }


def eu27_cells_with_members() -> int:
    """Cells of the Comext fixtures the first run loads that are published both for the EU27
    and for at least one member state, counted with the csv module."""
    files = [
        # file, reporter column, whether a reporter is the EU27 aggregate, the cell's columns
        (RELATIONAL, "REPORTER", lambda r: r.startswith("European Union - 27"),
         ("PARTNER", "PRODUCT", "FLOW", "STAT_PROCEDURE", "PERIOD")),
        (COMEXT / "full202201.dat", "REPORTER", lambda r: r == "EU27_2020",
         ("PARTNER", "PRODUCT_NC", "FLOW", "STAT_PROCEDURE", "PERIOD")),
        (DS045409, "reporter_iso2", lambda r: r == "EU27_2020",
         ("partner_iso2", "product_code", "flow", "period")),
    ]  # fmt: skip
    count = 0
    for path, reporter, is_eu27, cell in files:
        eu27, members = set(), set()
        for r in read_csv(path):
            key = tuple(r[c] for c in cell)
            if is_eu27(r[reporter]):
                eu27.add(key)
            elif not is_eu_aggregate(r[reporter]):
                members.add(key)
        count += len(eu27 & members)
    return count


@pytest.mark.slow
def test_no_flow_is_counted_twice(db):
    repeated = query(
        db,
        f"select {KEY}, count(*) from marts.fct_trade_flows where is_latest_vintage "
        "group by all having count(*) > 1",
    )
    assert repeated == []
    # Comext: member states only (the United Kingdom until January 2020), no aggregate.
    not_eu27 = query(
        db,
        """select distinct exporter_iso3, year from marts.fct_trade_flows as f
           join marts.dim_country as d on d.iso3 = f.exporter_iso3
           where f.source = 'comext' and f.flow = 'X' and not d.is_eu27""",
    )
    assert not_eu27 == [("GBR", 2019)]
    # Every published EU27 cell equals the sum of its members' rows.
    check = query(
        db,
        "select count(*), max(abs(members_minus_eu27_eur)) "
        "from intermediate.int_trade_comext_eu_check",
    )
    assert check == [(eu27_cells_with_members(), 0.0)]
    # Monthly and annual rows are never in one partition.
    mixed = query(
        db,
        "select load_partition from marts.fct_trade_flows "
        "group by load_partition having count(distinct frequency) > 1",
    )
    assert mixed == []


# --------------------------------------------------------------------------------------------
# dim_country
# --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_dim_country_codes_come_from_the_reference_seed(db, inputs_1):
    seed = {r["iso3"]: r for r in read_csv(COUNTRY_TABLE)}
    got = {
        row[0]: row[1:]
        for row in query(
            db,
            "select iso3, iso2, m49, baci_code, comtrade_code, name, is_eu27, eurostat_labels "
            "from marts.dim_country where is_iso_country",
        )
    }
    assert set(got) == set(seed)
    for iso3 in ("USA", "IND", "TWN", "FRA", "DEU", "ARM", "XKX"):
        r = seed[iso3]
        as_int = [int(v) if v else None for v in (r["m49"], r["baci_code"], r["comtrade_code"])]
        assert got[iso3] == (r["iso2"], *as_int, r["name"], r["is_eu27"] == "true",
                             r["eurostat_labels"] or None)  # fmt: skip
    assert got["USA"][1:4] == (840, 842, 842) and got["TWN"][1:4] == (158, 490, 490)
    assert got["IND"][3] == 699
    # Every code of the BACI country table finds its row.
    baci = read_csv(inputs_1 / "trade" / "baci" / "country_codes_V202601.csv")
    mapped = query(
        db,
        "select count(*) from staging.stg_baci__countries as s "
        "join marts.dim_country as d on d.iso3 = s.iso3",
    )
    assert mapped == [(len(baci),)]
    assert query(
        db, "select iso3, is_coalition, is_transit from marts.dim_country where baci_code = 490"
    ) == [("TWN", True, True)]


# --------------------------------------------------------------------------------------------
# Raw tables without a pipeline run
# --------------------------------------------------------------------------------------------

TRADE_SPECS = [*source_specs("comtrade"), *source_specs("comext"), *source_specs("armstat"),
               *source_specs("national_yearly")]  # fmt: skip


def test_declared_schemas_match_what_the_parsers_produce():
    found = discover(FIXTURES)
    seen = set()
    for spec in TRADE_SPECS:
        for file in found.for_source(spec.name):
            for table, frame in spec.parse(file).tables.items():
                declared = spec.schemas[table]
                assert {n: frame.schema[n] for n in declared} == declared, file.relative_path
                seen.add(spec.raw_table(table))
    assert seen == {spec.raw_table(t) for spec in TRADE_SPECS for t in spec.tables}


def test_a_run_without_trade_files_leaves_the_tables_the_models_read():
    con = duckdb.connect()
    for spec in TRADE_SPECS:
        ensure_empty_tables(con, spec)
    tables = ("comext__bulk", "comext__relational_view", "national_yearly__imports_by_partner")
    columns = {
        table: [r[0] for r in con.execute(f"describe raw.{table}").fetchall()] for table in tables
    }
    # DuckDB names are case-insensitive: the decoded flow beside FLOW is stored as flow_1, as
    # it is when a file creates the table; the staging models read that name.
    for names in columns.values():
        assert names.index("FLOW") < names.index("flow_1")
    assert "stat_procedure_1" in columns["comext__bulk"]
    assert con.execute("select count(*) from raw.comtrade__records").fetchall() == [(0,)]


def test_compilation_file_column_is_kept_beside_the_lineage():
    file = next(f for f in discover(FIXTURES).for_source("comext") if f.path == RELATIONAL)
    frame = comext.parse(file).tables["relational_view"]
    published = {r["source_file"] for r in read_csv(RELATIONAL)}
    assert set(frame["origin_source_file"].unique()) <= published
    assert frame["source_file"].unique().to_list() == [file.relative_path]
    assert frame.filter(pl.col("origin_source_file").is_null()).height == 0


def test_trade_suite_fails_on_bad_rows():
    from orchestration.checks.gx_suites import run_suite, suite_path
    from orchestration.raw.ingest import ingest_source

    con = duckdb.connect()
    file = next(
        f for f in discover(FIXTURES).for_source("comext") if f.path.name == "full202201.dat"
    )
    ingest_source(con, source_specs("comext")[0], [file])
    path = suite_path("comext__bulk", "trade")
    assert run_suite(con, "comext__bulk", path).success
    con.execute("update raw.comext__bulk set value_eur = -5 where source_line = 2")
    con.execute("update raw.comext__bulk set period_month = null where source_line = 3")
    failed = {(o.expectation, o.column) for o in run_suite(con, "comext__bulk", path).failures}
    assert failed == {
        ("expect_column_values_to_be_between", "value_eur"),
        ("expect_column_values_to_not_be_null", "period_month"),  # a monthly row without month
    }
