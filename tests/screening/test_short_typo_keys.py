"""A four-letter word mistyped in a name whose other words are common: the listed words one edit
from it are blocking keys at half weight (index.BlockingParams.short_typo_weight), so the
listing that shares both the corrected word and the rest of the name is a candidate. Names from
the shipped evaluation reference (BIS Entity List)."""

import dataclasses

import polars as pl

from orchestration.screening.normalize import normalize_name
from orchestration.screening.screen import screen

# BIS lists "Orel Dis Ticaret Ltd."; "dis ticaret" (foreign trade) ends many Turkish names
OREL = "bis_entity_list:038e5fabc747"


def position(index, key):
    return next(i for i, e in enumerate(index.entities) if e.key == key)


def test_a_listed_word_one_edit_from_a_four_letter_word_brings_its_listing(eval_index):
    odel = normalize_name("Odel Dis Ticaret Ltd.")
    assert "odel" not in eval_index.word_weights  # no listed name has the mistyped word
    assert "orel" in eval_index.typo_neighbours("odel", shortest=4)  # R for D
    assert position(eval_index, OREL) in eval_index.by_names([odel])[0]
    # without the neighbours' weight the listing is one of many sharing "dis ticaret", and
    # others come first
    unweighted = dataclasses.replace(
        eval_index, blocking=dataclasses.replace(eval_index.blocking, short_typo_weight=0.0)
    )
    assert position(eval_index, OREL) not in unweighted.by_names([odel])[0]


def test_longer_words_keep_their_own_neighbours_only(eval_index):
    # a word of four letters has no neighbours unless asked: the keys of longer words as before
    assert eval_index.typo_neighbours("odel") == set()


def test_a_mistyped_four_letter_word_finds_the_listing(eval_index):
    frame = pl.DataFrame({"id": ["1"], "name": ["Odel Dis Ticaret Ltd."], "country": [""]})
    found = set(screen(frame, eval_index).select("counterparty_id", "entity_key").rows())
    assert ("1", OREL) in found
