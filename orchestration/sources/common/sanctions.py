"""Shared pieces of the sanctions-list parsers (no SPECS here: this is not a source).

Every list parser fills the same four normalised raw tables (``entities``, ``names``,
``addresses``, ``identifiers``) through :class:`ListTables`, which validates each record (id and
name present, id not seen twice) and rejects the bad ones into quarantine. The helpers below turn
publishers' scripts and identifier labels into the shared vocabulary (country names and codes go
through :mod:`orchestration.reference.countries`). XML and JSON files are read by
:mod:`.xml` and :mod:`.json_array`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import polars as pl

from orchestration.reference.countries import country_iso2
from orchestration.sources.common.base import (
    ParsedFile,
    SourceFile,
    with_lineage,
)

LIST_TABLES = ("entities", "names", "addresses", "identifiers")

SCHEMAS = ("person", "organization", "vessel", "aircraft", "unknown")
NAME_KINDS = ("primary", "alias", "weak_alias", "former", "original_script")
ID_TYPES = (
    "inn", "ogrn", "kpp", "okpo", "registration_number", "tax_id", "imo", "lei",
    "swift_bic", "passport", "national_id", "other",
)  # fmt: skip

ENTITY_SCHEMA = {
    "list": pl.String,
    "source_id": pl.String,
    "schema": pl.String,
    "primary_name": pl.String,
    "programs": pl.List(pl.String),
    "listed_on": pl.Date,
    "remarks": pl.String,
    "country_iso2": pl.List(pl.String),
    "record_json": pl.String,
    "source_line": pl.Int64,
}
NAME_SCHEMA = {
    "list": pl.String,
    "source_id": pl.String,
    "name": pl.String,
    "name_kind": pl.String,
    "script": pl.String,
    "source_line": pl.Int64,
}
ADDRESS_SCHEMA = {
    "list": pl.String,
    "source_id": pl.String,
    "full_address": pl.String,
    "street": pl.String,
    "city": pl.String,
    "region": pl.String,
    "postal_code": pl.String,
    "country_name": pl.String,
    "country_iso2": pl.String,
    "source_line": pl.Int64,
}
IDENTIFIER_SCHEMA = {
    "list": pl.String,
    "source_id": pl.String,
    "id_type": pl.String,
    "id_value": pl.String,
    "id_type_raw": pl.String,
    "issuing_country": pl.String,
    "source_line": pl.Int64,
}
TABLE_SCHEMAS = {
    "entities": ENTITY_SCHEMA,
    "names": NAME_SCHEMA,
    "addresses": ADDRESS_SCHEMA,
    "identifiers": IDENTIFIER_SCHEMA,
}

# For SourceSpec.schemas: the column types without the lineage columns.
LIST_SCHEMAS = {
    table: {k: v for k, v in schema.items() if k != "source_line"}
    for table, schema in TABLE_SCHEMAS.items()
}


# --- text ---------------------------------------------------------------------------------------


def clean(value: object) -> str | None:
    """Collapse runs of whitespace (newlines and no-break spaces included); empty -> None."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def unique(values: Iterable[str | None]) -> list[str]:
    """Cleaned, non-empty values in first-seen order, without repeats."""
    seen: dict[str, None] = {}
    for value in values:
        text = clean(value)
        if text is not None:
            seen.setdefault(text, None)
    return list(seen)


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")


def parse_date(value: str | None, formats: Sequence[str] = ("%Y-%m-%d",)) -> date | None:
    """The first format that reads the whole value; None when none does (the raw text stays
    in record_json, so nothing is lost)."""
    text = clean(value)
    if text is None:
        return None
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


_XS_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T[\d:.]+)?(?:Z|[+-]\d{2}:\d{2})?")


def parse_xs_date(value: str | None) -> date | None:
    """An XML Schema date or dateTime (``2015-03-27-04:00``, ``2025-04-19T23:00:04Z``): the
    calendar date as written, the time-zone offset ignored."""
    match = _XS_DATE.fullmatch(clean(value) or "")
    return parse_date(match.group(1)) if match else None


# --- scripts ------------------------------------------------------------------------------------


def detect_script(text: str) -> str:
    """The script most of the letters are written in; text without letters counts as Latin."""
    counts: Counter[str] = Counter()
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("LATIN"):
            counts["latin"] += 1
        elif name.startswith("CYRILLIC"):
            counts["cyrillic"] += 1
        elif name.startswith("ARABIC"):
            counts["arabic"] += 1
        elif name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")):
            counts["han"] += 1
        else:
            counts["other"] += 1
    if not counts:
        return "latin"
    return counts.most_common(1)[0][0]


# --- identifier types ---------------------------------------------------------------------------

# First match wins, so the specific labels come before the generic ones ("Tax ID No." must not
# read as a national id, "Vessel Registration Identification" is an IMO number).
_ID_TYPE_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), id_type)
    for pattern, id_type in (
        (r"passport|passeport|pasaporte|passaporte", "passport"),
        (r"\bimo\b|imo ?number|vessel registration identification", "imo"),
        (r"\binn\b|инн", "inn"),
        (r"\bogrn(ip)?\b|огрн|primary state registration", "ogrn"),
        (r"\bkpp\b|кпп", "kpp"),
        (r"\bokpo\b|окпо|government gazette number", "okpo"),
        (r"\blei\b|legal entity (number|identifier)", "lei"),
        (r"swift", "swift_bic"),
        (r"\btax|fiscal|\bvat\b|v\.a\.t\.|\bnit\b|\brfc\b|r\.f\.c\.|\btin\b|\bruc\b", "tax_id"),
        (
            r"regist|regnumber|company number|c\.r\. no|unified social credit|\buscc\b"
            r"|business number|chamber of commerce",
            "registration_number",
        ),
        (
            r"national|identity|identification|^id$|\bid (no|number|card)|cedula|cédula"
            r"|c\.u\.r\.p|\bcurp\b|\bdni\b|d\.n\.i|\bssn\b|social security",
            "national_id",
        ),
    )
)


# OFAC's idList (and the CSL's ids column built from it) carries features that are not
# identifiers: web sites, directive determinations, dates, gender ... They stay in record_json.
NOT_IDENTIFIERS = re.compile(
    r"^(website|e-?mail|phone|fax|target type|secondary sanctions risk|executive order"
    r"|listing date|effective date|purchase/sales|organization established date"
    r"|organization type|gender|nationality of registration|caatsa|issuer name"
    r"|transactions prohibited|additional sanctions information|ifca determination"
    r"|vessel (year of build|flag)|former vessel flag|other vessel flag)",
    re.IGNORECASE,
)


def normalise_id_type(raw: str | None, issuing_iso2: str | None = None, value: str = "") -> str:
    """Map a publisher's identifier label to the shared vocabulary.

    Russian tax ids are INNs and Russian 13/15-digit registration numbers are OGRN/OGRNIP, so the
    generic labels OFAC uses for them ("Tax ID No.", "Registration ID") become the specific type
    when the issuing country and the number's shape agree.
    """
    label = (clean(raw) or "").casefold()
    id_type = next((t for pattern, t in _ID_TYPE_RULES if pattern.search(label)), "other")
    digits = re.sub(r"\D", "", value or "")
    if issuing_iso2 == "RU" and digits == re.sub(r"\s", "", value or ""):
        if id_type == "tax_id" and len(digits) in (10, 12):
            return "inn"
        if id_type == "registration_number" and len(digits) in (13, 15):
            return "ogrn"
    return id_type


def schema_of(raw: str | None) -> str:
    """Publishers' subject types (Individual, Entity, Ship, enterprise, LegalEntity ...)."""
    label = (clean(raw) or "").casefold()
    if label in ("individual", "person", "p"):
        return "person"
    if label in ("vessel", "ship"):
        return "vessel"
    if label in ("aircraft", "airplane"):
        return "aircraft"
    if label in (
        "entity", "enterprise", "organization", "organisation", "company",
        "legalentity", "publicbody", "e",
    ):  # fmt: skip
        return "organization"
    return "unknown"


# --- records and the four tables ----------------------------------------------------------------


@dataclass
class Address:
    line: int
    full_address: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country_name: str | None = None
    country_iso2: str | None = None

    def row(self) -> dict | None:
        parts = [self.street, self.city, self.region, self.postal_code, self.country_name]
        parts = [clean(p) for p in parts]
        full = clean(self.full_address) or clean(", ".join(p for p in parts if p))
        if full is None:
            return None
        iso2 = self.country_iso2 or country_iso2(self.country_name)
        return {
            "full_address": full,
            "street": parts[0],
            "city": parts[1],
            "region": parts[2],
            "postal_code": parts[3],
            "country_name": parts[4],
            "country_iso2": iso2,
            "source_line": self.line,
        }


@dataclass
class Record:
    """One listed entity as read from the file, before validation."""

    list: str
    source_id: str | None
    schema: str
    primary_name: str | None
    line: int
    record_json: str
    programs: list[str] = field(default_factory=list)
    listed_on: date | None = None
    remarks: str | None = None
    countries: list[str] = field(default_factory=list)
    names: list[dict] = field(default_factory=list)
    addresses: list[dict] = field(default_factory=list)
    identifiers: list[dict] = field(default_factory=list)

    def add_name(self, name: str | None, kind: str, line: int | None = None) -> None:
        text = clean(name)
        if text is None or any(n["name"] == text and n["name_kind"] == kind for n in self.names):
            return
        self.names.append(
            {"name": text, "name_kind": kind, "script": detect_script(text), "source_line": line}
        )

    def add_country(self, iso2: str | None) -> None:
        if iso2 and iso2 not in self.countries:
            self.countries.append(iso2)

    def add_address(self, address: Address) -> None:
        """Repeats of an address already given (lists that repeat details on every name row)
        are left out."""
        row = address.row()
        if row is None or any(a["full_address"] == row["full_address"] for a in self.addresses):
            return
        self.addresses.append(row)
        self.add_country(row["country_iso2"])

    def add_identifier(
        self,
        raw_type: str | None,
        value: str | None,
        line: int,
        issuing_iso2: str | None = None,
        hint: str | None = None,
    ) -> None:
        """``hint``: a label to classify by when the raw one is a bare code (EU "regnumber")."""
        text = clean(value)
        label = clean(raw_type)
        if text is None or any(
            i["id_value"] == text and i["id_type_raw"] == label for i in self.identifiers
        ):
            return
        self.identifiers.append(
            {
                "id_type": normalise_id_type(hint or raw_type, issuing_iso2, text),
                "id_value": text,
                "id_type_raw": label,
                "issuing_country": issuing_iso2,
                "source_line": line,
            }
        )


class ListTables:
    """Collects validated records and turns them into the four lineage-stamped frames."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = {t: [] for t in LIST_TABLES}
        self._seen: dict[tuple[str, str], int] = {}

    def add(self, record: Record, parsed: ParsedFile, raw_text: str) -> bool:
        reason = self._problem(record)
        if reason is not None:
            parsed.reject("entities", record.line, reason, raw_text)
            return False
        key = (record.list, record.source_id)
        self._seen[key] = record.line
        self.rows["entities"].append(
            {
                "list": record.list,
                "source_id": record.source_id,
                "schema": record.schema if record.schema in SCHEMAS else "unknown",
                "primary_name": clean(record.primary_name),
                "programs": unique(record.programs),
                "listed_on": record.listed_on,
                "remarks": clean(record.remarks),
                "country_iso2": list(record.countries),
                "record_json": record.record_json,
                "source_line": record.line,
            }
        )
        record.add_name(record.primary_name, "primary", record.line)
        ids = {"list": record.list, "source_id": record.source_id}
        # The primary name was appended last; list it first.
        names = [record.names[-1], *record.names[:-1]]
        for table, rows in (
            ("names", names),
            ("addresses", record.addresses),
            ("identifiers", record.identifiers),
        ):
            for row in rows:
                line = row["source_line"] if row["source_line"] is not None else record.line
                self.rows[table].append({**ids, **row, "source_line": line})
        return True

    def _problem(self, record: Record) -> str | None:
        if clean(record.source_id) is None:
            return "missing id"
        if clean(record.primary_name) is None:
            return f"missing name (id {record.source_id})"
        first = self._seen.get((record.list, record.source_id))
        if first is not None:
            return f"duplicate id {record.source_id} (first at line {first})"
        return None

    def frames(self, file: SourceFile) -> dict[str, pl.DataFrame]:
        return {
            table: with_lineage(
                pl.DataFrame(self.rows[table], schema=TABLE_SCHEMAS[table], orient="row"), file
            )
            for table in LIST_TABLES
        }

    def parsed(self, file: SourceFile, parsed: ParsedFile) -> ParsedFile:
        parsed.tables.update(self.frames(file))
        return parsed


def empty_tables(file: SourceFile, tables: Sequence[str] = LIST_TABLES) -> dict[str, pl.DataFrame]:
    return {
        t: with_lineage(pl.DataFrame(schema=TABLE_SCHEMAS[t]), file)
        for t in tables
        if t in TABLE_SCHEMAS
    }


def superseding_sibling(file: SourceFile, preferred: Sequence[str]) -> Path | None:
    """The first of ``preferred`` (file names, case-insensitive) present in the file's folder.

    Publishers ship one list in several formats in the same release; loading them all would count
    the release twice, so each parser names the formats it prefers to its own.
    """
    siblings = {p.name.lower(): p for p in file.path.parent.iterdir() if p.is_file()}
    for name in preferred:
        match = siblings.get(name.lower())
        if match is not None and match != file.path:
            return match
    return None


def superseded(file: SourceFile, by: Path, tables: Sequence[str] = LIST_TABLES) -> ParsedFile:
    """Load nothing from ``file`` and say why, in quarantine, so the skip is visible."""
    parsed = ParsedFile(tables=empty_tables(file, tables))
    reason = f"duplicate format: this release is loaded from {by.name} in the same folder"
    parsed.reject("entities", 1, reason, "")
    return parsed
