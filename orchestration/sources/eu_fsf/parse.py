"""EU Financial Sanctions Files: the consolidated list in XML 1.1.

``export`` (namespace ``http://eu.europa.ec/fpi/fsd/export``) holds ``sanctionEntity``
elements whose data sit in attributes: ``@logicalId`` (the id), ``@euReferenceNumber``,
``@unitedNationId``, ``@designationDate``; children ``remark``, ``regulation@programme``,
``subjectType@code`` (person | enterprise), ``nameAlias@wholeName/@nameLanguage/@strong``,
``citizenship``, ``birthdate``, ``identification@identificationTypeCode/@number`` and ``address``
(``@street``, ``@city``, ``@zipCode``, ``@region``, ``@countryIso2Code``, ``@countryDescription``).
Country code ``00`` / description ``UNKNOWN`` mean no country.

The list marks no primary name: the first strong ``nameAlias`` without a ``nameLanguage`` is the
primary name (the first ``nameAlias`` when none is); the others, translations included, are
aliases, weak where ``strong="false"``.
"""

from __future__ import annotations

from lxml import etree

from orchestration.reference.countries import iso2_code
from orchestration.sources.common.base import ParsedFile, Parser, SourceFile, SourceParseError
from orchestration.sources.common.sanctions import (
    LIST_SCHEMAS,
    Address,
    ListTables,
    Record,
    clean,
    parse_xs_date,
    schema_of,
)
from orchestration.sources.common.xml import element_text, load_xml, xml_to_json

LIST = "eu_fsf"
# identificationTypeCode -> the label normalise_id_type reads (the code itself is kept raw).
ID_CODE_LABELS = {
    "passport": "passport",
    "id": "national id",
    "ssn": "ssn",
    "regnumber": "registration number",
    "fiscalcode": "tax id",
    "swiftbic": "swift",
    "imo": "imo",
}


def _country(el: etree._Element) -> str | None:
    return iso2_code(el.get("countryIso2Code"))


def _country_name(el: etree._Element) -> str | None:
    name = clean(el.get("countryDescription"))
    return None if name in (None, "UNKNOWN") else name


def _is_strong(alias: etree._Element) -> bool:
    return (alias.get("strong") or "true").lower() != "false"


def _primary(aliases: list[etree._Element]) -> etree._Element | None:
    for alias in aliases:
        if _is_strong(alias) and not clean(alias.get("nameLanguage")):
            return alias
    return aliases[0] if aliases else None


def _address(el: etree._Element) -> Address:
    street = ", ".join(p for p in (clean(el.get("street")), clean(el.get("poBox"))) if p)
    return Address(
        line=el.sourceline,
        street=street or None,
        city=el.get("city") or el.get("place"),
        region=el.get("region"),
        postal_code=el.get("zipCode"),
        country_name=_country_name(el),
        country_iso2=_country(el),
    )


def _record(entity: etree._Element) -> Record:
    aliases = list(entity.iterfind("nameAlias"))
    primary = _primary(aliases)
    subject = entity.find("subjectType")
    record = Record(
        list=LIST,
        source_id=clean(entity.get("logicalId")),
        schema=schema_of(subject.get("code") if subject is not None else None),
        primary_name=primary.get("wholeName") if primary is not None else None,
        line=entity.sourceline,
        record_json=xml_to_json(entity),
        programs=[r.get("programme") for r in entity.iterfind("regulation")],
        listed_on=parse_xs_date(entity.get("designationDate")),
        remarks="\n".join(t for t in (clean(r.text) for r in entity.iterfind("remark")) if t),
    )
    for alias in aliases:
        if alias is not primary:
            kind = "alias" if _is_strong(alias) else "weak_alias"
            record.add_name(alias.get("wholeName"), kind, alias.sourceline)
    for el in entity.iterfind("citizenship"):
        record.add_country(_country(el))
    for el in entity.iterfind("address"):
        record.add_address(_address(el))
    for el in entity.iterfind("identification"):
        code = clean(el.get("identificationTypeCode"))
        number = el.get("number") or el.get("latinNumber")
        hint = ID_CODE_LABELS.get((code or "").lower())
        record.add_identifier(code, number, el.sourceline, _country(el), hint=hint)
    return record


def parse(file: SourceFile) -> ParsedFile:
    root = load_xml(file)
    if root.tag != "export":
        reason = f"expected an <export> document, found <{root.tag}>"
        raise SourceParseError(file.relative_path, root.sourceline, reason)
    parsed = ParsedFile(tables={})
    tables = ListTables()
    for el in root.iterfind("sanctionEntity"):
        tables.add(_record(el), parsed, element_text(el))
    return tables.parsed(file, parsed)


# The YAML beside this module (eu_fsf.yml) says which files and tables it reads.
PARSERS = {"eu_fsf": Parser(parse=parse, schemas=LIST_SCHEMAS)}
