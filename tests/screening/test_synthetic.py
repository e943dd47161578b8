"""Variant and name generators used by the evaluation set and the benchmark."""

from __future__ import annotations

import random

from orchestration.screening.normalize import normalize_name
from tools.synthetic import name_variants


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, written out (independent of rapidfuzz)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def test_typo_is_one_edit_and_seeded():
    rng = random.Random(3)
    for _ in range(50):
        out = name_variants.typo("URALVAGONZAVOD", rng)
        assert edit_distance(out, "URALVAGONZAVOD") == 1
    assert name_variants.typo("ABC", random.Random(1)) == "ABC"  # no word long enough
    assert name_variants.typo("Kriogenmash", random.Random(5)) == name_variants.typo(
        "Kriogenmash", random.Random(5)
    )


def test_word_order_keeps_legal_forms_in_place():
    out = name_variants.word_order("OOO ARKTIK LOGISTIK", random.Random(1))
    assert out == "OOO LOGISTIK ARKTIK"
    assert name_variants.word_order("URALVAGONZAVOD", random.Random(1)) is None


def test_spacing():
    out = name_variants.spacing("ALMAZ-ANTEY", random.Random(0))
    assert out in {"ALMAZ ANTEY", "ALMAZANTEY", '"ALMAZ-ANTEY"'}
    assert name_variants.spacing("ab", random.Random(0)) == '"ab"'


def test_legal_form_variant_and_conflict():
    rng = random.Random(2)
    for _ in range(20):
        same = name_variants.legal_form_variant("KRIOGENMASH OAO", "RU", rng)
        assert normalize_name(same).legal_forms == ("ojsc",)
        assert normalize_name(same).tokens == ("kriogenmash",)
        other = name_variants.legal_form_conflict("KRIOGENMASH OAO", "RU", rng)
        assert normalize_name(other).families == frozenset({"limited"})
    added = name_variants.legal_form_variant("URALVAGONZAVOD", "TR", random.Random(0))
    assert normalize_name(added).legal_forms in {("as_tr",), ("ltd_sti",)}
    assert name_variants.legal_form_conflict("URALVAGONZAVOD", "RU", rng) is None


def test_to_cyrillic():
    out = name_variants.to_cyrillic("LIMITED LIABILITY COMPANY ARKTIK LOGISTIK", random.Random(0))
    assert out in {"ООО «АРКТИК ЛОГИСТИК»", 'ООО "АРКТИК ЛОГИСТИК"',
                   "Общество с ограниченной ответственностью «АРКТИК ЛОГИСТИК»",
                   'Общество с ограниченной ответственностью "АРКТИК ЛОГИСТИК"'}  # fmt: skip
    assert name_variants.to_cyrillic("Zheldorstroy", random.Random(0)) == "Желдорстрой"
    assert name_variants.to_cyrillic("Yuzhny Enisey", random.Random(0)) == "Южны Энисей"
    # English words are not transliterated back: that is not how Russian names are written.
    assert name_variants.to_cyrillic("UNITED SHIPBUILDING CORPORATION", random.Random(0)) is None


def test_alternative_romanisation():
    out = name_variants.alternative_romanisation("ZHELDORSTROY YUZHNY", random.Random(4))
    assert out is not None and out != "ZHELDORSTROY YUZHNY"
    assert (
        normalize_name(out).fingerprint_text
        == normalize_name("ZHELDORSTROY YUZHNY").fingerprint_text
    )
    assert name_variants.alternative_romanisation("ABC 123", random.Random(0)) is None


def test_replace_word_takes_the_rarest():
    weights = {"baltic": 2.0, "shipbuilding": 1.0, "yantar": 9.0}
    out = name_variants.replace_word(
        "BALTIC SHIPBUILDING YANTAR", "vega", lambda w: weights.get(w, 0)
    )
    assert out == "BALTIC SHIPBUILDING VEGA"
    assert name_variants.replace_word("YANTAR", "vega", weights.get) is None


def test_random_company_name():
    rng = random.Random(11)
    names = [name_variants.random_company_name(rng) for _ in range(100)]
    assert len(set(names)) > 80
    assert names == [
        name_variants.random_company_name(r) for r in [random.Random(11)] for _ in range(100)
    ]
