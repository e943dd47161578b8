"""Formula cells without a saved value, in a spreadsheet a customer sends.

openpyxl reads the value a spreadsheet program saved beside each formula; a file written by a
program that does not compute formulas (a script, some exports) has none, and the cell reads as
empty. Refusing it as "empty name" would misstate the problem: the cell holds a formula whose
result was never stored.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.sources.common.base import SourceParseError


def refuse_unsaved_formulas(path: Path, header: list[str], rows: list[tuple[int, list[str]]]):
    """Raise :class:`SourceParseError` at the first formula cell whose value was not saved
    (read again without ``data_only`` only when some cell read empty)."""
    if not any(not cell for _, values in rows for cell in values) and all(header):
        return
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        sheet = book.worksheets[0]
        read = {number: values for number, values in rows}
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = header if number == 1 else read.get(number)
            for column, cell in enumerate(cells):
                if not (isinstance(cell, str) and cell.startswith("=")):
                    continue
                if values is None or column >= len(values) or not values[column]:
                    field = (
                        header[column]
                        if column < len(header) and header[column]
                        else (f"column {column + 1}")
                    )
                    raise SourceParseError(
                        path, number,
                        f"row {number}, field '{field}': a formula ({cell[:60]}) without a "
                        "saved value; open the file in a spreadsheet program and save it so "
                        "the values are stored, or paste the values",
                    )  # fmt: skip
    finally:
        book.close()
