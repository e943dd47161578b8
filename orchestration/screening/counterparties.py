"""Reading and checking an analyst's counterparty file (CSV, XLSX or Parquet).

Columns (header names are case-insensitive, spaces read as underscores): ``name`` (required),
``id``, ``country`` (ISO2 or ISO3), ``address``, ``type``, ``incorporation_date`` (YYYY-MM-DD)
and identifier columns (``tax_id``, ``inn``, ``registration_number``, ``ogrn``, ``lei``, ``imo``,
``bic``, ``swift``, ``uscc``).
A file that cannot be used fails as a whole with :class:`SourceParseError` naming the file, the
line (CSV) or row (XLSX, Parquet) and the field: a screening run that silently skips a customer
is worse than one that stops.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import polars as pl

from orchestration.reference.countries import to_iso2
from orchestration.screening.identifiers import COUNTERPARTY_ID_COLUMNS
from orchestration.screening.xlsx_formulas import refuse_unsaved_formulas
from orchestration.sources.common.base import SourceParseError, decode_text

TEXT_COLUMNS = ("id", "name", "country", "address", "type")
INCORPORATION = "incorporation_date"
SCHEMAS = {
    "organization": "organization",
    "organisation": "organization",
    "company": "organization",
    "entity": "organization",
    "person": "person",
    "individual": "person",
    "vessel": "vessel",
    "ship": "vessel",
    "aircraft": "aircraft",
}


def _header(name: object) -> str:
    return "_".join(str(name or "").strip().lower().split())


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # Spreadsheet date cells arrive as datetimes at midnight.
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets store long numeric identifiers (INN, OGRN) as numbers.
        return str(int(value))
    return str(value).strip()


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    text = decode_text(path.read_bytes(), path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        rows: list[tuple[int, list[str]]] = []
        line = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                if len(record) != len(header):
                    raise SourceParseError(
                        path, line, f"{len(record)} fields where the header has {len(header)}"
                    )
                rows.append((line, record))
            line = reader.line_num + 1
    except csv.Error as err:
        raise SourceParseError(path, reader.line_num, f"unreadable CSV ({err})") from err
    return header, rows


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a broken file
        raise SourceParseError(path, None, f"unreadable XLSX file ({err})") from err
    sheet = book.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    header = [cell_text(v) for v in next(rows_iter, ())]
    rows = [
        (number, [cell_text(v) for v in values])
        for number, values in enumerate(rows_iter, start=2)
        if any(cell_text(v) for v in values)
    ]
    book.close()
    refuse_unsaved_formulas(path, header, rows)
    return header, rows


def _read_parquet(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        frame = pl.read_parquet(path)
    except Exception as err:  # polars raises several error types for a broken file
        raise SourceParseError(path, None, f"unreadable Parquet file ({err})") from err
    rows = [
        (i, [cell_text(v) for v in values]) for i, values in enumerate(frame.iter_rows(), start=1)
    ]
    return list(frame.columns), rows


READERS = {".csv": _read_csv, ".xlsx": _read_xlsx, ".parquet": _read_parquet}


def read_counterparties(path: Path | str) -> pl.DataFrame:
    """Read and validate a counterparty file; returns one row per counterparty.

    Output columns: ``id`` (the file's id, else the line or row number), ``name``, ``country``
    (ISO2 or null), ``address``, ``type`` (organization, person, vessel, aircraft or null),
    ``source_line``, one column per identifier column present in the file and, when the file
    has it, ``incorporation_date`` (a date).
    """
    path = Path(path)
    columns, rows, unit = read_table(path)
    if "name" not in columns:
        raise SourceParseError(path, 1, "no 'name' column in the header")
    return validate_rows(path, columns, rows, unit)


def read_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """Header (lower case, spaces as underscores), non-blank rows as text cells with their line
    (CSV) or row (XLSX, Parquet) number, and which of the two the numbers are."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise SourceParseError(path, None, "not a CSV, XLSX or Parquet file")
    if not path.is_file():
        raise SourceParseError(path, None, "file not found")
    header, rows = reader(path)
    unit = "line" if path.suffix.lower() == ".csv" else "row"
    return [_header(h) for h in header], rows, unit


def validate_rows(
    path: Path | str, columns: list[str], rows: list[tuple[int, list[str]]], unit: str = "row"
) -> pl.DataFrame:
    """Check each row and build the counterparty frame (see :func:`read_counterparties`)."""
    id_columns = [c for c in columns if c in COUNTERPARTY_ID_COLUMNS]
    dated = INCORPORATION in columns
    out: dict[str, list] = {c: [] for c in (*TEXT_COLUMNS, "source_line", *id_columns)}
    if dated:
        out[INCORPORATION] = []
    seen_ids: dict[str, int] = {}
    for number, values in rows:
        record = dict(zip(columns, values, strict=False))

        def fail(field: str, reason: str, number: int = number) -> SourceParseError:
            return SourceParseError(path, number, f"{unit} {number}, field '{field}': {reason}")

        name = record.get("name", "").strip()
        if not name:
            raise fail("name", "empty name")
        country = record.get("country", "").strip()
        iso2 = to_iso2(country) if country else None
        if country and iso2 is None:
            raise fail("country", f"unknown country code {country!r} (ISO2 or ISO3 expected)")
        kind = record.get("type", "").strip().lower()
        if kind and kind not in SCHEMAS:
            raise fail("type", f"unknown type {kind!r} (expected one of {', '.join(SCHEMAS)})")
        row_id = record.get("id", "").strip() or str(number)
        if row_id in seen_ids:
            raise fail("id", f"duplicate id {row_id!r} (first at {unit} {seen_ids[row_id]})")
        seen_ids[row_id] = number
        out["id"].append(row_id)
        out["name"].append(name)
        out["country"].append(iso2)
        out["address"].append(record.get("address", "").strip() or None)
        out["type"].append(SCHEMAS.get(kind))
        out["source_line"].append(number)
        for column in id_columns:
            out[column].append(record.get(column, "").strip() or None)
        if dated:
            out[INCORPORATION].append(_date(record.get(INCORPORATION, ""), fail))
    schema = {c: pl.String for c in out} | {"source_line": pl.Int64}
    if dated:
        schema[INCORPORATION] = pl.Date
    return pl.DataFrame(out, schema=schema)


def _date(text: str, fail: Callable[[str, str], SourceParseError]) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(INCORPORATION, f"not a date {text!r} (YYYY-MM-DD expected)") from None
