"""National import statistics by partner (AM, KZ, KG, UZ), yearly, in the Comext layout.

Yearly imports by partner of Armenia, Kazakhstan, Kyrgyzstan and Uzbekistan, already converted by
a third party from thousand USD to EUR with fixed annual rates (USD per EUR 2019 1.12, 2020 1.14,
2021 1.18, 2022 1.05, 2023 1.07) and laid out like a Comext export
(``REPORTER,PARTNER,PRODUCT,FLOW,STAT_PROCEDURE,PERIOD,VALUE_IN_EUR``, ``Y2019``). ``value_usd``
undoes that conversion with the same fixed rate (``usd_per_eur``), which gives back the office's
own USD figure; partner labels may be regions (flagged as aggregates).
"""

from __future__ import annotations

import polars as pl

from orchestration.reference.areas import label_area
from orchestration.sources.comext.parse import add_period_columns, decode_flow, decode_product
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
    reject_where,
    require_columns,
    resolve_column,
    text_schema,
    to_number,
    with_trade_lineage,
)

# --------------------------------------------------------------------------------------------
# Yearly imports in the Comext layout, EUR at fixed rates
# --------------------------------------------------------------------------------------------

YEARLY_TABLE = "imports_by_partner"
YEARLY_COLUMNS = ("REPORTER", "PARTNER", "PRODUCT", "FLOW", "STAT_PROCEDURE", "PERIOD",
                  "VALUE_IN_EUR")  # fmt: skip
# The rates the third-party conversion used (USD per EUR), one per year.
FIXED_USD_PER_EUR = {2019: 1.12, 2020: 1.14, 2021: 1.18, 2022: 1.05, 2023: 1.07}


def parse_yearly(file: SourceFile) -> ParsedFile:
    table = read_delimited(file)
    require_columns(file, table.header, YEARLY_COLUMNS)
    parsed = ParsedFile(tables={})
    publisher = list(table.header)
    frame = drop_duplicates(parsed, YEARLY_TABLE, table.frame(), YEARLY_COLUMNS)
    frame = frame.with_columns(to_number("VALUE_IN_EUR").alias("value_eur"))
    frame = reject_unparsed_numbers(parsed, YEARLY_TABLE, frame, [("VALUE_IN_EUR", "value_eur")],
                                    publisher, required=("VALUE_IN_EUR",))  # fmt: skip
    frame = frame.with_columns(
        area_columns(resolve_column(frame, "REPORTER", label_area), "reporter")
        + area_columns(resolve_column(frame, "PARTNER", label_area), "partner")
    )
    frame = reject_unresolved(
        parsed, YEARLY_TABLE, frame,
        [("REPORTER", "reporter_area"), ("PARTNER", "partner_area")], publisher,
    )  # fmt: skip
    frame = add_period_columns(frame, "PERIOD").with_columns(
        pl.Series("flow", resolve_column(frame, "FLOW", decode_flow), dtype=pl.String),
        pl.Series("product_code", resolve_column(frame, "PRODUCT", decode_product), pl.String),
    )
    bad = (
        pl.col("frequency").is_null() | pl.col("flow").is_null() | pl.col("product_code").is_null()
    )
    frame = reject_where(
        parsed, YEARLY_TABLE, frame, bad, pl.lit("unknown PERIOD, FLOW or PRODUCT code"), publisher
    )
    rates = pl.DataFrame(
        {"period_year": list(FIXED_USD_PER_EUR), "usd_per_eur": list(FIXED_USD_PER_EUR.values())},
        schema={"period_year": pl.Int32, "usd_per_eur": pl.Float64},
    )
    frame = (
        frame.join(rates, on="period_year", how="left", maintain_order="left")
        .with_columns((pl.col("value_eur") * pl.col("usd_per_eur")).alias("value_usd"))
        .with_columns(product_columns(pl.col("product_code")))
        .with_columns(
            (pl.col("reporter_is_aggregate") | pl.col("partner_is_aggregate")).alias("is_aggregate")
        )
    )
    parsed.tables[YEARLY_TABLE] = with_trade_lineage(frame, file)
    return parsed


_AREAS = {**area_schema("reporter"), **area_schema("partner")}
# Publisher's FLOW first: DuckDB stores the typed ``flow`` beside it as ``flow_1``.
YEARLY_SCHEMA: dict[str, pl.DataType] = {
    **text_schema(YEARLY_COLUMNS), "value_eur": pl.Float64, **_AREAS, **PERIOD_SCHEMA,
    "flow": pl.String, "product_code": pl.String, "usd_per_eur": pl.Float64,
    "value_usd": pl.Float64, **PRODUCT_SCHEMA, "is_aggregate": pl.Boolean,
}  # fmt: skip

# The YAML beside this module (national_yearly.yml) says which files and tables it reads.
PARSERS = {"national_yearly": Parser(parse=parse_yearly, schemas={YEARLY_TABLE: YEARLY_SCHEMA})}
