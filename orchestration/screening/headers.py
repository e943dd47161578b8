"""Which column of a counterparty file holds which field: header synonyms as customers write them.

A header is compared in a loose form (:func:`header_key`: case folded, accents kept, every run of
spaces and punctuation one underscore), so "Company Name", "company-name" and "COMPANY_NAME" are
one header. For each field the first header found in the order of its synonyms wins, the
field's own name first: a file with both "Name" and "Company" reads "Name".
"""

from __future__ import annotations

import re

# Field -> accepted headers in their loose form, preferred first. English, German, French,
# Spanish, Italian, Russian, Turkish and Chinese: the languages of the files analysts receive.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "name", "company_name", "company", "customer_name", "customer", "counterparty_name",
        "counterparty", "client_name", "client", "entity_name", "entity", "legal_name",
        "organisation_name", "organization_name", "organisation", "organization", "full_name",
        "party_name", "party", "firma", "firmenname", "firmierung", "kunde", "kundenname",
        "unternehmen", "raison_sociale", "societe", "société", "nom", "denominacion",
        "denominación", "razon_social", "razón_social", "ragione_sociale", "наименование",
        "название", "контрагент", "компания", "организация", "unvan", "firma_adı", "firma_adi",
        "şirket", "şirket_adı", "sirket", "名称", "公司名称", "企业名称", "客户", "客户名称",
    ),
    "id": (
        "id", "counterparty_id", "customer_id", "customer_number", "customer_no", "client_id",
        "client_number", "account_number", "account", "reference", "ref", "kundennummer",
        "kunden_nr", "kundennr", "debitor", "numéro_client", "numero_client", "код", "номер",
        "müşteri_no", "客户编号",
    ),
    "country": (
        "country", "country_code", "country_iso2", "country_iso3", "country_name",
        "country_of_registration", "country_of_incorporation", "jurisdiction", "land",
        "staat", "länderkennzeichen", "pays", "país", "pais", "paese", "страна", "ülke", "ulke",
        "国家", "国家_地区", "国别",
    ),
    "address": (
        "address", "full_address", "street_address", "registered_address", "adresse",
        "anschrift", "dirección", "direccion", "indirizzo", "адрес", "adres", "地址",
    ),
    "type": ("type", "entity_type", "party_type", "kind", "typ", "тип", "tür", "tur", "类型"),
    "incorporation_date": (
        "incorporation_date", "date_of_incorporation", "registration_date", "founded",
        "gründungsdatum", "date_de_création", "дата_регистрации", "kuruluş_tarihi", "成立日期",
    ),
    "birth_date": (
        "birth_date", "date_of_birth", "dob", "birthdate", "geburtsdatum", "date_de_naissance",
        "fecha_de_nacimiento", "дата_рождения", "doğum_tarihi", "出生日期",
    ),
    "nationality": (
        "nationality", "citizenship", "staatsangehörigkeit", "nationalité", "nacionalidad",
        "гражданство", "uyruk", "国籍",
    ),
    "given_name": ("given_name", "first_name", "forename", "vorname", "prénom", "prenom",
                   "nombre_de_pila", "имя", "ad", "名"),
    "surname": ("surname", "last_name", "family_name", "nachname", "nom_de_famille",
                "apellido", "фамилия", "soyad", "soyadı", "姓"),
    # Identifier columns keep the names identifiers.COUNTERPARTY_ID_COLUMNS knows.
    "tax_id": ("tax_id", "tax_number", "tin", "taxpayer_id", "steuernummer", "numéro_fiscal",
               "vergi_no", "vergi_numarası", "税号"),
    "inn": ("inn", "инн"),
    "ogrn": ("ogrn", "огрн"),
    "registration_number": ("registration_number", "company_number", "registry_number",
                            "reg_no", "handelsregisternummer", "ticaret_sicil_no"),
    "lei": ("lei", "lei_code"),
    "imo": ("imo", "imo_number"),
    "bic": ("bic", "bic_code"),
    "swift": ("swift", "swift_code", "swift_bic"),
    "uscc": ("uscc", "unified_social_credit_code", "统一社会信用代码"),
}  # fmt: skip

_SEPARATORS = re.compile(r"[\W_]+")


def header_key(header: str) -> str:
    """The loose form of a header: case folded, runs of spaces and punctuation as one ``_``."""
    return _SEPARATORS.sub("_", header.casefold()).strip("_")


def map_headers(headers: list[str]) -> dict[str, int]:
    """Field -> position of the column that holds it (fields absent from the file left out)."""
    keys = [header_key(h) for h in headers]
    found: dict[str, int] = {}
    taken: set[int] = set()
    for field, synonyms in HEADER_SYNONYMS.items():
        for synonym in synonyms:
            if synonym in keys and keys.index(synonym) not in taken:
                found[field] = keys.index(synonym)
                taken.add(found[field])
                break
    return found
