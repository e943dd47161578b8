"""The legal-form table: company-type words across languages, by canonical code and family.

A legal form is taken out of a name before names are compared, and kept: two names whose forms
belong to different families (an ``OOO`` and an ``AO`` of the same brand are usually two legal
persons, parent and subsidiary) are evidence of different entities. Forms of one family written in
different languages (``OOO``, ``ООО``, ``LLC``, ``Limited Liability Company``) agree.

Families:

- ``limited``: private companies with limited liability (LLC, Ltd, GmbH, OOO, TOO ...)
- ``joint_stock``: companies with shares (JSC, AO, PAO, ZAO, OAO, AG, A.Ş., S.A., PLC ...)
- ``free_zone``: UAE free-zone vehicles (FZE, FZCO, FZ-LLC, DMCC), separate from mainland LLCs
- ``state``: Russian and Belarusian state unitary enterprises and budget institutions
- ``generic``: words that say "company" without a type (Co., Company, Corp., Inc.); they agree
  with every family

Variants are written as publishers and companies write them; each is normalised with the same
function as the names, so ``Ltd. Şti.`` is matched as the words ``ltd sti`` and ``ООО`` as
``ooo``. Han variants (有限公司) are matched as characters inside the original text, before
transliteration, because Chinese names have no spaces. The table is reproduced in
docs/screening.md.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LegalForm:
    code: str
    family: str
    label: str
    variants: tuple[str, ...]


FAMILIES = ("limited", "joint_stock", "free_zone", "state", "generic")

LEGAL_FORMS: tuple[LegalForm, ...] = (
    LegalForm(
        "llc",
        "limited",
        "limited liability company (RU OOO, UA TOV)",
        (
            "LLC",
            "L.L.C.",
            "Limited Liability Company",
            "OOO",
            "ООО",
            "Общество с ограниченной ответственностью",
            "Obshchestvo s Ogranichennoy Otvetstvennostyu",
            "TOV",
            "ТОВ",
            "Товариство з обмеженою відповідальністю",
            "有限责任公司",
            "有限責任公司",
        ),
    ),
    LegalForm(
        "llp",
        "limited",
        "limited liability partnership (KZ TOO, in English usually LLP)",
        (
            "LLP",
            "TOO",
            "ТОО",
            "Товарищество с ограниченной ответственностью",
            "Tovarishchestvo s Ogranichennoy Otvetstvennostyu",
            "Limited Liability Partnership",
        ),
    ),
    LegalForm(
        "ltd",
        "limited",
        "limited company (UK, HK, CN Co., Ltd.)",
        (
            "Ltd",
            "Ltd.",
            "Limited",
            "Co., Ltd.",
            "Co. Ltd",
            "Company Limited",
            "Co., Limited",
            "Pte. Ltd.",
            "Pvt. Ltd.",
            "Private Limited",
            "有限公司",
        ),
    ),
    LegalForm("gmbh", "limited", "German GmbH", ("GmbH", "Gesellschaft mit beschränkter Haftung")),
    LegalForm(
        "sp_zoo",
        "limited",
        "Polish limited company",
        ("Sp. z o.o.", "Spółka z ograniczoną odpowiedzialnością"),
    ),
    LegalForm(
        "ltd_sti",
        "limited",
        "Turkish limited company",
        ("Ltd. Şti.", "Ltd. Sti.", "Limited Şirketi", "Limited Sirketi"),
    ),
    LegalForm("sarl", "limited", "French/Romance limited company", ("SARL", "S.à r.l.", "SRL")),
    LegalForm("bv", "limited", "Dutch private company", ("B.V.", "Besloten Vennootschap")),
    LegalForm(
        "jsc",
        "joint_stock",
        "joint-stock company (RU AO)",
        (
            "JSC",
            "AO",
            "АО",
            "Joint Stock Company",
            "Joint-Stock Company",
            "Aktsionernoe Obshchestvo",
            "Акционерное общество",
        ),
    ),
    LegalForm(
        "ojsc",
        "joint_stock",
        "open joint-stock company (RU OAO, before 2014)",
        (
            "OJSC",
            "OAO",
            "ОАО",
            "Open Joint Stock Company",
            "Open Joint-Stock Company",
            "Otkrytoe Aktsionernoe Obshchestvo",
            "Открытое акционерное общество",
        ),
    ),
    LegalForm(
        "cjsc",
        "joint_stock",
        "closed joint-stock company (RU ZAO, before 2014)",
        (
            "CJSC",
            "ZAO",
            "ЗАО",
            "Closed Joint Stock Company",
            "Closed Joint-Stock Company",
            "Zakrytoe Aktsionernoe Obshchestvo",
            "Закрытое акционерное общество",
        ),
    ),
    LegalForm(
        "pjsc",
        "joint_stock",
        "public joint-stock company (RU PAO)",
        (
            "PJSC",
            "PAO",
            "ПАО",
            "Public Joint Stock Company",
            "Public Joint-Stock Company",
            "Publichnoe Aktsionernoe Obshchestvo",
            "Публичное акционерное общество",
        ),
    ),
    LegalForm("ag", "joint_stock", "German/Swiss stock company", ("AG", "Aktiengesellschaft")),
    LegalForm(
        "as_tr",
        "joint_stock",
        "Turkish joint-stock company",
        ("A.Ş.", "A.S.", "Anonim Şirketi", "Anonim Sirketi"),
    ),
    LegalForm(
        "sa",
        "joint_stock",
        "société anonyme / sociedad anónima",
        ("S.A.", "SA", "Société Anonyme", "Sociedad Anónima"),
    ),
    LegalForm("plc", "joint_stock", "public limited company", ("PLC", "Public Limited Company")),
    LegalForm("nv", "joint_stock", "Dutch/Belgian public company", ("N.V.", "NV")),
    LegalForm("cn_jsc", "joint_stock", "Chinese company limited by shares", ("股份有限公司",)),
    LegalForm(
        "fze", "free_zone", "UAE free zone establishment", ("FZE", "Free Zone Establishment")
    ),
    LegalForm("fzco", "free_zone", "UAE free zone company", ("FZCO", "FZC", "Free Zone Company")),
    LegalForm("fz_llc", "free_zone", "UAE free zone LLC", ("FZ-LLC", "FZ LLC", "FZLLC")),
    LegalForm("dmcc", "free_zone", "Dubai Multi Commodities Centre company", ("DMCC",)),
    LegalForm(
        "fgup",
        "state",
        "(federal) state unitary enterprise (RU FGUP/GUP, BY RUP)",
        (
            "FGUP",
            "ФГУП",
            "GUP",
            "ГУП",
            "Federal State Unitary Enterprise",
            "Federalnoe Gosudarstvennoe Unitarnoe Predpriyatie",
            "Федеральное государственное унитарное предприятие",
            "State Unitary Enterprise",
            "Republican Unitary Enterprise",
            "RUP",
        ),
    ),
    LegalForm(
        "fgbu",
        "state",
        "federal state budgetary institution (RU FGBU)",
        (
            "FGBU",
            "ФГБУ",
            "Federal State Budgetary Institution",
            "Federalnoe Gosudarstvennoe Byudzhetnoe Uchrezhdenie",
        ),
    ),
    LegalForm("inc", "generic", "incorporated", ("Inc", "Inc.", "Incorporated")),
    LegalForm("corp", "generic", "corporation", ("Corp", "Corp.", "Corporation")),
    LegalForm("co", "generic", "company", ("Co", "Co.", "Company", "公司")),
)

BY_CODE: dict[str, LegalForm] = {form.code: form for form in LEGAL_FORMS}


def family(code: str) -> str:
    return BY_CODE[code].family


def families_agree(left: frozenset[str], right: frozenset[str]) -> bool | None:
    """Whether two sets of legal-form families can describe the same entity.

    None when either side names no specific family (only generic words, or nothing): no evidence.
    """
    left = left - {"generic"}
    right = right - {"generic"}
    if not left or not right:
        return None
    return bool(left & right)
