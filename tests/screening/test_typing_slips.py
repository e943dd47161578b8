"""Typing slips counted as one edit (hand-worked values)."""

import pytest

from orchestration.screening.name_similarity import string_similarity
from orchestration.screening.normalize import normalize_name
from orchestration.screening.typing_slips import NEIGHBOURS, slip_bounds, slip_similarity


def test_neighbouring_keys_of_qwerty():
    assert NEIGHBOURS["g"] == frozenset("ftyhvb")
    assert NEIGHBOURS["q"] == frozenset("wa")
    assert NEIGHBOURS["m"] == frozenset("njk")
    assert "p" not in NEIGHBOURS["a"]


def test_slip_similarity_by_hand():
    # one swap in five letters: one edit of 2 * 5
    assert slip_similarity("sysoc", "sysco") == pytest.approx(0.9)
    # two neighbouring keys (n -> j, r -> d) in six letters: 1 - 2 / 12
    assert slip_similarity("ejedgy", "energy") == pytest.approx(1 - 2 / 12)
    # a slip and a letter that is no neighbour (s -> p): 1 - (1 + 2) / 12
    assert slip_similarity("sysocp", "syscos") == pytest.approx(1 - 3 / 12)
    # no slip, or lengths that differ: left to rapidfuzz's ratio
    assert slip_similarity("abcde", "abqde") == 0.0
    assert slip_similarity("vistra", "vista") == 0.0
    assert slip_similarity("same", "same") == 1.0


def test_bounds_are_at_least_the_similarity():
    pairs = [("sysoc", "sysco"), ("ejedgy", "energy"), ("sysocp", "syscos"), ("ab", "abc")]
    bounds = slip_bounds([a for a, _ in pairs], [b for _, b in pairs])
    for (a, b), bound in zip(pairs, bounds, strict=True):
        assert bound / 100.0 >= slip_similarity(a, b) - 1e-9
    assert bounds[3] == 0.0


def test_a_slip_in_a_short_name_reaches_review():
    # ratio alone: 1 - 2 / 10 = 0.80, under review (0.85)
    score = string_similarity(normalize_name("SYSOC"), normalize_name("SYSCO"))
    assert score == pytest.approx(0.9)
