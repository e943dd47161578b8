"""Reading and checking an analyst's shipments file (CSV, XLSX or Parquet).

One row per shipment. Columns (header names are case-insensitive, spaces read as underscores):

- ``counterparty`` (or ``counterparty_id``): the ``id`` of a row of the counterparty file;
- ``date``: the shipment date, ``YYYY-MM-DD`` (``YYYY-MM`` reads as the first of the month);
- ``hs6`` and/or ``cn8``: the product code, digits (dots and spaces ignored); a CN8 code gives
  its HS6 as its first six digits, and a row with both must agree. A code one digit short (a
  spreadsheet dropped the leading zero of chapters 01-09) is padded;
- ``hs_version`` (optional): ``HS2017`` or ``HS2022``; by default the version in force at the
  date (HS2022 from 2022-01-01, HS2017 from 2017-01-01; earlier dates need the column);
- ``value`` and ``currency``: USD as it is, EUR converted at the ECB monthly mean of the month
  of the shipment (:func:`orchestration.reference.fx.usd_per_eur`); other
  currencies are refused, there is no rate source for them;
- ``destination`` (or ``destination_country``): ISO2 or ISO3 code.

A file that cannot be used fails as a whole with :class:`SourceParseError` naming the file, the
line (CSV) or row (XLSX, Parquet) and the field, like the counterparty reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl

from orchestration.reference.countries import to_iso2, to_iso3
from orchestration.reference.fx import FX_TABLE, usd_per_eur
from orchestration.screening.counterparties import read_table
from orchestration.sources.common.base import SourceParseError

ALIASES = {"counterparty_id": "counterparty", "destination_country": "destination"}
REQUIRED = ("counterparty", "date", "value", "currency", "destination")
HS_VERSIONS = {"hs2017": "HS2017", "hs17": "HS2017", "2017": "HS2017",
               "hs2022": "HS2022", "hs22": "HS2022", "2022": "HS2022"}  # fmt: skip
SHIPMENT_SCHEMA = {
    "counterparty_id": pl.String,
    "shipment_date": pl.Date,
    "hs6": pl.String,
    "cn8": pl.String,
    "hs_version": pl.String,
    "value": pl.Float64,
    "currency": pl.String,
    "usd_per_eur": pl.Float64,
    "value_usd": pl.Float64,
    "destination_iso2": pl.String,
    "destination_iso3": pl.String,
    "source_line": pl.Int64,
}
_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")

Fail = Callable[[str, str], SourceParseError]


def read_shipments(path: Path | str, counterparty_ids: set[str] | None = None) -> pl.DataFrame:
    """Read and validate a shipments file; ``counterparty_ids``, when given, are the ids a
    shipment may name. Columns out: ``SHIPMENT_SCHEMA``."""
    path = Path(path)
    columns, rows, unit = read_table(path)
    columns = [ALIASES.get(c, c) for c in columns]
    missing = [c for c in REQUIRED if c not in columns]
    if "hs6" not in columns and "cn8" not in columns:
        missing.append("hs6 or cn8")
    if missing:
        raise SourceParseError(path, 1, f"no column(s) {', '.join(missing)} in the header")
    out = []
    for number, values in rows:
        record = {c: v.strip() for c, v in zip(columns, values, strict=False)}

        def fail(field: str, reason: str, number: int = number) -> SourceParseError:
            return SourceParseError(path, number, f"{unit} {number}, field '{field}': {reason}")

        out.append((*_row(record, fail, counterparty_ids), number))
    return pl.DataFrame(out, schema=SHIPMENT_SCHEMA, orient="row")


def _row(record: dict[str, str], fail: Fail, ids: set[str] | None) -> tuple:
    counterparty = record["counterparty"]
    if not counterparty:
        raise fail("counterparty", "empty counterparty id")
    if ids is not None and counterparty not in ids:
        raise fail("counterparty", f"no counterparty with id {counterparty!r}")
    day = _date(record["date"], fail)
    hs6, cn8 = _codes(record.get("hs6", ""), record.get("cn8", ""), fail)
    hs_version = _hs_version(record.get("hs_version", ""), day, fail)
    value = _value(record["value"], fail)
    currency, rate = _currency(record["currency"], day, fail)
    destination = record["destination"]
    if not destination:
        raise fail("destination", "empty destination country")
    iso2 = to_iso2(destination)
    if iso2 is None:
        raise fail("destination", f"unknown country code {destination!r} (ISO2 or ISO3 expected)")
    value_usd = value * rate if rate is not None else value
    return (counterparty, day, hs6, cn8, hs_version, value, currency, rate, value_usd, iso2,
            to_iso3(iso2))  # fmt: skip


def _date(text: str, fail: Fail) -> date:
    match = _DATE.fullmatch(text)
    if not match:
        raise fail("date", f"not a date {text!r} (YYYY-MM-DD expected)")
    year, month, day = match.groups()
    try:
        return date(int(year), int(month), int(day or 1))
    except ValueError as err:
        raise fail("date", f"not a date {text!r} ({err})") from None


def _digits(text: str, width: int, field: str, fail: Fail) -> str | None:
    code = re.sub(r"[.\s]", "", text)
    if not code:
        return None
    if not code.isdigit() or len(code) not in (width - 1, width):
        raise fail(field, f"not a {width}-digit code: {text!r}")
    return code.zfill(width)


def _codes(hs6_text: str, cn8_text: str, fail: Fail) -> tuple[str, str | None]:
    hs6 = _digits(hs6_text, 6, "hs6", fail)
    cn8 = _digits(cn8_text, 8, "cn8", fail)
    if hs6 is None and cn8 is None:
        raise fail("hs6", "no product code (hs6 or cn8)")
    if hs6 is not None and cn8 is not None and cn8[:6] != hs6:
        raise fail("cn8", f"CN8 {cn8} does not belong to HS6 {hs6}")
    return hs6 or cn8[:6], cn8  # type: ignore[index]


def _hs_version(text: str, day: date, fail: Fail) -> str:
    if text:
        version = HS_VERSIONS.get(text.lower().replace(" ", ""))
        if version is None:
            raise fail("hs_version", f"unknown HS version {text!r} (HS2017 or HS2022)")
        return version
    if day >= date(2022, 1, 1):
        return "HS2022"
    if day >= date(2017, 1, 1):
        return "HS2017"
    raise fail("hs_version", f"a shipment of {day} needs an hs_version (HS2017 or HS2022)")


def _value(text: str, fail: Fail) -> float:
    if not _NUMBER.fullmatch(text):
        raise fail("value", f"not a number {text!r} (digits and a decimal point)")
    value = float(text)
    if value < 0:
        raise fail("value", f"negative value {text}")
    return value


def _currency(text: str, day: date, fail: Fail) -> tuple[str, float | None]:
    currency = text.upper()
    if currency == "USD":
        return currency, None
    if currency == "EUR":
        rate = usd_per_eur(day.year, day.month)
        if rate is None:
            raise fail("currency", f"no EUR/USD rate for {day:%Y-%m} in {FX_TABLE.name}")
        return currency, rate
    raise fail("currency", f"currency {text!r} not supported (USD, or EUR converted at the "
                           "ECB monthly rate)")  # fmt: skip
