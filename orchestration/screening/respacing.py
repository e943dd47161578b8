"""A query's words re-spaced against one listed name: words glued or split by data entry.

Normalisation cannot know where a glued word ("KHOLDINGVLADEKS", "THEOXYTECH",
"INTLSHIPPING") should break, nor that two words are one ("Invest ment": the abbreviation table
then reads "invest" as "investment" and leaves "ment" over). Against a given listed name it can
be told: a query word no listed word matches is split where both parts are listed words (or
stop words, legal forms, abbreviations of listed words), and two neighbouring query words are
joined when together they are a listed word and not both are listed words as written. The
scorer tries it only for a query with a word no listed name has that may be glued or split
(:func:`may_respace`). The re-spaced query is
normalised again (forms and stop words found in the parts are moved out as usual) and compared
as a whole; the scorer keeps the better of the two comparisons (score.py).
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz

from orchestration.screening.abbreviations import canonical_words
from orchestration.screening.normalize import STOP_WORDS, NormName, form_code, normalize_name

# A part or a joined pair must be this close to a listed word (rapidfuzz ratio, 0-100): one
# typing error in a part of eight letters or more, none in shorter ones.
PART_MIN_RATIO = 90.0
# The shortest part a word is split into ("the", "ooo", "llc" are the shortest that count).
MIN_PART = 3
# Only words this long are tried as glued (a listed word of four letters and a form of three).
MIN_GLUED = 6


def _closeness(word: str, listed: frozenset[str]) -> float:
    """The best ratio of ``word`` with a listed word, 0 below :data:`PART_MIN_RATIO`."""
    if word in listed:
        return 100.0
    if len(word) < 5:
        return 0.0
    best = max((fuzz.ratio(word, other) for other in listed), default=0.0)
    return best if best >= PART_MIN_RATIO else 0.0


def _close(word: str, listed: frozenset[str]) -> bool:
    return _closeness(word, listed) > 0.0


@lru_cache(maxsize=100_000)
def _part_score(part: str, listed: frozenset[str]) -> tuple[str, float] | None:
    """('word', closeness) for a listed word (or an abbreviation of one), ('filler', 100) for a
    stop word or a legal form, None otherwise."""
    best = max(_closeness(w, listed) for w in {part, *canonical_words([part])})
    if best:
        return "word", best
    if part in STOP_WORDS or form_code(part) is not None:
        return "filler", 100.0
    return None


def _split(word: str, listed: frozenset[str], better_than: float) -> list[str] | None:
    # every break point; a split needs one listed word at least (two fillers are a form typo,
    # read elsewhere); the closest parts win ("TRAFFICKINGRUELAS" breaks before "ruelas", not
    # before "uelas"), then the longer left part
    best, chosen = better_than, None
    for i in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        left, right = _part_score(word[:i], listed), _part_score(word[i:], listed)
        if left is None or right is None or "word" not in (left[0], right[0]):
            continue
        if left[1] + right[1] > best:
            best, chosen = left[1] + right[1], [word[:i], word[i:]]
    return chosen


def respaced(query: NormName, listed: NormName) -> NormName | None:
    """The query re-spaced against ``listed`` (module docstring); None when nothing changes."""
    words = list(query.all_words)
    targets = frozenset(listed.tokens) | frozenset(listed.all_words)
    matched = [_part_score(w, targets) is not None for w in words]
    out: list[str] = []
    changed = False
    i = 0
    while i < len(words):
        word = words[i]
        # two words joined when together they are a listed word and not both are listed
        # words as written ("invest ment": "invest" matches only through the abbreviation)
        if i + 1 < len(words) and not (words[i] in targets and words[i + 1] in targets):
            joined = word + words[i + 1]
            if (not matched[i] or not matched[i + 1] or joined in targets) and any(
                _close(w, targets) for w in {joined, *canonical_words([joined])}
            ):
                out.append(joined)
                changed = True
                i += 2
                continue
        if word not in targets and len(word) >= MIN_GLUED:
            # a word close to a listed one is split only when both parts are closer
            parts = _split(word, targets, 2 * _closeness(word, targets))
            if parts:
                out += parts
                changed = True
                i += 1
                continue
        out.append(word)
        i += 1
    return normalize_name(" ".join(out)) if changed else None


def _known(part: str, known) -> str | None:
    # exact look-ups only (this runs once per query, against the whole vocabulary); a legal
    # form is a filler even where a listed name has it as a word ("ooo")
    if part in STOP_WORDS or form_code(part) is not None:
        return "filler"
    if part in known or any(w in known for w in canonical_words([part])):
        return "word"
    return None


def _glued(word: str, known) -> bool:
    # a break where both parts are listed words or fillers (one a word at least), or where a
    # filler is glued to the rest ("belinvestztroiooo": a mistyped name and a form)
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        left, right = _known(word[:i], known), _known(word[i:], known)
        if (left and right and "word" in (left, right)) or "filler" in (left, right):
            return True
    return False


def _may_respace(words: tuple[str, ...], known) -> bool:
    for i, word in enumerate(words):
        if word in known:
            continue
        if len(word) < MIN_GLUED:
            return True  # a short word no listed name has: half of a split word
        if _glued(word, known):
            return True
        if i + 1 < len(words) and _known(word + words[i + 1], known) == "word":
            return True
    return False


def may_respace(query: NormName, known) -> bool:
    """Whether re-spacing may change the query's comparisons (``known``: the listed words): a
    word no listed name has that is short (half of a split word), or that breaks into listed
    words or has a stop word or legal form glued to it, or that makes a listed word with the
    next word."""
    key = (id(known), query.all_words)
    found = _RESPACE_CACHE.get(key)
    if found is None:
        if len(_RESPACE_CACHE) > 100_000:
            _RESPACE_CACHE.clear()
        found = _RESPACE_CACHE[key] = _may_respace(query.all_words, known)
    return found


# per process, by vocabulary (the index's word table) and query words: the test runs once
# per query, and the scorer asks for every candidate name
_RESPACE_CACHE: dict[tuple[int, tuple[str, ...]], bool] = {}
