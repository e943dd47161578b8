"""UN Comtrade: bilateral trade reported by each country, by HS code, annual or monthly.

Three layouts share the ``comtrade`` folder; the header tells them apart:

- ``records``: Comtrade+ API responses (``{"elapsedTime", "count", "data": [...]}``, JSON) and
  the API/bulk "get" CSV, both with the API's field names (``reporterCode``, ``flowCode``,
  ``partner2Code``, ``customsCode``, ``motCode``, ``primaryValue`` ...). ``source_line`` is the
  record's position in ``data`` for JSON, the line for CSV.
- ``legacy_monthly``: CSVs written by the older comtradr R package (``trade_code``,
  ``reporter_code``, ``mot_code``, ``trade_value_us`` ...).
- ``compact``: pulls reduced to ``[year,]reporter,partner,cmd,flow,value,netwgt[,qty,qtyunit]``
  (gzip). Without a year column the year comes from the file name (``comtrade_2024.csv.gz``).

Values are current USD (exports FOB, imports CIF); weights in kg. Publisher fields are kept as
published; typed columns are added: ``frequency`` (A/M), ``period_year``, ``period_month``,
``flow`` (X, M, RX, RM ... kept apart), reporter/partner ``_area_code``/``_iso3``/``_area``/
``_is_aggregate`` (Comtrade area codes mapped through ``ref_country_codes``, incl. 842 USA,
699 India, 757 Switzerland, 251 France, 579 Norway, 490 Taiwan), ``code_digits``, ``hs6``,
``value_usd``, ``net_weight_kg``, ``quantity``, ``quantity_unit``, and the totals rule below.

Totals without double counting (``total_role``, ``counts_in_total``): Comtrade breaks a flow down
by second partner, customs procedure and mode of transport, and a total row sits beside its
breakdown. Per flow key (period, reporter, flow, partner, classification, commodity):

- the row with partner2 = 0 (world), customs C00 (all) and mode of transport 0 (all) is
  ``total``; every other row of that key is ``breakdown`` (kept, not counted);
- a key without such a row but broken down by mode of transport only (the Armenia vehicles
  file has no TOTAL MOT rows) counts its mode rows as ``part``: they are summed, except a mode
  whose parent mode (3000 Land above 3100 Railway ...) is also present, which is ``breakdown``;
- compact pulls dropped those three columns, so a total and its breakdown rows look alike:
  exact repeats are quarantined as 'duplicate row', and of the remaining rows of a key the one
  with the largest value is the ``total`` (breakdown values are parts of it, never larger). On
  the 2022 pull this makes each reporter's World row equal the sum of its partner rows for all
  4,379 reporter x product x flow triples.

Sum ``counts_in_total`` rows within one ``code_digits`` level (a heading and its subheadings
must never be added) and without ``_is_aggregate`` partners (World, EU).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence

import polars as pl

from orchestration.reference.areas import country_index
from orchestration.sources.common.base import (
    ParsedFile,
    Parser,
    SourceFile,
    SourceParseError,
    decode_text,
)
from orchestration.sources.common.trade import (
    PERIOD_SCHEMA,
    PRODUCT_SCHEMA,
    TextTable,
    area_columns,
    area_schema,
    drop_duplicates,
    product_columns,
    read_bytes,
    read_delimited,
    reject_unparsed_numbers,
    reject_unresolved,
    require_columns,
    resolve_column,
    text_schema,
    to_number,
    with_trade_lineage,
)

RECORDS, LEGACY, COMPACT = "records", "legacy_monthly", "compact"

# Field types of the API records (any other field is kept as text).
_INT = pl.Int64
_FLOAT = pl.Float64
_BOOL = pl.Boolean
_TEXT = pl.String
API_FIELDS: dict[str, pl.DataType] = {
    "typeCode": _TEXT, "freqCode": _TEXT, "refPeriodId": _INT, "refYear": _INT,
    "refMonth": _INT, "period": _TEXT, "reporterCode": _INT, "reporterISO": _TEXT,
    "reporterDesc": _TEXT, "flowCode": _TEXT, "flowDesc": _TEXT, "partnerCode": _INT,
    "partnerISO": _TEXT, "partnerDesc": _TEXT, "partner2Code": _INT, "partner2ISO": _TEXT,
    "partner2Desc": _TEXT, "classificationCode": _TEXT, "classificationSearchCode": _TEXT,
    "isOriginalClassification": _BOOL, "cmdCode": _TEXT, "cmdDesc": _TEXT, "aggrLevel": _INT,
    "isLeaf": _BOOL, "customsCode": _TEXT, "customsDesc": _TEXT, "mosCode": _TEXT,
    "motCode": _INT, "motDesc": _TEXT, "qtyUnitCode": _INT, "qtyUnitAbbr": _TEXT, "qty": _FLOAT,
    "isQtyEstimated": _BOOL, "altQtyUnitCode": _INT, "altQtyUnitAbbr": _TEXT, "altQty": _FLOAT,
    "isAltQtyEstimated": _BOOL, "netWgt": _FLOAT, "isNetWgtEstimated": _BOOL,
    "grossWgt": _FLOAT, "isGrossWgtEstimated": _BOOL, "cifvalue": _FLOAT, "fobvalue": _FLOAT,
    "primaryValue": _FLOAT, "legacyEstimationFlag": _INT, "isReported": _BOOL,
    "isAggregate": _BOOL,
}  # fmt: skip
API_REQUIRED = ("freqCode", "period", "reporterCode", "flowCode", "partnerCode", "cmdCode",
                "primaryValue")  # fmt: skip

LEGACY_COLUMNS = ("year", "month", "period", "trade_code", "reporter_code", "partner_code",
                  "commodity_code", "mot_code", "trade_value_us")  # fmt: skip
COMPACT_COLUMNS = ("year", "reporter", "partner", "cmd", "flow", "value", "netwgt", "qty",
                   "qtyunit")  # fmt: skip
COMPACT_REQUIRED = ("reporter", "partner", "cmd", "flow", "value")
_YEAR_IN_NAME = re.compile(r"(?<!\d)(\d{4})(?!\d)")


# --------------------------------------------------------------------------------------------
# Layout detection
# --------------------------------------------------------------------------------------------


def parse(file: SourceFile) -> ParsedFile:
    name = file.path.name.lower()
    if name.endswith((".json", ".json.gz")):
        return parse_api_json(file)
    table = read_delimited(file)
    header = set(table.header)
    if {"reporterCode", "flowCode", "primaryValue"} <= header:
        return parse_api_csv(file, table)
    if {"trade_code", "reporter_code", "trade_value_us"} <= header:
        return parse_legacy(file, table)
    if set(COMPACT_REQUIRED) <= header:
        return parse_compact(file, table)
    raise SourceParseError(
        file.relative_path, 1, f"not a known Comtrade layout (header: {table.header[:8]} ...)"
    )


# --------------------------------------------------------------------------------------------
# Shared rules
# --------------------------------------------------------------------------------------------


def pad_hs(code: pl.Expr) -> pl.Expr:
    """HS codes have an even number of digits; a spreadsheet that read them as numbers dropped
    the leading zero ('10121' for 010121): put it back."""
    code = code.str.strip_chars()
    odd = code.str.contains(r"^\d+$") & (code.str.len_chars() % 2 == 1)
    return pl.when(odd).then(pl.lit("0") + code).otherwise(code)


def mot_ancestors(code: int) -> list[int]:
    """Comtrade mode-of-transport codes nest by digits: 9000 > 9100 > 9110; 0 is all modes."""
    significant = str(code).rstrip("0")
    if code <= 0 or len(str(code)) != 4:
        return []
    return [int(significant[:i].ljust(4, "0")) for i in range(1, len(significant))]


def total_roles(
    keys: Sequence[tuple], mots: Sequence[int | None], is_total: Sequence[bool],
    mot_only: Sequence[bool],
) -> list[str]:  # fmt: skip
    """The totals rule of the module docstring, row by row."""
    has_total: dict[tuple, bool] = defaultdict(bool)
    present: dict[tuple, set[int]] = defaultdict(set)
    for key, mot, total, only in zip(keys, mots, is_total, mot_only, strict=True):
        has_total[key] |= total
        if only and mot is not None:
            present[key].add(mot)
    roles = []
    for key, mot, total, only in zip(keys, mots, is_total, mot_only, strict=True):
        if total:
            roles.append("total")
            continue
        covered = mot is None or any(a in present[key] for a in mot_ancestors(mot))
        roles.append("breakdown" if has_total[key] or not only or covered else "part")
    return roles


def with_roles(frame: pl.DataFrame, roles: list[str]) -> pl.DataFrame:
    return frame.with_columns(
        pl.Series("total_role", roles, dtype=pl.String),
        pl.Series("counts_in_total", [r != "breakdown" for r in roles], dtype=pl.Boolean),
    )


def with_areas(
    parsed: ParsedFile, table: str, frame: pl.DataFrame, columns: dict[str, str],
    publisher_columns: Sequence[str],
) -> pl.DataFrame:  # fmt: skip
    """Map Comtrade area codes (``columns``: raw column -> prefix) and quarantine unknown ones."""
    index = country_index()

    def resolve(value: object):
        text = str(value).strip() if value is not None else ""
        return index.comtrade_area(int(text)) if re.fullmatch(r"-?\d+", text) else None

    for raw, prefix in columns.items():
        frame = frame.with_columns(area_columns(resolve_column(frame, raw, resolve), prefix))
    checks = [(raw, f"{prefix}_area") for raw, prefix in columns.items()]
    return reject_unresolved(parsed, table, frame, checks, publisher_columns)


# --------------------------------------------------------------------------------------------
# records: API JSON and "get" CSV
# --------------------------------------------------------------------------------------------


def _coerce(value: object, dtype: pl.DataType) -> object:
    if value is None or value == "":
        return None
    if dtype == _TEXT:
        return str(value)
    if dtype == _BOOL:
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1")
    if isinstance(value, bool):
        raise ValueError(f"boolean {value} where a number is expected")
    return int(value) if dtype == _INT else float(value)


def _api_frame(file: SourceFile, records: list[dict]) -> pl.DataFrame:
    names = list(API_FIELDS) + sorted({k for r in records for k in r} - set(API_FIELDS))
    schema = {n: API_FIELDS.get(n, _TEXT) for n in names}
    rows = []
    for position, record in enumerate(records, start=1):
        try:
            rows.append({n: _coerce(record.get(n), schema[n]) for n in names})
        except (TypeError, ValueError) as err:
            raise SourceParseError(file.relative_path, position, f"bad field value: {err}") from err
    frame = pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
    return frame.with_columns(pl.Series("source_line", range(1, len(rows) + 1), dtype=pl.Int64))


def parse_api_json(file: SourceFile) -> ParsedFile:
    raw = read_bytes(file)
    try:
        document = json.loads(decode_text(raw, file.relative_path))
    except json.JSONDecodeError as err:
        raise SourceParseError(file.relative_path, err.lineno, f"invalid JSON: {err.msg}") from err
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        message = document.get("message") if isinstance(document, dict) else None
        reason = f"API error response: {message}" if message else "no 'data' list in the response"
        raise SourceParseError(file.relative_path, None, reason)
    records = document["data"]
    count = document.get("count")
    if isinstance(count, int) and count != len(records):
        raise SourceParseError(
            file.relative_path, None, f"'count' is {count} but 'data' holds {len(records)} records"
        )
    for position, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise SourceParseError(file.relative_path, position, "data record is not an object")
    return _finish_records(file, _api_frame(file, records))


def parse_api_csv(file: SourceFile, table: TextTable) -> ParsedFile:
    frame = table.frame()
    for name in API_FIELDS:
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(name))
    parsed = ParsedFile(tables={})
    typed = frame.with_columns(
        [_cast_text(name, dtype).alias(f"_t_{name}") for name, dtype in API_FIELDS.items()]
    )
    pairs = [(n, f"_t_{n}") for n, d in API_FIELDS.items() if d in (_INT, _FLOAT)]
    typed = reject_unparsed_numbers(parsed, RECORDS, typed, pairs, table.header)
    frame = typed.select(
        [pl.col(f"_t_{n}").alias(n) for n in API_FIELDS]
        + [c for c in table.header if c not in API_FIELDS]
        + ["source_line"]
    )
    return _finish_records(file, frame, parsed=parsed)


def _cast_text(name: str, dtype: pl.DataType) -> pl.Expr:
    if dtype == _BOOL:
        text = pl.col(name).str.strip_chars().str.to_lowercase()
        return (
            pl.when(text.is_in(["true", "1"]))
            .then(True)
            .when(text.is_in(["false", "0"]))
            .then(False)
            .otherwise(None)
        )
    if dtype in (_INT, _FLOAT):
        return to_number(name).cast(dtype, strict=False)
    return pl.col(name)


def _finish_records(
    file: SourceFile, frame: pl.DataFrame, parsed: ParsedFile | None = None
) -> ParsedFile:
    parsed = parsed or ParsedFile(tables={})
    publisher = [c for c in frame.columns if c != "source_line"]
    missing = [n for n in API_REQUIRED if frame[n].null_count() == frame.height and frame.height]
    if missing:
        raise SourceParseError(file.relative_path, None, f"required fields empty: {missing}")
    frame = drop_duplicates(parsed, RECORDS, frame, publisher)
    frame = with_areas(
        parsed, RECORDS, frame, {"reporterCode": "reporter", "partnerCode": "partner"}, publisher
    )
    frame = (
        frame.with_columns(
            pl.col("freqCode").str.to_uppercase().alias("frequency"),
            pl.coalesce(
                pl.col("refYear"), pl.col("period").str.slice(0, 4).cast(pl.Int64, strict=False)
            )
            .cast(pl.Int32)
            .alias("period_year"),
            pl.when(pl.col("freqCode").str.to_uppercase() == "M")
            .then(pl.coalesce(pl.col("refMonth"), pl.col("period").str.slice(4, 2).cast(pl.Int64)))
            .otherwise(None)
            .cast(pl.Int32)
            .alias("period_month"),
            pl.col("flowCode").str.to_uppercase().alias("flow"),
            pad_hs(pl.col("cmdCode")).alias("_cmd"),
            pl.col("primaryValue").alias("value_usd"),
            pl.col("netWgt").alias("net_weight_kg"),
            pl.col("qty").alias("quantity"),
            pl.col("qtyUnitAbbr").alias("quantity_unit"),
        )
        .with_columns(product_columns(pl.col("_cmd")))
        .drop("_cmd")
    )
    key_cols = ["typeCode", "freqCode", "period", "reporterCode", "flowCode", "partnerCode",
                "classificationCode", "cmdCode"]  # fmt: skip
    partner2 = frame["partner2Code"].fill_null(0).to_list()
    customs = frame["customsCode"].fill_null("C00").str.to_uppercase().to_list()
    mots = frame["motCode"].fill_null(0).to_list()
    mot_only = [p == 0 and c == "C00" for p, c in zip(partner2, customs, strict=True)]
    is_total = [only and m == 0 for only, m in zip(mot_only, mots, strict=True)]
    roles = total_roles(list(frame.select(key_cols).iter_rows()), mots, is_total, mot_only)
    frame = with_roles(frame, roles)
    parsed.tables[RECORDS] = with_trade_lineage(frame, file)
    return parsed


# --------------------------------------------------------------------------------------------
# legacy_monthly: comtradr-style CSV
# --------------------------------------------------------------------------------------------


def parse_legacy(file: SourceFile, table: TextTable) -> ParsedFile:
    parsed = ParsedFile(tables={})
    header = table.header
    require_columns(file, header, LEGACY_COLUMNS)
    frame = drop_duplicates(parsed, LEGACY, table.frame(), header)
    optional = {"netweight_kg": "_wgt", "Qty": "_qty"}
    frame = frame.with_columns(
        to_number("trade_value_us").alias("value_usd"),
        to_number("year").cast(pl.Int32, strict=False).alias("period_year"),
        to_number("month").cast(pl.Int32, strict=False).alias("_month"),
        to_number("mot_code").cast(pl.Int64, strict=False).alias("_mot"),
        *[
            (to_number(raw) if raw in header else pl.lit(None, dtype=pl.Float64)).alias(alias)
            for raw, alias in optional.items()
        ],
    )
    pairs = [("trade_value_us", "value_usd"), ("year", "period_year"), ("mot_code", "_mot")]
    pairs += [(raw, alias) for raw, alias in optional.items() if raw in header]
    frame = reject_unparsed_numbers(
        parsed, LEGACY, frame, pairs, header, required=("trade_value_us", "year")
    )
    frame = with_areas(
        parsed, LEGACY, frame, {"reporter_code": "reporter", "partner_code": "partner"}, header
    )
    monthly = pl.col("_month").is_between(1, 12)
    unit = pl.col("QtyUnitAbbr") if "QtyUnitAbbr" in header else pl.lit(None, dtype=pl.String)
    frame = frame.with_columns(
        pl.when(monthly).then(pl.lit("M")).otherwise(pl.lit("A")).alias("frequency"),
        pl.when(monthly).then(pl.col("_month")).otherwise(None).alias("period_month"),
        pl.col("trade_code").str.strip_chars().str.to_uppercase().alias("flow"),
        pad_hs(pl.col("commodity_code")).alias("_cmd"),
        pl.col("_wgt").alias("net_weight_kg"),
        pl.col("_qty").alias("quantity"),
        unit.alias("quantity_unit"),
    ).with_columns(product_columns(pl.col("_cmd")))
    keys = list(frame.select("period_year", "_month", "flow", "reporter_code", "partner_code",
                             "_cmd").iter_rows())  # fmt: skip
    mots = frame["_mot"].to_list()
    roles = total_roles(keys, mots, [m == 0 for m in mots], [True] * frame.height)
    frame = with_roles(frame, roles).drop("_month", "_mot", "_wgt", "_qty", "_cmd")
    parsed.tables[LEGACY] = with_trade_lineage(frame, file)
    return parsed


# --------------------------------------------------------------------------------------------
# compact: year,reporter,partner,cmd,flow,value,netwgt,qty,qtyunit
# --------------------------------------------------------------------------------------------


def year_from_name(file: SourceFile) -> int | None:
    found = _YEAR_IN_NAME.findall(file.path.name)
    return int(found[-1]) if found else None


def parse_compact(file: SourceFile, table: TextTable) -> ParsedFile:
    parsed = ParsedFile(tables={})
    header = table.header
    frame = table.frame()
    if "year" not in header:
        year = year_from_name(file)
        if year is None:
            raise SourceParseError(file.relative_path, 1, "no year column and no year in the name")
        frame = frame.with_columns(pl.lit(str(year)).alias("year"))
    for name in COMPACT_COLUMNS:
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(name))
    frame = frame.select([*COMPACT_COLUMNS, "source_line"])
    publisher = list(COMPACT_COLUMNS)
    frame = drop_duplicates(parsed, COMPACT, frame, publisher)
    frame = frame.with_columns(
        to_number("value").alias("value_usd"),
        to_number("netwgt").alias("net_weight_kg"),
        to_number("qty").alias("quantity"),
        to_number("year").cast(pl.Int32, strict=False).alias("period_year"),
    )
    frame = reject_unparsed_numbers(
        parsed, COMPACT, frame,
        [("value", "value_usd"), ("netwgt", "net_weight_kg"), ("qty", "quantity"),
         ("year", "period_year")],
        publisher, required=("value", "year"),
    )  # fmt: skip
    frame = with_areas(parsed, COMPACT, frame, {"reporter": "reporter", "partner": "partner"},
                       publisher)  # fmt: skip
    frame = frame.with_columns(
        pl.lit("A").alias("frequency"),
        pl.lit(None, dtype=pl.Int32).alias("period_month"),
        pl.col("qtyunit").alias("quantity_unit"),
        pad_hs(pl.col("cmd")).alias("_cmd"),
    ).with_columns(product_columns(pl.col("_cmd")))
    key = ["period_year", "reporter", "partner", "_cmd", "flow"]
    rank = (
        pl.struct(
            pl.col("value_usd").fill_null(float("-inf")),
            pl.col("net_weight_kg").fill_null(float("-inf")),
            -pl.col("source_line"),
        )
        .rank("ordinal", descending=True)
        .over(key)
    )
    frame = frame.with_columns(
        pl.when(rank == 1).then(pl.lit("total")).otherwise(pl.lit("breakdown")).alias("total_role")
    ).with_columns(
        (pl.col("total_role") == "total").alias("counts_in_total"),
        pl.len().over(key).cast(pl.Int32).alias("rows_for_key"),
    )
    frame = frame.drop("_cmd")  # ``flow`` (X/M) is the publisher's own column in this layout
    parsed.tables[COMPACT] = with_trade_lineage(frame, file)
    return parsed


# Column types of the raw tables (SourceSpec.schemas): the publisher's required fields and the
# typed columns every layout adds; a file with more fields widens its table when it is loaded.
_TYPED: dict[str, pl.DataType] = {
    **area_schema("reporter"), **area_schema("partner"), **PERIOD_SCHEMA, "flow": _TEXT,
    "value_usd": _FLOAT, "net_weight_kg": _FLOAT, "quantity": _FLOAT, "quantity_unit": _TEXT,
    **PRODUCT_SCHEMA, "total_role": _TEXT, "counts_in_total": _BOOL,
}  # fmt: skip
SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    RECORDS: {**API_FIELDS, **_TYPED},
    LEGACY: {**text_schema(LEGACY_COLUMNS), **_TYPED},
    COMPACT: {**text_schema(COMPACT_COLUMNS), **_TYPED, "rows_for_key": pl.Int32},
}

# The YAML beside this module (comtrade.yml) says which files and tables it reads.
PARSERS = {"comtrade": Parser(parse=parse, schemas=SCHEMAS)}
