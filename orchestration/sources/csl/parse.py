"""US Consolidated Screening List (trade.gov): consolidated.csv and consolidated.json.

One file holds eleven lists of three departments. Each row names its list in ``source``
("Entity List (EL) - Bureau of Industry and Security"); the abbreviation in brackets picks the
``list`` value (table ``LISTS`` below). A list not in the table keeps a slug of its name prefixed
``csl_`` ("New List (NL) - Some Agency" -> ``csl_new_list_nl``), so nothing is dropped.

CSV: header ``_id, source, entity_number, type, programs, name, title, addresses, ...,
alt_names, citizenships, dates_of_birth, nationalities, places_of_birth, source_information_url,
ids``; several values in one cell are joined with ``"; "``; an address is ``street, city, state,
postal code, ISO2``; an id is ``type, number[, ISO2]``. JSON: ``{"results": [...]}`` or a bare
array of objects with the same keys, where the multi-valued fields may be arrays (addresses and
ids as objects). The id is the row's ``_id`` (``id`` in the API's JSON): OFAC's entity number for
Treasury rows, a hash for the others.
"""

from __future__ import annotations

import csv
import io
import re

from orchestration.reference.countries import country_iso2, iso2_code
from orchestration.sources.common.base import (
    ParsedFile,
    Parser,
    SourceFile,
    SourceParseError,
    decode_text,
)
from orchestration.sources.common.json_array import iter_json_array, to_json
from orchestration.sources.common.sanctions import (
    LIST_SCHEMAS,
    NOT_IDENTIFIERS,
    Address,
    ListTables,
    Record,
    clean,
    parse_date,
    schema_of,
    slugify,
    superseded,
    superseding_sibling,
)

# Abbreviation in the ``source`` value -> list. The Treasury's non-SDN lists together make up
# OFAC's Consolidated (non-SDN) list, loaded from consolidated.xml as ``ofac_cons``.
LISTS = {
    "EL": "bis_entity_list",
    "MEU": "bis_meu",
    "DPL": "bis_dpl",
    "UVL": "bis_uvl",
    "SDN": "ofac_sdn",
    "SSI": "ofac_cons",
    "FSE": "ofac_cons",
    "PLC": "ofac_cons",
    "NS-MBS LIST": "ofac_cons",
    "CMIC": "ofac_cons",
    "CAPTA": "ofac_cons",
    "NS-ISA": "ofac_cons",
    "ISN": "state_isn",
    "DTC": "ddtc_debarred",
}
SEPARATOR = re.compile(r";\s+")
_ABBREVIATION = re.compile(r"\(([^)]+)\)")


def list_of(source: str | None) -> str:
    text = clean(source) or "unknown"
    match = _ABBREVIATION.search(text)
    if match and match.group(1).upper() in LISTS:
        return LISTS[match.group(1).upper()]
    return "csl_" + slugify(text.split(" - ")[0])


def values(value: object) -> list:
    """A multi-valued field as a list: arrays as they are, text split on '; '."""
    if value is None:
        return []
    if isinstance(value, list):
        return [v for v in value if v not in (None, "")]
    return [p for p in (clean(x) for x in SEPARATOR.split(str(value))) if p]


def _code_or_name(value: str | None) -> str | None:
    return iso2_code(value) or country_iso2(value)


def _address(value: object, line: int) -> Address:
    if isinstance(value, dict):
        return Address(
            line=line,
            street=value.get("address"),
            city=value.get("city"),
            region=value.get("state"),
            postal_code=value.get("postal_code"),
            country_name=value.get("country"),
            country_iso2=_code_or_name(value.get("country")),
        )
    text = re.sub(r"^and\s+", "", str(value))
    last = text.rsplit(",", 1)[-1].strip()
    return Address(line=line, full_address=text, country_iso2=iso2_code(last))


def _identifier(value: object) -> tuple[str | None, str | None, str | None]:
    """(type, number, ISO2) from an object or from ``type, number[, ISO2]``."""
    if isinstance(value, dict):
        return value.get("type"), value.get("number"), _code_or_name(value.get("country"))
    parts = [p.strip() for p in str(value).split(",")]
    country = iso2_code(parts[-1]) if len(parts) > 2 else None
    number = ", ".join(parts[1 : len(parts) - 1] if country else parts[1:])
    return parts[0], number or None, country


def _record(row: dict, line: int) -> Record:
    record = Record(
        list=list_of(row.get("source")),
        source_id=clean(row.get("_id") or row.get("id") or row.get("entity_number")),
        schema=schema_of(row.get("type")),
        primary_name=row.get("name"),
        line=line,
        record_json=to_json(row),
        programs=values(row.get("programs")),
        listed_on=parse_date(row.get("start_date")),
        remarks=row.get("remarks"),
    )
    for alias in values(row.get("alt_names")):
        record.add_name(alias, "alias", line)
    for code in values(row.get("nationalities")) + values(row.get("citizenships")):
        record.add_country(_code_or_name(code))
    for value in values(row.get("addresses")):
        record.add_address(_address(value, line))
    for value in values(row.get("ids")):
        id_type, number, country = _identifier(value)
        if id_type and not NOT_IDENTIFIERS.match(id_type):
            record.add_identifier(id_type, number, line, country)
    return record


def csv_rows(text: str, path: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if (
        not reader.fieldnames
        or "source" not in reader.fieldnames
        or "name" not in reader.fieldnames
    ):
        raise SourceParseError(path, 1, "not a Consolidated Screening List header (no source/name)")
    rows, start = [], 2
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as err:
        raise SourceParseError(path, reader.line_num, f"malformed CSV: {err}") from err
    return rows


def json_rows(text: str, path: str) -> list[tuple[int, dict]]:
    rows = []
    for line, item in iter_json_array(text, path, "results"):
        if not isinstance(item, dict):
            raise SourceParseError(path, line, "a result is not a JSON object")
        rows.append((line, item))
    return rows


def parse(file: SourceFile) -> ParsedFile:
    is_json = file.path.suffix.lower() == ".json"
    if not is_json:
        better = superseding_sibling(file, [file.path.stem + ".json"])
        if better is not None:
            return superseded(file, better)
    text = decode_text(file.path.read_bytes(), file.relative_path)
    rows = (json_rows if is_json else csv_rows)(text, file.relative_path)
    parsed = ParsedFile(tables={})
    tables = ListTables()
    for line, row in rows:
        tables.add(_record(row, line), parsed, to_json(row))
    return tables.parsed(file, parsed)


# The YAML beside this module (csl.yml) says which files and tables it reads.
PARSERS = {"csl": Parser(parse=parse, schemas=LIST_SCHEMAS)}
