"""Reading counterparty files: CSV, XLSX, Parquet, and the errors a bad file raises."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import polars as pl
import pytest

from orchestration.screening.counterparties import read_counterparties
from orchestration.screening.screen import checked_counterparties, screen_file, write_matches
from orchestration.sources.common.base import SourceParseError


def write(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_with_bom_multiline_cells_and_identifiers(tmp_path):
    path = write(
        tmp_path / "customers.csv",
        "\ufeffID,Name,Country,Address,INN,Type\n"
        'c1,"ООО ""Арктик Логистик""",RUS,"Moscow,\nLenina 1",5032265457,company\n'
        "c2,Bellatrix Energy Ltd,hk,,,\n",
    )
    frame = read_counterparties(path)
    assert frame["id"].to_list() == ["c1", "c2"]
    assert frame["name"].to_list() == ['ООО "Арктик Логистик"', "Bellatrix Energy Ltd"]
    assert frame["country"].to_list() == ["RU", "HK"]
    assert frame["address"].to_list() == ["Moscow,\nLenina 1", None]
    assert frame["inn"].to_list() == ["5032265457", None]
    assert frame["type"].to_list() == ["organization", None]
    # The second record starts on line 4: the first one spans lines 2 and 3.
    assert frame["source_line"].to_list() == [2, 4]


def test_missing_name_column(tmp_path):
    path = write(tmp_path / "c.csv", "id,amount\n1,X\n")
    with pytest.raises(SourceParseError, match=r"c\.csv:1: no name column"):
        read_counterparties(path)


def test_empty_name_is_kept_with_its_line(tmp_path):
    path = write(tmp_path / "c.csv", 'id,name,address\n1,A,"two\nlines"\n2,  ,x\n')
    frame = read_counterparties(path)
    assert frame.select("id", "name", "source_line", "input_issues").rows() == [
        ("1", "A", 2, None),
        ("2", "", 4, "name: empty, not screened"),
    ]


def test_unknown_country_type_and_duplicate_id_are_reported_per_row(tmp_path):
    path = write(tmp_path / "c.csv", "id,name,country,type\nx,A,RU,\nx,B,XX,spaceship\n")
    frame = read_counterparties(path)
    assert frame["id"].to_list() == ["x", "x (line 3)"]
    assert frame["country"].to_list() == ["RU", None]
    assert frame["input_issues"][1].split("; ") == [
        "country: 'XX' is not a country code or name known here, left empty",
        "type: 'spaceship' is not one of organization, organisation, company, entity, person, "
        "individual, vessel, ship, aircraft, left empty",
        "id: 'x' repeats line 2, screened as 'x (line 3)'",
    ]


def test_windows_1252_csv(tmp_path):
    path = write(tmp_path / "w.csv", "name\nSociété Générale\n", encoding="cp1252")
    assert read_counterparties(path)["name"].to_list() == ["Société Générale"]


def test_xlsx_with_numeric_identifiers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Country", "OGRN"])
    sheet.append(["Arktik Logistik", "RU", 1165032062326])
    sheet.append([None, None, None])  # blank rows are not counterparties
    book.save(tmp_path / "c.xlsx")
    frame = read_counterparties(tmp_path / "c.xlsx")
    assert frame.select("id", "name", "country", "ogrn").rows() == [
        ("2", "Arktik Logistik", "RU", "1165032062326")
    ]


def test_xlsx_issue_names_the_row(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["name", "country"])
    book.active.append(["A", "DE"])
    book.active.append(["B", "Atlantis"])
    book.save(tmp_path / "c.xlsx")
    frame = read_counterparties(tmp_path / "c.xlsx")
    assert frame.select("source_line", "country").rows() == [(2, "DE"), (3, None)]
    assert frame["input_issues"][1].startswith("country: 'Atlantis'")


def test_parquet(tmp_path):
    pl.DataFrame({"name": ["A", "B"], "lei": ["529900T8BM49AURSDO55", None]}).write_parquet(
        tmp_path / "c.parquet"
    )
    frame = read_counterparties(tmp_path / "c.parquet")
    assert frame.select("id", "lei").rows() == [("1", "529900T8BM49AURSDO55"), ("2", None)]


def test_unreadable_and_unsupported_files(tmp_path):
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip file")
    with pytest.raises(SourceParseError, match=r"broken\.xlsx: unreadable XLSX"):
        read_counterparties(tmp_path / "broken.xlsx")
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 nonsense")
    with pytest.raises(SourceParseError, match=r"broken\.parquet: unreadable Parquet"):
        read_counterparties(tmp_path / "broken.parquet")
    with pytest.raises(SourceParseError, match="not a CSV, XLSX or Parquet"):
        read_counterparties(tmp_path / "c.json")
    with pytest.raises(SourceParseError, match="file not found"):
        read_counterparties(tmp_path / "missing.csv")


def test_screen_file_writes_each_format(tmp_path, eval_index):
    path = write(
        tmp_path / "c.csv", "id,name,country\n1,ОАО «Криогенмаш»,RU\n2,Booking Holdings Inc.,US\n"
    )
    for suffix in (".csv", ".parquet", ".xlsx"):
        out = tmp_path / f"matches{suffix}"
        found = screen_file(path, eval_index, out)
        assert out.is_file()
        assert set(found["counterparty_id"]) == {"1"}
    back = pl.read_csv(tmp_path / "matches.csv")
    assert back.height == found.height
    sheet = openpyxl.load_workbook(tmp_path / "matches.xlsx").active
    assert [c.value for c in sheet[1]] == found.columns
    with pytest.raises(ValueError, match="must end in"):
        write_matches(found, tmp_path / "matches.txt")


def test_incorporation_date_column(tmp_path):
    path = write(tmp_path / "c.csv", "name,incorporation_date\nA,2023-03-01\nB,\n")
    frame = read_counterparties(path)
    assert frame["incorporation_date"].to_list() == [date(2023, 3, 1), None]
    bad = write(tmp_path / "b.csv", "name,incorporation_date\nA,01/03/2023\nB,24.02.2022\n")
    frame = read_counterparties(bad)
    assert frame["incorporation_date"].to_list() == [None, date(2022, 2, 24)]
    assert frame["input_issues"][0].startswith("incorporation_date: '01/03/2023' is not a date")
    assert "incorporation_date" not in read_counterparties(write(tmp_path / "n.csv", "name\nA\n"))


def test_xlsx_date_cell_and_frames_built_in_code(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Name", "Incorporation date"])
    book.active.append(["A", datetime(2022, 5, 6)])
    book.save(tmp_path / "c.xlsx")
    frame = read_counterparties(tmp_path / "c.xlsx")
    assert frame["incorporation_date"].to_list() == [date(2022, 5, 6)]
    checked = checked_counterparties(
        pl.DataFrame({"name": ["A"], "incorporation_date": [date(2022, 5, 6)]})
    )
    assert checked["incorporation_date"].to_list() == [date(2022, 5, 6)]
