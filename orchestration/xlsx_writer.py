"""Typed XLSX sheets through XlsxWriter: dates as dates, numbers as numbers, lists as JSON arrays,
text always as text (never a formula: ``strings_to_formulas`` off, cell_safety explains why), a
styled and frozen header, columns sized to their content, and a sheet that explains the columns.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from orchestration.cell_safety import list_text

MAX_WIDTH = 60
SAMPLE_ROWS = 200  # rows read to size a column


@dataclass
class Sheet:
    name: str
    columns: list[str]
    rows: Iterable[Sequence]
    types: list[str] = field(default_factory=list)  # DuckDB type names, for the columns sheet
    descriptions: dict[str, str] = field(default_factory=dict)
    table: str = ""  # the warehouse table the rows come from


def sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique."""
    clean = "".join("_" if c in "[]:*?/\\" else c for c in name)[:31] or "sheet"
    candidate, n = clean, 2
    while candidate.lower() in taken:
        suffix = f"~{n}"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def write_workbook(
    path: Path, sheets: list[Sheet], notes: Sequence[tuple[str, str]] = (), explain: bool = True
) -> None:
    """Write the sheets, then (``explain``) a ``columns`` sheet (table, column, type,
    description) and, when given, an ``about`` sheet of (item, text) notes."""
    book = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "constant_memory": True,
        },
    )
    styles = _Styles(book)
    taken: set[str] = set()
    explained: list[tuple] = []
    for sheet in sheets:
        name = sheet_name(sheet.name, taken)
        _write_sheet(book.add_worksheet(name), sheet, styles)
        types = sheet.types or [""] * len(sheet.columns)
        explained += [(name, sheet.table, c, t, sheet.descriptions.get(c, ""))
                      for c, t in zip(sheet.columns, types, strict=True)]  # fmt: skip
    if explain:
        columns = Sheet("columns", ["sheet", "table", "column", "type", "description"], explained)
        _write_sheet(book.add_worksheet(sheet_name("columns", taken)), columns, styles)
    if notes:
        about = Sheet("about", ["item", "text"], list(notes))
        _write_sheet(book.add_worksheet(sheet_name("about", taken)), about, styles)
    book.close()


class _Styles:
    def __init__(self, book: xlsxwriter.Workbook):
        self.header = book.add_format(
            {"bold": True, "bg_color": "#DDE4F0", "bottom": 1, "text_wrap": False}
        )
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.time = book.add_format({"num_format": "hh:mm:ss"})
        self.money = book.add_format({"num_format": "#,##0.00"})
        self.number = book.add_format({"num_format": "General"})


def _write_sheet(ws, sheet: Sheet, styles: _Styles) -> None:
    widths = [len(c) for c in sheet.columns]
    # constant_memory writes row by row, so column widths are set from the first rows (read
    # before they are written) and the header is written first.
    rows = iter(sheet.rows)
    head = [row for _, row in zip(range(SAMPLE_ROWS), rows, strict=False)]
    for row in head:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], min(MAX_WIDTH, len(_display(value))))
    for i, width in enumerate(widths):
        ws.set_column(i, i, min(MAX_WIDTH, width + 2))
    for i, column in enumerate(sheet.columns):
        ws.write_string(0, i, column, styles.header)
    ws.freeze_panes(1, 0)
    n = 0
    for n, row in enumerate(_chain(head, rows), start=1):
        for i, value in enumerate(row):
            _write_cell(ws, n, i, value, styles)
    if n:
        ws.autofilter(0, 0, n, len(sheet.columns) - 1)


def _chain(head: list, rest: Iterable) -> Iterable:
    yield from head
    yield from rest


def _write_cell(ws, r: int, c: int, value: object, styles: _Styles) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(r, c, value)
    elif isinstance(value, datetime):
        ws.write_datetime(r, c, value.replace(tzinfo=None), styles.datetime)
    elif isinstance(value, date):
        ws.write_datetime(r, c, value, styles.date)
    elif isinstance(value, time):
        ws.write_datetime(r, c, value, styles.time)
    elif isinstance(value, Decimal):
        ws.write_number(r, c, float(value), styles.money)
    elif isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return  # no NaN or infinity in a worksheet: left blank, as NULL is
        ws.write_number(r, c, value)
    elif isinstance(value, list | tuple | dict):
        ws.write_string(r, c, list_text(value))
    else:
        ws.write_string(r, c, str(value))


def _display(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return "yyyy-mm-dd hh:mm:ss"
    if isinstance(value, date):
        return "yyyy-mm-dd"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, list | tuple | dict):
        return list_text(value)
    return str(value)


def write_frames(path: Path, frames: dict, explain: bool = False) -> None:
    """Polars frames as typed sheets, one per name (lists as JSON arrays); ``explain`` adds the
    ``columns`` sheet."""
    sheets = [
        Sheet(name, frame.columns, frame.iter_rows(), types=[str(t) for t in frame.dtypes])
        for name, frame in frames.items()
    ]
    write_workbook(path, sheets, explain=explain)
