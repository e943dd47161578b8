"""Eurostat Comext parser: labels to codes, aggregates, annual vs monthly, CN8 vs HS4, EUR->USD.

Expected values come from the fixture files read with the csv module.
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from orchestration.reference.fx import FX_TABLE
from orchestration.sources import source_specs
from orchestration.sources.comext import parse as comext
from orchestration.sources.common.base import SourceFile, SourceParseError
from orchestration.sources.common.registry import discover

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
COMEXT = FIXTURES / "trade" / "eurostat_comext"
RELATIONAL = "comext_eu_member_totals_to_transit_countries_2019_2024.csv"
DS = "comext_ds045409_eu27_to_ru_by_am_ge_kg_kz_uz_monthly_2020_2022.csv.gz"
BULK = "full202201.dat"
AGGREGATE_PREFIXES = ("European Union", "Euro area", "Union européenne")


def source_file(path: Path, root: Path = FIXTURES) -> SourceFile:
    return SourceFile(
        path=path, source="comext", release_date=None,
        relative_path=path.relative_to(root).as_posix(),
    )  # fmt: skip


def parse(name: str):
    return comext.parse(source_file(COMEXT / name))


def raw_rows(name: str) -> list[dict[str, str]]:
    opener = gzip.open if name.endswith(".gz") else open
    with opener(COMEXT / name, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def fx(year: int, month: int) -> float:
    with FX_TABLE.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if (int(row["year"]), int(row["month"])) == (year, month):
                return float(row["usd_per_eur"])
    raise KeyError((year, month))


def test_discovery_claims_the_data_files():
    found = discover(FIXTURES, specs=source_specs("comext"))
    names = sorted(Path(f.relative_path).name for f in found.for_source("comext"))
    assert names == sorted([BULK, DS, RELATIONAL])


# --------------------------------------------------------------------------------------------
# Relational view exports
# --------------------------------------------------------------------------------------------


def test_eu_member_exports_to_armenia_exclude_the_aggregates():
    rows = [
        r for r in raw_rows(RELATIONAL)
        if r["PARTNER"] == "Armenia" and r["PERIOD"] == "Aug. 2024" and r["FLOW"] == "EXPORT"
    ]  # fmt: skip
    members = [r for r in rows if not r["REPORTER"].startswith(AGGREGATE_PREFIXES)]
    eu27 = next(r for r in rows if r["REPORTER"].startswith("European Union - 27"))
    assert len(members) == 26  # Malta reports no exports to Armenia that month
    expected = sum(int(r["VALUE_IN_EUR"]) for r in members)
    assert expected == int(eu27["VALUE_IN_EUR"])  # Eurostat's aggregate is the members' sum

    table = parse(RELATIONAL).tables["relational_view"]
    month = table.filter(
        (pl.col("partner_iso3") == "ARM") & (pl.col("period_year") == 2024)
        & (pl.col("period_month") == 8) & (pl.col("flow") == "X")
    )  # fmt: skip
    got = month.filter(~pl.col("is_aggregate") & pl.col("reporter_is_eu27"))["value_eur"].sum()
    assert got == expected
    # Adding the aggregates back would count the same exports four times over.
    aggregates = dict(
        month.filter(pl.col("reporter_is_aggregate"))
        .select("reporter_area_code", "value_eur")
        .iter_rows()
    )
    assert set(aggregates) == {"EU27_2020", "EU", "EA", "EA20"}
    assert aggregates["EU27_2020"] == expected


def test_french_labels_map_to_the_same_codes_as_english_ones():
    table = parse(RELATIONAL).tables["relational_view"]
    codes = dict(table.select("PARTNER", "partner_iso3").unique().iter_rows())
    assert codes["Allemagne (incl. République démocratique allemande 'DD' depuis 1991)"] == "DEU"
    assert codes["Germany (incl. German Democratic Republic 'DD' from 1991)"] == "DEU"
    assert codes["Russie, Fédération de"] == codes["Russian Federation (Russia)"] == "RUS"
    reporters = dict(table.select("REPORTER", "reporter_area_code").unique().iter_rows())
    french_eu = next(r for r in reporters if r.startswith("Union européenne - 27 pays"))
    english_eu = next(r for r in reporters if r.startswith("European Union - 27 countries"))
    assert reporters[french_eu] == reporters[english_eu] == "EU27_2020"
    flows = dict(table.select("FLOW", "flow").unique().iter_rows())
    assert flows == {"EXPORTATION": "X", "EXPORT": "X", "2-EXPORT": "X", "IMPORT": "M"}
    buckets = dict(table.select("PARTNER", "partner_area_code").unique().iter_rows())
    assert buckets["Haute mer"] == buckets["High seas"] == "QP"
    assert buckets["Extra-UE27 (à partir de 2020)"] == "EXTRA_EU27_2020"


def test_guinea_depends_on_the_interface_language():
    table = parse(RELATIONAL).tables["relational_view"]
    got = {
        (r["PARTNER"], r["FLOW"]): r["partner_iso3"]
        for r in table.filter(pl.col("PARTNER").str.starts_with("Guin")).iter_rows(named=True)
    }
    assert got[("Guinée", "EXPORTATION")] == "GIN"
    assert got[("Guinea", "EXPORTATION")] == "GNB"  # the French export's label for GW
    assert got[("Guinea", "EXPORT")] == "GIN"
    assert got[("Guinea-Bissau", "EXPORT")] == "GNB"


def test_annual_rows_never_enter_monthly_totals():
    raw = [
        r for r in raw_rows(RELATIONAL)
        if r["REPORTER"].startswith("European Union - 27") and r["PARTNER"] == "Armenia"
    ]  # fmt: skip
    monthly_2019 = sum(int(r["VALUE_IN_EUR"]) for r in raw if r["PERIOD"].endswith(". 2019")
                       and not r["PERIOD"].startswith(("Jan.-Dec.", "2019")))  # fmt: skip
    annual_2019 = [int(r["VALUE_IN_EUR"]) for r in raw if r["PERIOD"] == "201952-Jan.-Dec. 2019"]
    assert len(annual_2019) == 1 and monthly_2019 > 0

    table = parse(RELATIONAL).tables["relational_view"]
    eu_arm = table.filter(
        (pl.col("reporter_area_code") == "EU27_2020") & (pl.col("partner_iso3") == "ARM")
        & (pl.col("period_year") == 2019)
    )  # fmt: skip
    annual = eu_arm.filter(pl.col("frequency") == "A")
    assert annual["value_eur"].to_list() == annual_2019
    assert annual["period_month"].to_list() == [None]
    assert eu_arm.filter(pl.col("frequency") == "M")["value_eur"].sum() == monthly_2019
    assert set(eu_arm.filter(pl.col("frequency") == "M")["period_month"]) == {11, 12}


def test_repeated_rows_are_quarantined_once_each():
    publisher = comext.RELATIONAL_COLUMNS
    counts = Counter(tuple(r[c] for c in publisher) for r in raw_rows(RELATIONAL))
    repeats = sum(n - 1 for n in counts.values())
    parsed = parse(RELATIONAL)
    assert [q["reason"] for q in parsed.quarantine] == ["duplicate row"] * repeats
    assert repeats == 29  # the Kyrgyz imports of Feb. 2024, downloaded twice
    assert parsed.tables["relational_view"].height == len(counts)


def test_coded_labels_and_usd():
    table = parse(RELATIONAL).tables["relational_view"]
    coded = table.filter(pl.col("FLOW") == "2-EXPORT").filter(pl.col("PERIOD") == "Aug. 2024")
    assert coded.height > 0
    assert set(coded["product_code"]) == {"TOTAL"} and set(coded["hs6"]) == {"TOTAL"}
    assert set(coded["stat_procedure"]) == {"TOTAL"}
    row = coded.filter(pl.col("REPORTER") == "Cyprus").row(0, named=True)
    assert row["partner_iso3"] == "KAZ" and row["value_eur"] == 11421
    assert row["usd_per_eur"] == pytest.approx(fx(2024, 8))
    assert row["value_usd"] == pytest.approx(11421 * fx(2024, 8))


def test_annual_rows_convert_at_the_mean_of_twelve_months():
    table = parse(RELATIONAL).tables["relational_view"]
    row = table.filter((pl.col("frequency") == "A") & (pl.col("period_year") == 2017)).row(
        0, named=True
    )
    mean = sum(fx(2017, m) for m in range(1, 13)) / 12
    assert row["usd_per_eur"] == pytest.approx(mean)


# --------------------------------------------------------------------------------------------
# DS-045409 reshaped
# --------------------------------------------------------------------------------------------


def test_ds045409_cn8_and_headings_are_kept_apart():
    raw = raw_rows(DS)
    cn8 = sum(
        int(r["value_eur"]) for r in raw
        if len(r["product_code"]) == 8 and r["product_code"].startswith("854231")
        and r["reporter_iso2"] == "DE" and r["partner_iso2"] == "RU" and r["period"] == "2022-01"
    )  # fmt: skip
    heading = [
        int(r["value_eur"]) for r in raw
        if r["product_code"] == "8471" and r["reporter_iso2"] == "DE"
        and r["partner_iso2"] == "RU" and r["period"] == "2022-01"
    ]  # fmt: skip
    table = parse(DS).tables["ds045409"]
    de_ru = table.filter(
        (pl.col("reporter_iso3") == "DEU") & (pl.col("partner_iso3") == "RUS")
        & (pl.col("period_year") == 2022) & (pl.col("period_month") == 1)
    )  # fmt: skip
    assert de_ru.filter(pl.col("hs6") == "854231")["value_eur"].sum() == cn8
    assert set(de_ru.filter(pl.col("hs6") == "854231")["code_digits"]) == {8}
    headings = de_ru.filter(pl.col("code_digits") == 4)
    assert headings["value_eur"].to_list() == heading and len(heading) == 1
    assert headings["hs6"].to_list() == [None]
    # The heading 8471 and its CN8 codes overlap: CN8 rows have an hs6, the heading has none.
    assert (
        de_ru.filter(pl.col("product_code").str.starts_with("8471"))["code_digits"].n_unique() == 2
    )
    assert set(table["frequency"]) == {"M"}
    flows = dict(table.group_by("flow").agg(pl.col("product_code").unique()).iter_rows())
    assert set(flows) == {"X", "M"} and flows["M"] == ["TOTAL"]  # imports: totals only
    assert table.height == len(raw)


# --------------------------------------------------------------------------------------------
# Bulk file (codes)
# --------------------------------------------------------------------------------------------


def test_bulk_file_codes_aggregates_and_rejects():
    parsed = parse(BULK)
    table = parsed.tables["bulk"]
    reasons = sorted(q["reason"] for q in parsed.quarantine)
    assert reasons == ["VALUE_IN_EUROS is not a number: 'n/a'", "duplicate row"]
    monthly_exports = table.filter(
        (pl.col("frequency") == "M") & (pl.col("flow") == "X") & (pl.col("hs6") == "854231")
        & (pl.col("partner_iso3") == "RUS")
    )  # fmt: skip
    members = monthly_exports.filter(~pl.col("is_aggregate"))["value_eur"].sum()
    eu27 = monthly_exports.filter(pl.col("reporter_area_code") == "EU27_2020")["value_eur"]
    assert members == 1250000 + 80000 + 15000 == eu27.item()
    greece = table.filter(pl.col("REPORTER") == "GR").row(0, named=True)
    assert greece["reporter_iso3"] == "GRC"
    stores = table.filter(pl.col("PARTNER") == "QS").row(0, named=True)
    assert (stores["partner_area"], stores["partner_iso3"]) == ("other", None)
    annual = table.filter(pl.col("PERIOD") == "202252").row(0, named=True)
    assert (annual["frequency"], annual["period_year"], annual["period_month"]) == ("A", 2022, None)
    total = table.filter(pl.col("PRODUCT_NC") == "TOTAL").row(0, named=True)
    assert total["hs6"] == "TOTAL" and total["code_digits"] is None
    assert table.filter(pl.col("FLOW") == "1")["flow"].to_list() == ["M"]
    assert table.filter(pl.col("PRODUCT_NC") == "85423990")["quantity_kg"].to_list() == [12.0]


def test_bulk_file_without_a_required_column_fails(tmp_path: Path):
    path = tmp_path / "trade" / "eurostat_comext" / "full202201.dat"
    path.parent.mkdir(parents=True)
    path.write_text("REPORTER,PARTNER,FLOW,PERIOD,VALUE_IN_EUROS\nDE,RU,2,202201,5\n")
    with pytest.raises(SourceParseError, match="missing column PRODUCT_NC") as err:
        comext.parse(source_file(path, tmp_path))
    assert err.value.line == 1


# --------------------------------------------------------------------------------------------
# Field decoders
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aug. 2024", ("M", 2024, 8)),
        ("Sep. 2023", ("M", 2023, 9)),
        ("Jan.-Dec. 2010", ("A", 2010, None)),
        ("201952-Jan.-Dec. 2019", ("A", 2019, None)),
        ("202408-Aug. 2024", ("M", 2024, 8)),
        ("août 2024", ("M", 2024, 8)),
        ("Déc. 2021", ("M", 2021, 12)),
        ("202201", ("M", 2022, 1)),
        ("202252", ("A", 2022, None)),
        ("2020-12", ("M", 2020, 12)),
        ("Y2019", ("A", 2019, None)),
        ("Jan.-Mar. 2020", None),
        ("202213", None),
        ("soon", None),
    ],
)
def test_decode_period(text, expected):
    assert comext.decode_period(text) == expected


def test_decode_flow_and_product():
    assert [comext.decode_flow(t) for t in ("1", "2", "2-EXPORT", "IMPORTATION", "X")] == [
        "M", "X", "X", "M", None,
    ]  # fmt: skip
    assert comext.decode_product("TOTAL-Total") == "TOTAL"
    assert comext.decode_product("Total") == "TOTAL"
    assert comext.decode_product("85423190") == "85423190"
    assert comext.decode_product("Machines") is None
