"""OFAC lists in XML: the SDN list (SDN.XML) and the non-SDN Consolidated list (consolidated.xml).

Both files share one element structure: ``sdnList/sdnEntry`` with ``uid``, ``firstName``,
``lastName``, ``sdnType``, ``programList``, ``akaList``, ``addressList``, ``idList``,
``nationalityList``, ``citizenshipList`` (and ``vesselInfo`` in SDN.XML). The ``uid`` is OFAC's
entity number, the same ``ent_num`` the legacy CSV files carry. The consolidated list is the
``ofac_cons`` source, whose parser calls :func:`parse_sdn_list` with its own list name.
"""

from __future__ import annotations

from lxml import etree

from orchestration.reference.countries import country_iso2
from orchestration.sources.common.base import ParsedFile, Parser, SourceFile, SourceParseError
from orchestration.sources.common.sanctions import (
    LIST_SCHEMAS,
    NOT_IDENTIFIERS,
    Address,
    ListTables,
    Record,
    schema_of,
)
from orchestration.sources.common.xml import child_text, element_text, load_xml, xml_to_json


def _name(el: etree._Element) -> str | None:
    parts = [child_text(el, "firstName"), child_text(el, "lastName")]
    return " ".join(p for p in parts if p) or None


def _aka_kind(aka: etree._Element) -> str:
    if (child_text(aka, "category") or "").lower() == "weak":
        return "weak_alias"
    if (child_text(aka, "type") or "").lower() == "f.k.a.":
        return "former"
    return "alias"


def _address(el: etree._Element) -> Address:
    street = ", ".join(v for v in (child_text(el, f"address{i}") for i in (1, 2, 3)) if v)
    return Address(
        line=el.sourceline,
        street=street or None,
        city=child_text(el, "city"),
        region=child_text(el, "stateOrProvince"),
        postal_code=child_text(el, "postalCode"),
        country_name=child_text(el, "country"),
    )


def _record(entry: etree._Element, list_name: str) -> Record:
    record = Record(
        list=list_name,
        source_id=child_text(entry, "uid"),
        schema=schema_of(child_text(entry, "sdnType")),
        primary_name=_name(entry),
        line=entry.sourceline,
        record_json=xml_to_json(entry),
        programs=[p.text for p in entry.iterfind("programList/program")],
        remarks=child_text(entry, "remarks"),
    )
    for aka in entry.iterfind("akaList/aka"):
        record.add_name(_name(aka), _aka_kind(aka), aka.sourceline)
    for el in entry.iterfind("addressList/address"):
        record.add_address(_address(el))
    for el in entry.iterfind("idList/id"):
        id_type = child_text(el, "idType")
        if id_type and NOT_IDENTIFIERS.match(id_type):
            continue
        issuer = country_iso2(child_text(el, "idCountry"))
        record.add_identifier(id_type, child_text(el, "idNumber"), el.sourceline, issuer)
    for path in ("nationalityList/nationality", "citizenshipList/citizenship"):
        for el in entry.iterfind(path):
            record.add_country(country_iso2(child_text(el, "country")))
    return record


def parse_sdn_list(file: SourceFile, list_name: str) -> ParsedFile:
    root = load_xml(file)
    if root.tag != "sdnList":
        reason = f"expected an <sdnList> document, found <{root.tag}>"
        raise SourceParseError(file.relative_path, root.sourceline, reason)
    parsed = ParsedFile(tables={})
    tables = ListTables()
    for entry in root.iterfind("sdnEntry"):
        tables.add(_record(entry, list_name), parsed, element_text(entry))
    return tables.parsed(file, parsed)


def parse_sdn(file: SourceFile) -> ParsedFile:
    return parse_sdn_list(file, "ofac_sdn")


# The YAML beside this module (ofac_sdn.yml) says which files and tables it reads.
PARSERS = {"ofac_sdn_xml": Parser(parse=parse_sdn, schemas=LIST_SCHEMAS)}
