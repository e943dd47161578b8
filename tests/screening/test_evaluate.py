"""The evaluation: its counting rules on a hand-made case, and the target of docs/screening.md."""

from __future__ import annotations

import csv

import polars as pl
import pytest

from tools.eval.evaluate import DEFAULT_QUERIES, evaluate, load_queries, main

from .conftest import EVAL

# docs/screening.md, "Results": the target is recall >= 0.95 at precision >= 0.95 at the review
# threshold, on both splits of the labelled set.
TARGET = 0.95
REVIEW = 0.85


def test_counting_rules(small_index):
    queries = pl.DataFrame(
        {
            "query_id": ["a", "b", "c", "d"],
            "query_name": ["Kriogenmash OAO", "Arktik Logistik", "Zzyzx Qwerty", "Kriogenmash OAO"],
            "country": ["", "", "", ""],
            "label": ["1", "1", "0", "0"],
            "expected_entity_key": ["t:1", "t:3", "", ""],
            "variant_kind": ["exact", "exact", "negative", "negative"],
        }
    )
    result = evaluate(queries, small_index, 0.85)
    # a: right entity (TP). b: matched t:2, not the expected t:3 (FN and FP). c: nothing (TN).
    # d: a negative that matched (FP).
    assert (result.overall.tp, result.overall.fp, result.overall.fn) == (1, 2, 1)
    assert result.overall.precision == pytest.approx(1 / 3)
    assert result.overall.recall == pytest.approx(1 / 2)
    assert result.by_kind["negative"].precision is None
    assert result.by_kind["negative"].false_alarm_rate == pytest.approx(1 / 2)
    assert set(result.errors["query_id"]) == {"b", "d"}
    assert "overall" in result.table()


def test_queries_file_is_consistent_with_the_reference():
    entities = set(pl.read_parquet(EVAL / "reference/entities.parquet")["entity_key"])
    with DEFAULT_QUERIES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    positives = [r for r in rows if r["label"] == "1"]
    assert positives and all(r["expected_entity_key"] in entities for r in positives)
    assert all(r["expected_entity_key"] == "" for r in rows if r["label"] == "0")
    assert {r["split"] for r in rows} == {"dev", "test"}
    assert len(load_queries(split="test")) == sum(r["split"] == "test" for r in rows)


@pytest.mark.parametrize("split", ["dev", "test"])
def test_target_is_met_at_the_review_threshold(eval_index, split):
    result = evaluate(load_queries(split=split), eval_index, REVIEW)
    assert result.overall.precision >= TARGET
    assert result.overall.recall >= TARGET


def test_command_line(capsys, tmp_path):
    errors = tmp_path / "errors.csv"
    main(["--split", "test", "--threshold", "0.9", "--errors", str(errors)])
    out = capsys.readouterr().out
    assert out.startswith("threshold 0.90") and "overall" in out
    assert pl.read_csv(errors).height > 0
