"""`roundabout export`: typed Parquet, CSV and XLSX with one list format, manifest.json beside
them, and the report workbook; on the hand-made warehouse of tests/report/small_warehouse.py."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.cli import main
from orchestration.exports import export_tables, export_workbook
from tests.report.small_warehouse import write as write_small_warehouse

CHANGES = "marts.fct_sanctions_list_changes"
COMPANIES = "marts.fct_company_exposure"


@pytest.fixture()
def db(tmp_path) -> Path:
    path = write_small_warehouse(tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table marts.fx_sample (month date, usd_per_eur double, value_eur double, "
            "loaded_at timestamp); insert into marts.fx_sample values "
            "('2023-01-01', 1.0785, 1234.567, '2026-01-02 03:04:05'); "
            "comment on column marts.fx_sample.usd_per_eur is 'USD for one EUR (ECB)'"
        )
    return path


def test_parquet_keeps_dates_lists_and_money_as_decimal(db, tmp_path):
    written = export_tables(db, tmp_path, "parquet", [CHANGES, COMPANIES, "marts.fx_sample"])
    changes = pq.read_table(tmp_path / f"{CHANGES}.parquet")
    assert changes.schema.field("release_date").type == pa.date32()
    assert changes.schema.field("fields_changed").type == pa.list_(pa.string())
    assert changes.column("fields_changed").to_pylist() == [None, None, ["programs"]]
    companies = pq.read_table(tmp_path / f"{COMPANIES}.parquet")
    assert companies.schema.field("revenue_at_risk_usd").type == pa.decimal128(18, 2)
    assert companies.column("revenue_at_risk_usd").to_pylist() == [Decimal("5000.00"), Decimal(0)]
    # A score is not money; a rate named *_per_* is not money either.
    assert companies.schema.field("risk_score").type == pa.float64()
    fx = pq.read_table(tmp_path / "marts.fx_sample.parquet")
    assert fx.schema.field("usd_per_eur").type == pa.float64()
    assert fx.column("value_eur").to_pylist() == [Decimal("1234.57")]
    assert written[-1] == tmp_path / "manifest.json"


def test_csv_lists_are_json_arrays(db, tmp_path):
    export_tables(db, tmp_path, "csv", [CHANGES, "marts.fx_sample"])
    with (tmp_path / f"{CHANGES}.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["fields_changed"] for r in rows] == ["", "", '["programs"]']
    assert rows[0]["release_date"] == "2023-12-28"
    with (tmp_path / "marts.fx_sample.csv").open(newline="") as handle:
        (fx,) = list(csv.DictReader(handle))
    assert fx["value_eur"] == "1234.57" and fx["month"] == "2023-01-01"


def test_xlsx_cells_are_typed_and_explained(db, tmp_path):
    export_tables(db, tmp_path, "xlsx", ["marts.fx_sample"])
    book = openpyxl.load_workbook(tmp_path / "marts.fx_sample.xlsx")
    assert book.sheetnames == ["fx_sample", "columns", "about"]
    sheet = book["fx_sample"]
    header = [c for c in sheet[1]]
    assert [c.value for c in header] == ["month", "usd_per_eur", "value_eur", "loaded_at"]
    assert all(c.font.bold for c in header) and sheet.freeze_panes == "A2"
    month, rate, money, loaded = sheet[2]
    assert month.value == datetime(2023, 1, 1) and month.number_format == "yyyy-mm-dd"
    assert month.is_date and loaded.is_date and loaded.number_format == "yyyy-mm-dd hh:mm:ss"
    assert loaded.value == datetime(2026, 1, 2, 3, 4, 5)
    assert rate.data_type == "n" and rate.value == 1.0785
    assert money.data_type == "n" and money.value == 1234.57 and money.number_format == "#,##0.00"
    assert sheet.column_dimensions["A"].width >= len("yyyy-mm-dd")
    columns = {r[2]: r for r in book["columns"].iter_rows(min_row=2, values_only=True)}
    assert columns["usd_per_eur"][4] == "USD for one EUR (ECB)"
    assert columns["value_eur"][3] == "DECIMAL(18,2)"


def test_xlsx_lists_match_the_csv_format(db, tmp_path):
    export_tables(db, tmp_path, "xlsx", [CHANGES])
    export_tables(db, tmp_path, "csv", [CHANGES])
    sheet = openpyxl.load_workbook(tmp_path / f"{CHANGES}.xlsx")["fct_sanctions_list_changes"]
    xlsx = [r[5] for r in sheet.iter_rows(min_row=2, values_only=True)]
    with (tmp_path / f"{CHANGES}.csv").open(newline="") as handle:
        plain = [r["fields_changed"] or None for r in csv.DictReader(handle)]
    assert xlsx == plain == [None, None, '["programs"]']
    dates = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert dates == [datetime(2023, 12, 28)] * 3


def test_manifest_lists_tables_schema_and_input_files(db, tmp_path):
    export_tables(db, tmp_path, "parquet", [CHANGES])
    export_tables(db, tmp_path, "parquet", [COMPANIES])
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    by_table = {t["table"]: t for t in manifest["tables"]}
    assert set(by_table) == {CHANGES, COMPANIES}  # the second export kept the first's entry
    assert by_table[CHANGES]["rows"] == 3 and by_table[COMPANIES]["rows"] == 2
    assert by_table[CHANGES]["sources"] == ["ofac_sdn"]
    columns = {c["name"]: c["type"] for c in by_table[COMPANIES]["columns"]}
    assert columns["revenue_at_risk_usd"] == "DECIMAL(18,2)" and columns["risk_score"] == "DOUBLE"
    assert datetime.fromisoformat(manifest["generated_at"]).year >= 2024
    files = {(f["source"], f["source_file"], f["release_date"]) for f in manifest["input_files"]}
    assert files == {
        ("baci", "trade/baci/BACI_HS17_Y2023_V202601.csv", None),
        ("ofac_sdn", "sanctions/ofac_sdn/2023-12-28/sdn.csv", date(2023, 12, 28).isoformat()),
    }
    assert "JSON array" in manifest["list_format"]


def test_export_to_a_folder_with_an_apostrophe(db, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    db.rename(home / "warehouse.duckdb")
    out = tmp_path / "analyst's exports"
    for fmt in ("parquet", "csv", "xlsx"):
        command = ["--home", str(home), "export", "--format", fmt, "--out", str(out)]
        assert main([*command, "--table", CHANGES]) == 0
        assert (out / f"{CHANGES}.{fmt}").exists()


def test_report_workbook_holds_each_chart_table(db, tmp_path):
    book_path, manifest = export_workbook(db, tmp_path)
    book = openpyxl.load_workbook(book_path)
    assert {"suppliers-shares", "growing-lines-lines", "screening-companies",
            "columns", "about", "input_files"} <= set(book.sheetnames)  # fmt: skip
    shares = list(book["suppliers-shares"].iter_rows(values_only=True))
    origin, share = shares[0].index("origin_iso3"), shares[0].index("supplier_share")
    assert [(r[origin], r[share]) for r in shares[1:]] == [("CHN", 0.6), ("HKG", 0.25),
                                                          ("DEU", 0.15)]  # fmt: skip
    about = [r[0] for r in book["about"].iter_rows(min_row=2, values_only=True)]
    assert "Transit hubs" in about
    entry = json.loads(manifest.read_text())["tables"][0]
    assert entry["file"] == "roundabout-report.xlsx" and entry["sheets"]
