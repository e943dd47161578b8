"""Cut names compared without their legal forms or after their words were reordered, mistyped
words of the abbreviation vocabulary, and a place written as one word or two, on a hand-made
reference.

The listed names are written as OFAC SDN writes them; the expected outcomes are worked out by
hand from the rules in docs/screening.md (a cut name is a review at most: 0.87).
"""

from __future__ import annotations

import pytest

from orchestration.screening.abbreviations import canonical_word
from orchestration.screening.cut_names import cut_after_reordering
from orchestration.screening.normalize import normalize_name
from orchestration.screening.score import Query, match_query
from tests.screening.test_partial_names import make_index

ELEKTROPRIBOR = (
    "JOINT STOCK COMPANY CONCERN CENTRAL INSTITUTE FOR SCIENTIFIC RESEARCH ELEKTROPRIBOR"
)
RESHETNEV = "JSC ACADEMICIAN M.F. RESHETNEV INFORMATION SATELLITE SYSTEMS"
TIKHOMIROV = "TIKHOMIROV SCIENTIFIC RESEARCH INSTITUTE OF INSTRUMENT DESIGN (A.K.A. NIIP)"


@pytest.fixture(scope="module")
def index():
    return make_index(
        [
            ELEKTROPRIBOR,
            RESHETNEV,
            TIKHOMIROV,
            "PARCHIN CHEMICAL INDUSTRIES",
            "HUAXIN SHIPPING HONGKONG LTD",
        ]
    )


def decisions(index, name: str) -> dict[str, str | None]:
    matches = match_query(Query("q", name, normalize_name(name)), index)
    return {index.entities[m.entity].primary_name: m.decision for m in matches}


def test_a_cut_name_with_an_abbreviation_is_compared_without_its_legal_form(index):
    # "INST" is "institute": the core words written together, "concerncentralinstituteforscien",
    # are the start of the listed core words; the whole text with "inst" is not (0.85)
    assert decisions(index, "JOINT STOCK COMPANY CONCERN CENTRAL INST FOR SCIEN") == {
        ELEKTROPRIBOR: "review"
    }


def test_a_cut_under_another_legal_form_is_not_read_without_it(index):
    # the Kazakh TOO is not the listing's form: the core words alone may not decide
    assert decisions(index, "TOO TIKHOMIROV SCIENTIFIC RESEARCH INSTITUTE OF INSTRUME") == {}


def test_a_name_cut_after_its_words_were_reordered_is_a_review(index):
    assert decisions(index, "JSC SYSTEMS RESHETNEV INFORMATION A") == {RESHETNEV: "review"}


def test_cut_after_reordering_by_hand():
    listed = normalize_name(RESHETNEV)
    # every word but the last listed, the last the start of a listed word it lacks
    assert cut_after_reordering(normalize_name("JSC SYSTEMS RESHETNEV INFORMATION SATEL"), listed)
    # a word the listing lacks; the last word whole (nothing was cut); one word before the cut
    assert not cut_after_reordering(normalize_name("JSC SYSTEMS KOROLEV INFORMATION A"), listed)
    assert not cut_after_reordering(normalize_name("JSC SYSTEMS RESHETNEV SATELLITE"), listed)
    assert not cut_after_reordering(normalize_name("JSC SYSTEMS SYSTEMS A"), listed)


def test_mistyped_vocabulary_words_are_read_as_the_word():
    assert canonical_word("indusstries") == "industry"  # a letter doubled
    assert canonical_word("tcehnologies") == "technology"  # a swap counts once
    assert canonical_word("chemicl") == "chemical"  # seven letters, one dropped
    assert canonical_word("invest") == "investment"  # the vocabulary itself
    assert canonical_word("indusries") == "industry"
    # short words are left as written, and two errors are too many
    assert canonical_word("shipin") == "shipin"
    assert canonical_word("indstrees") == "indstrees"


def test_a_name_with_mistyped_vocabulary_words_is_found(index):
    assert decisions(index, "PARCHIN CHEMICL INDUSSTRIES")["PARCHIN CHEMICAL INDUSTRIES"] in (
        "review",
        "alert",
    )


def test_a_place_in_one_word_or_two_is_the_same_place(index):
    # "hong kong" against "hongkong": no place on one side only, so no location penalty
    assert decisions(index, "HUAXIN SHIPPING HONG KONG LTD") == {
        "HUAXIN SHIPPING HONGKONG LTD": "alert"
    }
