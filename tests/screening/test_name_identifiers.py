"""Identifiers written inside a name, and legal forms spelled as single letters."""

from __future__ import annotations

import pytest

from orchestration.screening.name_identifiers import split_name_identifiers
from orchestration.screening.normalize import normalize_name


@pytest.mark.parametrize(
    ("name", "rest", "ids"),
    [
        ('ООО "МАРКУС", ИНН 7707327719', 'ООО "МАРКУС"', {"tax_id": {"7707327719"}}),
        ('LLC "AGRO REGION" (INN 5047181827)', 'LLC "AGRO REGION"', {"tax_id": {"5047181827"}}),
        (
            "OOO Markus (INN 7707327719, OGRN 1037707028204)",
            "OOO Markus",
            {"tax_id": {"7707327719"}, "registration_number": {"1037707028204"}},
        ),
        ("ООО Ромашка ИНН: 7707 327 719 КПП 770701001", "ООО Ромашка", {"tax_id": {"7707327719"}}),
        ("Ocean Star IMO 9253325", "Ocean Star", {"imo": {"9253325"}}),
        # numbers without a label are words of the name; a label alone is not a name
        ("Plant 12345", "Plant 12345", {}),
        ("Zavod No. 9", "Zavod No. 9", {}),
        ("INN 7707327719", "INN 7707327719", {}),
    ],
)
def test_split_name_identifiers(name, rest, ids):
    assert split_name_identifiers(name) == (rest, ids)


@pytest.mark.parametrize(
    ("name", "tokens", "forms"),
    [
        ("KAVE COFFEE S A", ("kave", "coffee"), ("sa",)),
        ("ACME L L C", ("acme",), ("llc",)),
        # two letters other than S A stay: they are as often a person's initials
        ("Ivanov A G", ("ivanov", "a", "g"), ()),
        ("Putin V V", ("putin", "v", "v"), ()),
    ],
)
def test_legal_form_in_single_letters(name, tokens, forms):
    norm = normalize_name(name)
    assert (norm.tokens, norm.legal_forms) == (tokens, forms)
