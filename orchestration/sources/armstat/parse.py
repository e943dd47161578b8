"""Armstat (Statistical Committee of Armenia): monthly trade by partner country.

National statistics offices publish trade by partner country each in its own way (units,
languages, layouts); each office is a source folder of its own whose parser returns the
publisher's fields plus the shared typed columns (``reporter_*``/``partner_*`` area columns,
``frequency``, ``period_year``, ``period_month``, ``flow``, ``product_code``, ``code_digits``,
``hs6`` and the value columns). A new office plugs in as a new folder beside this one (see
docs/sources/trade.md).

Armstat's file: ``country,year,month,export,import_origin,import_consignment,date``, thousand USD,
English country names, UTF-8 with BOM. Typed: ``export_usd``, ``import_origin_usd``,
``import_consignment_usd`` in USD (x 1000).
"""

from __future__ import annotations

import polars as pl

from orchestration.reference.areas import country_index, label_area
from orchestration.sources.common.base import ParsedFile, Parser, SourceFile
from orchestration.sources.common.trade import (
    PERIOD_SCHEMA,
    PRODUCT_SCHEMA,
    area_columns,
    area_schema,
    drop_duplicates,
    product_columns,
    read_delimited,
    reject_unparsed_numbers,
    reject_unresolved,
    require_columns,
    resolve_column,
    text_schema,
    to_number,
    with_trade_lineage,
)


def _fixed_reporter(frame: pl.DataFrame, iso3: str) -> pl.DataFrame:
    area = country_index().code_area(country_index().iso2_of[iso3])
    return frame.with_columns(area_columns([area] * frame.height, "reporter"))


# --------------------------------------------------------------------------------------------
# Armstat monthly, thousand USD
# --------------------------------------------------------------------------------------------

ARMSTAT_TABLE = "trade_by_country"
ARMSTAT_COLUMNS = ("country", "year", "month", "export", "import_origin", "import_consignment")
ARMSTAT_VALUES = ("export", "import_origin", "import_consignment")


def parse_armstat(file: SourceFile) -> ParsedFile:
    table = read_delimited(file)
    require_columns(file, table.header, ARMSTAT_COLUMNS)
    parsed = ParsedFile(tables={})
    publisher = list(table.header)
    frame = drop_duplicates(parsed, ARMSTAT_TABLE, table.frame(), publisher)
    frame = frame.with_columns(
        to_number("year").cast(pl.Int32, strict=False).alias("period_year"),
        to_number("month").cast(pl.Int32, strict=False).alias("period_month"),
        *[to_number(c).alias(f"_{c}") for c in ARMSTAT_VALUES],
    )
    pairs = [("year", "period_year"), ("month", "period_month")]
    pairs += [(c, f"_{c}") for c in ARMSTAT_VALUES]
    frame = reject_unparsed_numbers(
        parsed, ARMSTAT_TABLE, frame, pairs, publisher, required=("year", "month")
    )
    frame = frame.with_columns(area_columns(resolve_column(frame, "country", label_area),
                                            "partner"))  # fmt: skip
    frame = reject_unresolved(parsed, ARMSTAT_TABLE, frame, [("country", "partner_area")],
                              publisher)  # fmt: skip
    frame = (
        _fixed_reporter(frame, "ARM")
        .with_columns(
            pl.lit("M").alias("frequency"),
            pl.lit("TOTAL").alias("product_code"),
            # Armstat publishes thousand USD.
            *[(pl.col(f"_{c}") * 1000).alias(f"{c}_usd") for c in ARMSTAT_VALUES],
        )
        .with_columns(product_columns(pl.col("product_code")))
    )
    frame = frame.drop([f"_{c}" for c in ARMSTAT_VALUES])
    parsed.tables[ARMSTAT_TABLE] = with_trade_lineage(frame, file)
    return parsed


_AREAS = {**area_schema("reporter"), **area_schema("partner")}
ARMSTAT_SCHEMA: dict[str, pl.DataType] = {
    **text_schema(ARMSTAT_COLUMNS), **_AREAS, **PERIOD_SCHEMA, "product_code": pl.String,
    **{f"{c}_usd": pl.Float64 for c in ARMSTAT_VALUES}, **PRODUCT_SCHEMA,
}  # fmt: skip

# The YAML beside this module (armstat.yml) says which files and tables it reads.
PARSERS = {"armstat": Parser(parse=parse_armstat, schemas={ARMSTAT_TABLE: ARMSTAT_SCHEMA})}
