"""National statistics offices: trade by partner country as each office publishes it.

National tables differ in every way (units, languages, layouts), so each one is a small
:class:`NationalSource` entry below: a file pattern in the ``national`` folder, the publisher's
metadata, and a parse function returning the publisher's fields plus the shared typed columns
(``reporter_*``/``partner_*`` area columns, ``frequency``, ``period_year``, ``period_month``,
``flow``, ``product_code``, ``code_digits``, ``hs6`` and the value columns). A new office plugs
in by adding one entry to ``NATIONAL_SOURCES`` (see docs/sources/trade.md).

Examples shipped:

- ``armstat``: Statistical Committee of Armenia, monthly trade by partner country
  (``country,year,month,export,import_origin,import_consignment,date``), thousand USD, English
  country names, UTF-8 with BOM. Typed: ``export_usd``, ``import_origin_usd``,
  ``import_consignment_usd`` in USD (x 1000).
- ``national_yearly``: yearly imports by partner of Armenia, Kazakhstan, Kyrgyzstan and
  Uzbekistan, already converted by a third party from thousand USD to EUR with fixed annual rates
  (USD per EUR 2019 1.12, 2020 1.14, 2021 1.18, 2022 1.05, 2023 1.07) and laid out like a Comext
  export (``REPORTER,PARTNER,PRODUCT,FLOW,STAT_PROCEDURE,PERIOD,VALUE_IN_EUR``, ``Y2019``).
  ``value_usd`` undoes that conversion with the same fixed rate (``usd_per_eur``), which gives
  back the office's own USD figure; partner labels may be regions (flagged as aggregates).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from orchestration.reference.areas import country_index
from orchestration.sources.base import (
    ParsedFile,
    SourceFile,
    SourceSpec,
)
from orchestration.sources.comext import add_period_columns, decode_flow, decode_product
from orchestration.sources.trade_common import (
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


@dataclass(frozen=True)
class NationalSource:
    """One national office's file format: what the registry needs to find and read it."""

    name: str
    table: str
    pattern: str
    parse: Callable[[SourceFile], ParsedFile]
    title: str
    publisher: str
    url: str
    licence: str
    # Column types of the raw table, so that a run without this office's files still creates
    # it empty for the models that read it.
    schema: dict[str, pl.DataType] = field(default_factory=dict)
    cadence: str = "irregular"

    def spec(self) -> SourceSpec:
        return SourceSpec(
            name=self.name,
            folder="national",
            kind="trade",
            tables=(self.table,),
            patterns=(self.pattern,),
            parse=self.parse,
            release_from_folder=False,
            title=self.title,
            publisher=self.publisher,
            url=self.url,
            licence=self.licence,
            cadence=self.cadence,
            schemas={self.table: self.schema} if self.schema else {},
        )


def _label_area(label: str):
    return country_index().label_area(label or "")


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
    frame = frame.with_columns(area_columns(resolve_column(frame, "country", _label_area),
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
        area_columns(resolve_column(frame, "REPORTER", _label_area), "reporter")
        + area_columns(resolve_column(frame, "PARTNER", _label_area), "partner")
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
ARMSTAT_SCHEMA: dict[str, pl.DataType] = {
    **text_schema(ARMSTAT_COLUMNS), **_AREAS, **PERIOD_SCHEMA, "product_code": pl.String,
    **{f"{c}_usd": pl.Float64 for c in ARMSTAT_VALUES}, **PRODUCT_SCHEMA,
}  # fmt: skip
# Publisher's FLOW first: DuckDB stores the typed ``flow`` beside it as ``flow_1``.
YEARLY_SCHEMA: dict[str, pl.DataType] = {
    **text_schema(YEARLY_COLUMNS), "value_eur": pl.Float64, **_AREAS, **PERIOD_SCHEMA,
    "flow": pl.String, "product_code": pl.String, "usd_per_eur": pl.Float64,
    "value_usd": pl.Float64, **PRODUCT_SCHEMA, "is_aggregate": pl.Boolean,
}  # fmt: skip

NATIONAL_SOURCES = [
    NationalSource(
        name="armstat",
        table=ARMSTAT_TABLE,
        pattern=r"(.*/)?armstat_[^/]*\.csv(\.gz)?",
        parse=parse_armstat,
        title="Armstat: Armenia's external trade by partner country, monthly (thousand USD)",
        publisher="Statistical Committee of the Republic of Armenia (Armstat)",
        url="https://armstat.am/en/",
        licence="Official statistics of Armenia; reuse with acknowledgement of the source",
        schema=ARMSTAT_SCHEMA,
        cadence="monthly",
    ),
    NationalSource(
        name="national_yearly",
        table=YEARLY_TABLE,
        pattern=r"(.*/)?[a-z]+_import_yearly\.csv(\.gz)?",
        parse=parse_yearly,
        title="National import statistics by partner (AM, KZ, KG, UZ), yearly, EUR at fixed "
        "rates in the Comext layout",
        publisher="Armstat; Bureau of National Statistics of Kazakhstan; National Statistical "
        "Committee of the Kyrgyz Republic; Uzstat (compiled by mary-lev/eu-export-sanctions)",
        url="https://github.com/mary-lev/eu-export-sanctions",
        licence="Official statistics of each office; compilation Apache-2.0",
        schema=YEARLY_SCHEMA,
        cadence="yearly",
    ),
]

SPECS = [source.spec() for source in NATIONAL_SOURCES]
