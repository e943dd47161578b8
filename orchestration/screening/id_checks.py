"""Check digits of a counterparty's identifiers, with python-stdnum.

A wrong check digit says the value was mistyped or truncated (a spreadsheet that dropped a
leading zero, an INN with a digit swapped): the value is still screened as written, since a list
can carry the same mistake, and the row reports it. Which check applies:

| column | check (python-stdnum module) |
|---|---|
| ``inn`` | Russian INN, 10 digits (organisations) or 12 (persons) (``stdnum.ru.inn``) |
| ``ogrn`` | Russian OGRN, 13 digits, or OGRNIP, 15 (``stdnum.ru.ogrn``) |
| ``tax_id`` | the INN check when the counterparty's country is Russia; none otherwise |
| ``registration_number`` | the OGRN check when the country is Russia; none otherwise |
| ``lei`` | ISO 17442 LEI, ISO 7064 Mod 97-10 (``stdnum.lei``) |
| ``imo`` | IMO ship number, 7 digits with a weighted check digit (``stdnum.imo``) |
| ``bic``, ``swift`` | ISO 9362 BIC, 8 or 11 characters, format only (``stdnum.bic``) |
| ``uscc`` | Chinese Unified Social Credit Code, 18 characters (``stdnum.cn.uscc``) |

Tax numbers of other countries are not checked: the column does not say which national scheme
the value follows, and a check of the wrong scheme would report good numbers as bad.
"""

from __future__ import annotations

from types import ModuleType

from stdnum import bic, imo, lei
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError
from stdnum.ru import inn, ogrn

CHECKS: dict[str, tuple[ModuleType, str]] = {
    "inn": (inn, "INN"),
    "ogrn": (ogrn, "OGRN"),
    "lei": (lei, "LEI"),
    "imo": (imo, "IMO number"),
    "bic": (bic, "BIC"),
    "swift": (bic, "BIC"),
    "uscc": (uscc, "USCC"),
}
# Generic columns whose scheme follows from the counterparty's country.
BY_COUNTRY: dict[tuple[str, str], tuple[ModuleType, str]] = {
    ("tax_id", "RU"): (inn, "INN"),
    ("registration_number", "RU"): (ogrn, "OGRN"),
}


def identifier_issue(column: str, value: str, country: str | None) -> str | None:
    """Why ``value`` fails the check of its column (module docstring), or None when it passes
    or no check applies."""
    check = CHECKS.get(column) or BY_COUNTRY.get((column, country or ""))
    if check is None or not value:
        return None
    module, label = check
    if module is inn and _plain_valid_inn(value):
        return None
    try:
        module.validate(value)
    except ValidationError as err:
        reason = err.message.rstrip(".")
        return f"{column}: {value!r} fails the {label} check ({reason}), screened as written"
    return None


def _plain_valid_inn(value: str) -> bool:
    # The common case, a plain 10- or 12-digit INN, checked with python-stdnum's own check-digit
    # functions without its character clean-up (which costs most of a validate() call); any
    # other value goes through validate(), which also gives the reason.
    if not (value.isascii() and value.isdigit()):
        return False
    if len(value) == 10:
        return inn.calc_company_check_digit(value) == value[-1]
    if len(value) == 12:
        return inn.calc_personal_check_digits(value) == value[-2:]
    return False
