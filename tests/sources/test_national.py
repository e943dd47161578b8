"""National statistics parsers (Armstat monthly, yearly imports in the Comext layout) and the
plug-in recipe for a new office: a source folder with its YAML and parser."""

from __future__ import annotations

import csv
import sys
import types
from pathlib import Path

import polars as pl
import pytest

from orchestration.sources import source_specs, specs_of
from orchestration.sources.common.base import ParsedFile, Parser, SourceFile, with_lineage
from orchestration.sources.common.metadata import load
from orchestration.sources.common.registry import discover
from orchestration.sources.common.trade import read_delimited

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NATIONAL = FIXTURES / "trade" / "national"
NATIONAL_SPECS = [*source_specs("armstat"), *source_specs("national_yearly")]
ARMSTAT = "armstat_arm_trade_country_monthly.csv"
KAZAKHSTAN = "kazakhstan_import_yearly.csv"
UZBEKISTAN = "uzbek_import_yearly.csv"
# Partner labels of the Kazakh table that are groups of countries, not countries.
KAZ_GROUPS = {
    "World", "Commonwealth of Independent States", "Eurasian Economic Union",
    "European Union - 27 countries (from 2020)", "Non-EAEU countries", "Non-EU countries",
    "Rest of the world",
}  # fmt: skip


def source_file(path: Path, root: Path = FIXTURES) -> SourceFile:
    return SourceFile(
        path=path, source="national", release_date=None,
        relative_path=path.relative_to(root).as_posix(),
    )  # fmt: skip


def spec_for(name: str):
    return next(s for s in NATIONAL_SPECS if s.recognises(name))


def parse(name: str) -> ParsedFile:
    return spec_for(name).parse(source_file(NATIONAL / name))


def raw_rows(name: str) -> list[dict[str, str]]:
    with (NATIONAL / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_discovery_routes_each_file_to_its_layout():
    found = discover(FIXTURES, specs=NATIONAL_SPECS)
    assert [Path(f.relative_path).name for f in found.for_source("armstat")] == [ARMSTAT]
    yearly = sorted(Path(f.relative_path).name for f in found.for_source("national_yearly"))
    assert yearly == [KAZAKHSTAN, UZBEKISTAN]


def test_armstat_thousand_usd_and_partner_names():
    raw = raw_rows(ARMSTAT)
    assert (NATIONAL / ARMSTAT).read_bytes().startswith(b"\xef\xbb\xbf")
    january = [r for r in raw if (r["year"], r["month"]) == ("2024", "1")]
    expected = sum(float(r["export"]) for r in january) * 1000

    parsed = parse(ARMSTAT)
    table = parsed.tables["trade_by_country"]
    assert parsed.quarantine == []
    assert table.columns[0] == "country"  # the BOM is not part of the first column's name
    jan = table.filter((pl.col("period_year") == 2024) & (pl.col("period_month") == 1))
    assert jan["export_usd"].sum() == pytest.approx(expected)
    russia = jan.filter(pl.col("partner_iso3") == "RUS").row(0, named=True)
    assert russia["export_usd"] == pytest.approx(260791.9 * 1000)
    assert (russia["reporter_iso3"], russia["frequency"], russia["hs6"]) == ("ARM", "M", "TOTAL")
    names = dict(table.select("country", "partner_iso3").unique().iter_rows())
    assert names["Saoma"] == "WSM" and names["Czech Rep."] == "CZE"
    assert names["Channel Islands"] is None  # no ISO country: kept, flagged as another area
    other = table.filter(pl.col("country") == "Channel Islands").row(0, named=True)
    assert (other["partner_area"], other["partner_is_aggregate"]) == ("other", False)


def test_yearly_imports_groups_are_flagged_and_usd_recovered():
    raw = [r for r in raw_rows(KAZAKHSTAN) if r["PERIOD"] == "Y2019"]
    countries = sum(float(r["VALUE_IN_EUR"]) for r in raw if r["PARTNER"] not in KAZ_GROUPS)
    world = next(float(r["VALUE_IN_EUR"]) for r in raw if r["PARTNER"] == "World")

    table = parse(KAZAKHSTAN).tables["imports_by_partner"]
    assert table.filter(pl.col("is_aggregate")).height == len(KAZ_GROUPS)
    got = table.filter(~pl.col("is_aggregate"))["value_eur"].sum()
    assert got == pytest.approx(countries)
    assert got < world  # the office's World total includes unallocated trade
    row = table.filter(pl.col("partner_iso3") == "CHN").row(0, named=True)
    assert row["usd_per_eur"] == 1.12
    assert row["value_usd"] == pytest.approx(row["value_eur"] * 1.12)
    assert (row["frequency"], row["period_year"], row["flow"]) == ("A", 2019, "M")
    assert row["reporter_iso3"] == "KAZ"


def test_russian_partner_labels():
    table = parse(UZBEKISTAN).tables["imports_by_partner"]
    slovakia = table.filter(pl.col("PARTNER") == "Словакия")
    assert slovakia.height > 0 and set(slovakia["partner_iso3"]) == {"SVK"}
    other = table.filter(pl.col("PARTNER") == "Other countries")["partner_area"].to_list()
    assert set(other) == {"other"}


def test_a_new_national_source_plugs_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The documented recipe: a folder with ``<name>.yml`` and a parser module whose
    ``PARSERS`` holds the code, nothing else to register."""

    def parse_georgia(file: SourceFile) -> ParsedFile:
        frame = (
            read_delimited(file)
            .frame()
            .with_columns(
                (pl.col("exports_thousand_usd").cast(pl.Float64) * 1000).alias("export_usd")
            )
        )
        return ParsedFile(tables={"geostat_monthly": with_lineage(frame, file)})

    folder = tmp_path / "sources" / "geostat"
    folder.mkdir(parents=True)
    (folder / "geostat.yml").write_text(
        "title: 'Geostat: Georgia''s exports by partner'\n"
        "publisher: National Statistics Office of Georgia\n"
        "url: https://www.geostat.ge/en\n"
        "licence: Official statistics; reuse with acknowledgement\n"
        "cadence: monthly\n"
        "inputs: trade/national\n"
        "release_folder: optional\n"
        "tests: [tests/sources/test_national.py]\n"
        "formats:\n"
        "  geostat:\n"
        "    parser: parse\n"
        "    patterns: ['(.*/)?geostat_[^/]*\\.csv']\n"
        "    tables: [geostat_monthly]\n"
        "    staging: geostat\n"
        "    suites: {}\n"
    )
    # The parser module, as Python would import it from orchestration/sources/geostat/parse.py.
    package = types.ModuleType("orchestration.sources.geostat")
    module = types.ModuleType("orchestration.sources.geostat.parse")
    module.PARSERS = {"geostat": Parser(parse=parse_georgia)}
    monkeypatch.setitem(sys.modules, package.__name__, package)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    [spec] = specs_of(load(folder / "geostat.yml"))
    path = tmp_path / "trade" / "national" / "geostat_exports_2024.csv"
    path.parent.mkdir(parents=True)
    path.write_text("partner,month,exports_thousand_usd\nArmenia,2024-01,12.5\n")
    found = discover(tmp_path, specs=[*NATIONAL_SPECS, spec])
    files = found.for_source("geostat")
    assert [f.relative_path for f in files] == ["trade/national/geostat_exports_2024.csv"]
    table = spec.parse(files[0]).tables["geostat_monthly"]
    assert table["export_usd"].to_list() == [12500.0]
    assert table["source_line"].to_list() == [2]
