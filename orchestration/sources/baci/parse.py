"""CEPII BACI: reconciled bilateral trade by HS6, one CSV per year, plus code tables.

Trade files ``BACI_HS17_Y2022_V202601.csv`` have columns t (year), i (exporter), j (importer),
k (HS6), v (thousand current USD, FOB) and q (metric tons, missing for some flows). They are
large (about 11 million rows a year), so DuckDB reads them directly instead of Python.

CEPII publishes them in one zip per HS revision and version (``BACI_HS17_V202601.zip``), which
is read as published by :mod:`orchestration.sources.baci.release_zip` with the parts defined here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import polars as pl

from orchestration.reference.countries import iso3_from_baci
from orchestration.sources.common.base import (
    BulkPart,
    ParsedFile,
    Parser,
    SourceFile,
    SourceParseError,
    decode_text,
    lineage_constants,
    sql_text,
    with_lineage,
)

TRADE_FILE = re.compile(r"BACI_(HS\d\d)_Y(\d{4})_V(\d{6}[a-z]?)\.csv", re.IGNORECASE)
COUNTRY_FILE = re.compile(r"country_codes_V(\d{6}[a-z]?)\.csv", re.IGNORECASE)
PRODUCT_FILE = re.compile(r"product_codes_(HS\d\d)_V(\d{6}[a-z]?)\.csv", re.IGNORECASE)

# BACI renamed the country table's columns between releases; both map onto one shape.
COUNTRY_COLUMNS = {
    "country_code": "country_code",
    "country_name": "country_name",
    "country_name_abbreviation": "country_name",
    "country_iso2": "iso2",
    "iso_2digit_alpha": "iso2",
    "country_iso3": "iso3",
    "iso_3digit_alpha": "iso3",
}


TRADE_SCHEMA = {
    "t": pl.Int32,
    "i": pl.Int32,
    "j": pl.Int32,
    "k": pl.String,
    "v": pl.Float64,
    "q": pl.Float64,
    "hs_revision": pl.String,
    "baci_version": pl.String,
    "partition_key": pl.String,
    "file_year": pl.Int32,
}
COUNTRY_SCHEMA = {
    "country_code": pl.Int64,
    "country_name": pl.String,
    "iso2": pl.String,
    "iso3": pl.String,
    "baci_version": pl.String,
}
PRODUCT_SCHEMA = {
    "code": pl.String,
    "description": pl.String,
    "hs_revision": pl.String,
    "baci_version": pl.String,
}


# What a new file replaces in the raw layer: its own HS revision, year and version. Each BACI
# version is a vintage: V202301 and V202601 of HS17 2022 are both kept and queryable, and the
# models choose the newest for the default series (docs/metrics.md, "Vintages").
TRADE_REPLACE_KEY = "partition_key || '/' || baci_version"


def trade_partition(file: SourceFile) -> str:
    """The same HS revision, year and version loaded again replaces its rows; another version
    of that year is kept beside it."""
    match = TRADE_FILE.fullmatch(file.path.name)
    return f"{match.group(1).upper()}/{match.group(2)}/V{match.group(3)}"


def trade_parts(file: SourceFile, table: str) -> Iterator[BulkPart]:
    match = TRADE_FILE.fullmatch(file.path.name)
    if match is None:
        raise SourceParseError(file.relative_path, None, "not a BACI trade file name")
    revision, year, version = match.groups()
    yield trade_part(file, file.path, revision.upper(), year, "V" + version)


# Read as text: a published "NA" or blank quantity is missing, not a bad line.
_TRADE_COLUMNS = (
    "{'t': 'INTEGER', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'VARCHAR', 'v': 'DOUBLE', "
    "'q': 'VARCHAR'}"
)


TRADE_HEADER = ["t", "i", "j", "k", "v", "q"]


def _check_trade_header(file: SourceFile, path: Path, member: str | None) -> None:
    """DuckDB reads the columns by position: a file whose header names them otherwise (another
    order, a missing column) would put values under the wrong names."""
    with path.open("rb") as handle:
        first = handle.readline()
    header = [name.strip().strip('"').lower() for name in first.decode("utf-8-sig", "replace")
              .strip().split(",")]  # fmt: skip
    if header != TRADE_HEADER:
        where = f"{file.relative_path}:{member}" if member else file.relative_path
        found = ",".join(header) if first.strip() else "an empty file"
        raise SourceParseError(
            where, 1, f"expected the header {','.join(TRADE_HEADER)}, found {found}"
        )


def trade_part(
    file: SourceFile, path: Path, revision: str, year: str, version: str, member: str | None = None
) -> BulkPart:
    """The rows of one yearly CSV (``member``: its name inside a zip)."""
    _check_trade_header(file, path, member)
    constants = {
        "hs_revision": f"cast({sql_text(revision)} as varchar)",
        "baci_version": f"cast({sql_text(version)} as varchar)",
        "partition_key": f"cast({sql_text(f'{revision}/{year}')} as varchar)",
        "file_year": f"cast({int(year)} as integer)",
    }
    if member:
        constants["source_member"] = f"cast({sql_text(member)} as varchar)"
    return BulkPart(
        name=PurePosixPath(member or path.name).stem,
        csv_path=path,
        select=f"""
            select t, i, j, lpad(trim(k), 6, '0') as k, v,
                   try_cast(nullif(nullif(trim(q), 'NA'), '') as double) as q
            from read_csv({sql_text(str(path))}, header = true, auto_detect = false,
                          delim = ',', quote = '"', store_rejects = true,
                          columns = {_TRADE_COLUMNS})""",
        constants={**constants, **lineage_constants(file)},
    )


def _read_table(file: SourceFile) -> pl.DataFrame:
    text = decode_text(file.path.read_bytes(), file.relative_path)
    try:
        return pl.read_csv(text.encode(), infer_schema=False)
    except pl.exceptions.PolarsError as err:
        raise SourceParseError(file.relative_path, None, f"unreadable CSV: {err}") from err


def parse_codes(file: SourceFile) -> ParsedFile:
    name = file.path.name
    if match := COUNTRY_FILE.fullmatch(name):
        parsed = ParsedFile(tables={})
        frame = _country_table(file, match.group(1))
        parsed.tables["country_codes"] = refuse_unknown_shared_codes(parsed, frame)
        return parsed
    if match := PRODUCT_FILE.fullmatch(name):
        frame = _product_table(file, match.group(1).upper(), match.group(2))
        return ParsedFile(tables={"product_codes": frame})
    raise SourceParseError(file.relative_path, None, "not a BACI code table")


def _country_table(file: SourceFile, version: str) -> pl.DataFrame:
    frame = _read_table(file)
    missing = {"country_code", "iso3"} - {COUNTRY_COLUMNS.get(c, c) for c in frame.columns}
    if missing:
        raise SourceParseError(file.relative_path, 1, f"missing columns {sorted(missing)}")
    frame = frame.rename({c: COUNTRY_COLUMNS[c] for c in frame.columns if c in COUNTRY_COLUMNS})
    frame = frame.select("country_code", "country_name", "iso2", "iso3").with_columns(
        pl.col("country_code").cast(pl.Int64), pl.lit("V" + version).alias("baci_version")
    )
    return with_lineage(frame, file, range(2, frame.height + 2))


def refuse_unknown_shared_codes(parsed: ParsedFile, frame: pl.DataFrame) -> pl.DataFrame:
    """The rows of a loose country table that shared_code_refusals keeps; the others go to the
    quarantine with the reason."""
    refused = shared_code_refusals(frame.select("country_code", "country_name", "iso3"))
    for row in frame.filter(pl.col("country_code").is_in(list(refused))).iter_rows(named=True):
        raw = ",".join(str(row[c] or "") for c in ("country_code", "country_name", "iso2", "iso3"))
        parsed.reject("country_codes", int(row["source_line"]), refused[row["country_code"]], raw)
    return frame.filter(~pl.col("country_code").is_in(list(refused)))


def shared_code_refusals(frame: pl.DataFrame) -> dict[int, str]:
    """BACI's country table keeps retired codes beside the current ones under the same ISO3
    (58 Belgium-Luxembourg and 56 Belgium are both BEL; 280 West Germany and 276 DEU; 736 and
    729 SDN). ref_country_codes lists the retired codes it maps (baci_codes_other), so they map
    to their country. A code that shares its ISO3 with another and that the reference does not
    know for that ISO3 (V202301's 711 Southern African Customs Union, labelled ZAF) cannot be
    told apart from the country: refused (code -> reason), instead of making two countries of
    one ISO3 downstream. ``frame``: country_code (integer), country_name, iso3."""
    iso3 = pl.col("iso3").str.strip_chars()
    shared = frame.filter(pl.col("country_code").is_not_null()).with_columns(
        (iso3.str.contains(r"^[A-Z]{3}$") & (pl.len().over(iso3) > 1)).alias("_shared")
    )
    pairs = list(shared.select("country_code", "iso3").iter_rows())
    refused = {}
    for code, name, code_iso3, is_shared in shared.select(
        "country_code", "country_name", "iso3", "_shared"
    ).iter_rows():
        if is_shared and iso3_from_baci(code) != code_iso3.strip():
            others = sorted(c for c, i in pairs if i == code_iso3 and c != code)
            refused[code] = (
                f"BACI code {code} ({name}) shares ISO3 {code_iso3} with code(s) "
                f"{', '.join(map(str, others))}, and ref_country_codes does not list {code} as "
                f"a code of {code_iso3}: not mapped (add it to baci_codes_other to map it)"
            )
    return refused


def _product_table(file: SourceFile, revision: str, version: str) -> pl.DataFrame:
    frame = _read_table(file)
    if frame.columns[:2] != ["code", "description"]:
        raise SourceParseError(file.relative_path, 1, "expected columns code,description")
    frame = frame.select(
        pl.col("code").str.strip_chars().str.zfill(6).alias("code"),
        "description",
        pl.lit(revision).alias("hs_revision"),
        pl.lit("V" + version).alias("baci_version"),
    )
    return with_lineage(frame, file, range(2, frame.height + 2))


# The YAML beside this module (baci.yml) says which files and tables each format has.
PARSERS = {
    "baci": Parser(
        parse=lambda f: ParsedFile(tables={}),
        bulk_parts=trade_parts,
        replace_on={"trade": (TRADE_REPLACE_KEY, trade_partition)},
        schemas={"trade": TRADE_SCHEMA},
    ),
    "baci_codes": Parser(
        parse=parse_codes,
        schemas={"country_codes": COUNTRY_SCHEMA, "product_codes": PRODUCT_SCHEMA},
    ),
}
