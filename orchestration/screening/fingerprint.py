"""The fingerprint of a folded word: one key for the usual romanisation variants of a spelling.

Kept apart from :mod:`normalize` so that the word tables (:mod:`abbreviations`) can use it.
"""

from __future__ import annotations

import re
from functools import lru_cache

_FINGERPRINT_RULES = (
    ("shch", "S"),
    ("shh", "S"),
    ("sch", "S"),
    ("sh", "S"),
    ("zh", "Z"),
    ("kh", "h"),
    ("tch", "C"),
    ("ch", "C"),
    ("ts", "C"),
    ("tz", "C"),
    ("cz", "C"),
    ("ph", "f"),
    ("ck", "k"),
    ("ce", "Ce"),
    ("ci", "Ci"),
    ("cy", "Cy"),
    ("c", "k"),
    ("q", "k"),
    ("w", "v"),
    ("x", "ks"),
    ("j", "i"),
    ("y", "i"),
    ("ie", "e"),
)
_REPEATS = re.compile(r"(.)\1+")
_GOST_KH = re.compile(r"([iy])x$")
# The older French and German romanisation of the surname endings -ов/-ев/-ив: "Smirnoff",
# "Rachmaninoff", "Tupoleff" for Smirnov, Rachmaninov, Tupolev.
_FINAL_FF = re.compile(r"([eio])ff$")


@lru_cache(maxsize=200_000)
def fingerprint(word: str) -> str:
    """A key of a folded word that ignores the usual romanisation variants of one spelling.

    Digraphs are merged (shch/shh/sch/sh, zh, ch/ts/tz and c before e/i/y, kh->h, ph->f; other c and
    q->k, w->v, x->ks), j and y read as i, ie as e (so ye/e, ya/ia, yu/iu, -iy/-ii/-yy agree),
    a final -off/-eff/-iff is read as -ov/-ev/-iv, and doubled letters collapse:
    ``ogranichennoy`` and ``ogranichennoi`` are both ``ograniCenoi``, ``Tsentr`` and ``Centr``
    both ``Centr``, ``Polyus`` and ``Polius`` both ``polius``. Vowels are kept, so ``Polis``
    stays apart. Words with digits are kept as they are: numbers must agree exactly.
    """
    if any(c.isdigit() for c in word):
        return word
    # GOST 7.79 system B writes Х as x: the Russian surname ending -ykh/-ikh comes as -yx/-ix.
    word = _GOST_KH.sub(r"\1kh", word)
    word = _FINAL_FF.sub(r"\1v", word)
    for old, new in _FINGERPRINT_RULES:
        word = word.replace(old, new)
    return _REPEATS.sub(r"\1", word)
