"""BIS export-control lists as parsed into JSON by a third party (bis_entity_list.json,
bis_meu.json, bis_dpl.json): the Entity List, the Military End-User List and the Denied Persons
List.

Each file is ``{"list_id", "source_file", "extracted", "count", "entities": [{"name", "aliases",
"country", "address", "status", "effective_date", "federal_register", "notes"}]}``.

The lists have no ids. An entry's id is ``<list prefix>-<12 hex>``: the start of the sha256 of
its name, country and address (whitespace collapsed, case folded), so it survives reordering and
changes to other fields (citations, notes) between releases. Entries that agree on all three
(the Denied Persons List repeats some word for word) keep their own rows: the second one gets
``-2``, the third ``-3`` in file order, and each row keeps its line and full record.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import date

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
    Address,
    ListTables,
    Record,
    clean,
    parse_date,
)

# file stem -> (list, id prefix)
LISTS = {
    "bis_entity_list": ("bis_entity_list", "bis-el"),
    "bis_meu": ("bis_meu", "bis-meu"),
    "bis_dpl": ("bis_dpl", "bis-dpl"),
}
_CITATION_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b")
# "...; and Flat No. 41 ..." separates the addresses of one entry.
_ADDRESS_SPLIT = re.compile(r";\s*(?:and\s+)?")
_TRAILING_NOTE = re.compile(r"\s*\([^)]*\)\s*\.?\s*$")


def entry_key(entry: dict) -> str:
    parts = [(clean(entry.get(k)) or "").casefold() for k in ("name", "country", "address")]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def listing_date(entry: dict) -> date | None:
    """The effective date where given (DPL), else the earliest Federal Register date cited: the
    notice that first added the entry. Two-digit years before 70 are 20xx (the lists start in
    the 1980s)."""
    given = parse_date(entry.get("effective_date"))
    if given is not None:
        return given
    dates = []
    for month, day, year in _CITATION_DATE.findall(entry.get("federal_register") or ""):
        full_year = int(year) if len(year) == 4 else 2000 + int(year)
        if len(year) == 2 and int(year) >= 70:
            full_year -= 100
        try:
            dates.append(date(full_year, int(month), int(day)))
        except ValueError:
            continue
    return min(dates, default=None)


def address_country(address: str) -> tuple[str | None, str | None]:
    """The country an address ends with: a name ("Kowloon, Hong Kong") or an ISO code before the
    postal code ("HEMET, CA, US, 92545"), looking at its last three comma-separated parts."""
    tokens = [t.strip(" .") for t in _TRAILING_NOTE.sub("", address).split(",")]
    for token in reversed(tokens[-3:]):
        code = iso2_code(token) if re.fullmatch(r"[A-Z]{2}", token) else country_iso2(token)
        if code:
            return token, code
    return None, None


def _addresses(entry: dict, line: int) -> list[Address]:
    result = []
    for part in _ADDRESS_SPLIT.split(entry.get("address") or ""):
        text = clean(part)
        if text is None:
            continue
        name, code = address_country(text)
        if code is None:
            name, code = clean(entry.get("country")), country_iso2(entry.get("country"))
        result.append(Address(line=line, full_address=text, country_name=name, country_iso2=code))
    return result


def _record(entry: dict, list_name: str, source_id: str, line: int) -> Record:
    record = Record(
        list=list_name,
        source_id=source_id,
        schema="unknown",
        primary_name=entry.get("name"),
        line=line,
        record_json=to_json(entry),
        listed_on=listing_date(entry),
        remarks=entry.get("notes"),
    )
    record.add_country(country_iso2(entry.get("country")))
    for alias in entry.get("aliases") or []:
        record.add_name(alias, "alias", line)
    for address in _addresses(entry, line):
        record.add_address(address)
    return record


def parse(file: SourceFile) -> ParsedFile:
    list_name, prefix = LISTS[file.path.stem.lower()]
    text = decode_text(file.path.read_bytes(), file.relative_path)
    parsed = ParsedFile(tables={})
    tables = ListTables()
    seen: Counter[str] = Counter()
    for line, entry in iter_json_array(text, file.relative_path, "entities"):
        if not isinstance(entry, dict):
            raise SourceParseError(file.relative_path, line, "an entry is not a JSON object")
        key = entry_key(entry)
        seen[key] += 1
        source_id = f"{prefix}-{key}" + (f"-{seen[key]}" if seen[key] > 1 else "")
        tables.add(_record(entry, list_name, source_id, line), parsed, to_json(entry))
    return tables.parsed(file, parsed)


# The YAML beside this module (bis_derived.yml) says which files and tables it reads.
PARSERS = {"bis_derived": Parser(parse=parse, schemas=LIST_SCHEMAS)}
