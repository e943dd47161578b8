"""OpenSanctions dataset exports: targets.simple.csv and entities.ftm.json.

Inputs sit in ``opensanctions/<dataset>/<release>/``; the list is ``opensanctions_<dataset>``.

- ``targets.simple.csv``: one row per listed entity, header ``id, schema, name, aliases,
  birth_date, countries, addresses, identifiers, sanctions, phones, emails, program_ids, dataset,
  first_seen, last_seen, last_change``; several values in a cell are joined with ``;``; countries
  are lower-case ISO codes; identifiers come without their type.
- ``entities.ftm.json``: FollowTheMoney entities, one JSON object per line (``id``, ``schema``,
  ``properties`` of lists, ``target``). Persons, companies, vessels ... become entities; Sanction
  entities give programs and listing dates to the entity they name; Address, Identification and
  Passport entities attach to theirs; Ownership entities (owner, asset, percentage) fill the
  extra table ``ownership``. Entities that are not targets themselves (an owned company, an
  owner) are kept too, with ``is_target`` false, because ownership chains run through them.

When both files of one dataset release are present, the FtM file (the richer one) is loaded and
the CSV is recorded as a duplicate format. OpenSanctions data is CC BY-NC 4.0.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from datetime import date

import polars as pl

from orchestration.reference.countries import iso2_code
from orchestration.sources.common.base import (
    ParsedFile,
    Parser,
    SourceFile,
    SourceParseError,
    decode_text,
    with_lineage,
)
from orchestration.sources.common.json_array import to_json
from orchestration.sources.common.sanctions import (
    LIST_SCHEMAS,
    LIST_TABLES,
    Address,
    ListTables,
    Record,
    clean,
    parse_date,
    schema_of,
    superseded,
    superseding_sibling,
    unique,
)

TABLES = (*LIST_TABLES, "ownership")
OWNERSHIP_SCHEMA = {
    "list": pl.String,
    "source_id": pl.String,
    "owner_id": pl.String,
    "asset_id": pl.String,
    "share_pct": pl.Float64,
    "share_raw": pl.String,
    "start_date": pl.Date,
    "end_date": pl.Date,
    "record_json": pl.String,
    "source_line": pl.Int64,
}
SCHEMAS = {
    **LIST_SCHEMAS,
    "entities": {**LIST_SCHEMAS["entities"], "is_target": pl.Boolean},
    "ownership": {k: v for k, v in OWNERSHIP_SCHEMA.items() if k != "source_line"},
}
# FtM schemata of the things a list can name (the rest are relations and details).
THING_SCHEMATA = {
    "Person": "person",
    "Organization": "organization",
    "Company": "organization",
    "LegalEntity": "organization",
    "PublicBody": "organization",
    "Vessel": "vessel",
    "Airplane": "aircraft",
}
# FtM identifier properties -> a label normalise_id_type reads.
ID_PROPERTIES = {
    "innCode": "inn",
    "ogrnCode": "ogrn",
    "kppCode": "kpp",
    "okpoCode": "okpo",
    "registrationNumber": "registration number",
    "taxNumber": "tax",
    "vatCode": "vat",
    "imoNumber": "imo",
    "leiCode": "lei",
    "swiftBic": "swift",
    "passportNumber": "passport",
    "idNumber": "national id",
}
COUNTRY_PROPERTIES = ("country", "nationality", "citizenship", "jurisdiction", "mainCountry")
NAME_PROPERTIES = {"alias": "alias", "weakAlias": "weak_alias", "previousName": "former"}


def dataset_of(file: SourceFile) -> str:
    parts = file.relative_path.split("/")
    if "opensanctions" not in parts[:-2]:
        reason = "cannot tell the dataset: expected opensanctions/<dataset>/<release>/<file>"
        raise SourceParseError(file.relative_path, None, reason)
    return parts[parts.index("opensanctions") + 1]


def _codes(values: list[str]) -> list[str]:
    """OpenSanctions' lower-case ISO codes; its own codes (``suhh``, ``ge-ab``) are left out."""
    return [c for c in (iso2_code(v) for v in values) if c]


def _split(value: str | None) -> list[str]:
    return unique((value or "").split(";"))


# --- targets.simple.csv -------------------------------------------------------------------------


def _simple_record(row: dict, list_name: str, line: int) -> Record:
    record = Record(
        list=list_name,
        source_id=clean(row.get("id")),
        schema=schema_of(THING_SCHEMATA.get(clean(row.get("schema")) or "", row.get("schema"))),
        primary_name=row.get("name"),
        line=line,
        record_json=to_json(row),
        programs=_split(row.get("program_ids")),
        remarks=row.get("sanctions"),
        countries=_codes(_split(row.get("countries"))),
    )
    for alias in _split(row.get("aliases")):
        record.add_name(alias, "alias", line)
    for address in _split(row.get("addresses")):
        record.add_address(Address(line=line, full_address=address))
    for value in _split(row.get("identifiers")):
        hint = "imo" if re.fullmatch(r"IMO\d{7}", value) else None
        record.add_identifier(None, value, line, hint=hint)
    return record


def parse_simple(file: SourceFile, list_name: str) -> tuple[ListTables, ParsedFile, set[str]]:
    text = decode_text(file.path.read_bytes(), file.relative_path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or not {"id", "schema", "name"} <= set(reader.fieldnames):
        raise SourceParseError(file.relative_path, 1, "not a targets.simple.csv header")
    parsed, tables, start = ParsedFile(tables={}), ListTables(), 2
    try:
        for row in reader:
            tables.add(_simple_record(row, list_name, start), parsed, to_json(row))
            start = reader.line_num + 1
    except csv.Error as err:
        raise SourceParseError(
            file.relative_path, reader.line_num, f"malformed CSV: {err}"
        ) from err
    targets = {r["source_id"] for r in tables.rows["entities"]}
    return tables, parsed, targets


# --- entities.ftm.json --------------------------------------------------------------------------


def read_ftm(file: SourceFile) -> list[tuple[int, dict, str]]:
    text = decode_text(file.path.read_bytes(), file.relative_path)
    entities = []
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as err:
            raise SourceParseError(file.relative_path, line, f"malformed JSON: {err.msg}") from err
        if not isinstance(obj, dict):
            raise SourceParseError(file.relative_path, line, "a line is not a JSON object")
        entities.append((line, obj, raw))
    return entities


def _props(obj: dict) -> dict[str, list[str]]:
    return obj.get("properties") or {}


def _first(obj: dict, prop: str) -> str | None:
    return next(iter(_props(obj).get(prop) or []), None)


class FtmIndex:
    """Sanctions, addresses and identity documents by the entity they belong to."""

    def __init__(self, entities: list[tuple[int, dict, str]]):
        self.sanctions: dict[str, list[dict]] = defaultdict(list)
        self.documents: dict[str, list[tuple[int, dict]]] = defaultdict(list)
        self.addresses: dict[str, tuple[int, dict]] = {}
        for line, obj, _ in entities:
            schema = obj.get("schema")
            if schema == "Sanction":
                for entity_id in _props(obj).get("entity") or []:
                    self.sanctions[entity_id].append(obj)
            elif schema in ("Identification", "Passport"):
                for holder in _props(obj).get("holder") or []:
                    self.documents[holder].append((line, obj))
            elif schema == "Address" and obj.get("id"):
                self.addresses[obj["id"]] = (line, obj)


def _ftm_dates(sanctions: list[dict]) -> date | None:
    dates = [
        parse_date(d)
        for s in sanctions
        for prop in ("startDate", "listingDate")
        for d in _props(s).get(prop) or []
    ]
    return min((d for d in dates if d), default=None)


def _ftm_address(line: int, obj: dict) -> Address:
    return Address(
        line=line,
        full_address=_first(obj, "full"),
        street=_first(obj, "street"),
        city=_first(obj, "city"),
        region=_first(obj, "region"),
        postal_code=_first(obj, "postalCode"),
        country_iso2=iso2_code(_first(obj, "country")),
    )


def _ftm_record(line: int, obj: dict, raw: str, list_name: str, index: FtmIndex) -> Record:
    props = _props(obj)
    names = props.get("name") or []
    caption = obj.get("caption")
    primary = caption if caption in names else next(iter(names), None)
    sanctions = index.sanctions.get(obj.get("id"), [])
    record = Record(
        list=list_name,
        source_id=clean(obj.get("id")),
        schema=THING_SCHEMATA[obj["schema"]],
        primary_name=primary,
        line=line,
        record_json=raw,
        programs=[
            p
            for s in sanctions
            for p in (_props(s).get("programId") or _props(s).get("program") or [])
        ],
        listed_on=_ftm_dates(sanctions),
        remarks="\n".join(props.get("notes") or []) or None,
        countries=_codes([c for p in COUNTRY_PROPERTIES for c in props.get(p) or []]),
    )
    for name in names:
        if name != primary:
            record.add_name(name, "alias", line)
    for prop, kind in NAME_PROPERTIES.items():
        for name in props.get(prop) or []:
            record.add_name(name, kind, line)
    for text in props.get("address") or []:
        record.add_address(Address(line=line, full_address=text))
    for address_id in props.get("addressEntity") or []:
        if address_id in index.addresses:
            record.add_address(_ftm_address(*index.addresses[address_id]))
    for prop, hint in ID_PROPERTIES.items():
        for value in props.get(prop) or []:
            record.add_identifier(prop, value, line, hint=hint)
    for doc_line, doc in index.documents.get(obj.get("id"), []):
        label = _first(doc, "type") or doc["schema"]
        hint = "passport" if doc["schema"] == "Passport" else None
        country = iso2_code(_first(doc, "country"))
        record.add_identifier(label, _first(doc, "number"), doc_line, country, hint=hint)
    return record


def _share(text: str | None) -> float | None:
    """A plain percentage ("50", "50.0", "25 %"); ranges and words give None (kept raw)."""
    match = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*%?\s*", text or "")
    return float(match.group(1).replace(",", ".")) if match else None


def ownership_rows(
    entities: list[tuple[int, dict, str]], list_name: str, parsed: ParsedFile
) -> list[dict]:
    rows = []
    for line, obj, raw in entities:
        if obj.get("schema") != "Ownership":
            continue
        owner, asset = _first(obj, "owner"), _first(obj, "asset")
        if not owner or not asset:
            parsed.reject("ownership", line, "ownership without owner or asset", raw)
            continue
        share = _first(obj, "percentage")
        rows.append(
            {
                "list": list_name,
                "source_id": obj.get("id"),
                "owner_id": owner,
                "asset_id": asset,
                "share_pct": _share(share),
                "share_raw": share,
                "start_date": parse_date(_first(obj, "startDate")),
                "end_date": parse_date(_first(obj, "endDate")),
                "record_json": raw,
                "source_line": line,
            }
        )
    return rows


def parse_ftm(file: SourceFile, list_name: str) -> tuple[ListTables, ParsedFile, set[str], list]:
    entities = read_ftm(file)
    index = FtmIndex(entities)
    parsed, tables, targets = ParsedFile(tables={}), ListTables(), set()
    for line, obj, raw in entities:
        if obj.get("schema") not in THING_SCHEMATA:
            continue
        if tables.add(_ftm_record(line, obj, raw, list_name, index), parsed, raw) and obj.get(
            "target"
        ):
            targets.add(obj["id"])
    return tables, parsed, targets, ownership_rows(entities, list_name, parsed)


# --- entry point --------------------------------------------------------------------------------


def _finish(
    file: SourceFile, tables: ListTables, parsed: ParsedFile, targets: set[str], ownership: list
) -> ParsedFile:
    tables.parsed(file, parsed)
    parsed.tables["entities"] = parsed.tables["entities"].with_columns(
        pl.col("source_id").is_in(list(targets)).alias("is_target")
    )
    frame = pl.DataFrame(ownership, schema=OWNERSHIP_SCHEMA, orient="row")
    parsed.tables["ownership"] = with_lineage(frame, file)
    return parsed


def parse(file: SourceFile) -> ParsedFile:
    list_name = f"opensanctions_{dataset_of(file)}"
    if file.path.name.lower() == "targets.simple.csv":
        better = superseding_sibling(file, ["entities.ftm.json"])
        if better is not None:
            result = superseded(file, better)
            result.tables = {}
            return _finish(file, ListTables(), result, set(), [])
        tables, parsed, targets = parse_simple(file, list_name)
        return _finish(file, tables, parsed, targets, [])
    tables, parsed, targets, ownership = parse_ftm(file, list_name)
    return _finish(file, tables, parsed, targets, ownership)


# The YAML beside this module (opensanctions.yml) says which files and tables it reads.
PARSERS = {"opensanctions": Parser(parse=parse, schemas=SCHEMAS)}
