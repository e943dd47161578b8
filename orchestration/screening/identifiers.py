"""Identifier types and values in one canonical form, so that a counterparty's ``inn`` column and
OFAC's "Tax ID No." compare as the same type and ``IMO 9253325`` equals ``9253325``.

Types not in the table keep their folded name: two unknown types still compare when equal.
"""

from __future__ import annotations

import re

from orchestration.screening.normalize import fold

# Folded type names as counterparty files and the lists write them -> canonical type.
ID_TYPES: dict[str, str] = {
    "tax id": "tax_id",
    "tax id no": "tax_id",
    "tax_id": "tax_id",
    "tin": "tax_id",
    "inn": "tax_id",
    "registration number": "registration_number",
    "registration_number": "registration_number",
    "registration id": "registration_number",
    "company number": "registration_number",
    "business registration number": "registration_number",
    "ogrn": "registration_number",
    "lei": "lei",
    "legal entity number": "lei",
    "imo": "imo",
    "vessel registration identification": "imo",
    "imo number": "imo",
    "unified social credit code uscc": "uscc",
    "unified social credit code": "uscc",
    "uscc": "uscc",
    "swift bic": "bic",
    "swift": "bic",
    "bic": "bic",
}

# Counterparty file columns read as identifiers (folded column name -> canonical type).
COUNTERPARTY_ID_COLUMNS: dict[str, str] = {
    "tax_id": "tax_id",
    "inn": "tax_id",
    "registration_number": "registration_number",
    "ogrn": "registration_number",
    "lei": "lei",
    "imo": "imo",
    "bic": "bic",
    "swift": "bic",
    "uscc": "uscc",
}

_NON_ALNUM = re.compile(r"[^0-9A-Z]+")


def canonical_type(id_type: str) -> str:
    folded = fold(id_type)
    return ID_TYPES.get(folded, ID_TYPES.get(id_type.strip().lower(), folded.replace(" ", "_")))


def canonical_value(id_type: str, value: str) -> str:
    """Upper-case letters and digits only; the ``IMO`` prefix of IMO numbers dropped."""
    cleaned = _NON_ALNUM.sub("", value.upper())
    if id_type == "imo" and cleaned.startswith("IMO"):
        cleaned = cleaned[3:]
    return cleaned
