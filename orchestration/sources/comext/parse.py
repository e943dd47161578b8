"""Eurostat Comext: EU member states' trade by CN8 product and partner, in EUR.

Three layouts in the ``eurostat_comext`` folder, told apart by file name and header:

- ``bulk``: the Comext bulk download monthly files (``full202201.dat``...), codes only:
  ``REPORTER, PARTNER, PRODUCT_NC, FLOW, STAT_PROCEDURE, PERIOD, VALUE_IN_EUROS,
  QUANTITY_IN_KG`` (older files: ``DECLARANT_ISO, PARTNER_ISO, STAT_REGIME``); FLOW 1 import,
  2 export; PERIOD ``202201`` (month) or ``202252`` (the year, Comext's period 52).
- ``relational_view``: CSV exports of the Comext web interface ("Relational_View_*.csv"):
  ``REPORTER, PARTNER, PRODUCT, FLOW, STAT_PROCEDURE, PERIOD, VALUE_IN_EUR`` with *labels*,
  in the interface language (English or French), sometimes as ``CODE-Label`` pairs
  (``TOTAL-Total``, ``2-EXPORT``, ``201952-Jan.-Dec. 2019``); monthly (``Aug. 2024``) and annual
  (``Jan.-Dec. 2010``) periods mixed; EU and euro-area aggregates beside the member states.
- ``ds045409``: dataset DS-045409 reshaped to one row per cell
  (``reporter_iso2, partner_iso2, product_code, flow, indicator, period, value_eur, ...``).

Rules: labels map to codes through ``ref_country_codes`` (English, French and Russian names and
every Eurostat label seen) and the group table of ``common.trade`` (EU27_2020, EU28, EU, EA20,
EA, extra/intra-EU, the Q* buckets, Ceuta XC, Melilla XL); an unknown label quarantines the row.
Aggregates are flagged (``reporter_is_aggregate``, ``partner_is_aggregate``, ``is_aggregate``)
and must never be added to their members. ``frequency`` A or M keeps annual rows apart from
monthly ones. ``code_digits`` and ``hs6`` (first six digits of a CN8 code; ``TOTAL`` for all
goods; null for HS2/HS4) keep headings and CN8 codes from being summed together. Repeated rows
are quarantined as 'duplicate row' (the publisher's fields compared; the file/folder columns a
concatenation added are not the publisher's). Values stay in EUR (``value_eur``) and get
``value_usd`` from the monthly ECB table (annual rows: mean of the twelve months).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import polars as pl

from orchestration.reference.areas import country_index, normalise_label, split_code_label
from orchestration.reference.fx import add_usd
from orchestration.sources.common.base import (
    ParsedFile,
    Parser,
    SourceFile,
    SourceParseError,
)
from orchestration.sources.common.trade import (
    PERIOD_SCHEMA,
    PRODUCT_SCHEMA,
    TextTable,
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
    vintage_column,
    with_trade_lineage,
)

BULK, RELATIONAL, DS045409 = "bulk", "relational_view", "ds045409"

BULK_PATTERN = r"(.*/)?full(_v2)?_?\d{6}\.((dat|csv|txt)(\.gz)?|7z)"
RELATIONAL_PATTERN = (
    r"(.*/)?(relational_view[^/]*|comext_[^/]*relational[^/]*|comext_eu_member_totals[^/]*)"
    r"\.csv(\.gz)?"
)
DS045409_PATTERN = r"(.*/)?comext_ds045409_[^/]*monthly[^/]*\.csv(\.gz)?"

RELATIONAL_COLUMNS = ("REPORTER", "PARTNER", "PRODUCT", "FLOW", "STAT_PROCEDURE", "PERIOD",
                      "VALUE_IN_EUR")  # fmt: skip
DS_COLUMNS = ("reporter_iso2", "partner_iso2", "product_code", "flow", "indicator", "period",
              "value_eur")  # fmt: skip
# Bulk column -> accepted names (newer first).
BULK_ALIASES = {
    "REPORTER": ("REPORTER", "DECLARANT_ISO"),
    "PARTNER": ("PARTNER", "PARTNER_ISO"),
    "PRODUCT_NC": ("PRODUCT_NC",),
    "FLOW": ("FLOW",),
    "STAT_PROCEDURE": ("STAT_PROCEDURE", "STAT_REGIME"),
    "PERIOD": ("PERIOD",),
    "VALUE_IN_EUROS": ("VALUE_IN_EUROS", "VALUE_EUR"),
    "QUANTITY_IN_KG": ("QUANTITY_IN_KG", "QUANTITY_KG"),
}

# Month words of the English, French and German interfaces (accents and dots removed).
MONTHS = {
    **dict.fromkeys(["jan", "janv", "januar", "janvier", "january"], 1),
    **dict.fromkeys(["feb", "fev", "fevr", "februar", "fevrier", "february"], 2),
    **dict.fromkeys(["mar", "mars", "mrz", "maerz", "marz", "march"], 3),
    **dict.fromkeys(["apr", "avr", "avril", "april"], 4),
    **dict.fromkeys(["may", "mai"], 5),
    **dict.fromkeys(["jun", "juin", "juni", "june"], 6),
    **dict.fromkeys(["jul", "juil", "juli", "juillet", "july"], 7),
    **dict.fromkeys(["aug", "aout", "august"], 8),
    **dict.fromkeys(["sep", "sept", "septembre", "september"], 9),
    **dict.fromkeys(["oct", "okt", "octobre", "oktober", "october"], 10),
    **dict.fromkeys(["nov", "novembre", "november"], 11),
    **dict.fromkeys(["dec", "dez", "decembre", "dezember", "december"], 12),
}
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{4})$")
_FULL_YEAR = re.compile(r"^([a-z]+)\.?\s*-\s*([a-z]+)\.?\s+(\d{4})$")


# --------------------------------------------------------------------------------------------
# Decoding single fields
# --------------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).strip().lower()


def decode_period(text: str) -> tuple[str, int, int | None] | None:
    """(frequency, year, month) from 'Aug. 2024', 'Jan.-Dec. 2010', '201952-Jan.-Dec. 2019',
    '202408', '2024-08', 'Y2019', '2019'; None for anything else (quarters, bad text)."""
    code, label = split_code_label(text)
    for candidate in (text, code, label) if code else (text,):
        candidate = candidate.strip()
        if m := re.fullmatch(r"(\d{4})(\d{2})", candidate):
            year, month = int(m.group(1)), int(m.group(2))
            if month == 52:
                return "A", year, None
            if 1 <= month <= 12:
                return "M", year, month
            return None
        if m := re.fullmatch(r"(\d{4})-(\d{2})", candidate):
            month = int(m.group(2))
            return ("M", int(m.group(1)), month) if 1 <= month <= 12 else None
        if m := re.fullmatch(r"[Yy]?(\d{4})", candidate):
            return "A", int(m.group(1)), None
        plain = _plain(candidate)
        if m := _MONTH_YEAR.fullmatch(plain):
            month = MONTHS.get(m.group(1))
            return ("M", int(m.group(2)), month) if month else None
        if m := _FULL_YEAR.fullmatch(plain):
            if MONTHS.get(m.group(1)) == 1 and MONTHS.get(m.group(2)) == 12:
                return "A", int(m.group(3)), None
            return None
    return None


def decode_flow(text: str) -> str | None:
    """'1'/'2', 'IMPORT'/'EXPORT', '2-EXPORT', 'EXPORTATION' -> 'M' / 'X'."""
    code, label = split_code_label(text)
    if code in ("1", "2"):
        return {"1": "M", "2": "X"}[code]
    plain = _plain(label)
    if plain in ("1", "2"):
        return {"1": "M", "2": "X"}[plain]
    if plain.startswith("export"):
        return "X"
    if plain.startswith("import"):
        return "M"
    return None


def decode_product(text: str) -> str | None:
    """'TOTAL-Total' / 'Total' -> 'TOTAL'; a numeric code stays as it is."""
    code, label = split_code_label(text)
    if code is not None:
        return code.upper()
    label = label.strip()
    if _plain(label) in ("total", "total general"):
        return "TOTAL"
    return label if re.fullmatch(r"\d{2,10}", label) else None


def decode_procedure(text: str) -> str:
    """'T-Total' / 'Total' -> 'TOTAL'; otherwise the code (or the label, upper-cased)."""
    code, label = split_code_label(text)
    if code is not None:
        return "TOTAL" if code == "T" else code.upper()
    return label.strip().upper()


def add_period_columns(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    periods = resolve_column(frame, column, lambda v: decode_period(v or ""))
    return frame.with_columns(
        pl.Series("frequency", [p[0] if p else None for p in periods], dtype=pl.String),
        pl.Series("period_year", [p[1] if p else None for p in periods], dtype=pl.Int32),
        pl.Series("period_month", [p[2] if p else None for p in periods], dtype=pl.Int32),
    )


def finish_flows(
    parsed: ParsedFile, table: str, frame: pl.DataFrame, publisher: Sequence[str],
    product_column: str, period_column: str,
) -> pl.DataFrame:  # fmt: skip
    """Shared tail: period, product and key checks, de-duplication on the decoded key, flags
    and USD. Expects reporter_/partner_ area columns, ``flow`` and ``value_eur``."""
    frame = reject_where(
        parsed, table, frame, pl.col("frequency").is_null(),
        pl.format("unknown period '{}' (not a month or a full year)", pl.col(period_column)),
        publisher,
    )  # fmt: skip
    frame = reject_where(
        parsed, table, frame, pl.col("flow").is_null(), pl.lit("unknown flow"), publisher
    )
    frame = reject_where(
        parsed, table, frame, pl.col("product_code").is_null(),
        pl.format("unknown product '{}'", pl.col(product_column)), publisher,
    )  # fmt: skip
    frame = frame.with_columns(product_columns(pl.col("product_code")))
    key = ["reporter_area_code", "partner_area_code", "product_code", "flow", "stat_procedure",
           "frequency", "period_year", "period_month"]  # fmt: skip
    frame = drop_duplicates(parsed, table, frame, key, raw_columns=publisher)
    index = country_index()
    frame = frame.with_columns(
        (pl.col("reporter_is_aggregate") | pl.col("partner_is_aggregate")).alias("is_aggregate"),
        pl.col("reporter_iso3").is_in(sorted(index.eu27)).alias("reporter_is_eu27"),
    )
    return add_usd(frame, "value_eur")


# --------------------------------------------------------------------------------------------
# Layouts
# --------------------------------------------------------------------------------------------


def parse(file: SourceFile) -> ParsedFile:
    name = file.relative_path.split("/", 2)[-1]
    if re.fullmatch(DS045409_PATTERN, name, flags=re.IGNORECASE):
        return parse_ds045409(file, read_delimited(file))
    if re.fullmatch(BULK_PATTERN, name, flags=re.IGNORECASE):
        return parse_bulk(file, read_delimited(file, delimiter=None))
    return parse_relational(file, read_delimited(file))


# Labels whose meaning depends on the interface language. The French export labels Guinea-Bissau
# "Guinea" (EU27 exports 2016: "Guinea" EUR 125.7m, "Guinée" EUR 901.4m; in English 2017:
# Guinea-Bissau 148.0m, Guinea 1,155.2m), while in English "Guinea" is Guinea.
LANGUAGE_OVERRIDES: dict[str, dict[str, str]] = {"fr": {"guinea": "GNB"}}
_FRENCH_FLOWS = {"exportation", "importation"}


def row_language(flow: str) -> str:
    """The interface language of a relational-view row, told by its FLOW label."""
    return "fr" if _plain(split_code_label(flow or "")[1]) in _FRENCH_FLOWS else "en"


def label_area(label: str, language: str = "en"):
    index = country_index()
    override = LANGUAGE_OVERRIDES.get(language, {}).get(normalise_label(label or ""))
    if override is not None:
        return index.code_area(index.iso2_of[override])
    return index.label_area(label or "")


def _areas_by_language(frame: pl.DataFrame, column: str, languages: list) -> list:
    """Areas of ``column``'s labels, each read in its row's language."""
    pairs = list(zip(frame[column].to_list(), languages, strict=True))
    distinct = {pair: label_area(*pair) for pair in set(pairs)}
    return [distinct[pair] for pair in pairs]


def parse_relational(file: SourceFile, table: TextTable) -> ParsedFile:
    require_columns(file, table.header, RELATIONAL_COLUMNS)
    parsed = ParsedFile(tables={})
    publisher = list(table.header)
    frame = drop_duplicates(parsed, RELATIONAL, table.frame(), RELATIONAL_COLUMNS)
    languages = resolve_column(frame, "FLOW", row_language)
    frame = frame.with_columns(
        area_columns(_areas_by_language(frame, "REPORTER", languages), "reporter")
        + area_columns(_areas_by_language(frame, "PARTNER", languages), "partner")
    )
    frame = reject_unresolved(
        parsed, RELATIONAL, frame,
        [("REPORTER", "reporter_area"), ("PARTNER", "partner_area")], publisher,
    )  # fmt: skip
    frame = add_period_columns(frame, "PERIOD").with_columns(
        pl.Series("flow", resolve_column(frame, "FLOW", decode_flow), dtype=pl.String),
        pl.Series("product_code", resolve_column(frame, "PRODUCT", decode_product), pl.String),
        pl.Series("stat_procedure", resolve_column(frame, "STAT_PROCEDURE", decode_procedure)),
        to_number("VALUE_IN_EUR").alias("value_eur"),
    )
    frame = reject_where(
        parsed, RELATIONAL, frame, pl.col("value_eur").is_null(),
        pl.format("value not available: '{}'", pl.col("VALUE_IN_EUR")), publisher,
    )  # fmt: skip
    frame = finish_flows(parsed, RELATIONAL, frame, publisher, "PRODUCT", "PERIOD")
    frame = frame.with_columns(vintage_column(frame, file, "source_file"))
    parsed.tables[RELATIONAL] = with_trade_lineage(frame, file)
    return parsed


def parse_bulk(file: SourceFile, table: TextTable) -> ParsedFile:
    chosen = {}
    for role, names in BULK_ALIASES.items():
        found = next((n for n in names if n in table.header), None)
        if found is None and role != "QUANTITY_IN_KG":
            raise SourceParseError(file.relative_path, 1, f"missing column {names[0]} in header")
        chosen[role] = found
    parsed = ParsedFile(tables={})
    publisher = list(table.header)
    frame = drop_duplicates(parsed, BULK, table.frame(), publisher)
    index = country_index()
    frame = frame.with_columns(
        area_columns(resolve_column(frame, chosen["REPORTER"], index.code_area), "reporter")
        + area_columns(resolve_column(frame, chosen["PARTNER"], index.code_area), "partner")
    )
    frame = reject_unresolved(
        parsed, BULK, frame,
        [(chosen["REPORTER"], "reporter_area"), (chosen["PARTNER"], "partner_area")], publisher,
    )  # fmt: skip
    quantity = to_number(chosen["QUANTITY_IN_KG"]) if chosen["QUANTITY_IN_KG"] else pl.lit(None)
    frame = add_period_columns(frame, chosen["PERIOD"]).with_columns(
        pl.Series("flow", resolve_column(frame, chosen["FLOW"], decode_flow), dtype=pl.String),
        pl.Series(
            "product_code", resolve_column(frame, chosen["PRODUCT_NC"], decode_product), pl.String
        ),
        pl.Series(
            "stat_procedure", resolve_column(frame, chosen["STAT_PROCEDURE"], decode_procedure)
        ),
        to_number(chosen["VALUE_IN_EUROS"]).alias("value_eur"),
        quantity.cast(pl.Float64).alias("quantity_kg"),
    )
    pairs = [(chosen["VALUE_IN_EUROS"], "value_eur")]
    if chosen["QUANTITY_IN_KG"]:
        pairs.append((chosen["QUANTITY_IN_KG"], "quantity_kg"))
    frame = reject_unparsed_numbers(
        parsed, BULK, frame, pairs, publisher, required=(chosen["VALUE_IN_EUROS"],)
    )
    frame = finish_flows(parsed, BULK, frame, publisher, chosen["PRODUCT_NC"], chosen["PERIOD"])
    frame = frame.with_columns(vintage_column(frame, file, None))
    parsed.tables[BULK] = with_trade_lineage(frame, file)
    return parsed


def parse_ds045409(file: SourceFile, table: TextTable) -> ParsedFile:
    require_columns(file, table.header, DS_COLUMNS)
    parsed = ParsedFile(tables={})
    publisher = list(table.header)
    frame = drop_duplicates(parsed, DS045409, table.frame(), DS_COLUMNS)
    frame = reject_where(
        parsed, DS045409, frame, pl.col("indicator") != "VALUE_IN_EUROS",
        pl.format("unsupported indicator '{}'", pl.col("indicator")), publisher,
    )  # fmt: skip
    index = country_index()
    frame = frame.with_columns(
        area_columns(resolve_column(frame, "reporter_iso2", index.code_area), "reporter")
        + area_columns(resolve_column(frame, "partner_iso2", index.code_area), "partner")
    )
    frame = reject_unresolved(
        parsed, DS045409, frame,
        [("reporter_iso2", "reporter_area"), ("partner_iso2", "partner_area")], publisher,
    )  # fmt: skip
    frame = add_period_columns(frame, "period").with_columns(
        pl.Series("flow_code", resolve_column(frame, "flow", decode_flow), dtype=pl.String),
        pl.Series("product_code", resolve_column(frame, "product_code", decode_product),
                  pl.String),
        pl.lit("TOTAL").alias("stat_procedure"),
        to_number("value_eur").alias("_value"),
    )  # fmt: skip
    frame = reject_unparsed_numbers(
        parsed, DS045409, frame, [("value_eur", "_value")], publisher, required=("value_eur",)
    )
    # The reshaped file names its own columns 'flow' and 'value_eur': keep them as published
    # and put the decoded values under the shared names.
    frame = frame.rename({"flow": "flow_label", "value_eur": "value_eur_text"}).rename(
        {"flow_code": "flow", "_value": "value_eur"}
    )
    frame = finish_flows(parsed, DS045409, frame, _published(publisher), "product_code", "period")
    frame = frame.with_columns(vintage_column(frame, file, None))
    parsed.tables[DS045409] = with_trade_lineage(frame, file)
    return parsed


def _published(publisher: Sequence[str]) -> list[str]:
    renamed = {"flow": "flow_label", "value_eur": "value_eur_text"}
    return [renamed.get(c, c) for c in publisher]


# Column types of the raw tables (SourceSpec.schemas): the publisher's columns, then the typed
# ones. DuckDB names are case-insensitive, so the typed ``flow`` and ``stat_procedure`` beside the
# publisher's FLOW and STAT_PROCEDURE are stored as ``flow_1`` and ``stat_procedure_1``; the
# order here (publisher's first) keeps an empty table named like one loaded from a file.
_TYPED: dict[str, pl.DataType] = {
    **area_schema("reporter"), **area_schema("partner"), **PERIOD_SCHEMA, "flow": pl.String,
    "product_code": pl.String, "stat_procedure": pl.String, "value_eur": pl.Float64,
}  # fmt: skip
_FLAGS: dict[str, pl.DataType] = {
    **PRODUCT_SCHEMA, "is_aggregate": pl.Boolean, "reporter_is_eu27": pl.Boolean,
    "usd_per_eur": pl.Float64, "value_usd": pl.Float64, "vintage_in_file": pl.Date,
}  # fmt: skip
SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    BULK: {**text_schema(names[0] for names in BULK_ALIASES.values()), **_TYPED,
           "quantity_kg": pl.Float64, **_FLAGS},
    RELATIONAL: {**text_schema(RELATIONAL_COLUMNS), **_TYPED, **_FLAGS},
    DS045409: {**text_schema(_published(DS_COLUMNS)), **_TYPED, **_FLAGS},
}  # fmt: skip

# The YAML beside this module (comext.yml) says which files and tables it reads.
PARSERS = {"comext": Parser(parse=parse, schemas=SCHEMAS)}
