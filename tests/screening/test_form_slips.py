"""Short legal forms mistyped by one slip of the hand (form_slips.py), and any one edit of a short
form ending a name in the scorer's word view (normalize.short_form_families, score._form_ends);
slips worked by hand on the QWERTY rows, names from the shipped evaluation reference (BIS Entity
List, OFAC SDN)."""

import polars as pl
import pytest

from orchestration.screening.form_slips import slips
from orchestration.screening.normalize import normalize_name, short_form_families
from orchestration.screening.score import word_similarity
from orchestration.screening.screen import screen


def ONE(word: str) -> float:
    return 1.0


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


def test_short_form_families_by_hand():
    # one edit of any kind from LTD: a letter dropped (LT, TD), the first letter wrong (JTD)
    for word in ("lt", "td", "jtd", "ltx"):
        assert short_form_families(word) == {"limited"}, word
    assert short_form_families("ttov") == {"limited"}  # TOV (Ukrainian LLC) with T doubled
    assert short_form_families("ppao") == {"joint_stock"}  # PAO with P doubled
    assert short_form_families("co") == {"generic"}  # a form as written
    # two edits from every short form, or too long to be one
    assert short_form_families("tako") == frozenset()
    assert short_form_families("trading") == frozenset()


def test_word_view_leaves_out_a_mistyped_form_ending_the_name():
    # Each word weighs 1; the query's words matched over all words, both sides (score.py).
    # "CO., LT.": both words read as forms at the end and matched by nothing: left out, 3/3
    listed = normalize_name("Suzhou Keda Technology Co., Ltd.")
    assert word_similarity(normalize_name("Suzhou Keda Technology Co., Lt."), listed, ONE) == 1.0
    # the same slip inside the name is a word: query 3 of 4 words, listed 3 of 3 = 6/7
    inside = normalize_name("Suzhou Lt. Keda Technology")
    assert word_similarity(inside, listed, ONE) == pytest.approx(6 / 7)
    # PPAO reads as PAO, a joint-stock form the listed CO. LTD. (limited) conflicts with: kept
    trans = normalize_name("TRANS MULTI MECHANICS CO. LTD.")
    assert word_similarity(normalize_name("TRANS MULTI MECHANICS PPAO"), trans, ONE) == (
        pytest.approx(6 / 7)
    )
    # the entity's forms, from all its names, count when the caller gives them
    bare = normalize_name("TRANS MULTI MECHANICS")
    ppao = normalize_name("TRANS MULTI MECHANICS PPAO")
    assert word_similarity(ppao, bare, ONE) == 1.0
    assert word_similarity(ppao, bare, ONE, listed_families=frozenset({"limited"})) == (
        pytest.approx(6 / 7)
    )


def test_a_mistyped_form_ending_the_name_finds_the_listing(eval_index):
    # BIS lists "Suzhou Keda Technology Co., Ltd." (six addresses, six entries), "Reekay
    # Technology Ltd.", "Sakhatrans LLC"; OFAC "TRANS MULTI MECHANICS CO. LTD." (sdn 15922)
    queries = [
        "Suzhou Keda Technology Co., Lt.",
        "Reekay Technology Pte. Ld.",
        "Sakhatrans Llb",
        "TRANS MULTI MECHANICS PPAO",
        "Suzhou Lt. Keda Technology",
    ]
    frame = pl.DataFrame({"id": [str(i) for i in range(5)], "name": queries, "country": [""] * 5})
    found = set(screen(frame, eval_index).select("counterparty_id", "entity_key").rows())
    assert ("0", "bis_entity_list:9c7caa564fc2") in found
    assert ("1", "bis_entity_list:280908135ebe") in found
    assert ("2", "bis_entity_list:170add86558a") in found
    # another form's slip, and a slip inside the name, find nothing
    assert not {key for qid, key in found if qid in ("3", "4")}
