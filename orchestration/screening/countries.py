"""ISO 3166 country codes: validate a counterparty's country and know which words are places.

The table (``data/countries.csv``, see the README beside it) is read with the ``csv`` module
because Namibia's code ``NA`` would be read as a null by dataframe readers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_TABLE = Path(__file__).with_name("data") / "countries.csv"


@dataclass(frozen=True)
class Country:
    iso2: str
    iso3: str
    name: str
    official_name: str
    capital: str


@cache
def countries() -> tuple[Country, ...]:
    with _TABLE.open(encoding="utf-8", newline="") as handle:
        return tuple(Country(**row) for row in csv.DictReader(handle))


@cache
def _by_code() -> dict[str, str]:
    codes: dict[str, str] = {}
    for country in countries():
        codes[country.iso2] = country.iso2
        codes[country.iso3] = country.iso2
    return codes


def to_iso2(code: str) -> str | None:
    """ISO2 for an ISO2 or ISO3 code (any case, surrounding blanks ignored); None if unknown."""
    return _by_code().get(code.strip().upper())


@cache
def _iso3() -> dict[str, str]:
    return {country.iso2: country.iso3 for country in countries()}


def to_iso3(code: str) -> str | None:
    """ISO3 for an ISO2 or ISO3 code; None if unknown."""
    iso2 = to_iso2(code)
    return _iso3().get(iso2) if iso2 else None


@cache
def _by_name() -> dict[str, str]:
    from orchestration.screening.normalize import fold

    names: dict[str, str] = {}
    for country in countries():
        for name in (country.name, country.official_name):
            names.setdefault(fold(name), country.iso2)
    return names


def iso2_from_name(name: str) -> str | None:
    """ISO2 for an English country name as written in the table (CLDR or official form)."""
    from orchestration.screening.normalize import fold

    return _by_name().get(fold(name))


# Words of country names and capitals that also name ordinary things ("United Shipbuilding",
# "Central Research Institute"): they say nothing about a location.
NOT_PLACES = frozenset(
    [
        "united",
        "states",
        "republic",
        "kingdom",
        "islands",
        "island",
        "federation",
        "democratic",
        "people",
        "peoples",
        "saint",
        "south",
        "north",
        "east",
        "west",
        "central",
        "great",
        "city",
        "state",
        "territory",
        "territories",
        "minor",
        "outlying",
        "federated",
        "british",
        "french",
        "american",
        "holy",
        "plurinational",
        "bolivarian",
        "islamic",
        "special",
        "administrative",
        "region",
        "sint",
        "santo",
        "santa",
        "port",
        "town",
        "capital",
        "heard",
        "mcdonald",
        "virgin",
        "arab",
        "grand",
        "lake",
        "bay",
        "cape",
        "river",
        "mount",
    ]
)


def is_place_word(word: str) -> bool:
    """True for a folded word of a country's short name or capital (four letters or more)."""
    return word in _place_words()


@cache
def _place_words() -> frozenset[str]:
    from orchestration.screening.normalize import fold

    words: set[str] = set()
    for country in countries():
        for text in (country.name, country.capital):
            words.update(w for w in fold(text).split() if len(w) >= 4)
    return frozenset(words - NOT_PLACES)
