"""UN Security Council Consolidated List (consolidated.xml).

``CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY``, no namespace. The id is the
UN reference number (``QDi.430``, ``KPe.071``): the one the UN's press releases, the EU
(``unitedNationId``) and the UK (``UN Reference Number``) cite; the internal ``DATAID`` stays in
record_json.
"""

from __future__ import annotations

from lxml import etree

from orchestration.reference.countries import country_iso2
from orchestration.sources.common.base import ParsedFile, Parser, SourceFile, SourceParseError
from orchestration.sources.common.sanctions import (
    LIST_SCHEMAS,
    Address,
    ListTables,
    Record,
    parse_xs_date,
)
from orchestration.sources.common.xml import child_text, element_text, load_xml, xml_to_json

LIST = "un"
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
# QUALITY: Good and a.k.a. are aliases, Low is a weak alias, f.k.a. a former name.
ALIAS_KINDS = {"low": "weak_alias", "f.k.a.": "former"}


def _address(el: etree._Element) -> Address:
    note = child_text(el, "NOTE")
    parts = [child_text(el, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE")]
    country = child_text(el, "COUNTRY")
    full = ", ".join(p for p in [*parts, country, note] if p)
    return Address(
        line=el.sourceline,
        full_address=full or None,
        street=parts[0],
        city=parts[1],
        region=parts[2],
        postal_code=parts[3],
        country_name=country,
    )


def _record(el: etree._Element) -> Record:
    is_person = el.tag == "INDIVIDUAL"
    name = " ".join(p for p in (child_text(el, t) for t in NAME_PARTS) if p)
    record = Record(
        list=LIST,
        source_id=child_text(el, "REFERENCE_NUMBER"),
        schema="person" if is_person else "organization",
        primary_name=name or None,
        line=el.sourceline,
        record_json=xml_to_json(el),
        programs=[el.findtext("UN_LIST_TYPE")],
        listed_on=parse_xs_date(el.findtext("LISTED_ON")),
        remarks=child_text(el, "COMMENTS1"),
    )
    original = el.find("NAME_ORIGINAL_SCRIPT")
    if original is not None:
        record.add_name(original.text, "original_script", original.sourceline)
    prefix = "INDIVIDUAL" if is_person else "ENTITY"
    for alias in el.iterfind(f"{prefix}_ALIAS"):
        kind = ALIAS_KINDS.get((child_text(alias, "QUALITY") or "").lower(), "alias")
        record.add_name(child_text(alias, "ALIAS_NAME"), kind, alias.sourceline)
    for value in el.iterfind("NATIONALITY/VALUE"):
        record.add_country(country_iso2(value.text))
    for addr in el.iterfind(f"{prefix}_ADDRESS"):
        record.add_address(_address(addr))
    for doc in el.iterfind("INDIVIDUAL_DOCUMENT"):
        issuer = child_text(doc, "ISSUING_COUNTRY") or child_text(doc, "COUNTRY_OF_ISSUE")
        kind = child_text(doc, "TYPE_OF_DOCUMENT")
        number = child_text(doc, "NUMBER")
        record.add_identifier(kind, number, doc.sourceline, country_iso2(issuer))
    return record


def parse(file: SourceFile) -> ParsedFile:
    root = load_xml(file)
    if root.tag != "CONSOLIDATED_LIST":
        reason = f"expected a <CONSOLIDATED_LIST> document, found <{root.tag}>"
        raise SourceParseError(file.relative_path, root.sourceline, reason)
    parsed = ParsedFile(tables={})
    tables = ListTables()
    for el in root.iterfind("INDIVIDUALS/INDIVIDUAL"):
        tables.add(_record(el), parsed, element_text(el))
    for el in root.iterfind("ENTITIES/ENTITY"):
        tables.add(_record(el), parsed, element_text(el))
    return tables.parsed(file, parsed)


# The YAML beside this module (un.yml) says which files and tables it reads.
PARSERS = {"un": Parser(parse=parse, schemas=LIST_SCHEMAS)}
