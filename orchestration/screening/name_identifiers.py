"""Identifiers written inside a name, as registers and customer files often do.

A Russian register extract or an ERP export writes ``ООО "МАРКУС", ИНН 7707327719`` or
``OOO Markus (INN 7707327719, OGRN 1027700000000)`` in the one name field. The numbers are not
words of the name (they would pull its similarity down and bring in nothing), but they are the
strongest evidence there is: they are cut from the name and compared as identifiers.
"""

from __future__ import annotations

import re

# Label -> canonical identifier type (identifiers.ID_TYPES). КПП (the tax office's reason code)
# identifies a branch, not a legal person: it is cut from the name and not compared.
_LABELS = {
    "инн": "tax_id",
    "inn": "tax_id",
    "tin": "tax_id",
    "tax id": "tax_id",
    "огрн": "registration_number",
    "ogrn": "registration_number",
    "огрнип": "registration_number",
    "ogrnip": "registration_number",
    "кпп": None,
    "kpp": None,
    "imo": "imo",
}
_PATTERN = re.compile(
    r"[\s,;(\[/-]*\b(ИНН|INN|TIN|TAX\s+ID|ОГРНИП|OGRNIP|ОГРН|OGRN|КПП|KPP|IMO)\b"
    r"\s*(?:No\.?|№|#)?\s*[:.]?\s*(\d[\d\s-]{5,18}\d)[\s)\]]*",
    re.IGNORECASE,
)


def split_name_identifiers(name: str) -> tuple[str, dict[str, set[str]]]:
    """The name without the labelled numbers in it, and those numbers by identifier type."""
    if not name or not any(c.isdigit() for c in name):
        return name, {}
    found: dict[str, set[str]] = {}

    def cut(match: re.Match) -> str:
        label = re.sub(r"\s+", " ", match.group(1).lower())
        id_type = _LABELS.get(label)
        if id_type:
            found.setdefault(id_type, set()).add(re.sub(r"\D", "", match.group(2)))
        return " "

    rest = _PATTERN.sub(cut, name).strip(" ,;")
    return (rest, found) if rest else (name, {})
