"""Helpers shared by the trade-statistics parsers (Comtrade, Comext, national offices).

Three jobs, kept small: read a publisher's delimited text with exact line numbers, resolve the
many ways publishers name a country (numeric codes, ISO2, labels in several languages) to ISO3
with the committed reference seed, and convert EUR to USD with the committed monthly ECB table.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polars as pl

from orchestration.sources.common.base import (
    LINEAGE_COLUMNS,
    ParsedFile,
    SourceFile,
    SourceParseError,
    decode_text,
    with_lineage,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
REFERENCE_SEEDS = REPO_ROOT / "dbt_project" / "seeds" / "reference"
COUNTRY_SEED = REFERENCE_SEEDS / "ref_country_codes.csv"
FX_SEED = REFERENCE_SEEDS / "ref_fx_eur_usd_monthly.csv"

# Kinds of area a trade row can name. Only "country" rows carry an ISO3 code; "aggregate" rows
# (World, EU27, continents ...) sum other rows and must never be added to them; "other" rows
# (areas not elsewhere specified, stores and provisions, high seas, Ceuta ...) are genuine parts
# of a total that belong to no ISO country.
COUNTRY, AGGREGATE, OTHER = "country", "aggregate", "other"


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
    raw = file.path.read_bytes()
    if file.path.name.lower().endswith(".gz"):
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError) as err:
            raise SourceParseError(
                file.relative_path, None, f"not a valid gzip file ({err})"
            ) from err
    return raw


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
# Labels and areas
# --------------------------------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_TRAILING_NOTE = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)\s*$")
_CODE_LABEL = re.compile(r"^([A-Z0-9][A-Z0-9_]*)-(.+)$")


def normalise_label(text: str) -> str:
    """A matching key for a place name: accents, case, quotes, punctuation, 'the' and spacing
    removed, 'St' spelt 'saint'.

    'Côte d’Ivoire' and "Cote d' Ivoire" give the same key; Cyrillic letters are kept (NFKD only
    strips combining marks), so Russian labels match the Russian names in the seed.
    """
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("&", " and ")
    words = re.sub(r"[^\w]+", " ", text).split()
    return " ".join("saint" if w == "st" else w for w in words if w != "the")


def strip_note(text: str) -> str:
    """'Germany (incl. German Democratic Republic 'DD' from 1991)' -> 'Germany'."""
    previous = None
    while previous != text:
        previous, text = text, _TRAILING_NOTE.sub("", text)
    return text.strip()


def invert_comma(text: str) -> str:
    """'Korea, Republic of' -> 'Republic of Korea' (code lists put the key word first)."""
    head, sep, tail = text.partition(", ")
    return f"{tail} {head}" if sep and "," not in tail else text


class LabelMatcher:
    """Place names to ISO3, tolerant of notes, word order and spelling of accents.

    Exact keys (the whole name, or its comma-inverted form) win over keys made by stripping a
    trailing note, so 'Congo' (Republic of the Congo) is not lost to 'Congo (Democratic
    Republic of the)'. A key two countries share identifies neither and is dropped.
    """

    def __init__(self) -> None:
        self._exact: dict[str, set[str]] = {}
        self._bare: dict[str, set[str]] = {}

    def add(self, name: str, iso3: str) -> None:
        for key in {normalise_label(name), normalise_label(invert_comma(name))}:
            self._exact.setdefault(key, set()).add(iso3)
        bare = strip_note(name)
        for key in {normalise_label(bare), normalise_label(invert_comma(bare))}:
            self._bare.setdefault(key, set()).add(iso3)

    def match(self, label: str) -> str | None:
        bare = strip_note(label)
        keys = [
            normalise_label(label),
            normalise_label(invert_comma(label)),
            normalise_label(bare),
            normalise_label(invert_comma(bare)),
        ]
        for index in (self._exact, self._bare):
            for key in keys:
                found = index.get(key, ())
                if len(found) == 1:
                    return next(iter(found))
        return None


def split_code_label(text: str) -> tuple[str | None, str]:
    """Eurostat exports sometimes write 'CODE-Label' ('TOTAL-Total', '2-EXPORT'); a code is
    upper case letters, digits and underscores only, so 'Guinea-Bissau' stays a label."""
    match = _CODE_LABEL.match(text.strip())
    if match:
        return match.group(1), match.group(2).strip()
    return None, text.strip()


@dataclass(frozen=True)
class Area:
    """What a code or label names: an ISO country, an aggregate, or another area."""

    code: str  # ISO2 for countries; the publisher's (or a documented) code otherwise
    kind: str  # COUNTRY | AGGREGATE | OTHER
    iso3: str | None = None

    @property
    def is_aggregate(self) -> bool:
        return self.kind == AGGREGATE


# Group and bucket labels seen in Eurostat exports and national tables. Regular expressions on
# normalise_label() text, tried in order; codes are Eurostat's where it has one (EU27_2020,
# EU28, EA20, the Q* geonomenclature buckets, XC Ceuta, XL Melilla), otherwise descriptive.
_GROUP_PATTERNS: tuple[tuple[str, str, str], ...] = (
    (r"^(european union|union europeenne) (27 countries|27 pays)", "EU27_2020", AGGREGATE),
    (r"^(european union|union europeenne) (28 countries|28 pays)", "EU28", AGGREGATE),
    (r"^(european union|union europeenne)\b", "EU", AGGREGATE),
    (r"^(euro area|zone euro) (\d+) (countries|pays)", "EA{2}", AGGREGATE),
    (r"^(euro area|zone euro)\b", "EA", AGGREGATE),
    (r"^extra (eu|ue) ?27", "EXTRA_EU27_2020", AGGREGATE),
    (r"^intra (eu|ue) ?27", "INTRA_EU27_2020", AGGREGATE),
    (r"^(world|all countries of world|monde)$", "WORLD", AGGREGATE),
    (r"^(africa|asia|europe|america|australia and oceania)$", "{0}", AGGREGATE),
    (r"^commonwealth of independent states$", "CIS", AGGREGATE),
    (r"^eurasian economic union$", "EAEU", AGGREGATE),
    (r"^non eaeu countries$", "NON_EAEU", AGGREGATE),
    (r"^non eu countries$", "NON_EU", AGGREGATE),
    (r"^rest of world$", "REST_OF_WORLD", AGGREGATE),
    (r"^shanghai cooperation organisation$", "SCO", AGGREGATE),
    (r"(stores and provisions|avitaillement).*(intra)", "QR", OTHER),
    (r"(stores and provisions|avitaillement).*(extra|third countr|pays tiers)", "QS", OTHER),
    (r"(stores and provisions|avitaillement)", "QQ", OTHER),
    (r"(commercial or military|militaires).*(intra)", "QY", OTHER),
    (r"(commercial or military|militaires).*(extra|third countr|pays tiers)", "QZ", OTHER),
    (r"(commercial or military|militaires)", "QX", OTHER),
    (r"(not specified|not determined|non determines|non precises).*(intra)", "QV", OTHER),
    (
        r"(not specified|not determined|non determines|non precises).*(extra|third|pays tiers)",
        "QW",
        OTHER,
    ),
    (r"(countries and territories not specified|pays et territoires non)", "QU", OTHER),
    (r"^(high seas|haute mer)\b", "QP", OTHER),
    (r"^ceuta\b", "XC", OTHER),
    (r"^melilla\b", "XL", OTHER),
    (r"^(unknown country|other countries|eu countries not specified)$", "{0}", OTHER),
    (r"^nagorno( |-)?kara(bakh|bagh)$", "NAGORNO_KARABAKH", OTHER),
    (r"^channel islands$", "CHANNEL_ISLANDS", OTHER),
    # Dissolved areas that still appear in long series; Eurostat kept their old codes.
    (r"^(netherlands antilles|antilles neerlandaises)\b", "AN", OTHER),
    (r"^(serbia and montenegro|serbie et montenegro)\b", "CS", OTHER),
)


def group_area(label: str) -> Area | None:
    """The aggregate or bucket a label names, or None when it is not a group label."""
    key = normalise_label(label)
    for pattern, code, kind in _GROUP_PATTERNS:
        match = re.search(pattern, key)
        if match:
            groups = [key, *match.groups()]
            resolved = code.format(*groups).upper().replace(" ", "_")
            return Area(code=resolved, kind=kind)
    return None


# Comtrade area codes with no ISO country behind them (UNSD "Comtrade Country Code and Name").
_COMTRADE_NON_ISO: dict[int, Area] = {
    0: Area("WORLD", AGGREGATE),
    97: Area("EU", AGGREGATE),
    **{
        code: Area(f"CT{code}", OTHER)
        for code in (
            129, 221, 290, 471, 472, 473, 492, 527, 536, 568, 577,
            636, 637, 697, 837, 838, 839, 849, 879, 899,
        )
    },
}  # fmt: skip


@dataclass
class CountryIndex:
    """Lookups built from the committed ``ref_country_codes`` seed."""

    by_comtrade: dict[int, str] = field(default_factory=dict)
    by_iso2: dict[str, str] = field(default_factory=dict)
    iso2_of: dict[str, str] = field(default_factory=dict)
    labels: LabelMatcher = field(default_factory=LabelMatcher)
    eu27: frozenset[str] = frozenset()

    @classmethod
    def from_csv(cls, path: Path = COUNTRY_SEED) -> CountryIndex:
        index = cls()
        eu27: set[str] = set()
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                iso3 = row["iso3"]
                if row["iso2"]:
                    index.by_iso2[row["iso2"]] = iso3
                    index.iso2_of[iso3] = row["iso2"]
                codes = [row["comtrade_code"], *row["comtrade_codes_other"].split("|")]
                for code in filter(None, codes):
                    index.by_comtrade[int(code)] = iso3
                if row["is_eu27"] == "true":
                    eu27.add(iso3)
                names = [
                    row["name"],
                    *row["eurostat_labels"].split("|"),
                    *row["aliases"].split("|"),
                ]
                for name in filter(None, names):
                    index.labels.add(name, iso3)
        index.eu27 = frozenset(eu27)
        return index

    def _country(self, iso3: str) -> Area:
        return Area(code=self.iso2_of.get(iso3, iso3), kind=COUNTRY, iso3=iso3)

    def comtrade_area(self, code: int) -> Area | None:
        if code in self.by_comtrade:
            return self._country(self.by_comtrade[code])
        return _COMTRADE_NON_ISO.get(code)

    def code_area(self, code: str) -> Area | None:
        """An ISO2 / Eurostat geo code ('DE', 'GR', 'EU27_2020', 'QS')."""
        code = code.strip().upper()
        if code in self.by_iso2:
            return self._country(self.by_iso2[code])
        known = {p[1] for p in _GROUP_PATTERNS if "{" not in p[1]}
        if code in known or re.fullmatch(r"EA\d+", code):
            kind = next((p[2] for p in _GROUP_PATTERNS if p[1] == code), AGGREGATE)
            return Area(code=code, kind=kind)
        return None

    def label_area(self, label: str) -> Area | None:
        """A place label in any of the seed's languages, or a 'CODE-Label' pair."""
        code, text = split_code_label(label)
        if code is not None:
            found = self.code_area(code)
            if found is not None:
                return found
        iso3 = self.labels.match(text)
        if iso3 is not None:
            return self._country(iso3)
        return group_area(text)


@lru_cache(maxsize=4)
def country_index(path: Path = COUNTRY_SEED) -> CountryIndex:
    return CountryIndex.from_csv(path)


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


# --------------------------------------------------------------------------------------------
# EUR -> USD
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def fx_monthly(path: Path = FX_SEED) -> pl.DataFrame:
    """The committed monthly ECB table: year, month, usd_per_eur."""
    return pl.read_csv(
        path, schema_overrides={"year": pl.Int32, "month": pl.Int32, "usd_per_eur": pl.Float64}
    ).select("year", "month", "usd_per_eur")


def add_usd(frame: pl.DataFrame, eur_column: str, path: Path = FX_SEED) -> pl.DataFrame:
    """Add ``usd_per_eur`` and ``value_usd`` from columns period_year, period_month, frequency.

    Monthly rows use that month's average; annual rows the mean of the year's twelve monthly
    averages (null unless all twelve are in the table). Months past the table stay null.
    """
    monthly = fx_monthly(path).rename(
        {"year": "period_year", "month": "period_month", "usd_per_eur": "_monthly"}
    )
    annual = (
        monthly.group_by("period_year")
        .agg(pl.col("_monthly").mean().alias("_annual"), pl.len().alias("_months"))
        .filter(pl.col("_months") == 12)
        .drop("_months")
    )
    keys = frame.select(
        pl.col("period_year").cast(pl.Int32), pl.col("period_month").cast(pl.Int32), "frequency"
    )
    rates = keys.join(
        monthly, on=["period_year", "period_month"], how="left", maintain_order="left"
    ).join(annual, on="period_year", how="left", maintain_order="left")
    usd_per_eur = rates.select(
        pl.when(pl.col("frequency") == "A").then("_annual").otherwise("_monthly")
    ).to_series()
    out = frame.with_columns(usd_per_eur.alias("usd_per_eur"))
    return out.with_columns((pl.col(eur_column) * pl.col("usd_per_eur")).alias("value_usd"))
