"""BACI-shaped extracts: a year, a few HS6 codes or a few countries cut from a BACI release and
passed around under other names, as CSV or Parquet.

What makes a file BACI-shaped: one row per exporter, importer and HS6 product (and year), with
a value. The columns may be BACI's own letters or the usual longer names (case does not matter):

    year       t, year                          (or the year in the file name or sidecar)
    exporter   i, exporter, exporter_iso3, exporter_code
    importer   j, importer, importer_iso3, importer_code
    product    k, hs6, cmd, product, product_code
    value      v, value_kusd, v_kusd            thousand USD (BACI's unit)
               value_usd, value                 USD (``value``: see below)
    quantity   q, qty_t, quantity, quantity_tonnes   metric tons (optional)

Exporters and importers are BACI numeric codes (mapped to ISO3 through ref_country_codes, the
retired ones included) or ISO3 codes; BACI's own three-character codes for areas (S19 "Other
Asia, nes" ...) stay as published, with ``exporter_iso3`` null, for the staging model to map
through BACI's country table. A column named plain ``value`` is taken as USD: BACI's own
column is ``v``, and an extract renames it when it converts the unit (the critical-materials
extracts multiply by 1000, checked against their Parquet twin's ``value_kusd``); a sidecar
saying ``value_unit: thousand_usd`` overrides that.

The HS revision (``HS17``) and BACI version (``V202601``) come from the file name, else from a
folder name on its path (``BACI_HS17_V202601/``), else from a sidecar YAML beside the file
(``<file name>.yml``: ``hs_revision``, ``version``, ``year``, ``value_unit``). A file whose HS
revision, year, or any required column cannot be found is refused with the reason; a row whose
country, code or value cannot be read goes to the quarantine with its line.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import polars as pl
import yaml

from orchestration.reference.countries import iso3_from_baci, to_iso3
from orchestration.sources.common.base import (
    ParsedFile,
    Parser,
    SourceFile,
    SourceParseError,
    with_lineage,
)
from orchestration.sources.common.trade import raw_line, read_delimited, reject_where

TABLE = "trade"

ROLES: dict[str, tuple[str, ...]] = {
    "year": ("t", "year"),
    "exporter": ("i", "exporter", "exporter_iso3", "exporter_code"),
    "importer": ("j", "importer", "importer_iso3", "importer_code"),
    "product": ("k", "hs6", "cmd", "product", "product_code"),
    "value_kusd": ("v", "value_kusd", "v_kusd"),
    "value_usd": ("value_usd", "value"),
    "quantity": ("q", "qty_t", "quantity", "quantity_tonnes"),
}
REQUIRED = ("exporter", "importer", "product")

_REVISION = re.compile(r"(?<![A-Za-z0-9])(HS\d\d)(?![0-9])", re.IGNORECASE)
_VERSION = re.compile(r"(?<![A-Za-z0-9])V(\d{6}[a-z]?)(?![0-9])", re.IGNORECASE)
_YEAR = re.compile(r"(?:(?<=[^A-Za-z0-9])|(?<=^)|(?<=Y))((?:19|20)\d{2})(?![0-9])")
SIDECAR_KEYS = {"hs_revision", "version", "year", "value_unit"}
VALUE_UNITS = {"usd": 1.0, "thousand_usd": 1000.0}

SCHEMA: dict[str, pl.DataType] = {
    "year": pl.Int32,
    "exporter": pl.String,
    "importer": pl.String,
    "exporter_iso3": pl.String,
    "importer_iso3": pl.String,
    "hs6": pl.String,
    "value_usd": pl.Float64,
    "quantity_tonnes": pl.Float64,
    "hs_revision": pl.String,
    "baci_version": pl.String,
    "release_from": pl.String,
}


def is_sidecar(path: Path) -> bool:
    return path.suffix.lower() in (".yml", ".yaml")


def sidecar_path(data: Path) -> Path | None:
    for suffix in (".yml", ".yaml"):
        candidate = data.with_name(data.name + suffix)
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(file: SourceFile, path: Path) -> dict:
    try:
        found = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise SourceParseError(file.relative_path, None, f"unreadable sidecar YAML: {err}") from err
    if not isinstance(found, dict) or set(found) - SIDECAR_KEYS:
        unknown = sorted(set(found) - SIDECAR_KEYS) if isinstance(found, dict) else found
        raise SourceParseError(
            file.relative_path, None,
            f"sidecar keys must be among {sorted(SIDECAR_KEYS)}, found {unknown}",
        )  # fmt: skip
    unit = found.get("value_unit")
    if unit is not None and unit not in VALUE_UNITS:
        raise SourceParseError(
            file.relative_path, None, f"value_unit must be one of {sorted(VALUE_UNITS)}"
        )
    return found


def release_of(file: SourceFile, sidecar: dict) -> dict[str, str | None]:
    """HS revision, version and year: the file name first, then the folders on its path (the
    nearest first), then the sidecar. ``release_from`` says where the revision came from."""
    parts = [
        PurePosixPath(file.relative_path).name,
        *reversed(PurePosixPath(file.relative_path).parts[2:-1]),
    ]
    found: dict[str, str | None] = {"hs_revision": None, "version": None, "year": None}
    where = None
    for index, part in enumerate(parts):
        stem = part.split(".")[0]
        if found["hs_revision"] is None and (m := _REVISION.search(stem)):
            found["hs_revision"] = m.group(1).upper()
            where = "file name" if index == 0 else "folder"
        if found["version"] is None and (m := _VERSION.search(stem)):
            found["version"] = "V" + m.group(1)
        if found["year"] is None and index == 0:
            no_version = _VERSION.sub("", stem)
            years = _YEAR.findall(no_version)
            found["year"] = years[-1] if len(set(years)) == 1 else None
    for key in found:
        if found[key] is None and sidecar.get(key) is not None:
            value = str(sidecar[key])
            if key == "hs_revision":
                value = value.upper()
                where = "sidecar"
            if key == "version" and not value.upper().startswith("V"):
                value = "V" + value
            found[key] = value
    found["release_from"] = where
    return found


def _read(file: SourceFile) -> pl.DataFrame:
    name = file.path.name.lower()
    if name.endswith(".parquet"):
        try:
            frame = pl.read_parquet(file.path)
        except (pl.exceptions.PolarsError, OSError) as err:
            raise SourceParseError(file.relative_path, None, f"unreadable Parquet: {err}") from err
        # Parquet has no lines: a row's place (1 = first row) stands for its line.
        frame = frame.with_columns(pl.all().cast(pl.String))
        return frame.with_columns(
            pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias("source_line")
        )
    return read_delimited(file, delimiter=None).frame()


def _roles(file: SourceFile, columns: list[str]) -> dict[str, str]:
    lower = {c.strip().lower(): c for c in columns if c != "source_line"}
    chosen = {}
    for role, names in ROLES.items():
        hits = [lower[n] for n in names if n in lower]
        if len(hits) > 1:
            raise SourceParseError(
                file.relative_path, 1, f"columns {hits} both read as the {role}: keep one"
            )
        if hits:
            chosen[role] = hits[0]
    missing = [r for r in REQUIRED if r not in chosen]
    if "value_kusd" not in chosen and "value_usd" not in chosen:
        missing.append("value")
    if "value_kusd" in chosen and "value_usd" in chosen:
        raise SourceParseError(
            file.relative_path, 1,
            f"two value columns ({chosen['value_kusd']}, {chosen['value_usd']}): keep one",
        )  # fmt: skip
    if missing:
        expected = {r: ROLES.get(r, ROLES["value_kusd"] + ROLES["value_usd"]) for r in missing}
        raise SourceParseError(
            file.relative_path, 1,
            f"not BACI-shaped: no column for {missing} (expected one of {expected}); "
            f"found {[c for c in columns if c != 'source_line']}",
        )  # fmt: skip
    return chosen


_BACI_CODE = re.compile(r"\d{1,3}|[A-Z][A-Z0-9]{2}")


def _country(code: str | None) -> str | None:
    """ISO3 of a BACI numeric code or an ISO3 code; '' for a code of BACI's own (S19 "Other
    Asia, nes", R20 ...: the staging model maps it through BACI's country table); None for
    anything that is not a country code at all."""
    text = (code or "").strip()
    if not _BACI_CODE.fullmatch(text):
        return None
    found = iso3_from_baci(int(text)) if text.isdigit() else to_iso3(text)
    return found or ""


def parse(file: SourceFile) -> ParsedFile:
    if is_sidecar(file.path):
        # A sidecar describes the data file beside it, which reads it; it holds no rows.
        read_sidecar(file, file.path)
        return ParsedFile(tables={})
    side = sidecar_path(file.path)
    sidecar = read_sidecar(file, side) if side else {}
    release = release_of(file, sidecar)
    if release["hs_revision"] is None:
        raise SourceParseError(
            file.relative_path, None,
            "no HS revision: name it in the file or folder name (HS17, HS22 ...) or in a "
            f"sidecar {file.path.name}.yml (hs_revision: HS17)",
        )  # fmt: skip
    frame = _read(file)
    roles = _roles(file, frame.columns)
    if "year" not in roles and release["year"] is None:
        raise SourceParseError(
            file.relative_path, 1,
            "no year: the file has no t or year column, and neither its name nor a sidecar "
            "gives one",
        )  # fmt: skip
    publisher = [c for c in frame.columns if c != "source_line"]
    parsed = ParsedFile(tables={})
    if "value_kusd" in roles:
        scale, value_column = 1000.0, roles["value_kusd"]
    else:
        scale = VALUE_UNITS[sidecar.get("value_unit", "usd")]
        value_column = roles["value_usd"]
    year_text = pl.col(roles["year"]) if "year" in roles else pl.lit(release["year"])
    exporters = {v: _country(v) for v in frame[roles["exporter"]].unique().to_list()}
    importers = {v: _country(v) for v in frame[roles["importer"]].unique().to_list()}
    product = pl.col(roles["product"]).str.strip_chars()
    typed = frame.with_columns(
        year_text.str.strip_chars().cast(pl.Int32, strict=False).alias("_year"),
        pl.col(roles["exporter"]).replace_strict(exporters, default=None, return_dtype=pl.String)
        .alias("exporter_iso3"),
        pl.col(roles["importer"]).replace_strict(importers, default=None, return_dtype=pl.String)
        .alias("importer_iso3"),
        pl.when(product.str.contains(r"^\d{5,6}$")).then(product.str.zfill(6)).alias("hs6"),
        (pl.col(value_column).str.strip_chars().cast(pl.Float64, strict=False) * scale)
        .alias("value_usd"),
        (pl.col(roles["quantity"]).str.strip_chars().replace({"NA": None, "": None})
         .cast(pl.Float64, strict=False) if "quantity" in roles else pl.lit(None, pl.Float64))
        .alias("quantity_tonnes"),
    )  # fmt: skip
    reason = (
        pl.when(pl.col("_year").is_null())
        .then(pl.format("year is not a year: '{}'", year_text))
        .when(pl.col("exporter_iso3").is_null())
        .then(pl.format("exporter '{}' is not a BACI or ISO3 country code",
                        pl.col(roles["exporter"])))
        .when(pl.col("importer_iso3").is_null())
        .then(pl.format("importer '{}' is not a BACI or ISO3 country code",
                        pl.col(roles["importer"])))
        .when(pl.col("hs6").is_null())
        .then(pl.format("product '{}' is not an HS6 code", pl.col(roles["product"])))
        .when(pl.col("value_usd").is_null())
        .then(pl.format("value is not a number: '{}'", pl.col(value_column)))
    )  # fmt: skip
    typed = reject_where(parsed, TABLE, typed, reason.is_not_null(), reason, publisher)
    key = ["_year", "exporter_iso3", "importer_iso3", "hs6"]
    first = typed.select(pl.struct(key).is_first_distinct()).to_series()
    for row in typed.filter(~first).select([*publisher, "source_line"]).iter_rows():
        parsed.reject(TABLE, int(row[-1]), "duplicate row (year, exporter, importer, HS6)",
                      raw_line(row[:-1]))  # fmt: skip
    typed = typed.filter(first).with_columns(
        pl.col("exporter_iso3").replace("", None), pl.col("importer_iso3").replace("", None)
    )
    out = typed.select(
        pl.col("_year").alias("year"),
        pl.col(roles["exporter"]).alias("exporter"),
        pl.col(roles["importer"]).alias("importer"),
        "exporter_iso3",
        "importer_iso3",
        "hs6",
        "value_usd",
        "quantity_tonnes",
        pl.lit(release["hs_revision"]).alias("hs_revision"),
        pl.lit(release["version"], dtype=pl.String).alias("baci_version"),
        pl.lit(release["release_from"], dtype=pl.String).alias("release_from"),
        "source_line",
    )
    parsed.tables[TABLE] = with_lineage(out, file)
    return parsed


PARSERS = {"baci_extract": Parser(parse=parse, schemas={TABLE: SCHEMA})}
