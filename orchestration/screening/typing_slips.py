"""Typing slips: two neighbouring letters swapped, or a key struck for its neighbour.

rapidfuzz's ``ratio`` (normalised Indel similarity) counts a swap ("SYSOC" for "SYSCO") or a
wrong key as two edits, a dropped or doubled letter as one, so in a short one-word name a single
slip of the hand falls below review (1 - 1/5 = 0.80 for five letters) while a dropped letter
does not (0.89). A slip is one error of typing, as likely as a dropped letter: here it costs
one edit, as a dropped letter does, and any other difference what ``ratio`` counts. Only strings
of equal length are read this way (a dropped or doubled letter is what ``ratio`` already reads
well); the caller keeps the better of the two.

Neighbouring keys are those of the QWERTY layout (the rows as a standard keyboard staggers
them: the home row a quarter key to the right of the top row, the bottom row three quarters):
keys in one row side by side, and keys of the rows above and below less than a key apart.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

_ROWS = (("qwertyuiop", 0.0), ("asdfghjkl", 0.25), ("zxcvbnm", 0.75))


def _neighbours() -> dict[str, frozenset[str]]:
    position = {
        key: (row, offset + column)
        for row, (keys, offset) in enumerate(_ROWS)
        for column, key in enumerate(keys)
    }
    return {
        key: frozenset(
            other
            for other, (row2, x2) in position.items()
            if other != key
            and abs(row - row2) <= 1
            and abs(x - x2) <= (1.0 if row == row2 else 0.99)
        )
        for key, (row, x) in position.items()
    }


NEIGHBOURS = _neighbours()


@lru_cache(maxsize=200_000)
def slip_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two strings of equal length with a swap of neighbouring letters
    or a neighbouring key counted as one edit (of the 2n an Indel ratio counts over) and any
    other different letter as two; 0 for strings of different lengths or no slip at all."""
    n = len(a)
    if n != len(b) or not n or a == b:
        return 1.0 if a == b and n else 0.0
    cost, slips, i = 0, 0, 0
    while i < n:
        if a[i] == b[i]:
            i += 1
        elif i + 1 < n and a[i] == b[i + 1] and a[i + 1] == b[i]:
            cost, slips, i = cost + 1, slips + 1, i + 2
        elif b[i] in NEIGHBOURS.get(a[i], ()):
            cost, slips, i = cost + 1, slips + 1, i + 1
        else:
            cost, i = cost + 2, i + 1
    return 1.0 - cost / (2 * n) if slips else 0.0


def slip_bounds(queries: list[str], listed: list[str]) -> np.ndarray:
    """Upper bounds (0-100, pairwise) of :func:`slip_similarity` for many pairs at once: every
    slip is one edit of the optimal string alignment distance, so the similarity is at most
    1 - OSA/(2n); pairs of unequal length get 0."""
    lengths_q = np.fromiter(map(len, queries), dtype=np.int64, count=len(queries))
    lengths_l = np.fromiter(map(len, listed), dtype=np.int64, count=len(listed))
    same = (lengths_q == lengths_l) & (lengths_q > 0)
    out = np.zeros(len(queries))
    if same.any():
        chosen = np.flatnonzero(same).tolist()
        distance = process.cpdist(
            [queries[i] for i in chosen], [listed[i] for i in chosen], scorer=OSA.distance
        )
        out[chosen] = 100.0 * (1.0 - distance / (2.0 * lengths_q[chosen]))
    return out
