"""OFAC SDN list, legacy CSV triple: sdn.csv (entries), add.csv (addresses), alt.csv (aliases).

No header rows; CRLF line endings; ``-0-`` (with a trailing space) means empty; a DOS end-of-file
byte 0x1A follows the last line. Fields follow OFAC's published column order.
"""

from __future__ import annotations

import csv
import io

import polars as pl

from orchestration.reference.countries import country_iso2
from orchestration.sources.common.base import (
    ParsedFile,
    Parser,
    SourceFile,
    SourceParseError,
    decode_text,
    with_lineage,
)
from orchestration.sources.ofac_sdn.release_completeness import quarantine_orphans

COLUMNS = {
    "sdn": [
        "ent_num",
        "sdn_name",
        "sdn_type",
        "program",
        "title",
        "call_sign",
        "vess_type",
        "tonnage",
        "grt",
        "vess_flag",
        "vess_owner",
        "remarks",
    ],
    "add": ["ent_num", "add_num", "address", "city_state_postal", "country", "add_remarks"],
    "alt": ["ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"],
}
INTEGER_COLUMNS = {"ent_num", "add_num", "alt_num"}
NULL = "-0-"


def _table_of(file: SourceFile) -> str:
    return file.path.stem.lower()


def _clean(value: str) -> str | None:
    value = value.strip()
    return None if value in ("", NULL) else value


END_MARKER = "\x1a"


def _records(file: SourceFile) -> csv.reader:
    """The file's records. OFAC ends every file with the DOS end-of-file byte: a file without it
    was cut short on the way (a download or copy that stopped), whatever its rows look like."""
    text = decode_text(file.path.read_bytes(), file.relative_path)
    if not text.rstrip("\r\n").endswith(END_MARKER):
        lines = text.count("\n") + (not text.endswith("\n"))
        raise SourceParseError(
            file.relative_path,
            lines,
            "no end-of-file byte (0x1A) after the last line: the file is cut short "
            "(OFAC ends every file with it)",
        )
    # strict: a quoted field left open at the end of the file (a cut inside it) is an error,
    # not a field running to the end of the file.
    return csv.reader(io.StringIO(text.rstrip("\r\n")[:-1], newline=""), strict=True)


def parse(file: SourceFile) -> ParsedFile:
    table = _table_of(file)
    columns = COLUMNS[table]
    parsed = ParsedFile(tables={})
    rows: list[list[str | None]] = []
    lines: list[int] = []
    reader = _records(file)
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(field.strip() for field in record):
                continue
            row = _row(record, columns)
            if isinstance(row, str):
                parsed.reject(table, line, row, ",".join(record))
                continue
            rows.append(row)
            lines.append(line)
    except csv.Error as err:
        if "unexpected end of data" in str(err):
            raise SourceParseError(
                file.relative_path,
                start,
                "a quoted field opened on this line is not closed before the end of the file: "
                "the file is cut short",
            ) from err
        raise SourceParseError(file.relative_path, start, f"malformed CSV: {err}") from err
    if not rows:
        raise SourceParseError(file.relative_path, 1, f"no valid {table}.csv rows in the file")
    frame = pl.DataFrame(rows, schema=_publisher_schema(table), orient="row")
    if table == "add":
        # OFAC writes country names; the ISO code beside it lets addresses join other lists.
        frame = frame.with_columns(
            pl.col("country")
            .map_elements(country_iso2, return_dtype=pl.String)
            .alias("country_iso2")
        )
    parsed.tables[table] = with_lineage(frame, file, lines)
    return parsed


def _row(record: list[str], columns: list[str]) -> list[str | int | None] | str:
    """The typed row, or the reason it is rejected."""
    if len(record) != len(columns):
        return f"expected {len(columns)} fields, found {len(record)}"
    values: list[str | int | None] = [_clean(v) for v in record]
    for i, column in enumerate(columns):
        if column in INTEGER_COLUMNS:
            if values[i] is None or not str(values[i]).isdigit():
                return f"{column} is not a whole number: {record[i]!r}"
            values[i] = int(values[i])
    return values


def _publisher_schema(table: str) -> dict[str, pl.DataType]:
    return {c: (pl.Int64 if c in INTEGER_COLUMNS else pl.String) for c in COLUMNS[table]}


def _schema(table: str) -> dict[str, pl.DataType]:
    """The raw table: the publisher's columns, plus the ISO code of an address's country."""
    schema = _publisher_schema(table)
    return {**schema, "country_iso2": pl.String} if table == "add" else schema


# The YAML beside this module (ofac_sdn.yml) says which files and tables it reads.
PARSERS = {
    "ofac_sdn": Parser(
        parse=parse,
        schemas={table: _schema(table) for table in COLUMNS},
        reconcile=quarantine_orphans,
    )
}
