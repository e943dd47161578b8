"""BACI-shaped extracts (orchestration/sources/baci/extract.py) and BACI's retired country codes.

Expected values come from the files written here (hand-made, the arithmetic in the comments) or
from the real extracts in tests/fixtures/trade_real read again with polars.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.raw.ingest import ingest_source
from orchestration.sources import source_specs
from orchestration.sources.baci.extract import parse
from orchestration.sources.baci.parse import parse_codes
from orchestration.sources.common.base import SourceFile, SourceParseError
from orchestration.sources.common.registry import discover
from orchestration.sources.common.trade import vintage_from_name

EXTRACT = next(s for s in source_specs("baci") if s.name == "baci_extract")
REAL = Path(__file__).parents[1] / "fixtures" / "trade_real" / "trade" / "baci"
CODES_V202301 = Path(__file__).parents[1] / "fixtures" / "baci_codes" / "country_codes_V202301.csv"


def write(root: Path, relative: str, text: str) -> Path:
    path = root / "trade" / "baci" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def claimed(root: Path) -> list[SourceFile]:
    return discover(root).for_source("baci_extract")


def parsed_rows(file: SourceFile) -> list[dict]:
    return parse(file).tables["trade"].select(
        "year", "exporter_iso3", "importer_iso3", "hs6", "value_usd", "quantity_tonnes",
        "hs_revision", "baci_version", "source_line",
    ).to_dicts()  # fmt: skip


def test_bacis_own_letters_with_the_year_column(tmp_path):
    # v is thousand USD: 1.5 -> 1,500 USD; numeric codes 251 (France), 842 (USA); q "NA" missing.
    write(tmp_path, "cut_for_team_HS17_V202601.csv",
          "t,i,j,k,v,q\n2022,251,842,10121,1.5,NA\n2022,842,251,854231,2,0.5\n")  # fmt: skip
    (file,) = claimed(tmp_path)
    assert parsed_rows(file) == [
        {"year": 2022, "exporter_iso3": "FRA", "importer_iso3": "USA", "hs6": "010121",
         "value_usd": 1500.0, "quantity_tonnes": None, "hs_revision": "HS17",
         "baci_version": "V202601", "source_line": 2},
        {"year": 2022, "exporter_iso3": "USA", "importer_iso3": "FRA", "hs6": "854231",
         "value_usd": 2000.0, "quantity_tonnes": 0.5, "hs_revision": "HS17",
         "baci_version": "V202601", "source_line": 3},
    ]  # fmt: skip


def test_no_year_column_takes_the_year_from_the_name(tmp_path):
    write(tmp_path, "baci_hs22_v202401_2023.csv", "i,j,k,v\n276,643,854231,3\n")
    (file,) = claimed(tmp_path)
    (row,) = parsed_rows(file)
    assert (row["year"], row["hs_revision"], row["baci_version"], row["value_usd"]) == (
        2023, "HS22", "V202401", 3000.0,
    )  # fmt: skip


def test_named_columns_in_parquet_with_a_release_folder(tmp_path):
    path = tmp_path / "trade" / "baci" / "BACI_HS17_V202601" / "chips.parquet"
    path.parent.mkdir(parents=True)
    pl.DataFrame({
        "year": [2024], "exporter": ["CHN"], "importer": ["RUS"], "hs6": ["854231"],
        "value_kusd": [10.25], "qty_t": [0.01],
    }).write_parquet(path)  # fmt: skip
    (file,) = claimed(tmp_path)
    (row,) = parsed_rows(file)
    # The revision and version come from the folder; Parquet rows are numbered from 1.
    assert row == {"year": 2024, "exporter_iso3": "CHN", "importer_iso3": "RUS", "hs6": "854231",
                   "value_usd": 10250.0, "quantity_tonnes": 0.01, "hs_revision": "HS17",
                   "baci_version": "V202601", "source_line": 1}  # fmt: skip


def test_a_sidecar_gives_revision_year_and_unit(tmp_path):
    write(
        tmp_path,
        "2026-02-01/for_minister.csv",
        "exporter,importer,product,value\nKAZ,RUS,847150,7\n",
    )
    sidecar = "hs_revision: HS17\nversion: '202601'\nyear: 2024\nvalue_unit: thousand_usd\n"
    write(tmp_path, "2026-02-01/for_minister.csv.yml", sidecar)
    files = {f.path.name: f for f in claimed(tmp_path)}
    assert set(files) == {"for_minister.csv", "for_minister.csv.yml"}
    assert files["for_minister.csv"].release_date.isoformat() == "2026-02-01"
    (row,) = parsed_rows(files["for_minister.csv"])
    assert (row["year"], row["hs_revision"], row["baci_version"], row["value_usd"]) == (
        2024, "HS17", "V202601", 7000.0,
    )  # fmt: skip
    assert parse(files["for_minister.csv.yml"]).tables == {}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("some_cut.csv", "t,i,j,k,v\n2022,4,8,010121,1\n", "no HS revision"),
        ("cut_HS17.csv", "i,j,k,v\n4,8,010121,1\n", "no year"),
        (
            "cut_HS17_2022.csv",
            "i,j,k,q\n4,8,010121,1\n",
            "not BACI-shaped: no column for ['value']",
        ),
        ("cut_HS17_2022.csv", "i,j,k,v,value\n4,8,010121,1,2\n", "two value columns"),
        ("cut_HS17_2022.csv", "origin,destination,k,v\n4,8,010121,1\n", "not BACI-shaped"),
    ],
)
def test_what_cannot_be_mapped_is_refused_with_the_reason(tmp_path, name, text, message):
    write(tmp_path, name, text)
    (file,) = claimed(tmp_path)
    with pytest.raises(SourceParseError, match=re.escape(message)) as err:
        parse(file)
    assert file.relative_path in str(err.value)


def test_bad_rows_go_to_the_quarantine_with_their_line(tmp_path):
    rows = ["4,8,010121,1", "XX-1,8,010121,1", "4,8,0101,1", "4,8,010121,abc", "4,8,010121,2"]
    write(tmp_path, "cut_HS17_V202601_2022.csv", "\n".join(["i,j,k,v", *rows]) + "\n")
    (file,) = claimed(tmp_path)
    parsed = parse(file)
    assert parsed.tables["trade"]["source_line"].to_list() == [2]
    assert [(q["source_line"], q["reason"]) for q in parsed.quarantine] == [
        (3, "exporter 'XX-1' is not a BACI or ISO3 country code"),
        (4, "product '0101' is not an HS6 code"),
        (5, "value is not a number: 'abc'"),
        (6, "duplicate row (year, exporter, importer, HS6)"),
    ]


def test_canonical_names_stay_with_their_own_formats(tmp_path):
    write(tmp_path, "2026-01-15/BACI_HS17_Y2022_V202601.csv", "t,i,j,k,v,q\n")
    write(
        tmp_path,
        "country_codes_V202601.csv",
        "country_code,country_name,country_iso2,country_iso3\n",
    )
    write(tmp_path, "cut.csv", "t,i,j,k,v\n")
    found = discover(tmp_path)
    assert [f.relative_path for f in found.for_source("baci")] == [
        "trade/baci/2026-01-15/BACI_HS17_Y2022_V202601.csv"
    ]
    assert found.for_source("baci")[0].release_date.isoformat() == "2026-01-15"
    assert [f.path.name for f in found.for_source("baci_codes")] == ["country_codes_V202601.csv"]
    assert [f.path.name for f in found.for_source("baci_extract")] == ["cut.csv"]


@pytest.mark.parametrize(
    "name", ["baci_hs17_v202601_critical_materials_2022.csv.gz",
             "baci_hs17_v202601_critical_materials_latest_year.parquet"],
)  # fmt: skip
def test_the_real_critical_materials_extracts_load(tmp_path, name):
    target = tmp_path / "trade" / "baci" / name
    target.parent.mkdir(parents=True)
    target.write_bytes((REAL / name).read_bytes())
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    loads = ingest_source(con, EXTRACT, claimed(tmp_path))
    if name.endswith(".parquet"):
        raw = pl.read_parquet(REAL / name)
        total = (raw["value_kusd"] * 1000).sum()
    else:
        raw = pl.read_csv(gzip.decompress((REAL / name).read_bytes()), infer_schema=False)
        total = raw["value"].cast(pl.Float64).sum()
    assert (loads["trade"].rows, loads["trade"].quarantined) == (raw.height, 0)
    stored = con.execute(
        "select sum(value_usd), min(year), max(year), any_value(hs_revision), "
        "any_value(baci_version) from raw.baci_extract__trade"
    ).fetchone()
    assert stored[0] == pytest.approx(total, rel=1e-12)
    year = 2022 if "2022" in name else 2024
    assert stored[1:] == (year, year, "HS17", "V202601")
    con.close()


def test_retired_country_codes_map_and_unknown_shared_codes_are_refused(tmp_path):
    """V202301 lists 58 Belgium-Luxembourg (BEL), 280 West Germany (DEU) and 736 former Sudan
    (SDN) beside the current codes: ref_country_codes knows them as former codes, so they load
    and map to their country. 711 Southern African Customs Union is labelled ZAF like 710 South
    Africa, and the reference does not know it: refused with its line and the reason."""
    file = SourceFile(path=CODES_V202301, source="baci_codes", release_date=None,
                      relative_path="trade/baci/country_codes_V202301.csv")  # fmt: skip
    parsed = parse_codes(file)
    table = parsed.tables["country_codes"]
    kept = dict(table.select("country_code", "iso3").iter_rows())
    assert {code: kept[code] for code in (56, 58, 276, 280, 729, 736, 710)} == {
        56: "BEL",
        58: "BEL",
        276: "DEU",
        280: "DEU",
        729: "SDN",
        736: "SDN",
        710: "ZAF",
    }
    assert 711 not in kept
    ((line, reason),) = [(q["source_line"], q["reason"]) for q in parsed.quarantine]
    assert line == 199  # 711,So. African Customs Union,... is line 199 of the file
    assert CODES_V202301.read_text().splitlines()[line - 1].startswith("711,")
    assert "711" in reason and "shares ISO3 ZAF with code(s) 710" in reason


def test_a_vintage_in_a_file_name():
    assert vintage_from_name("Relational_View_2024-11-16T06_38_12.719Z.csv").isoformat() == (
        "2024-11-16"
    )
    assert vintage_from_name("full_202401.dat") is None
    assert vintage_from_name("export_2024-13-45.csv") is None
