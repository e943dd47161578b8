"""Counterparty files as customers send them: country names in any usual language, header
synonyms, and rows that cannot be read fully kept with the reason instead of refusing the file."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from orchestration.screening.counterparties import read_counterparties
from orchestration.sources.common.base import SourceParseError


def write(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_country_written_as_a_name_is_read_not_refused(tmp_path):
    path = write(tmp_path / "c.csv", "name,country\nArktik Logistik,Russia\n")
    frame = read_counterparties(path)
    assert frame["country"].to_list() == ["RU"]
    assert frame["input_issues"].to_list() == [None]


def test_company_name_header_is_read_as_name(tmp_path):
    path = write(tmp_path / "c.csv", "Company Name,Country\nArktik Logistik,RU\n")
    frame = read_counterparties(path)
    assert frame["name"].to_list() == ["Arktik Logistik"]


# Expected ISO2 codes worked out by hand from ISO 3166-1.
COUNTRY_SPELLINGS = [
    ("RU", "RU"), ("rus", "RU"), ("Russia", "RU"), ("Russian Federation", "RU"),
    ("Россия", "RU"), ("Российская Федерация", "RU"), ("Russland", "RU"), ("Russie", "RU"),
    ("Rusya", "RU"), ("俄罗斯", "RU"), ("Russia / Russie", "RU"),
    ("Türkiye", "TR"), ("Turkey", "TR"), ("Türkei", "TR"), ("土耳其", "TR"),
    ("Vereinigte Arabische Emirate", "AE"), ("UAE", "AE"), ("Émirats arabes unis", "AE"),
    ("Казахстан", "KZ"), ("Kasachstan", "KZ"), ("Kırgızistan", "KG"), ("Киргизия", "KG"),
    ("Hong Kong", "HK"), ("香港", "HK"), ("中国", "CN"), ("Çin", "CN"), ("Chine", "CN"),
    ("Weißrussland", "BY"), ("Беларусь", "BY"), ("Namibia", "NA"), ("NA", "NA"),
    ("Deutschland", "DE"), ("Almanya", "DE"), ("Германия", "DE"),
]  # fmt: skip


def test_country_spellings(tmp_path):
    path = tmp_path / "c.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Customer", "Land"])
        writer.writerows([f"Firm {i}", text] for i, (text, _) in enumerate(COUNTRY_SPELLINGS))
    frame = read_counterparties(path)
    assert list(zip(frame["country"], [t for t, _ in COUNTRY_SPELLINGS], strict=True)) == [
        (iso2, text) for text, iso2 in COUNTRY_SPELLINGS
    ]
    assert frame["input_issues"].null_count() == frame.height


@pytest.mark.parametrize(
    "header",
    ["Company Name", "Customer", "Counterparty", "Name", "Firma", "Kunde", "Наименование",
     "Unvan", "Raison sociale", "CLIENT NAME", "company_name"],
)  # fmt: skip
def test_name_header_synonyms(tmp_path, header):
    frame = read_counterparties(write(tmp_path / "c.csv", f"{header}\nArktik Logistik\n"))
    assert frame["name"].to_list() == ["Arktik Logistik"]


def test_other_header_synonyms_and_first_last_name(tmp_path):
    path = write(
        tmp_path / "c.csv",
        "Kundennummer,First Name,Last Name,Staat,Anschrift,Steuernummer,Date of Birth\n"
        "K-7,Vladimir,Putin,Russland,Moscow Kremlin,7707083893,07.10.1952\n",
    )
    frame = read_counterparties(path)
    row = frame.row(0, named=True)
    assert row["id"] == "K-7"
    assert row["name"] == "Vladimir Putin"
    assert row["country"] == "RU"
    assert row["address"] == "Moscow Kremlin"
    assert row["tax_id"] == "7707083893"
    assert row["birth_date"] == "1952-10-07"


def test_canonical_header_wins_over_a_synonym(tmp_path):
    frame = read_counterparties(write(tmp_path / "c.csv", "Company,Name\nHolding X,Arktik\n"))
    assert frame["name"].to_list() == ["Arktik"]


def test_no_name_column_at_all_still_refuses_and_lists_synonyms(tmp_path):
    with pytest.raises(SourceParseError, match=r"c\.csv:1: no name column .*company_name"):
        read_counterparties(write(tmp_path / "c.csv", "id,amount\n1,3\n"))


def test_unreadable_fields_are_kept_with_the_reason(tmp_path):
    path = write(
        tmp_path / "c.csv",
        "id,name,country,type,incorporation_date\n"
        "1,Good Firm,DE,company,2023-03-01\n"
        "2,Bad Country,Narnia,,\n"
        "3,Bad Type,RU,spaceship,\n"
        "4,Bad Date,RU,,01/03/2023\n"
        "5,  ,RU,,\n"
        "1,Repeated Id,TR,,\n",
    )
    frame = read_counterparties(path)
    assert frame.height == 6
    issues = dict(zip(frame["source_line"], frame["input_issues"], strict=True))
    assert issues[2] is None
    assert issues[3] == "country: 'Narnia' is not a country code or name known here, left empty"
    assert issues[4].startswith("type: 'spaceship' is not one of organization, ")
    assert (
        issues[5]
        == "incorporation_date: '01/03/2023' is not a date (YYYY-MM-DD or DD.MM.YYYY), left empty"
    )
    assert issues[6] == "name: empty, not screened"
    assert issues[7] == "id: '1' repeats line 2, screened as '1 (line 7)'"
    by_line = {r["source_line"]: r for r in frame.iter_rows(named=True)}
    assert by_line[3]["country"] is None and by_line[3]["name"] == "Bad Country"
    assert by_line[4]["type"] is None and by_line[4]["country"] == "RU"
    assert by_line[7]["id"] == "1 (line 7)"
    assert frame["id"].n_unique() == 6


def test_ragged_rows_are_kept_with_the_reason(tmp_path):
    path = write(tmp_path / "r.csv", "id,name,country\n1,A,RU,\n2,B\n3,ACME, LLC,DE\n")
    frame = read_counterparties(path)
    issues = dict(zip(frame["id"], frame["input_issues"], strict=True))
    # A trailing empty field is what spreadsheets write: no issue.
    assert issues["1"] is None
    assert issues["2"] is None
    assert issues["3"].startswith("row: 4 fields where the header has 3, fields may be shifted;")
    assert frame.filter(frame["id"] == "2")["country"].to_list() == [None]


def test_xlsx_country_names(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Firma", "Land"])
    book.active.append(["A", "Germany"])
    book.active.append(["B", "Россия"])
    book.save(tmp_path / "c.xlsx")
    assert read_counterparties(tmp_path / "c.xlsx")["country"].to_list() == ["DE", "RU"]


def test_identifier_check_digits(tmp_path):
    # 7707083893 (Sberbank's INN) and 1027700132195 (its OGRN, Unified State Register) are
    # real numbers; the last digit of both is their only check digit, so changing it must fail.
    path = write(
        tmp_path / "c.csv",
        "name,country,inn,ogrn,tax_id,lei\n"
        "A,RU,7707083893,1027700132195,,529900T8BM49AURSDO55\n"
        "B,RU,7707083894,1027700132196,,\n"
        "C,DE,,,DE123456789,529900T8BM49AURSDO56\n"
        "D,RU,,,7707083890,\n",
    )
    issues = read_counterparties(path)["input_issues"].to_list()
    assert issues[0] is None
    assert issues[1].split("; ") == [
        "inn: '7707083894' fails the INN check (The number's checksum or check digit is "
        "invalid), screened as written",
        "ogrn: '1027700132196' fails the OGRN check (The number's checksum or check digit is "
        "invalid), screened as written",
    ]
    # A German tax number is not checked against a scheme the column does not name.
    assert issues[2].startswith("lei: '529900T8BM49AURSDO56' fails the LEI check")
    assert issues[3].startswith("tax_id: '7707083890' fails the INN check")


def test_rows_with_issues_are_screened_and_an_empty_name_finds_nothing(tmp_path, eval_index):
    from orchestration.screening.screen import screen

    path = write(
        tmp_path / "c.csv",
        "Company Name,Land\nОАО «Криогенмаш»,Россия\n,RU\nОАО «Криогенмаш»,Narnia\n",
    )
    frame = read_counterparties(path)
    found = screen(frame, eval_index)
    assert set(found["counterparty_id"]) == {"2", "4"}
