"""Countries in screening: which words of an address are places, and English names to ISO2.

The table is the shared one (:mod:`orchestration.reference.countries`, which also checks
counterparty and shipment country codes); names and capitals are compared in screening's folded
form (:func:`orchestration.screening.normalize.fold`).
"""

from __future__ import annotations

from functools import cache

from orchestration.reference.countries import countries


@cache
def _by_name() -> dict[str, str]:
    from orchestration.screening.normalize import fold

    names: dict[str, str] = {}
    # In ISO2 order: a name two countries share stays with the first of them by ISO2.
    for country in sorted(countries(), key=lambda c: c.iso2):
        for name in (country.cldr_name, country.name):
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
        for text in (country.cldr_name, country.capital):
            words.update(w for w in fold(text).split() if len(w) >= 4)
    return frozenset(words - NOT_PLACES)
