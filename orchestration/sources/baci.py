"""CEPII BACI: reconciled bilateral trade by HS6, one CSV per year, plus code tables.

Trade files ``BACI_HS17_Y2022_V202601.csv`` have columns t (year), i (exporter), j (importer),
k (HS6), v (thousand current USD, FOB) and q (metric tons, missing for some flows). They are
large (about 11 million rows a year), so DuckDB reads them directly instead of Python.

CEPII publishes them in one zip per HS revision and version (``BACI_HS17_V202601.zip``: every
year's CSV plus ``country_codes_V202601.csv`` and ``product_codes_HS17_V202601.csv``). The zip is
read as it is: its members are extracted one at a time, streamed to temporary files next to the
warehouse, and read by the same DuckDB select as a loose CSV (see :mod:`.baci_release`).
"""

from __future__ import annotations

import re

import polars as pl

from orchestration.sources.base import (
    ParsedFile,
    SourceFile,
    SourceParseError,
    SourceSpec,
    decode_text,
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


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def trade_partition(file: SourceFile) -> str:
    """A newer BACI version of the same HS revision and year replaces the older one."""
    match = TRADE_FILE.fullmatch(file.path.name)
    return f"{match.group(1).upper()}/{match.group(2)}"


def trade_select(file: SourceFile, table: str) -> str:
    match = TRADE_FILE.fullmatch(file.path.name)
    if match is None:
        raise SourceParseError(file.relative_path, None, "not a BACI trade file name")
    revision, _, version = match.groups()
    return f"""
        select t, i, j, lpad(trim(k), 6, '0') as k, v,
               try_cast(nullif(nullif(trim(q), 'NA'), '') as double) as q,
               {_sql_text(revision.upper())} as hs_revision,
               {_sql_text("V" + version)} as baci_version,
               {_sql_text(trade_partition(file))} as partition_key,
               'baci' as source, null::date as release_date,
               {_sql_text(file.relative_path)} as source_file,
               {_sql_text(file.sha256)} as file_sha256,
               row_number() over () + 1 as source_line
        from read_csv({_sql_text(str(file.path))}, header = true, auto_detect = false,
                      delim = ',', quote = '"', store_rejects = true,
                      columns = {{'t': 'INTEGER', 'i': 'INTEGER', 'j': 'INTEGER',
                                  'k': 'VARCHAR', 'v': 'DOUBLE', 'q': 'VARCHAR'}})
    """


def _read_table(file: SourceFile) -> pl.DataFrame:
    text = decode_text(file.path.read_bytes(), file.relative_path)
    try:
        return pl.read_csv(text.encode(), infer_schema=False)
    except pl.exceptions.PolarsError as err:
        raise SourceParseError(file.relative_path, None, f"unreadable CSV: {err}") from err


def parse_codes(file: SourceFile) -> ParsedFile:
    name = file.path.name
    if match := COUNTRY_FILE.fullmatch(name):
        frame = _country_table(file, match.group(1))
        return ParsedFile(tables={"country_codes": frame})
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


SPECS = [
    SourceSpec(
        name="baci",
        kind="trade",
        tables=("trade",),
        patterns=(TRADE_FILE.pattern,),
        parse=lambda f: ParsedFile(tables={}),
        bulk_select=trade_select,
        replace_on={"trade": ("partition_key", trade_partition)},
        schemas={"trade": TRADE_SCHEMA},
        release_from_folder=False,
        title="CEPII BACI, reconciled bilateral trade flows at HS6",
        publisher="CEPII",
        url="http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37",
        licence="Free download from CEPII; cite Gaulier and Zignago (2010), CEPII WP 2010-23",
        cadence="yearly (January release)",
    ),
    SourceSpec(
        name="baci_codes",
        folder="baci",
        kind="trade",
        tables=("country_codes", "product_codes"),
        patterns=(COUNTRY_FILE.pattern, PRODUCT_FILE.pattern),
        parse=parse_codes,
        release_from_folder=False,
        schemas={"country_codes": COUNTRY_SCHEMA, "product_codes": PRODUCT_SCHEMA},
        title="CEPII BACI country and product code tables",
        publisher="CEPII",
        url="http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37",
        licence="Free download from CEPII; cite Gaulier and Zignago (2010), CEPII WP 2010-23",
        cadence="with each BACI release",
    ),
]
