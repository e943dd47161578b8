"""The query and export commands against a small published warehouse written here.

The commands only read a published warehouse file, so they are tested without a pipeline run:
the tables below are written by hand, and every expected value is read back from these rows
with the csv module, openpyxl or a second DuckDB connection, not with the command's code.
"""

from __future__ import annotations

import csv
import json
import os

import duckdb
import openpyxl
import pytest

from orchestration.cli import main
from orchestration.settings import BUILD_DB_VAR, FRESH_VAR, HOME_VAR, INPUTS_VAR

# Marts and one table outside them, as a published warehouse holds them.
EXPOSURE = [("KGZ", 2023, "chpl_tier_1", 30_000_000.0), ("ARM", 2023, "chpl_tier_2", 15_000_000.0)]
GROUPS = [("KGZ", "transit", "2022-06-28"), ("ARM", "transit", "2022-06-28"),
          ("DEU", "coalition", "2023-09-26")]  # fmt: skip
FLOWS = 1_200  # enough rows to tell a whole export from a partial one


@pytest.fixture(autouse=True)
def cli_env(monkeypatch):
    """A test may set settings in the environment (and `main` sets DAGSTER_HOME when it is unset):
    the environment as it was afterwards."""
    for var in (HOME_VAR, INPUTS_VAR, BUILD_DB_VAR, FRESH_VAR):
        if var in os.environ:
            monkeypatch.setenv(var, os.environ[var])
        else:
            monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> str:
    home = tmp_path_factory.mktemp("cli_home")
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("create schema marts; create schema raw")
        con.execute(
            "create table marts.fct_country_exposure (country_iso3 varchar, year integer, "
            "basket varchar, coalition_imports_usd double)"
        )
        con.executemany("insert into marts.fct_country_exposure values (?, ?, ?, ?)", EXPOSURE)
        con.execute(
            "create table marts.dim_country_group (iso3 varchar, group_name varchar, "
            "group_version varchar)"
        )
        con.executemany("insert into marts.dim_country_group values (?, ?, ?)", GROUPS)
        con.execute(
            "create table marts.fct_trade_flows as select i as flow_id, i * 1.5 as value_usd "
            f"from range({FLOWS}) as r(i)"
        )
        con.execute("create table raw.ingested_files (source_file varchar)")
    return str(home)


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
    assert main(["--home", home, "query", "drop table marts.dim_country_group"]) == 2
    assert "read-only" in capsys.readouterr().err.lower()


def test_query_without_a_published_warehouse(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "query", "select 1"]) == 2
    assert "no published warehouse" in capsys.readouterr().err


def test_export_parquet_csv_and_xlsx(home, tmp_path):
    out = tmp_path / "out"
    assert main(["--home", home, "export", "--out", str(out)]) == 0
    # Every mart, and only the marts: the raw table stays out.
    assert sorted(p.name for p in out.glob("*.parquet")) == [
        "marts.dim_country_group.parquet",
        "marts.fct_country_exposure.parquet",
        "marts.fct_trade_flows.parquet",
    ]
    with duckdb.connect() as con:
        n, total = con.execute(
            f"select count(*), sum(value_usd) from '{out / 'marts.fct_trade_flows.parquet'}'"
        ).fetchall()[0]
    assert n == FLOWS and total == pytest.approx(1.5 * FLOWS * (FLOWS - 1) / 2)

    table = "marts.dim_country_group"
    command = ["--home", home, "export", "--table", table, "--out", str(out)]
    assert main([*command, "--format", "csv"]) == 0
    with (out / f"{table}.csv").open(newline="") as handle:
        rows = [tuple(r.values()) for r in csv.DictReader(handle)]
    assert sorted(rows) == sorted(GROUPS)

    assert main([*command, "--format", "xlsx"]) == 0
    sheet = openpyxl.load_workbook(out / f"{table}.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("iso3", "group_name", "group_version")
    assert sorted(values[1:]) == sorted(GROUPS)


def test_export_unknown_table_is_an_error(home, tmp_path, capsys):
    assert main(["--home", home, "export", "--table", "marts.nope", "--out", str(tmp_path)]) == 2
    assert "no table 'marts.nope'" in capsys.readouterr().err
