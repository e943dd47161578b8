"""UK sanctions lists: the FCDO UK Sanctions List and OFSI's legacy Consolidated List.

Four layouts, told apart by their header (or root element), not by file name:

- FCDO summary export (.ods, or a .csv of it): one designation per row, header ``Unique ID,
  OFSI Group ID, Name, Regime Name, Type, Designation source, Date Designated, Sanctions
  Imposed``; dates ``DD-MM-YYYY``; no aliases, addresses or identifiers.
- FCDO full format (.csv, .ods): a ``Report Date:`` line, then one row per *name* of a designation
  (``Last Updated, Unique ID, ..., Name 6, Name 1..5, Name type, Alias strength, ...``), the
  designation's details repeated on each row; dates ``DD/MM/YYYY``.
- FCDO full format (.xml): ``Designations/Designation`` with ``UniqueID``, ``Names/Name``,
  ``NonLatinNames``, ``Addresses/Address``, individual, entity and ship details.
- OFSI ConList.csv (legacy, frozen in 2026): title line(s), then ``Name 6, Name 1..5, ...,
  Group Type, Alias Type, Alias Quality, Regime, Listed On, ..., Group ID``, one row per name.

The FCDO designation id is ``Unique ID`` (``RUS0001``); ConList's is ``Group ID``. FCDO ships
one release in several formats with one file name; when ``<name>.xml``, ``<name>.ods`` and
``<name>.csv`` sit in the same release folder only the first of them is loaded (XML is the
richest; the ODS is the publisher's own file where the CSV is a conversion) and the others are
recorded in quarantine as duplicate formats.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from xml.sax import SAXException

from lxml import etree

from orchestration.reference.countries import country_iso2
from orchestration.sources.common.base import (
    ParsedFile,
    Parser,
    SourceFile,
    SourceParseError,
    decode_text,
)
from orchestration.sources.common.json_array import to_json
from orchestration.sources.common.sanctions import (
    LIST_SCHEMAS,
    Address,
    ListTables,
    Record,
    clean,
    parse_date,
    schema_of,
    superseded,
    superseding_sibling,
)
from orchestration.sources.common.xml import child_text, element_text, load_xml, xml_to_json

LIST = "uk"
FORMAT_PREFERENCE = (".xml", ".ods", ".csv")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")
HEADER_SEARCH_ROWS = 5

Row = tuple[int, list[str]]  # (line or sheet row, cells)


# --- reading rows -------------------------------------------------------------------------------


def csv_rows(file: SourceFile) -> list[Row]:
    text = decode_text(file.path.read_bytes(), file.relative_path)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    start = 1
    try:
        for record in reader:
            rows.append((start, [c.strip() for c in record]))
            start = reader.line_num + 1
    except csv.Error as err:
        raise SourceParseError(
            file.relative_path, reader.line_num, f"malformed CSV: {err}"
        ) from err
    return rows


def ods_rows(file: SourceFile) -> list[Row]:
    """The first sheet's rows, numbered as the spreadsheet numbers them.

    pandas with odfpy, because calamine (fastexcel) refuses the FCDO export: it is indented, and
    calamine expects no text between cells."""
    import pandas as pd  # imported here: pandas and odfpy cost seconds to load

    try:
        frame = pd.read_excel(
            file.path, engine="odf", header=None, dtype=str, na_filter=False, sheet_name=0
        )
    except (
        zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, OSError, SAXException,
    ) as err:  # fmt: skip
        # a damaged archive fails in zip, zlib or the XML inside it
        raise SourceParseError(file.relative_path, None, f"unreadable ODS file: {err}") from err
    # odfpy keeps the indentation around <text:p> in each cell's text: strip it.
    return [
        (i + 1, [str(v).strip() for v in row])
        for i, row in enumerate(frame.itertuples(index=False, name=None))
    ]


# --- the three tabular layouts ------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Column names of one name-per-row layout."""

    id: str
    name_type: str
    strength: str
    non_latin: str
    regime: str
    types: tuple[str, ...]
    listed: str
    address_lines: tuple[str, ...]
    postal: str
    country: str
    nationality: str
    identifiers: tuple[str, ...]


FULL = Layout(
    id="Unique ID",
    name_type="Name type",
    strength="Alias strength",
    non_latin="Name non-latin script",
    regime="Regime Name",
    types=("Designation Type", "Individual, Entity, Ship"),
    listed="Date Designated",
    address_lines=tuple(f"Address Line {i}" for i in range(1, 7)),
    postal="Address Postal Code",
    country="Address Country",
    nationality="Nationality(/ies)",
    identifiers=(
        "Passport number",
        "National Identifier number",
        "Business registration number (s)",
        "IMO number",
    ),
)
CONLIST = Layout(
    id="Group ID",
    name_type="Alias Type",
    strength="Alias Quality",
    non_latin="Name Non-Latin Script",
    regime="Regime",
    types=("Group Type",),
    listed="Listed On",
    address_lines=tuple(f"Address {i}" for i in range(1, 7)),
    postal="Post/Zip Code",
    country="Country",
    nationality="Nationality",
    identifiers=("Passport Number", "National Identification Number"),
)
SUMMARY_HEADER = ["Unique ID", "OFSI Group ID", "Name", "Regime Name", "Type"]


def header_kind(cells: list[str]) -> str | None:
    if cells[: len(SUMMARY_HEADER)] == SUMMARY_HEADER:
        return "summary"
    if "Unique ID" in cells and "Name 6" in cells:
        return "full"
    if cells[:1] == ["Name 6"] and "Group ID" in cells:
        return "conlist"
    return None


def find_header(rows: list[Row], path: str) -> tuple[int, str]:
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        kind = header_kind(cells)
        if kind is not None:
            return index, kind
    raise SourceParseError(
        path,
        1,
        f"no UK list header (summary, full or ConList) in the first {HEADER_SEARCH_ROWS} rows",
    )


def _as_dict(header: list[str], cells: list[str]) -> dict[str, str]:
    return {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}


def summary_records(header: list[str], rows: list[Row]) -> list[tuple[Record, str]]:
    records = []
    for line, cells in rows:
        row = _as_dict(header, cells)
        record = Record(
            list=LIST,
            source_id=clean(row.get("Unique ID")),
            schema=schema_of(row.get("Type")),
            primary_name=row.get("Name"),
            line=line,
            record_json=to_json(row),
            programs=[row.get("Regime Name")],
            listed_on=parse_date(row.get("Date Designated"), DATE_FORMATS),
        )
        records.append((record, ",".join(cells)))
    return records


def _person_name(row: dict[str, str]) -> str | None:
    parts = [row.get(f"Name {i}") for i in (1, 2, 3, 4, 5)] + [row.get("Name 6")]
    return clean(" ".join(p for p in parts if p))


def _name_kind(name_type: str, strength: str) -> str:
    kind, quality = name_type.casefold(), strength.casefold()
    if "low" in quality or "weak" in quality:
        return "weak_alias"
    if "former" in kind or "fka" in kind:
        return "former"
    return "alias"


def _nationalities(text: str) -> list[str]:
    """ConList enumerates several as "(1) Russia (2) Ukraine"."""
    return [p for p in (clean(x) for x in re.split(r"\(\d+\)", text)) if p]


def _add_row_details(record: Record, row: dict[str, str], layout: Layout, line: int) -> None:
    lines = [row.get(c) for c in layout.address_lines]
    record.add_address(
        Address(
            line=line,
            street=", ".join(p for p in lines[:4] if p) or None,
            region=lines[4],
            city=lines[5],
            postal_code=row.get(layout.postal),
            country_name=row.get(layout.country),
        )
    )
    for nationality in _nationalities(row.get(layout.nationality, "")):
        record.add_country(country_iso2(nationality))
    for column in layout.identifiers:
        record.add_identifier(column, row.get(column), line)


def grouped_records(
    header: list[str], rows: list[Row], layout: Layout, parsed: ParsedFile
) -> list[tuple[Record, str]]:
    """One record per designation from name-per-row layouts; rows without an id are rejected."""
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, cells in rows:
        row = _as_dict(header, cells)
        key = clean(row.get(layout.id))
        if key is None:
            parsed.reject("entities", line, f"missing {layout.id}", ",".join(cells))
            continue
        groups.setdefault(key, []).append((line, row))
    records = []
    for key, group in groups.items():
        raw = to_json([row for _, row in group])
        records.append((_group_record(key, group, layout, raw), raw))
    return records


def _group_record(
    key: str, group: list[tuple[int, dict[str, str]]], layout: Layout, raw: str
) -> Record:
    primary = next(
        (r for _, r in group if r.get(layout.name_type, "").casefold() == "primary name"),
        group[0][1],
    )
    first = group[0][1]
    record = Record(
        list=LIST,
        source_id=key,
        schema=schema_of(next((first.get(t) for t in layout.types if first.get(t)), None)),
        primary_name=_person_name(primary),
        line=group[0][0],
        record_json=raw,
        programs=[r.get(layout.regime) for _, r in group],
        listed_on=next(
            (d for _, r in group if (d := parse_date(r.get(layout.listed), DATE_FORMATS))), None
        ),
        remarks=next(
            (r.get("Other Information") for _, r in group if r.get("Other Information")), None
        ),
    )
    for line, row in group:
        if row is not primary:
            kind = _name_kind(row.get(layout.name_type, ""), row.get(layout.strength, ""))
            record.add_name(_person_name(row), kind, line)
        record.add_name(row.get(layout.non_latin), "original_script", line)
        _add_row_details(record, row, layout, line)
    return record


def tabular_records(
    rows: list[Row], file: SourceFile, parsed: ParsedFile
) -> list[tuple[Record, str]]:
    index, kind = find_header(rows, file.relative_path)
    header = rows[index][1]
    body = [(line, cells) for line, cells in rows[index + 1 :] if any(cells)]
    if kind == "summary":
        return summary_records(header, body)
    return grouped_records(header, body, FULL if kind == "full" else CONLIST, parsed)


# --- the XML layout -----------------------------------------------------------------------------


def _xml_name(el: etree._Element) -> str | None:
    parts = [child_text(el, f"Name{i}") for i in (1, 2, 3, 4, 5, 6)]
    return clean(" ".join(p for p in parts if p))


def _xml_date(value: str | None) -> date | None:
    return parse_date(value, DATE_FORMATS)


def xml_record(el: etree._Element) -> Record:
    names = list(el.iterfind("Names/Name"))
    primary = next(
        (n for n in names if (child_text(n, "NameType") or "").casefold() == "primary name"),
        names[0] if names else None,
    )
    record = Record(
        list=LIST,
        source_id=child_text(el, "UniqueID"),
        schema=schema_of(child_text(el, "IndividualEntityShip")),
        primary_name=_xml_name(primary) if primary is not None else None,
        line=el.sourceline,
        record_json=xml_to_json(el),
        programs=[r.text for r in el.iterfind("RegimeName")],
        listed_on=_xml_date(el.findtext("DateDesignated")),
        remarks=child_text(el, "OtherInformation"),
    )
    for name in names:
        if name is not primary:
            kind = _name_kind(
                child_text(name, "NameType") or "", child_text(name, "AliasStrength") or ""
            )
            record.add_name(_xml_name(name), kind, name.sourceline)
    for name in el.iterfind(".//NameNonLatinScript"):
        record.add_name(name.text, "original_script", name.sourceline)
    for addr in el.iterfind("Addresses/Address"):
        lines = [child_text(addr, f"AddressLine{i}") for i in range(1, 7)]
        record.add_address(
            Address(
                line=addr.sourceline,
                street=", ".join(p for p in lines[:4] if p) or None,
                region=lines[4],
                city=lines[5],
                postal_code=child_text(addr, "AddressPostalCode"),
                country_name=child_text(addr, "AddressCountry"),
            )
        )
    for nationality in el.iterfind(".//Nationality"):
        record.add_country(country_iso2(nationality.text))
    for tag in (
        "PassportNumber",
        "NationalIdentifierNumber",
        "BusinessRegistrationNumber",
        "IMONumber",
    ):
        for node in el.iterfind(f".//{tag}"):
            record.add_identifier(tag, node.text, node.sourceline)
    return record


def xml_records(file: SourceFile) -> list[tuple[Record, str]]:
    root = load_xml(file)
    if root.tag != "Designations":
        reason = f"expected a <Designations> document, found <{root.tag}>"
        raise SourceParseError(file.relative_path, root.sourceline, reason)
    return [(xml_record(el), element_text(el)) for el in root.iterfind("Designation")]


# --- entry point --------------------------------------------------------------------------------


def _preferred_siblings(file: SourceFile) -> list[str]:
    suffix = file.path.suffix.lower()
    better = (
        FORMAT_PREFERENCE[: FORMAT_PREFERENCE.index(suffix)] if suffix in FORMAT_PREFERENCE else ()
    )
    return [file.path.stem + ext for ext in better]


READERS: dict[str, Callable[[SourceFile], list[Row]]] = {".csv": csv_rows, ".ods": ods_rows}


def parse(file: SourceFile) -> ParsedFile:
    better = superseding_sibling(file, _preferred_siblings(file))
    if better is not None:
        return superseded(file, better)
    parsed = ParsedFile(tables={})
    suffix = file.path.suffix.lower()
    if suffix == ".xml":
        records = xml_records(file)
    else:
        records = tabular_records(READERS[suffix](file), file, parsed)
    tables = ListTables()
    for record, raw in records:
        tables.add(record, parsed, raw)
    return tables.parsed(file, parsed)


# The YAML beside this module (uk.yml) says which files and tables it reads.
PARSERS = {"uk": Parser(parse=parse, schemas=LIST_SCHEMAS)}
