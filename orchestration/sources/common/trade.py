"""Helpers shared by the trade-statistics parsers (Comtrade, Comext, national offices).

Three jobs, kept small: read a publisher's delimited text with exact line numbers, put the
areas a row names (resolved by :mod:`orchestration.reference.areas`) into columns, and reject
what cannot be read or resolved into quarantine. Countries and the EUR/USD table live in
:mod:`orchestration.reference`.
"""

from __future__ import annotations

import csv
import gzip
import io
import lzma
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from orchestration.reference.areas import Area
from orchestration.sources.common.base import (
    LINEAGE_COLUMNS,
    ParsedFile,
    SourceFile,
    SourceParseError,
    decode_text,
    with_lineage,
)

# --------------------------------------------------------------------------------------------
# Reading delimited text
# --------------------------------------------------------------------------------------------


@dataclass
class TextTable:
    """A delimited file as text: its header and a frame of all fields as text (codes keep
    their leading zeros), with ``source_line``, the line each record starts on."""

    header: list[str]
    data: pl.DataFrame

    def frame(self) -> pl.DataFrame:
        return self.data


def read_bytes(file: SourceFile) -> bytes:
    name = file.path.name.lower()
    # py7zr reads the archive itself: reading it here too would hold it in memory for nothing.
    if name.endswith(".7z"):
        return read_7z_member(file)
    raw = file.path.read_bytes()
    if name.endswith(".gz"):
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as err:
            raise SourceParseError(
                file.relative_path, None, f"not a valid gzip file ({err})"
            ) from err
    return raw


def read_7z_member(file: SourceFile) -> bytes:
    """The one file a 7-Zip archive holds (Eurostat's monthly bulk files: full_v2_<YYYYMM>.7z
    holds full_v2_<YYYYMM>.dat), read with py7zr."""
    import py7zr

    try:
        with py7zr.SevenZipFile(file.path, mode="r") as archive:
            members = [m for m in archive.list() if not m.is_directory]
            if len(members) != 1:
                found = f"expected one file in the 7z archive, found {len(members)}"
                raise SourceParseError(file.relative_path, None, found)
            reader = py7zr.io.BytesIOFactory(limit=1 << 34)
            archive.extract(targets=[members[0].filename], factory=reader)
            return reader.get(members[0].filename).read()
    except SourceParseError:
        # A ValueError too: said as it is, not as a broken archive.
        raise
    except (py7zr.exceptions.ArchiveError, lzma.LZMAError, EOFError, ValueError) as err:
        raise SourceParseError(
            file.relative_path, None, f"not a valid 7z archive ({type(err).__name__}: {err})"
        ) from err


def read_delimited(file: SourceFile, delimiter: str | None = ",") -> TextTable:
    """Read a delimited file with exact line numbers (``delimiter`` None: the one of
    ``,;|`` and tab that the header line holds most of).

    Polars reads it when every record is one physical line (checked by counting lines);
    otherwise, and for any file Polars rejects, the csv module reads it record by record so
    that a malformed record is reported with its line.
    """
    text = decode_text(read_bytes(file), file.relative_path)
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t", "|"), key=first.count)
    fast = _read_fast(text, delimiter)
    return fast if fast is not None else _read_exact(file, text, delimiter)


def _header(text: str, delimiter: str) -> list[str]:
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=delimiter), [])
    return [name.strip() for name in first]


def _read_fast(text: str, delimiter: str) -> TextTable | None:
    header = _header(text, delimiter)
    if not header or len(set(header)) != len(header):
        return None
    try:
        frame = pl.read_csv(
            text.encode("utf-8"), separator=delimiter, infer_schema=False,
            empty_string_is_null=False, raise_if_empty=False,
        )  # fmt: skip
    except pl.exceptions.PolarsError:
        return None
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if frame.width != len(header) or lines != frame.height + 1:
        return None  # blank lines or records spanning lines: count them one by one
    # Polars pads a short record with empty fields: a line with too few delimiters sends the
    # file to the line-by-line reader, which names it. (Quoted delimiters only raise a count.)
    body = pl.Series(text.rstrip("\n").split("\n")[1:], dtype=pl.String)
    if body.len() and body.str.count_matches(delimiter, literal=True).min() < len(header) - 1:
        return None
    frame = frame.rename(dict(zip(frame.columns, header, strict=True)))
    return TextTable(
        header=header,
        data=frame.with_columns(
            pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias("source_line")
        ),
    )


def _read_exact(file: SourceFile, text: str, delimiter: str) -> TextTable:
    """The csv module tracks physical lines exactly. A record whose field count differs from
    the header is a structural fault: the file fails with its line rather than being patched."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise SourceParseError(file.relative_path, 1, "empty file: no header line") from None
    rows: list[list[str]] = []
    lines: list[int] = []
    previous_end = reader.line_num
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # blank line (publishers often end files with one)
            if len(record) != len(header):
                raise SourceParseError(
                    file.relative_path,
                    start,
                    f"malformed line: {len(record)} fields where the header has {len(header)}",
                )
            rows.append(record)
            lines.append(start)
    except csv.Error as err:
        raise SourceParseError(
            file.relative_path, reader.line_num, f"malformed CSV: {err}"
        ) from err
    if len(set(header)) != len(header):
        raise SourceParseError(file.relative_path, 1, f"repeated column names in {header}")
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(header)
    data = {name: list(values) for name, values in zip(header, columns, strict=True)}
    frame = pl.DataFrame(data, schema={name: pl.String for name in header})
    frame = frame.with_columns(pl.Series("source_line", lines, dtype=pl.Int64))
    return TextTable(header=header, data=frame)


def require_columns(file: SourceFile, header: Sequence[str], needed: Iterable[str]) -> None:
    missing = [name for name in needed if name not in header]
    if missing:
        raise SourceParseError(file.relative_path, 1, f"missing columns {missing} in header")


def raw_line(values: Sequence[object]) -> str:
    """A record written back as one CSV line, for the quarantine's raw_text."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(["" if v is None else v for v in values])
    return out.getvalue()


def quarantine_rows(
    parsed: ParsedFile, table: str, frame: pl.DataFrame, columns: Sequence[str], reason: str
) -> None:
    """Send every row of ``frame`` to the quarantine with one reason."""
    for row in frame.select([*columns, "source_line"]).iter_rows():
        parsed.reject(table, int(row[-1]), reason, raw_line(row[:-1]))


def drop_duplicates(
    parsed: ParsedFile, table: str, frame: pl.DataFrame, key: Sequence[str],
    raw_columns: Sequence[str] | None = None,
) -> pl.DataFrame:  # fmt: skip
    """Keep the first of rows repeated on ``key``; quarantine the repeats as 'duplicate row',
    written back from ``raw_columns`` (default: the key)."""
    first = frame.select(pl.struct(list(key)).is_first_distinct()).to_series()
    repeats = frame.filter(~first)
    if repeats.height:
        quarantine_rows(parsed, table, repeats, raw_columns or key, "duplicate row")
    return frame.filter(first)


def reject_where(
    parsed: ParsedFile, table: str, frame: pl.DataFrame, condition: pl.Expr, reason: pl.Expr,
    publisher: Sequence[str],
) -> pl.DataFrame:  # fmt: skip
    """Quarantine the rows meeting ``condition`` with a per-row ``reason``; return the rest."""
    flagged = frame.with_columns(condition.fill_null(True).alias("_bad"), reason.alias("_why"))
    for row in flagged.filter("_bad").select([*publisher, "source_line", "_why"]).iter_rows():
        parsed.reject(table, int(row[-2]), row[-1], raw_line(row[:-2]))
    return flagged.filter(~pl.col("_bad")).drop("_bad", "_why")


def to_number(column: str) -> pl.Expr:
    """Text to Float64; empty and 'NA' become null, anything else unparseable becomes null too
    (callers quarantine those by comparing with the raw text)."""
    text = pl.col(column).str.strip_chars()
    return (
        pl.when(text.is_in(["", "NA", "N/A", "null"]))
        .then(None)
        .otherwise(text)
        .cast(pl.Float64, strict=False)
    )


def reject_unparsed_numbers(
    parsed: ParsedFile,
    table: str,
    frame: pl.DataFrame,
    pairs: Sequence[tuple[str, str]],
    publisher_columns: Sequence[str],
    required: Sequence[str] = (),
) -> pl.DataFrame:
    """Quarantine rows where a non-empty number did not parse, or a required one is empty.

    ``pairs`` maps each raw text column to its typed column.
    """
    reasons = []
    for raw, typed in pairs:
        text = pl.col(raw).str.strip_chars()
        unparsed = pl.col(typed).is_null() & ~text.is_in(["", "NA", "N/A", "null"])
        if raw in required:
            unparsed = unparsed | pl.col(typed).is_null()
        message = pl.format("{} is not a number: '{}'", pl.lit(raw), pl.col(raw))
        reasons.append(pl.when(unparsed).then(message))
    # The first failing column gives the reason (coalesce keeps the expression linear).
    reasons = pl.coalesce(reasons) if reasons else pl.lit(None, dtype=pl.String)
    return reject_where(parsed, table, frame, reasons.is_not_null(), reasons, publisher_columns)


# An extraction timestamp in a file name, as Eurostat's web exports carry it
# (``Relational_View_2024-11-16T06_38_12.719Z.csv``) or a date anywhere in the name.
_NAME_DATE = r"(\d{4}-\d{2}-\d{2})"


def vintage_from_name(name: str | None) -> date | None:
    """The publication or extraction date a file name states, else None."""
    found = re.search(_NAME_DATE, name or "")
    if found is None:
        return None
    try:
        return date.fromisoformat(found.group(1))
    except ValueError:
        return None


def vintage_column(frame: pl.DataFrame, file: SourceFile, origin: str | None) -> pl.Series:
    """``vintage_in_file``: per row, the date the publisher's own file name states (``origin``:
    a column naming the original export each row came from, as compilations of exports keep
    it), else the date in the loaded file's name, else null (the loader then takes the release
    folder or the load date: docs/metrics.md, "Vintages")."""
    own = vintage_from_name(file.path.name)
    if origin is None or origin not in frame.columns:
        return pl.Series("vintage_in_file", [own] * frame.height, dtype=pl.Date)
    distinct = {name: vintage_from_name(name) or own for name in frame[origin].unique()}
    return pl.Series("vintage_in_file", [distinct[name] for name in frame[origin]], dtype=pl.Date)


def with_trade_lineage(frame: pl.DataFrame, file: SourceFile) -> pl.DataFrame:
    """Add the lineage columns, keeping a publisher's column of the same name as ``origin_<name>``
    (compilations of Comext exports carry their own ``source_file``, which the lineage column
    would otherwise overwrite)."""
    clashes = [c for c in LINEAGE_COLUMNS if c != "source_line" and c in frame.columns]
    return with_lineage(frame.rename({c: f"origin_{c}" for c in clashes}), file)


# --------------------------------------------------------------------------------------------
# Column types shared by the trade raw tables (SourceSpec.schemas)
# --------------------------------------------------------------------------------------------


def area_schema(prefix: str) -> dict[str, pl.DataType]:
    """The columns :func:`area_columns` adds."""
    return {
        f"{prefix}_area_code": pl.String,
        f"{prefix}_iso3": pl.String,
        f"{prefix}_area": pl.String,
        f"{prefix}_is_aggregate": pl.Boolean,
    }


PERIOD_SCHEMA: dict[str, pl.DataType] = {
    "frequency": pl.String,
    "period_year": pl.Int32,
    "period_month": pl.Int32,
}
PRODUCT_SCHEMA: dict[str, pl.DataType] = {"code_digits": pl.Int32, "hs6": pl.String}


def text_schema(columns: Iterable[str]) -> dict[str, pl.DataType]:
    """Publisher columns kept as published text."""
    return dict.fromkeys(columns, pl.String)


# --------------------------------------------------------------------------------------------
# Areas
# --------------------------------------------------------------------------------------------


def area_columns(areas: Sequence[Area | None], prefix: str) -> list[pl.Series]:
    """Columns ``<prefix>_area_code`` (ISO2 for countries), ``<prefix>_iso3``, ``<prefix>_area``
    (country, aggregate, other) and ``<prefix>_is_aggregate``; None stays null."""
    return [
        pl.Series(f"{prefix}_area_code", [a.code if a else None for a in areas], dtype=pl.String),
        pl.Series(f"{prefix}_iso3", [a.iso3 if a else None for a in areas], dtype=pl.String),
        pl.Series(f"{prefix}_area", [a.kind if a else None for a in areas], dtype=pl.String),
        pl.Series(
            f"{prefix}_is_aggregate", [a.is_aggregate if a else None for a in areas], pl.Boolean
        ),
    ]


def resolve_column(frame: pl.DataFrame, column: str, resolver) -> list[Area | None]:
    """Resolve each distinct value once (files repeat a few hundred labels many times)."""
    distinct = {value: resolver(value) for value in frame[column].unique().to_list()}
    return [distinct[value] for value in frame[column].to_list()]


def reject_unresolved(
    parsed: ParsedFile,
    table: str,
    frame: pl.DataFrame,
    checks: Sequence[tuple[str, str]],
    publisher_columns: Sequence[str],
) -> pl.DataFrame:
    """Quarantine rows whose area could not be resolved; ``checks`` pairs a raw column with the
    resolved ``<prefix>_area`` column."""
    reason = pl.lit(None, dtype=pl.String)
    for raw, area in reversed(checks):
        reason = (
            pl.when(pl.col(area).is_null())
            .then(pl.format("unknown {} '{}' (not in ref_country_codes)", pl.lit(raw), pl.col(raw)))
            .otherwise(reason)
        )
    return reject_where(parsed, table, frame, reason.is_not_null(), reason, publisher_columns)


# --------------------------------------------------------------------------------------------
# Products
# --------------------------------------------------------------------------------------------


def product_columns(code: pl.Expr) -> list[pl.Expr]:
    """``code_digits`` (null for TOTAL) and ``hs6``: 'TOTAL' for all goods, the first six digits
    of a 6- to 10-digit code, null for chapters and headings (never summed with subheadings)."""
    digits = pl.when(code.str.contains(r"^\d+$")).then(code.str.len_chars()).otherwise(None)
    hs6 = (
        pl.when(code.str.to_uppercase() == "TOTAL")
        .then(pl.lit("TOTAL"))
        .when(digits >= 6)
        .then(code.str.slice(0, 6))
        .otherwise(None)
    )
    return [digits.cast(pl.Int32).alias("code_digits"), hs6.alias("hs6")]
