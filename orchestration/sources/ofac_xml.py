"""OFAC lists in XML: the SDN list (SDN.XML) and the non-SDN Consolidated list (consolidated.xml).

Both files share one element structure: ``sdnList/sdnEntry`` with ``uid``, ``firstName``,
``lastName``, ``sdnType``, ``programList``, ``akaList``, ``addressList``, ``idList``,
``nationalityList``, ``citizenshipList`` (and ``vesselInfo`` in SDN.XML). The ``uid`` is OFAC's
entity number, the same ``ent_num`` the legacy CSV files carry.
"""

from __future__ import annotations

from lxml import etree

from orchestration.reference.countries import country_iso2
from orchestration.sources.base import ParsedFile, SourceFile, SourceParseError
from orchestration.sources.sanctions_common import (
    NOT_IDENTIFIERS,
    Address,
    ListTables,
    Record,
    child_text,
    element_text,
    list_spec,
    load_xml,
    schema_of,
    xml_to_json,
)


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


def parse_consolidated(file: SourceFile) -> ParsedFile:
    return parse_sdn_list(file, "ofac_cons")


_LICENCE = "US government work, public domain (17 U.S.C. 105)"
_PUBLISHER = "US Treasury, Office of Foreign Assets Control"
_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"

SPECS = [
    list_spec(
        name="ofac_sdn_xml",
        patterns=(r"\d{4}-\d{2}-\d{2}/sdn\.xml",),
        parse=parse_sdn,
        title="OFAC Specially Designated Nationals list (XML)",
        publisher=_PUBLISHER,
        url=_EXPORTS + "SDN.XML",
        licence=_LICENCE,
        cadence="irregular, often several times a week",
        folder="ofac_sdn",
    ),
    list_spec(
        name="ofac_cons",
        patterns=(r"\d{4}-\d{2}-\d{2}/consolidated\.xml",),
        parse=parse_consolidated,
        title="OFAC non-SDN Consolidated Sanctions List (XML)",
        publisher=_PUBLISHER,
        url=_EXPORTS + "CONSOLIDATED.XML",
        licence=_LICENCE,
        cadence="irregular",
    ),
]
