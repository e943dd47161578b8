"""UN Comtrade parser: layouts, area codes, the totals rule and de-duplication.

Expected values are computed from the fixture files with the csv/json modules, not with the
parser's Polars code.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest

from orchestration.sources import source_specs
from orchestration.sources.common.base import SourceFile, SourceParseError
from orchestration.sources.common.registry import discover
from orchestration.sources.comtrade import parse as comtrade

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
COMTRADE = FIXTURES / "trade" / "comtrade"


def source_file(path: Path, root: Path = FIXTURES) -> SourceFile:
    return SourceFile(
        path=path,
        source="comtrade",
        release_date=None,
        relative_path=path.relative_to(root).as_posix(),
    )


def parse(relative: str):
    return comtrade.parse(source_file(COMTRADE / relative))


def test_discovery_claims_every_comtrade_fixture():
    found = discover(FIXTURES, specs=source_specs("comtrade"))
    names = sorted(Path(f.relative_path).name for f in found.for_source("comtrade"))
    on_disk = sorted(p.name for p in COMTRADE.rglob("*") if p.is_file() and p.name != "README.md")
    assert names == on_disk
    assert all(f.release_date is None for f in found.for_source("comtrade"))


# --------------------------------------------------------------------------------------------
# API JSON
# --------------------------------------------------------------------------------------------

API_JSON = "api/comtrade_C_M_HS_202201_r51.json"


def test_api_json_keeps_records_and_quarantines_the_repeated_one():
    records = json.loads((COMTRADE / API_JSON).read_text())["data"]
    seen, repeats = set(), 0
    for record in records:
        key = json.dumps(record, sort_keys=True)
        repeats += key in seen
        seen.add(key)
    parsed = parse(API_JSON)
    table = parsed.tables["records"]
    assert table.height == len(records) - repeats == 12
    assert [q["reason"] for q in parsed.quarantine] == ["duplicate row"] * repeats
    assert parsed.quarantine[0]["source_line"] == len(records)  # the last record repeats


def test_api_json_totals_rule_matches_the_world_row():
    records = json.loads((COMTRADE / API_JSON).read_text())["data"]
    world = next(r["primaryValue"] for r in records if r["partnerCode"] == 0)
    table = parse(API_JSON).tables["records"]
    imports = table.filter(
        (pl.col("flow") == "M") & pl.col("counts_in_total") & ~pl.col("partner_is_aggregate")
    )
    assert imports["value_usd"].sum() == pytest.approx(world, abs=0.005)
    # The breakdown rows alone would have added 3,523,495.59 more.
    breakdown = table.filter(pl.col("total_role") == "breakdown")["value_usd"].sum()
    assert breakdown == pytest.approx(2033495.59 + 1400000.0 + 90000.0 + 350000.0)


def test_api_json_roles_by_dimension():
    table = parse(API_JSON).tables["records"]
    roles = {
        (r["partnerCode"], r["customsCode"], r["motCode"]): r["total_role"]
        for r in table.filter(pl.col("flow") == "M").iter_rows(named=True)
    }
    assert roles[(156, "C00", 0)] == "total"
    assert roles[(156, "C00", 1000)] == "breakdown"
    assert roles[(156, "C01", 0)] == "breakdown"
    # Viet Nam has no total row: modes are summed, except Road under Land (3000 > 3200).
    assert roles[(704, "C00", 3000)] == "part"
    assert roles[(704, "C00", 1000)] == "part"
    assert roles[(704, "C00", 3200)] == "breakdown"


def test_api_json_area_codes_and_flows():
    table = parse(API_JSON).tables["records"]
    iso = dict(table.select("partnerCode", "partner_iso3").unique().iter_rows())
    assert iso[490] == "TWN" and iso[842] == "USA" and iso[156] == "CHN"
    assert iso[0] is None
    world = table.filter(pl.col("partnerCode") == 0).row(0, named=True)
    assert world["partner_is_aggregate"] is True and world["partner_area"] == "aggregate"
    by_flow = dict(
        table.filter(pl.col("partner_iso3") == "RUS").select("flow", "value_usd").iter_rows()
    )
    assert by_flow == {"X": 450000.0, "RX": 1500000.0}
    first = table.row(0, named=True)
    assert (first["frequency"], first["period_year"], first["period_month"]) == ("M", 2022, 1)
    assert first["hs6"] == "851713" and first["code_digits"] == 6
    assert first["source_file"] == f"trade/comtrade/{API_JSON}"
    assert first["source_line"] == 1


def test_api_error_response_fails_with_its_message(tmp_path: Path):
    path = tmp_path / "trade" / "comtrade" / "error.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"statusCode": 401, "message": "Access denied due to invalid key"}))
    with pytest.raises(SourceParseError, match="invalid key") as err:
        comtrade.parse(source_file(path, tmp_path))
    assert err.value.path == "trade/comtrade/error.json"


def test_api_json_count_mismatch_is_a_truncated_response(tmp_path: Path):
    path = tmp_path / "trade" / "comtrade" / "cut.json"
    path.parent.mkdir(parents=True)
    records = json.loads((COMTRADE / API_JSON).read_text())["data"][:2]
    path.write_text(json.dumps({"count": 5, "data": records}))
    with pytest.raises(SourceParseError, match="'count' is 5 but 'data' holds 2"):
        comtrade.parse(source_file(path, tmp_path))


# --------------------------------------------------------------------------------------------
# "get" CSV
# --------------------------------------------------------------------------------------------


def test_get_csv_codes_and_padding():
    table = parse("api/comtrade_get_C_A_HS_2022.csv").tables["records"]
    with (COMTRADE / "api/comtrade_get_C_A_HS_2022.csv").open(newline="") as handle:
        raw = list(csv.DictReader(handle))
    assert table.height == len(raw) == 4
    rows = {(r["reporterCode"], r["partnerCode"]): r for r in table.iter_rows(named=True)}
    kaz = rows[(276, 398)]
    assert kaz["cmdCode"] == "10121" and kaz["hs6"] == "010121"  # leading zero restored
    assert rows[(251, 757)]["reporter_iso3"] == "FRA" and rows[(251, 757)]["partner_iso3"] == "CHE"
    assert rows[(579, 699)]["reporter_iso3"] == "NOR" and rows[(579, 699)]["partner_iso3"] == "IND"
    assert {r["frequency"] for r in rows.values()} == {"A"}
    assert {r["period_month"] for r in rows.values()} == {None}
    assert table["value_usd"].sum() == pytest.approx(sum(float(r["primaryValue"]) for r in raw))
    assert table["counts_in_total"].all()


# --------------------------------------------------------------------------------------------
# legacy comtradr CSV: the Armenia file breaks flows down by mode of transport
# --------------------------------------------------------------------------------------------

ARMENIA = "armenia_georgia/vehicle_trade_armenia.csv"


def test_armenia_exports_of_8703_to_russia_sum_the_mode_rows():
    with (COMTRADE / ARMENIA).open(encoding="utf-8", newline="") as handle:
        raw = list(csv.DictReader(handle))
    to_russia = [
        r for r in raw
        if r["year"] == "2022" and r["trade_code"] == "X" and r["partner_code"] == "643"
        and r["commodity_code"] == "8703"
    ]  # fmt: skip
    # The rule applies because the file has no TOTAL MOT rows at all.
    assert {r["mot_code"] for r in raw}.isdisjoint({"0"})
    assert len({r["mot_code"] for r in to_russia}) > 1
    expected = sum(float(r["trade_value_us"]) for r in to_russia)

    table = parse(ARMENIA).tables["legacy_monthly"]
    got = table.filter(
        (pl.col("period_year") == 2022) & (pl.col("flow") == "X")
        & (pl.col("partner_iso3") == "RUS") & (pl.col("code_digits") == 4)
        & pl.col("counts_in_total")
    )["value_usd"].sum()  # fmt: skip
    assert got == pytest.approx(expected)
    assert expected == pytest.approx(236844254.09, abs=0.01)
    assert set(table["total_role"]) == {"part"}


def test_armenia_headings_and_subheadings_stay_apart():
    table = parse(ARMENIA).tables["legacy_monthly"]
    levels = dict(table.group_by("code_digits").agg(pl.col("hs6").null_count()).iter_rows())
    assert set(levels) == {4, 6}
    heading_rows = table.filter(pl.col("code_digits") == 4).height
    assert levels[4] == heading_rows  # HS4 rows carry no hs6, so no HS6 sum can include them
    assert levels[6] == 0


def test_georgia_file_has_total_mot_rows_only():
    table = parse("armenia_georgia/vehicle_trade_georgia.csv").tables["legacy_monthly"]
    assert set(table["total_role"]) == {"total"}
    assert set(table["reporter_iso3"]) == {"GEO"}
    assert table.filter(pl.col("partner_code") == "31")["partner_iso3"].to_list() == ["AZE"]


def test_mot_ancestors():
    assert comtrade.mot_ancestors(3200) == [3000]
    assert comtrade.mot_ancestors(9110) == [9000, 9100]
    assert comtrade.mot_ancestors(1000) == []
    assert comtrade.mot_ancestors(0) == []


# --------------------------------------------------------------------------------------------
# compact critical-materials pulls
# --------------------------------------------------------------------------------------------

COMPACT_2022 = "critical_materials/comtrade_2022.csv.gz"


def _compact_rows(relative: str) -> list[list[str]]:
    with gzip.open(COMTRADE / relative, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[1:]


def test_compact_pull_duplicates_are_dropped_and_counted():
    rows = _compact_rows(COMPACT_2022)
    distinct = {tuple(r) for r in rows}
    parsed = parse(COMPACT_2022)
    table = parsed.tables["compact"]
    assert table.height == len(distinct)
    reasons = [q["reason"] for q in parsed.quarantine]
    assert reasons == ["duplicate row"] * (len(rows) - len(distinct))
    assert len(reasons) == 602


def test_compact_pull_total_is_the_largest_row_of_a_flow():
    rows = {tuple(r) for r in _compact_rows(COMPACT_2022)}
    values = defaultdict(list)
    for _year, _reporter, partner, _cmd, flow, value, *_ in rows:
        values[(partner, flow)].append(float(value))
    table = parse(COMPACT_2022).tables["compact"]
    totals = table.filter(pl.col("counts_in_total"))
    # Germany's exports of natural graphite to the UK: four distinct rows, one total.
    uk = totals.filter((pl.col("partner") == "826") & (pl.col("flow") == "X"))
    assert uk["value_usd"].to_list() == [max(values[("826", "X")])] == [1341387.211]
    assert uk["rows_for_key"].to_list() == [4]
    # With one total per partner, the partners add up to the World row.
    for flow in ("X", "M"):
        world = max(values[("0", flow)])
        partners = sum(max(v) for (p, f), v in values.items() if f == flow and p != "0")
        got = totals.filter((pl.col("flow") == flow) & ~pl.col("partner_is_aggregate"))[
            "value_usd"
        ].sum()
        assert got == pytest.approx(partners)
        assert got == pytest.approx(world, rel=1e-9)


def test_compact_2024_takes_the_year_from_the_file_name():
    table = parse("critical_materials/comtrade_2024.csv.gz").tables["compact"]
    assert set(table["period_year"]) == {2024}
    assert set(table["year"]) == {"2024"}
    assert table["qty"].null_count() == table.height  # the 2024 pull has no quantity column
    assert set(table["reporter_iso3"]) == {"CZE"}


def _write(tmp_path: Path, text: str, name: str = "comtrade_2022.csv") -> SourceFile:
    path = tmp_path / "trade" / "comtrade" / "pulls" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return source_file(path, tmp_path)


def test_malformed_line_names_file_and_line(tmp_path: Path):
    text = (
        "year,reporter,partner,cmd,flow,value,netwgt,qty,qtyunit\n"
        "2022,56,0,250490,M,115969.976,27106.1,27106.1,8\n"
        "2022,56,300,250490,M,12108.854,270.4,270.4,8\n"
        "2022,56,699,250490,M,3653.139,42.0\n"
    )
    with pytest.raises(SourceParseError) as err:
        comtrade.parse(_write(tmp_path, text))
    assert err.value.line == 4
    assert "trade/comtrade/pulls/comtrade_2022.csv:4" in str(err.value)
    assert "7 fields where the header has 9" in str(err.value)


def test_unknown_area_and_bad_value_are_quarantined(tmp_path: Path):
    text = (
        "year,reporter,partner,cmd,flow,value,netwgt,qty,qtyunit\n"
        "2022,56,0,250490,M,100.5,1,1,8\n"
        "2022,56,9999,250490,M,20,1,1,8\n"
        "2022,56,300,250490,M,twelve,1,1,8\n"
    )
    parsed = comtrade.parse(_write(tmp_path, text))
    assert parsed.tables["compact"].height == 1
    by_line = {q["source_line"]: q["reason"] for q in parsed.quarantine}
    assert by_line[3] == "unknown partner '9999' (not in ref_country_codes)"
    assert by_line[4] == "value is not a number: 'twelve'"


def test_unknown_layout_fails(tmp_path: Path):
    with pytest.raises(SourceParseError, match="not a known Comtrade layout"):
        comtrade.parse(_write(tmp_path, "a,b\n1,2\n", name="other.csv"))
