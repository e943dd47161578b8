"""Short legal forms mistyped by one slip of the hand (form_slips.py), and any one edit of a short
form ending a name in the scorer's views (normalize.short_form_families, mistyped_form_ends);
slips worked by hand on the QWERTY rows, names from the shipped evaluation reference (BIS Entity
List, OFAC SDN)."""

import polars as pl
import pytest

from orchestration.screening.candidates import string_bounds
from orchestration.screening.form_slips import slips
from orchestration.screening.name_similarity import (
    name_similarity,
    string_similarity,
    word_similarity,
)
from orchestration.screening.normalize import (
    mistyped_form_ends,
    normalize_name,
    short_form_families,
    stripped_of_form_ends,
    without_form_ends,
)
from orchestration.screening.score import DEFAULT_PARAMS, Query
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


def test_the_name_without_its_mistyped_form_by_hand():
    assert without_form_ends(normalize_name("Tako OLC")).tokens == ("tako",)
    mullet = without_form_ends(normalize_name("Mullet Markt BLC"))
    assert (mullet.compact, mullet.sorted_text) == ("mulletmarkt", "markt mullet")
    assert without_form_ends(normalize_name("Alpha Beta")) is None
    # compared without it only where its family agrees with the listing's forms
    ppao = normalize_name("TRANS MULTI MECHANICS PPAO")
    assert stripped_of_form_ends(ppao, frozenset({"limited"})) is None
    assert stripped_of_form_ends(ppao, frozenset({"joint_stock"})).tokens == (
        "trans",
        "multi",
        "mechanics",
    )


def test_string_view_without_the_mistyped_form(eval_index):
    # "Mullet Markt BLC" against BIS's "Muller Markt LLC". With BLC, the best string view is
    # the words run together with their forms, "mulletmarktblc" against "mullermarktllc":
    # 12 letters in common of 14 and 14, 24 / 28, discounted x 0.97 = 0.8314. Without it,
    # "markt mullet" against "markt muller" is one slip of the hand (T for its neighbour R)
    # in 12 characters: 1 - 1 / 24 = 0.9583.
    query = normalize_name("Mullet Markt BLC")
    listed = normalize_name("Muller Markt LLC")
    assert string_similarity(query, listed) == pytest.approx(24 / 28 * 0.97)
    stripped = stripped_of_form_ends(query, listed.families)
    assert string_similarity(stripped, listed) == pytest.approx(1 - 1 / 24)
    # the candidates' bound holds that comparison: never under a listed name's score
    entity = next(
        i for i, e in enumerate(eval_index.entities) if e.key == "bis_entity_list:5060d6f4e959"
    )
    variants = eval_index.entity_variants[entity]
    q = Query(id="q", name="Mullet Markt BLC", norm=query)
    bounds = string_bounds(q, variants, eval_index, DEFAULT_PARAMS).tolist()
    families = eval_index.entity_families[entity]
    for v, bound in zip(variants, bounds, strict=True):
        norm = eval_index.variants[v].norm
        score = name_similarity(
            query, norm, eval_index.weight, listed_families=families | norm.families
        )
        assert score >= 0.85
        assert bound + 1e-6 >= score


def test_a_mistyped_form_in_a_short_name_finds_the_listing(eval_index):
    # BIS lists "Muller Markt LLC", "Tako LLC", "Transoil LLC"
    queries = ["Mullet Markt BLC", "Tako OLC", "Tranzsoil RLC"]
    frame = pl.DataFrame({"id": ["1", "2", "3"], "name": queries, "country": [""] * 3})
    found = set(screen(frame, eval_index).select("counterparty_id", "entity_key").rows())
    assert ("1", "bis_entity_list:5060d6f4e959") in found
    assert ("2", "bis_entity_list:b8a2694506c6") in found  # a name of four letters: review
    assert ("3", "bis_entity_list:911a058c930b") in found


def test_a_name_in_arabic_script_has_no_mistyped_forms():
    # ستاد ایران (Setad Iran) is written without its short vowels: "std yrn", whose STD is one
    # edit from LTD and STI; left out, YRN alone reviewed OFAC's "JRN" (the script sets' decoys)
    setad = normalize_name("ستاد ایران")
    assert setad.tokens == ("std", "yrn")
    assert mistyped_form_ends(setad, frozenset()) == set()
    assert without_form_ends(setad) is None
    # the same words in Latin letters: STD reads as a mistyped form
    assert mistyped_form_ends(normalize_name("STD YRN"), frozenset()) == {0}
