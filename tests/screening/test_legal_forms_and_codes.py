"""The legal-form table's families, country codes, place words and identifier forms."""

from __future__ import annotations

import pytest

from orchestration.reference.countries import to_iso2
from orchestration.screening.countries import is_place_word, iso2_from_name
from orchestration.screening.identifiers import canonical_type, canonical_value
from orchestration.screening.legal_forms import (
    BY_CODE,
    FAMILIES,
    LEGAL_FORMS,
    families_agree,
    family,
)
from orchestration.screening.normalize import normalize_name


def test_every_form_has_a_known_family_and_unique_code():
    assert len(BY_CODE) == len(LEGAL_FORMS)
    assert {f.family for f in LEGAL_FORMS} <= set(FAMILIES)


@pytest.mark.parametrize(
    ("variant", "code"),
    [
        ("ООО", "llc"),
        ("Limited Liability Company", "llc"),
        ("ТОО", "llp"),
        ("АО", "jsc"),
        ("Joint-Stock Company", "jsc"),
        ("ПАО", "pjsc"),
        ("ЗАО", "cjsc"),
        ("ОАО", "ojsc"),
        ("有限公司", "ltd"),
        ("股份有限公司", "cn_jsc"),
        ("Ltd. Şti.", "ltd_sti"),
        ("A.Ş.", "as_tr"),
        ("FZCO", "fzco"),
        ("FZ-LLC", "fz_llc"),
        ("Sp. z o.o.", "sp_zoo"),
    ],
)
def test_variants_written_in_other_scripts_find_their_code(variant, code):
    name = f"例子{variant}" if variant[0] in "有股" else f"Example {variant}"
    assert normalize_name(name).legal_forms == (code,)


def test_families():
    assert family("llc") == family("ltd") == family("gmbh") == "limited"
    assert family("ojsc") == family("pjsc") == family("ag") == "joint_stock"
    assert family("fze") == "free_zone"
    assert families_agree(frozenset({"limited"}), frozenset({"limited", "generic"})) is True
    assert families_agree(frozenset({"limited"}), frozenset({"joint_stock"})) is False
    assert families_agree(frozenset({"generic"}), frozenset({"joint_stock"})) is None
    assert families_agree(frozenset(), frozenset({"joint_stock"})) is None


def test_country_codes():
    assert to_iso2("RU") == "RU"
    assert to_iso2(" rus ") == "RU"
    assert to_iso2("NA") == "NA"  # Namibia, not a null
    assert to_iso2("XK") == "XK"
    assert to_iso2("ZZ") is None
    assert to_iso2("RUSSIA") is None
    assert iso2_from_name("Russian Federation") == "RU"
    assert iso2_from_name("United Arab Emirates") == "AE"
    assert iso2_from_name("Atlantis") is None


def test_place_words():
    assert is_place_word("moscow")
    assert is_place_word("russia")
    assert is_place_word("kong")
    assert not is_place_word("united")
    assert not is_place_word("central")


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("Tax ID No.", "tax_id"),
        ("INN", "tax_id"),
        ("inn", "tax_id"),
        ("Registration ID", "registration_number"),
        ("OGRN", "registration_number"),
        ("Legal Entity Number", "lei"),
        ("Vessel Registration Identification", "imo"),
        ("SWIFT/BIC", "bic"),
        ("Unified Social Credit Code (USCC)", "uscc"),
        ("Government Gazette Number", "government_gazette_number"),
    ],
)
def test_identifier_types(given, canonical):
    assert canonical_type(given) == canonical


def test_identifier_values():
    assert canonical_value("imo", "IMO 8674156") == "8674156"
    assert canonical_value("tax_id", " 7706-453206 ") == "7706453206"
    assert canonical_value("bic", "somrrum1kst") == "SOMRRUM1KST"
