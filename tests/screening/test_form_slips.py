"""Short legal forms mistyped by one slip of the hand (form_slips.py); slips worked by hand on
the QWERTY rows, names from the shipped evaluation reference (BIS Entity List)."""

import polars as pl

from orchestration.screening.form_slips import slips
from orchestration.screening.normalize import normalize_name
from orchestration.screening.screen import screen


def test_slips_of_ltd_by_hand():
    found = slips("ltd")
    # doubled letters, a swap past the first letter, a neighbour struck as well
    assert {"lltd", "lttd", "ltdd", "ldt", "ltrd", "ltdf"} <= found
    # T's neighbours are R, Y, F and G: a wrong key past the first letter
    assert {"lrd", "lyd", "lfd", "lgd"} <= found
    assert "lhd" not in found  # H is no neighbour of T
    # the first letter stays: a swap there, or a wrong first key, makes words ("tld", "ktd")
    assert "tld" not in found and "ktd" not in found
    # a three-letter form loses no letter (two left are initials, not a form)
    assert "lt" not in found and "td" not in found


def test_four_letter_forms_may_lose_a_letter():
    assert {"gmh", "gbh", "mbh", "gmb"} <= slips("gmbh")


def test_a_mistyped_form_at_either_end_is_read_as_the_form():
    # BIS lists "Medisar, LLC", "Tupolev JSC", "Experian Holdings, Inc."
    medisar = normalize_name("Medisar, LLLC")
    assert medisar.tokens == ("medisar",) and medisar.legal_forms == ("llc",)
    assert normalize_name("Tupolev JAC").legal_forms == ("jsc",)  # A is next to S
    assert normalize_name("Experian Holdings, Innc.").legal_forms == ("inc",)
    assert normalize_name("OOOO Gazprom Invest").legal_forms == ("llc",)


def test_words_that_only_look_like_slips_stay_words():
    # inside a name, one word alone, words of names, and the form's own first letter changed
    assert "ldt" in normalize_name("ALPHA LDT TRADING").tokens
    assert normalize_name("LLLC").tokens == ("lllc",)
    assert normalize_name("ACME OAK").tokens == ("acme", "oak")
    assert normalize_name("ACME IND").legal_forms == ()
    assert normalize_name("Tupolev TLD").tokens == ("tupolev", "tld")
    # a form of its own: OFAC's alias "NJSC CHORNOMORNAFTOGAZ" (sdn 16736) is no mistyped JSC
    assert normalize_name("NJSC CHORNOMORNAFTOGAZ").legal_forms != ("jsc",)


def test_a_mistyped_form_finds_the_listing(eval_index):
    queries = ["Medisar, LLLC", "Tupolev JSSC", "Gazprom Invest, OOOK"]
    frame = pl.DataFrame({"id": ["1", "2", "3"], "name": queries, "country": [""] * 3})
    found = set(screen(frame, eval_index).select("counterparty_id", "entity_key").rows())
    assert ("1", "bis_entity_list:1219f8f41a37") in found
    assert ("2", "bis_entity_list:02ced2625619") in found
    assert ("3", "bis_entity_list:0199244d8f56") in found
