"""Formula injection: text a spreadsheet would run as a formula (a counterparty named
``=HYPERLINK(...)``) is written as text in every XLSX and escaped in every CSV that Roundabout
writes: `roundabout screen` output, `roundabout export`, and the report workbook."""

from __future__ import annotations

import csv
import os
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from orchestration.cli import main
from orchestration.exports import export_tables, export_workbook
from orchestration.screening.command import ScreenOutput, write_output
from orchestration.screening.screen import write_matches
from tests.report.small_warehouse import FORMULA_NAME
from tests.report.small_warehouse import write as write_small_warehouse

# Every prefix a spreadsheet reads as the start of a formula.
NAMES = [FORMULA_NAME, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


def formulas_in(xlsx: Path) -> list[str]:
    """The <f> elements of every worksheet: a cell Excel would compute."""
    with zipfile.ZipFile(xlsx) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


def cells(xlsx: Path, sheet: str) -> list[tuple]:
    book = openpyxl.load_workbook(xlsx)
    return [tuple(_unescaped(c.value) for c in row) for row in book[sheet].iter_rows()]


def _unescaped(value: object) -> object:
    # XLSX stores a carriage return in text as _x000D_ (ECMA-376 ST_Xstring), which Excel
    # decodes and openpyxl leaves as it is.
    return value.replace("_x000D_", "\r") if isinstance(value, str) else value


def text_types(xlsx: Path, sheet: str, values: list[str]) -> set[str]:
    book = openpyxl.load_workbook(xlsx)
    return {
        c.data_type for row in book[sheet].iter_rows() for c in row if _unescaped(c.value) in values
    }


def csv_column(path: Path, column: str) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row[column] for row in csv.DictReader(handle)]


@pytest.fixture()
def output() -> ScreenOutput:
    matches = pl.DataFrame(
        {"counterparty_id": [f"c{i}" for i in range(len(NAMES))], "counterparty_name": NAMES,
         "programs": [["RUSSIA-EO14024"]] * len(NAMES), "score": [0.9] * len(NAMES)}
    )  # fmt: skip
    exposure = matches.select("counterparty_id", "counterparty_name")
    return ScreenOutput(matches=matches, exposure=exposure, run=None)


def test_screen_xlsx_writes_formula_like_names_as_text(output, tmp_path):
    out = tmp_path / "results.xlsx"
    write_output(output, out)
    assert formulas_in(out) == []
    for sheet in ("screening_matches", "company_exposure"):
        names = [row[1] for row in cells(out, sheet)[1:]]
        assert names == NAMES
        assert text_types(out, sheet, NAMES) == {"s"}


def test_screen_csv_escapes_formula_like_names(output, tmp_path):
    out = tmp_path / "results.csv"
    written = write_output(output, out)
    for path in written:
        names = csv_column(path, "counterparty_name")
        assert names == ["'" + name for name in NAMES]


def test_screen_file_writer_is_safe_too(output, tmp_path):
    write_matches(output.matches, tmp_path / "m.xlsx")
    write_matches(output.matches, tmp_path / "m.csv")
    assert formulas_in(tmp_path / "m.xlsx") == []
    assert [r[1] for r in cells(tmp_path / "m.xlsx", "screening_matches")[1:]] == NAMES
    assert csv_column(tmp_path / "m.csv", "counterparty_name") == ["'" + n for n in NAMES]


def test_ordinary_text_is_left_alone(tmp_path):
    frame = pl.DataFrame({"counterparty_name": ["Beta Trading", "O'Neil & Co", "A-1 Ltd"]})
    output = ScreenOutput(matches=frame, exposure=frame, run=None)
    write_output(output, tmp_path / "r.csv")
    assert (
        csv_column(tmp_path / "r.csv", "counterparty_name") == frame["counterparty_name"].to_list()
    )


@pytest.fixture()
def small_db(tmp_path) -> Path:
    return write_small_warehouse(tmp_path / "warehouse.duckdb")


def test_exports_write_the_name_as_text_and_escape_it(small_db, tmp_path):
    table = ["marts.fct_company_exposure"]
    (xlsx, _) = export_tables(small_db, tmp_path / "x", "xlsx", table)
    assert formulas_in(xlsx) == []
    assert [r[1] for r in cells(xlsx, "fct_company_exposure")[1:]] == ["Beta Trading", FORMULA_NAME]
    (csv_file, _) = export_tables(small_db, tmp_path / "c", "csv", table)
    assert csv_column(csv_file, "counterparty_name") == ["Beta Trading", "'" + FORMULA_NAME]
    # Parquet is typed data, not a spreadsheet: the name is kept exactly.
    (parquet, _) = export_tables(small_db, tmp_path / "p", "parquet", table)
    assert pl.read_parquet(parquet)["counterparty_name"].to_list() == [
        "Beta Trading",
        FORMULA_NAME,
    ]


def test_report_workbook_writes_the_name_as_text(small_db, tmp_path):
    (book, _) = export_workbook(small_db, tmp_path)
    assert formulas_in(book) == []
    rows = cells(book, "screening-companies")
    assert FORMULA_NAME in [r[1] for r in rows]


@pytest.mark.slow
def test_roundabout_screen_on_the_sample(sample_run, tmp_path, monkeypatch, capsys):
    for var in ("ROUNDABOUT_HOME", "ROUNDABOUT_INPUTS", "ROUNDABOUT_BUILD_DB", "DAGSTER_HOME"):
        monkeypatch.setenv(var, os.environ.get(var, ""))
    counterparties = tmp_path / "counterparties.csv"
    counterparties.write_text(
        'id,name,country\nevil,"=HYPERLINK(""http://example.invalid/x"",""click me"")",HK\n'
        "veb,VEB Asia Limited,HK\n"
    )
    home = str(sample_run.published_db.parent)
    out = tmp_path / "results.xlsx"
    assert main(["--home", home, "screen", str(counterparties), "--out", str(out)]) == 0
    assert formulas_in(out) == []
    header, *rows = cells(out, "company_exposure")
    names = [r[header.index("counterparty_name")] for r in rows]
    assert FORMULA_NAME in names
    capsys.readouterr()
    assert (
        main(["--home", home, "screen", str(counterparties), "--out", str(tmp_path / "r.csv")]) == 0
    )
    assert "'" + FORMULA_NAME in csv_column(tmp_path / "r.exposure.csv", "counterparty_name")
