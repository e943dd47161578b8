"""Text cells a spreadsheet would run as a formula (formula or CSV injection).

A cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
spreadsheets skip before reading one of those) is read by Excel, LibreOffice and Google Sheets as
a formula when the file is opened: a counterparty named ``=HYPERLINK(...)`` becomes a live link.
XLSX files carry types, so such text is written as a text cell and stays exactly as it was. CSV
carries none, so such text is written with a leading apostrophe (OWASP's recommendation), which
spreadsheets show as text; the apostrophe is the only change, and only these cells get it.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import polars as pl

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_ESCAPE = "'"
# DuckDB's regexp for the same test, in the SQL that exports CSV.
FORMULA_PATTERN = "^[=+\\-@\\t\\r]"


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_text(text: str) -> str:
    return CSV_ESCAPE + text if is_formula_like(text) else text


def list_text(value: list) -> str:
    """The one list format of CSV and XLSX exports: a compact JSON array (``["a","b"]``), as
    DuckDB's ``to_json`` writes it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def _json_default(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def csv_safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists and structs as JSON text, formula-like text escaped; other columns unchanged."""
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.List | pl.Array | pl.Struct):
            column = column.map_elements(
                lambda v: list_text(v if not isinstance(v, pl.Series) else v.to_list()),
                return_dtype=pl.String,
            )
            dtype = pl.String
        if dtype == pl.String:
            column = (
                pl.when(column.str.contains(FORMULA_PATTERN))
                .then(pl.lit(CSV_ESCAPE) + column)
                .otherwise(column)
            )
        columns.append(column.alias(name))
    return frame.select(columns)
