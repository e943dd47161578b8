"""Persons: name parts, order-free comparison with initials and left-out names, birth dates.

Lists write a person's name in a structured way: OFAC "PUTIN, Vladimir Vladimirovich" (surname
before the comma), the UK list "PUTIN Vladimir Vladimirovich" (surname in capitals, given names
in mixed case), UN and Canada in separate fields that the parsers join surname first. The
surname is read from that structure (:func:`surname_words`); without a structure there is none
and every word counts alike.

A query names a person in any order ("Vladimir Putin", "PUTIN Vladimir"), often without the
patronymic or middle names, sometimes with initials ("V. Putin", "Putin V.V."). The comparison
(:func:`person_similarity`) pairs each query word with one listed word (same word, close
spelling, equal fingerprint, or an initial standing for the word); every query word must be
paired and, when the listing has a known surname, the surname must be among the pairs written
out in full. A listed word left unpaired (a patronymic, a middle name) or an initial caps the
result at ``partial_cap``, a review, never an alert: "Ivan Petrov" may be one of several
"PETROV, Ivan ..."; an agreeing date of birth lifts that cap (:mod:`score`).

Dates of birth and nationalities are read from the remarks OFAC writes ("DOB 07 Oct 1952;
POB Leningrad, Russia; nationality Russia"); a counterparty's date of birth is compared with
them by :func:`birth_date_agreement`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz

from orchestration.screening.fingerprint import fingerprint
from orchestration.screening.typing_slips import slip_similarity


@dataclass(frozen=True)
class PersonParams:
    word_floor: float = 0.80
    initial_score: float = 0.90
    partial_cap: float = 0.87


PERSON_PARAMS = PersonParams()


def surname_words(name: str, fold) -> frozenset[str]:
    """Folded words of the surname as the list's name structure gives it, or empty."""
    if "," in name:
        head = name.split(",", 1)[0]
        return frozenset(fold(head).split())
    words = name.split()
    upper = []
    for word in words:
        letters = [c for c in word if c.isalpha()]
        if letters and all(c.isupper() for c in letters):
            upper.append(word)
        else:
            break
    # "PUTIN Vladimir": capitals then mixed case. A name all in capitals says nothing.
    if upper and len(upper) < len(words):
        return frozenset(fold(" ".join(upper)).split())
    return frozenset()


def _word_score(query_word: str, listed_word: str) -> float:
    if query_word == listed_word:
        return 1.0
    if len(query_word) == 1:
        return PERSON_PARAMS.initial_score if listed_word.startswith(query_word) else 0.0
    score = fuzz.ratio(query_word, listed_word) / 100.0
    if len(query_word) == len(listed_word):
        score = max(score, slip_similarity(query_word, listed_word))
    if fingerprint(query_word) == fingerprint(listed_word):
        score = max(score, 0.97)
    return score


def _expand_initials(words: tuple[str, ...], listed: tuple[str, ...]) -> list[str]:
    # "Putin V.V." folds to "putin vv": a short word that is no listed word and whose letters
    # start listed words is a run of initials.
    out: list[str] = []
    starts = {w[0] for w in listed if w}
    for word in words:
        if 2 <= len(word) <= 4 and word not in listed and all(c in starts for c in word):
            out.extend(word)
        else:
            out.append(word)
    return out


@dataclass(frozen=True)
class PersonMatch:
    score: float
    initials: int
    left_out: tuple[str, ...]


def person_similarity(
    query: tuple[str, ...],
    listed: tuple[str, ...],
    surname: frozenset[str],
    params: PersonParams = PERSON_PARAMS,
) -> PersonMatch | None:
    """Order-free comparison of a query's words with a listed person's (module docstring);
    ``None`` when they are not the same person's name by these rules."""
    words = _expand_initials(query, listed)
    # every query word needs a listed word of its own
    if len(words) < 2 or len(listed) < 2 or len(words) > len(listed):
        return None
    scored = sorted(
        ((_word_score(q, w), i, j) for i, q in enumerate(words) for j, w in enumerate(listed)),
        reverse=True,
    )
    paired_q: dict[int, float] = {}
    paired_l: dict[int, int] = {}
    for score, i, j in scored:
        if score < params.word_floor:
            break
        if i in paired_q or j in paired_l:
            continue
        paired_q[i] = score
        paired_l[j] = i
    if len(paired_q) < len(words):
        return None
    full = [j for j, i in paired_l.items() if len(words[i]) > 1]
    if not full:
        return None
    if surname and not any(listed[j] in surname for j in full):
        return None
    initials = sum(1 for w in words if len(w) == 1)
    left_out = tuple(w for j, w in enumerate(listed) if j not in paired_l)
    score = sum(paired_q.values()) / len(paired_q)
    if initials or left_out:
        score = min(score, params.partial_cap)
    return PersonMatch(round(score, 4), initials, left_out)


# --------------------------------------------------------------------------- birth dates

_DOB = re.compile(r"\bDOB\s+([^;]+)")
_NATIONALITY = re.compile(r"\b(?:nationality|citizen)\s+([^;.]+)")
_DAY = re.compile(r"\b(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})\b")
_MONTH = re.compile(r"\b([A-Z][a-z]{2}) (\d{4})\b")
_YEAR = re.compile(r"\b(\d{4})\b")


def birth_dates(remarks: str | None) -> tuple[str, ...]:
    """Dates of birth in OFAC remarks as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; a range
    ("1952 to 1954") gives every year in it."""
    if not remarks:
        return ()
    found: list[str] = []
    for text in _DOB.findall(remarks):
        text = text.strip()
        days = _DAY.findall(text)
        if days:
            for day, month, year in days:
                found.append(
                    datetime.strptime(f"{day} {month} {year}", "%d %b %Y").date().isoformat()
                )
            continue
        months = _MONTH.findall(text)
        if months:
            for month, year in months:
                found.append(datetime.strptime(f"{month} {year}", "%b %Y").strftime("%Y-%m"))
            continue
        years = [int(y) for y in _YEAR.findall(text)]
        if len(years) == 2 and " to " in text and 0 < years[1] - years[0] <= 10:
            found.extend(str(y) for y in range(years[0], years[1] + 1))
        else:
            found.extend(str(y) for y in years)
    return tuple(dict.fromkeys(found))


def nationalities(remarks: str | None) -> tuple[str, ...]:
    """Country names after "nationality" or "citizen" in OFAC remarks."""
    if not remarks:
        return ()
    return tuple(dict.fromkeys(n.strip() for n in _NATIONALITY.findall(remarks)))


def normal_birth_date(value: str | None) -> str | None:
    """A counterparty's date of birth as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; None when it
    is not one of the usual layouts (ISO, DD.MM.YYYY, DD/MM/YYYY, a year)."""
    if not value:
        return None
    text = str(value).strip()[:10]
    for layout in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m", "%Y"):
        try:
            parsed = datetime.strptime(text, layout)
        except ValueError:
            continue
        if layout == "%Y":
            return text
        if layout == "%Y-%m":
            return parsed.strftime("%Y-%m")
        return parsed.date().isoformat()
    return None


def birth_date_agreement(query: str | None, listed: tuple[str, ...]) -> str | None:
    """``exact`` (same day), ``year`` (same year, a date known only in part on one side),
    ``conflict`` (no listed date shares the year, or same year and different day), or None
    when either side has no date."""
    if not query or not listed:
        return None
    best = "conflict"
    for date in listed:
        if date == query:
            return "exact"
        if date[:4] != query[:4]:
            continue
        if len(date) == 10 and len(query) == 10:
            continue  # same year, different day: another person
        if query.startswith(date) or date.startswith(query):
            best = "year"
    return best
