"""Reading an analyst's counterparty file (CSV, XLSX or Parquet) as customers send them.

Headers are matched case-insensitively, punctuation and spaces read as underscores, through the
synonyms of :data:`HEADER_SYNONYMS` ("Company Name", "Customer", "Counterparty", "Firma", "Land",
"Наименование" ...); a file with given-name and surname columns but no name column gets the two
joined. Countries are resolved by the project's one country resolver
(:func:`orchestration.reference.countries.resolve_country`: ISO2, ISO3 or a name in the usual
languages).

Only a file that cannot be read at all (unreadable, not CSV/XLSX/Parquet, no name column) fails,
with :class:`SourceParseError` naming the file. A row with a field that cannot be read is kept:
the field is left empty (or, for a repeated id, made unique) and the reason goes to the row's
``input_issues`` column, which the screening output and the run summary carry. A screening run
that silently skips a customer is worse than one that says what it could not read.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

import polars as pl

from orchestration.reference.countries import resolve_country
from orchestration.screening.headers import HEADER_SYNONYMS, map_headers
from orchestration.screening.id_checks import identifier_issue
from orchestration.screening.identifiers import COUNTERPARTY_ID_COLUMNS
from orchestration.screening.xlsx_formulas import refuse_unsaved_formulas
from orchestration.sources.common.base import SourceParseError, decode_text

TEXT_COLUMNS = ("id", "name", "country", "address", "type")
INCORPORATION = "incorporation_date"
BIRTH_DATE, NATIONALITY = "birth_date", "nationality"
ISSUES = "input_issues"
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


def _read_csv(path: Path, tolerant: bool = False) -> tuple[list[str], list[tuple[int, list[str]]]]:
    text = decode_text(path.read_bytes(), path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        rows: list[tuple[int, list[str]]] = []
        line = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                if len(record) != len(header) and not tolerant:
                    raise SourceParseError(
                        path, line, f"{len(record)} fields where the header has {len(header)}"
                    )
                rows.append((line, record))
            line = reader.line_num + 1
    except csv.Error as err:
        raise SourceParseError(path, reader.line_num, f"unreadable CSV ({err})") from err
    return header, rows


def _read_xlsx(path: Path, tolerant: bool = False) -> tuple[list[str], list[tuple[int, list[str]]]]:
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


def _read_parquet(
    path: Path, tolerant: bool = False
) -> tuple[list[str], list[tuple[int, list[str]]]]:
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
    """Read a counterparty file; one row per non-blank row of the file.

    Output columns: ``id`` (the file's id, else the line or row number; a repeated id gets
    `` (line N)`` added), ``name``, ``country`` (ISO2 or null), ``address``, ``type``
    (organization, person, vessel, aircraft or null), ``source_line``, ``input_issues`` (what
    could not be read in the row, ``; ``-separated, or null), one column per identifier column
    present in the file and, when the file has them, ``incorporation_date`` (a date),
    ``birth_date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) and ``nationality`` (ISO2).
    """
    path = Path(path)
    headers, rows, unit = read_table(path, tolerant=True)
    return validate_rows(path, headers, rows, unit)


def read_table(
    path: Path, tolerant: bool = False
) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """Header (lower case, spaces as underscores), non-blank rows as text cells with their line
    (CSV) or row (XLSX, Parquet) number, and which of the two the numbers are. A CSV row with
    more or fewer fields than the header fails, unless ``tolerant`` (then the caller checks)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise SourceParseError(path, None, "not a CSV, XLSX or Parquet file")
    if not path.is_file():
        raise SourceParseError(path, None, "file not found")
    header, rows = reader(path, tolerant)
    unit = "line" if path.suffix.lower() == ".csv" else "row"
    return [_header(h) for h in header], rows, unit


def _fields(path: Path | str, headers: list[str]) -> dict[str, int]:
    fields = map_headers(headers)
    if "name" not in fields and not ({"given_name", "surname"} <= fields.keys()):
        accepted = ", ".join(HEADER_SYNONYMS["name"][:12])
        raise SourceParseError(
            path,
            1,
            f"no name column in the header (accepted: {accepted} ..., or given and "
            "family name columns; docs/screening.md lists them all)",
        )
    return fields


def validate_rows(
    path: Path | str, columns: list[str], rows: list[tuple[int, list[str]]], unit: str = "row"
) -> pl.DataFrame:
    """Read each row into the counterparty frame (see :func:`read_counterparties`); a field that
    cannot be read is left empty and the reason goes to ``input_issues``."""
    fields = _fields(path, columns)
    id_columns = [f for f in fields if f in COUNTERPARTY_ID_COLUMNS]
    optional = [f for f in (INCORPORATION, BIRTH_DATE, NATIONALITY) if f in fields]
    out: dict[str, list] = {c: [] for c in (*TEXT_COLUMNS, "source_line", ISSUES, *id_columns)}
    out.update({f: [] for f in optional})
    seen_ids: dict[str, int] = {}
    width = len(columns)
    # Files repeat their countries: each distinct spelling is resolved once.
    resolved: dict[str, str | None] = {}

    def country_of(text: str) -> str | None:
        if text not in resolved:
            resolved[text] = resolve_country(text)
        return resolved[text]

    for number, values in rows:
        issues: list[str] = []

        if len(values) > width and any(v.strip() for v in values[width:]):
            issues.append(
                f"row: {len(values)} fields where the header has {width}, fields may be shifted"
            )
        elif len(values) < width:
            values = [*values, *[""] * (width - len(values))]
        cells = {field: values[position].strip() for field, position in fields.items()}
        name = cells.get("name", "") or " ".join(
            p for p in (cells.get("given_name", ""), cells.get("surname", "")) if p
        )
        if not name:
            issues.append("name: empty, not screened")
        country = cells.get("country", "")
        iso2 = country_of(country) if country else None
        if country and iso2 is None:
            issues.append(f"country: {country!r} is not a country code or name known here, "
                          "left empty")  # fmt: skip
        kind = cells.get("type", "").lower()
        if kind and kind not in SCHEMAS:
            issues.append(f"type: {kind!r} is not one of {', '.join(SCHEMAS)}, left empty")
        row_id = cells.get("id", "") or str(number)
        if row_id in seen_ids:
            unique = f"{row_id} ({unit} {number})"
            issues.append(
                f"id: {row_id!r} repeats {unit} {seen_ids[row_id]}, screened as {unique!r}"
            )
            row_id = unique
        seen_ids.setdefault(row_id, number)
        out["id"].append(row_id)
        out["name"].append(name)
        out["country"].append(iso2)
        out["address"].append(cells.get("address", "") or None)
        out["type"].append(SCHEMAS.get(kind))
        out["source_line"].append(number)
        for column in id_columns:
            value = cells.get(column, "")
            out[column].append(value or None)
            problem = identifier_issue(column, value, iso2)
            if problem:
                issues.append(problem)
        if INCORPORATION in fields:
            out[INCORPORATION].append(_date(cells.get(INCORPORATION, ""), INCORPORATION, issues))
        if BIRTH_DATE in fields:
            out[BIRTH_DATE].append(_partial_date(cells.get(BIRTH_DATE, ""), issues))
        if NATIONALITY in fields:
            out[NATIONALITY].append(_nationality(cells.get(NATIONALITY, ""), issues, country_of))
        out[ISSUES].append("; ".join(issues) or None)
    schema = {c: pl.String for c in out} | {"source_line": pl.Int64}
    if INCORPORATION in fields:
        schema[INCORPORATION] = pl.Date
    return pl.DataFrame(out, schema=schema)


_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def _date(text: str, field: str, issues: list[str]) -> date | None:
    """A date as ``YYYY-MM-DD`` or ``DD.MM.YYYY`` (German and Russian use); slashes are refused
    since 01/03/2023 is March in Europe and January in the United States."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    dotted = _DOTTED.match(text)
    if dotted:
        day, month, year = (int(g) for g in dotted.groups())
        try:
            return date(year, month, day)
        except ValueError:
            pass
    issues.append(f"{field}: {text!r} is not a date (YYYY-MM-DD or DD.MM.YYYY), left empty")
    return None


_PARTIAL = re.compile(r"^\d{4}(-\d{2})?$")


def _partial_date(text: str, issues: list[str]) -> str | None:
    """Dates of birth are often known to the year or month only (the lists write "1952" or
    "1952-10"): kept as ISO text to that precision."""
    if not text:
        return None
    if _PARTIAL.match(text):
        return text
    full = _date(text, BIRTH_DATE, issues)
    return full.isoformat() if full else None


def _nationality(text: str, issues: list[str], country_of) -> str | None:
    if not text:
        return None
    iso2 = country_of(text)
    if iso2 is None:
        issues.append(f"nationality: {text!r} is not a country code or name known here, "
                      "left empty")  # fmt: skip
    return iso2
