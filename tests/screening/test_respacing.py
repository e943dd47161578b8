"""Words glued or split by data entry, re-spaced against one listed name (hand-worked cases)."""

from orchestration.screening.normalize import normalize_name
from orchestration.screening.respacing import may_respace, respaced


def _respaced(query: str, listed: str):
    found = respaced(normalize_name(query), normalize_name(listed))
    return None if found is None else found.tokens


def test_glued_words_are_split_where_both_parts_are_listed_words():
    assert _respaced("KHOLDINGVLADEKS", "VLADEKS KHOLDING") == ("kholding", "vladeks")
    # the split with the closest parts wins, not the one with the longest left part
    assert _respaced("DRUG TRAFFICKINGRUELAS", "RUELAS DRUG TRAFFICKING") == (
        "drug",
        "trafficking",
        "ruelas",
    )


def test_stop_words_forms_and_abbreviations_glued_to_a_name():
    assert _respaced("THEOXYTECH", "THE OXYTECH") == ("oxytech",)
    # "intl" is the abbreviation of the listed "international"
    assert _respaced("SHEN ZHONG INTLSHIPPING", "SHEN ZHONG INTERNATIONAL SHIPPING") == (
        "shen",
        "zhong",
        "international",
        "shipping",
    )
    found = respaced(normalize_name("BELINVESTSTROIOOO"), normalize_name("BELINVESTSTROI OOO"))
    assert found.tokens == ("belinveststroi",) and found.legal_forms == ("llc",)


def test_a_word_split_in_two_is_joined():
    # "invest" alone reads as the abbreviation "investment", leaving "ment" over
    assert _respaced("Al Mashreq Invest ment Fund", "Al Mashreq Investment Fund") == (
        "al",
        "mashreq",
        "investment",
        "fund",
    )


def test_nothing_to_respace():
    assert _respaced("ACME TRADING", "ACME TRADING") is None
    # "flower" is not close to "power" (ratio 73 < 90): no split into listed words
    assert _respaced("SUNFLOWER", "SUN POWER") is None
    assert not may_respace(normalize_name("acme trading"), {"acme": 1.0, "trading": 0.5})
    assert may_respace(normalize_name("acmetrading"), {"acme": 1.0, "trading": 0.5})
