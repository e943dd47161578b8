"""The 50% rules, checked on OFAC FAQ 401's examples worked by hand, and on the other regimes."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from orchestration.screening.ownership import (
    BIS_AFFILIATES,
    EU,
    OFAC,
    UK,
    Regime,
    apply_rule,
    owned_shares,
)


def edges(*rows: tuple[str, str, float]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["owner_id", "asset_id", "share_pct"], orient="row")


def caught(frame: pl.DataFrame) -> set[str]:
    return set(frame.filter("is_owned_50")["entity_id"])


def test_faq_401_example_1_chain():
    # X owns 50% of A; A owns 50% of B: A is blocked, and through it B.
    result = apply_rule(edges(("X", "A", 50), ("A", "B", 50)), {"X"}, OFAC)
    assert caught(result) == {"A", "B"}
    assert result.filter(pl.col("entity_id") == "B")["listed_owner_share"].item() == 0.5


def test_faq_401_example_2_blocked_stakes_count_in_full():
    # X owns 50% of A and of B; A and B own 25% each of C: 25 + 25 = 50, C is blocked.
    g = edges(("X", "A", 50), ("X", "B", 50), ("A", "C", 25), ("B", "C", 25))
    assert caught(apply_rule(g, {"X"}, OFAC)) == {"A", "B", "C"}
    assert owned_shares(g, {"X"}, OFAC)["C"] == 50


def test_faq_401_example_3_direct_and_indirect_added():
    # X owns 50% of A and 10% of B; A owns 40% of B: 10 + 40 = 50, B is blocked.
    g = edges(("X", "A", 50), ("X", "B", 10), ("A", "B", 40))
    assert caught(apply_rule(g, {"X"}, OFAC)) == {"A", "B"}


def test_different_blocked_persons_aggregate():
    # X and Y, both listed, own 25% each of A (FAQ 399): blocked in aggregate.
    g = edges(("X", "A", 25), ("Y", "A", 25))
    assert caught(apply_rule(g, {"X", "Y"}, OFAC)) == {"A"}
    assert caught(apply_rule(g, {"X", "Y"}, EU)) == {"A"}
    # Under the UK rule holdings of different designated persons are not added up.
    assert caught(apply_rule(g, {"X", "Y"}, UK)) == set()


def test_stakes_through_an_unblocked_entity_do_not_count():
    # X owns 40% of A (A not blocked); A owns 100% of B: B is not blocked (control is not
    # ownership, FAQ 398; "indirectly" runs through entities that are 50% owned).
    g = edges(("X", "A", 40), ("A", "B", 100))
    assert caught(apply_rule(g, {"X"}, OFAC)) == set()
    assert owned_shares(g, {"X"}, OFAC) == {"A": 40}


def test_uk_needs_more_than_half():
    g = edges(("X", "A", 50), ("X", "B", 50.5))
    assert caught(apply_rule(g, {"X"}, UK)) == {"B"}
    assert caught(apply_rule(g, {"X"}, OFAC)) == {"A", "B"}


def test_bis_affiliates_rule_window():
    g = edges(("L", "A", 60))
    assert caught(apply_rule(g, {"L"}, BIS_AFFILIATES, as_of=date(2025, 10, 15))) == {"A"}
    assert caught(apply_rule(g, {"L"}, BIS_AFFILIATES, as_of=date(2025, 12, 1))) == set()
    assert caught(apply_rule(g, {"L"}, BIS_AFFILIATES, as_of=date(2025, 9, 1))) == set()
    assert caught(apply_rule(g, {"L"}, BIS_AFFILIATES, as_of=date(2026, 11, 10))) == {"A"}
    # Outside the window the shares are still reported, only the rule does not catch.
    outside = apply_rule(g, {"L"}, BIS_AFFILIATES, as_of=date(2026, 1, 1))
    assert outside.filter(pl.col("entity_id") == "A")["listed_owner_share"].item() == 0.6


def test_cycles_settle():
    # A and B own each other; X owns 30% of A: nobody reaches 50%. With X at 50%, both fall.
    assert caught(apply_rule(edges(("X", "A", 30), ("A", "B", 60), ("B", "A", 40)), {"X"})) == set()
    loop = edges(("X", "A", 50), ("A", "B", 60), ("B", "A", 40))
    assert caught(apply_rule(loop, {"X"})) == {"A", "B"}
    assert owned_shares(loop, {"X"})["A"] == 90


def test_result_columns_and_listed_rows():
    result = apply_rule(edges(("X", "A", 50)), {"X", "Z"}, Regime("test", threshold_pct=25))
    assert result.columns == [
        "entity_id",
        "is_listed",
        "listed_owner_share",
        "is_owned_50",
        "regime",
    ]
    assert result.rows() == [
        ("A", False, 0.5, True, "test"),
        ("X", True, 0.0, False, "test"),
        ("Z", True, 0.0, False, "test"),
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((("X", "A", 0),), "outside"),
        ((("X", "A", 120),), "outside"),
        ((("X", "A", 60), ("Y", "A", 50)), "more than 100% for A"),
        ((("X", None, 10),), "empty"),
    ],
)
def test_bad_edges(rows, message):
    with pytest.raises(ValueError, match=message):
        apply_rule(edges(*rows), {"X"})


def test_missing_columns():
    with pytest.raises(ValueError, match="share_pct"):
        apply_rule(pl.DataFrame({"owner_id": ["X"], "asset_id": ["A"]}), {"X"})
