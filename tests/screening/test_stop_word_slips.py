""" "and" and "the" mistyped by a doubled letter or a swap are dropped as the words are
(normalize.STOP_WORD_SLIPS); names from the shipped evaluation reference (OFAC)."""

import polars as pl

from orchestration.screening.normalize import STOP_WORD_SLIPS, normalize_name
from orchestration.screening.screen import screen


def test_the_slips_by_hand():
    # doubled letters, and swaps past the first letter
    assert {"aand", "annd", "andd", "adn", "tthe", "thhe", "teh"} == STOP_WORD_SLIPS


def test_a_mistyped_and_or_the_is_dropped():
    listed = normalize_name("ENERGY ENGINEERS PROCUREMENT AND CONSTRUCTION")
    assert normalize_name("ENERGY ENGINEERS PROCUREMENT ADN CONSTRUCTION").tokens == listed.tokens
    assert normalize_name("ENERGY ENGINEERS PROCUREMENT ANND CONSTRUCTION").tokens == listed.tokens
    assert normalize_name("TEH OXYTECH").tokens == ("oxytech",)
    # words that are also slips of another kind stay ("sand", "thee"), and a name made of a
    # slip alone keeps it
    assert normalize_name("SAND OXYTECH").tokens == ("sand", "oxytech")
    assert normalize_name("THEE OXYTECH").tokens == ("thee", "oxytech")
    assert normalize_name("ADN").tokens == ("adn",)


def test_a_mistyped_and_finds_the_listing(eval_index):
    frame = pl.DataFrame({"id": ["1"], "name": ["KISH P ADN I CLUB"], "country": [""]})
    keys = set(screen(frame, eval_index)["entity_key"].to_list())
    listed = pl.read_parquet("data/eval/reference/names.parquet").filter(
        pl.col("name") == "KISH P AND I CLUB"
    )
    assert set(listed["entity_key"].to_list()) & keys
