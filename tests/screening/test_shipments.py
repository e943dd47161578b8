"""Reading shipments files: codes, HS versions, currencies, destinations, and the errors a bad
file raises (file, line or row, field)."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from orchestration.reference.fx import FX_TABLE
from orchestration.screening.shipments import read_shipments
from orchestration.sources.common.base import SourceParseError

HEADER = "counterparty,date,hs6,cn8,value,currency,destination\n"


def write(tmp_path, body: str, header: str = HEADER, name: str = "s.csv"):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def usd_per_eur(year: int, month: int) -> float:
    """The seed's rate for a month, found by plain string search (not the csv module)."""
    prefix = f"{year},{month},"
    line = next(x for x in FX_TABLE.read_text().splitlines() if x.startswith(prefix))
    return float(line.split(",")[2])


def test_codes_versions_and_currencies(tmp_path):
    path = write(
        tmp_path,
        "c1,2023-05-10,854231,,1000,USD,RU\n"
        "c2,2023-05,,85423100,500.5,eur,KGZ\n"
        "c1,2019-12-31,85423,,20,USD,de\n",
    )
    frame = read_shipments(path, {"c1", "c2"})
    rows = frame.to_dicts()
    assert [r["hs6"] for r in rows] == ["854231", "854231", "085423"]
    assert rows[1]["cn8"] == "85423100" and rows[0]["cn8"] is None
    assert [r["hs_version"] for r in rows] == ["HS2022", "HS2022", "HS2017"]
    assert rows[1]["shipment_date"] == date(2023, 5, 1)
    assert rows[1]["currency"] == "EUR"
    assert rows[1]["usd_per_eur"] == pytest.approx(usd_per_eur(2023, 5))
    assert rows[1]["value_usd"] == pytest.approx(500.5 * usd_per_eur(2023, 5))
    assert rows[0]["value_usd"] == 1000.0 and rows[0]["usd_per_eur"] is None
    assert [r["destination_iso3"] for r in rows] == ["RUS", "KGZ", "DEU"]
    assert [r["destination_iso2"] for r in rows] == ["RU", "KG", "DE"]
    assert [r["source_line"] for r in rows] == [2, 3, 4]


def test_xlsx_with_numeric_codes_and_date_cells(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Counterparty ID", "Date", "CN8", "HS version", "Value", "Currency",
                  "Destination country"])  # fmt: skip
    sheet.append(["c1", date(2021, 3, 2), 8471500, "HS2017", 12.5, "USD", "ARM"])
    path = tmp_path / "s.xlsx"
    book.save(path)
    row = read_shipments(path).row(0, named=True)
    assert (row["cn8"], row["hs6"], row["hs_version"]) == ("08471500", "084715", "HS2017")
    assert row["shipment_date"] == date(2021, 3, 2)
    assert row["destination_iso3"] == "ARM" and row["source_line"] == 2


@pytest.mark.parametrize(
    ("body", "line", "field", "reason"),
    [
        ("c1,2023-13-01,854231,,1,USD,RU\n", 2, "date", "not a date"),
        ("c1,10/05/2023,854231,,1,USD,RU\n", 2, "date", "not a date"),
        ("c1,2023-05-01,8542,,1,USD,RU\n", 2, "hs6", "not a 6-digit code"),
        ("c1,2023-05-01,,,1,USD,RU\n", 2, "hs6", "no product code"),
        ("c1,2023-05-01,854231,85411000,1,USD,RU\n", 2, "cn8", "does not belong to HS6"),
        ("c1,2023-05-01,854231,,1,USD,RU\nc1,2023-05-01,854231,,-5,USD,RU\n", 3, "value",
         "negative"),
        ("c1,2023-05-01,854231,,1 000,USD,RU\n", 2, "value", "not a number"),
        ("c1,2023-05-01,854231,,1,CNY,RU\n", 2, "currency", "'CNY' not supported"),
        ("c1,2031-05-01,854231,,1,EUR,RU\n", 2, "currency", "no EUR/USD rate for 2031-05"),
        ("c1,2023-05-01,854231,,1,USD,XX\n", 2, "destination", "unknown country code 'XX'"),
        ("c1,2023-05-01,854231,,1,USD,\n", 2, "destination", "empty destination"),
        ("zz,2023-05-01,854231,,1,USD,RU\n", 2, "counterparty", "no counterparty with id 'zz'"),
        ("c1,2016-05-01,854231,,1,USD,RU\n", 2, "hs_version", "needs an hs_version"),
    ],
)  # fmt: skip
def test_bad_rows_name_file_line_and_field(tmp_path, body, line, field, reason):
    path = write(tmp_path, body)
    with pytest.raises(SourceParseError) as err:
        read_shipments(path, {"c1"})
    assert err.value.path == str(path)
    assert err.value.line == line
    assert f"line {line}, field '{field}'" in err.value.reason
    assert reason in err.value.reason


def test_missing_columns_and_unknown_hs_version(tmp_path):
    with pytest.raises(SourceParseError, match=r"s\.csv:1: no column\(s\) currency, hs6 or cn8"):
        read_shipments(write(tmp_path, "", header="counterparty,date,value,destination\n"))
    bad = write(tmp_path, "c1,2023-01-01,854231,1,USD,RU,HS2012\n",
                header="counterparty,date,hs6,value,currency,destination,hs_version\n")  # fmt: skip
    with pytest.raises(SourceParseError, match="field 'hs_version': unknown HS version 'HS2012'"):
        read_shipments(bad)
