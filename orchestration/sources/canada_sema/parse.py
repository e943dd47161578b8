"""Canada: Consolidated Canadian Autonomous Sanctions List (sema-lmes.xml).

``data-set/record`` with ``Country``, ``LastName``, ``GivenName``, ``EntityOrShip``,
``TitleOrShip``, ``ShipIMONumber``, ``Aliases``, ``DateOfBirthOrShipBuildDate``, ``Schedule``,
``Item``, ``DateOfListing``.

``Country`` names the *regulation* the record is listed under (bilingual, "Russia / Russie"; some
are not countries at all, e.g. the Justice for Victims of Corrupt Foreign Officials
Regulations), not the person's or company's country: it becomes the program, and
``country_iso2`` stays empty because the list gives no country of the entity itself.

The list has no id. A record is an item of a schedule of one regulation, so the id is
``<regulation>|<schedule>|<item>``: the English half of ``Country``, ``Schedule`` with its spacing
normalised ("1,Part 3" -> "1, Part 3"; "-" when absent) and ``Item``, e.g. ``Russia|1, Part 1|23``.
"""

from __future__ import annotations

import re

from lxml import etree

from orchestration.sources.common.base import ParsedFile, Parser, SourceFile, SourceParseError
from orchestration.sources.common.sanctions import (
    LIST_SCHEMAS,
    ListTables,
    Record,
    clean,
    parse_date,
)
from orchestration.sources.common.xml import child_text, element_text, load_xml, xml_to_json

LIST = "canada_sema"
# "Belarusian: Раман ...", "Russian : ..." label the language of an alias; the label is no name.
_LANGUAGE_LABEL = re.compile(r"^[A-Za-z]+\s?:\s*")


def regime(country: str | None) -> str | None:
    text = clean(country)
    return clean(text.split(" / ")[0]) if text else None


def source_id(record: etree._Element) -> str | None:
    item = child_text(record, "Item")
    name = regime(record.findtext("Country"))
    if item is None or name is None:
        return None
    schedule = clean(re.sub(r"\s*,\s*", ", ", record.findtext("Schedule") or "")) or "-"
    return f"{name}|{schedule}|{item}"


def aliases(text: str | None, is_person: bool) -> list[str]:
    """Split the free-text alias field: ';' always separates aliases, and so does a comma before
    a language label (", Russian: ..."); any other ',' does too for people only, because company
    names contain commas ("Конкорд Менеджмент и консалтинг, ООО")."""
    separators = r"[;,]" if is_person else r";|,\s*(?=[A-Za-z]+\s?:)"
    parts = (clean(p) for p in re.split(separators, text or ""))
    return [_LANGUAGE_LABEL.sub("", p) for p in parts if p]


def _schema(record: etree._Element) -> str:
    if child_text(record, "LastName") or child_text(record, "GivenName"):
        return "person"
    if child_text(record, "ShipIMONumber") or child_text(record, "TitleOrShip"):
        return "vessel"
    return "organization"


def _record(el: etree._Element) -> Record:
    schema = _schema(el)
    if schema == "person":
        parts = (child_text(el, "GivenName"), child_text(el, "LastName"))
        name = " ".join(p for p in parts if p)
    else:
        name = child_text(el, "EntityOrShip")
    record = Record(
        list=LIST,
        source_id=source_id(el),
        schema=schema,
        primary_name=name,
        line=el.sourceline,
        record_json=xml_to_json(el),
        programs=[regime(el.findtext("Country"))],
        listed_on=parse_date(el.findtext("DateOfListing")),
    )
    alias_el = el.find("Aliases")
    for alias in aliases(el.findtext("Aliases"), schema == "person"):
        record.add_name(alias, "alias", alias_el.sourceline)
    imo = el.find("ShipIMONumber")
    if imo is not None:
        record.add_identifier("ShipIMONumber", imo.text, imo.sourceline)
    return record


def parse(file: SourceFile) -> ParsedFile:
    root = load_xml(file)
    if root.tag != "data-set":
        reason = f"expected a <data-set> document, found <{root.tag}>"
        raise SourceParseError(file.relative_path, root.sourceline, reason)
    parsed = ParsedFile(tables={})
    tables = ListTables()
    for el in root.iterfind("record"):
        tables.add(_record(el), parsed, element_text(el))
    return tables.parsed(file, parsed)


# The YAML beside this module (canada_sema.yml) says which files and tables it reads.
PARSERS = {"canada_sema": Parser(parse=parse, schemas=LIST_SCHEMAS)}
