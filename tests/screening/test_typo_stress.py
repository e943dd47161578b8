"""The dev-only typing-error stress set (tools/eval/typo_stress.py)."""

import random

import polars as pl

from tools.eval.evaluate import DEFAULT_QUERIES
from tools.eval.typo_stress import build, edit


def test_edits_by_hand():
    rng = random.Random(0)
    assert edit("LIMITED", 0, "drop", rng) == "IMITED"
    assert edit("LIMITED", 2, "double", rng) == "LIMMITED"
    assert edit("LIMITED", 6, "transpose", rng) == "LIMITDE"  # the last letter swaps back
    # a neighbouring key of G on QWERTY (F, T, Y, H, V or B), in the word's case
    assert edit("BIG", 2, "key", rng)[2] in "FTYHVB"


def test_same_seed_same_set_of_dev_names_only():
    first, again = build([1]), build([1])
    assert first.equals(again)
    queries = pl.read_csv(DEFAULT_QUERIES, infer_schema=False, null_values=[])
    test_keys = set(queries.filter(pl.col("split") == "test")["expected_entity_key"].to_list())
    positives = first.filter(pl.col("label") == "1")
    assert not set(positives["expected_entity_key"].to_list()) & (test_keys - {""})
    dev_ids = set(queries.filter(pl.col("split") == "dev")["query_id"].to_list())
    negatives = first.filter(pl.col("variant_kind").str.starts_with("neg_"))
    assert {q.split(":")[-1] for q in negatives["query_id"].to_list()} <= dev_ids
