"""Analyst SQL reads the warehouse and nothing else; exported paths never pass through SQL."""

from __future__ import annotations

import csv
import os

import duckdb
import pytest

from orchestration.cli import main
from orchestration.settings import BUILD_DB_VAR, FRESH_VAR, HOME_VAR, INPUTS_VAR

ROWS = [("KGZ", 2023, 30_000_000.0), ("ARM", 2023, 15_000_000.0)]


@pytest.fixture(autouse=True)
def cli_env(monkeypatch):
    """A test may set settings in the environment (and `main` sets DAGSTER_HOME when it is unset):
    the environment as it was afterwards."""
    for var in (HOME_VAR, INPUTS_VAR, BUILD_DB_VAR, FRESH_VAR):
        if var in os.environ:
            monkeypatch.setenv(var, os.environ[var])
        else:
            monkeypatch.delenv(var, raising=False)


@pytest.fixture
def home(tmp_path) -> str:
    home = tmp_path / "home"
    home.mkdir()
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_x (iso3 varchar, year integer, usd double)")
        con.executemany("insert into marts.fct_x values (?, ?, ?)", ROWS)
    return str(home)


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('/etc/passwd')",
        "copy (select 1 as a) to '{out}'",
        "attach '{out}.duckdb' as other",
        "set enable_external_access = true",
    ],
)
def test_query_cannot_reach_outside_the_warehouse(home, tmp_path, capsys, sql):
    out = tmp_path / "leak.csv"
    assert main(["--home", home, "query", sql.format(out=out)]) == 2
    assert "roundabout query:" in capsys.readouterr().err
    assert not out.exists() and not out.with_name("leak.csv.duckdb").exists()


def test_external_access_is_allowed_when_asked(home, tmp_path, capsys):
    data = tmp_path / "extra.csv"
    data.write_text("a\n1\n2\n")
    sql = f"select count(*) as n from read_csv('{data}')"
    assert main(["--home", home, "query", sql, "--format", "csv"]) == 2
    capsys.readouterr()
    assert main(["--home", home, "query", sql, "--format", "csv", "--allow-external-access"]) == 0
    assert list(csv.DictReader(capsys.readouterr().out.splitlines())) == [{"n": "2"}]


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_export_to_a_folder_with_an_apostrophe(home, tmp_path, file_format):
    out = tmp_path / "analyst's exports"
    assert main(["--home", home, "export", "--format", file_format, "--out", str(out)]) == 0
    target = out / f"marts.fct_x.{file_format}"
    with duckdb.connect() as con:
        reader = "read_csv" if file_format == "csv" else "read_parquet"
        rows = con.execute(f"select * from {reader}(?)", [str(target)]).fetchall()
    assert sorted(rows) == sorted(ROWS)
