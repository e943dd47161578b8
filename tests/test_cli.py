"""The query and export commands against the published sample warehouse."""

from __future__ import annotations

import csv
import json

import duckdb
import openpyxl
import pytest

from orchestration.cli import main


@pytest.fixture()
def home(sample_run):
    return str(sample_run.published_db.parent)


def test_query_prints_csv_and_json(home, capsys):
    sql = (
        "select country_iso3, coalition_imports_usd from marts.fct_country_exposure "
        "where country_iso3 = 'KGZ' and year = 2023 and basket = 'chpl_tier_1'"
    )
    assert main(["--home", home, "query", sql, "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert rows == [{"country_iso3": "KGZ", "coalition_imports_usd": "30000000.0"}]
    assert main(["--home", home, "query", sql, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"country_iso3": "KGZ", "coalition_imports_usd": 30000000.0}
    ]


def test_query_is_read_only(home, capsys):
    assert main(["--home", home, "query", "drop table marts.dim_country"]) == 2
    assert "read-only" in capsys.readouterr().err.lower()


def test_export_parquet_csv_and_xlsx(home, tmp_path, sample_run):
    out = tmp_path / "out"
    assert main(["--home", home, "export", "--out", str(out)]) == 0
    marts = sorted(p.name for p in out.glob("*.parquet"))
    assert "marts.fct_country_exposure.parquet" in marts
    assert len(marts) == len(sample_run.mart_rows)
    with duckdb.connect() as con:
        n = con.execute(
            f"select count(*) from '{out / 'marts.fct_trade_flows.parquet'}'"
        ).fetchall()[0][0]
    assert n == sample_run.mart_rows["marts.fct_trade_flows"]

    table = "marts.dim_country_group"
    assert (
        main(["--home", home, "export", "--format", "csv", "--table", table, "--out", str(out)])
        == 0
    )
    rows = list(csv.DictReader((out / f"{table}.csv").open()))
    assert len(rows) == sample_run.mart_rows[table]
    assert {"iso3": "KGZ", "group_name": "transit"}.items() <= next(
        r for r in rows if r["iso3"] == "KGZ" and r["group_name"] == "transit"
    ).items()

    assert (
        main(["--home", home, "export", "--format", "xlsx", "--table", table, "--out", str(out)])
        == 0
    )
    sheet = openpyxl.load_workbook(out / f"{table}.xlsx").active
    assert sheet.max_row == sample_run.mart_rows[table] + 1
    assert [c.value for c in sheet[1]][:3] == ["iso3", "group_name", "group_version"]


def test_export_unknown_table_is_an_error(home, tmp_path, capsys):
    assert main(["--home", home, "export", "--table", "marts.nope", "--out", str(tmp_path)]) == 2
    assert "no table 'marts.nope'" in capsys.readouterr().err
