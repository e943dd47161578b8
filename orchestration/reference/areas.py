"""Areas as trade statistics name them: ISO countries, aggregates and other areas.

Comtrade area codes, Eurostat geo codes ('DE', 'EU27_2020', 'QS') and place labels in English,
French and Russian ('Russie, Fédération de', 'Словакия', 'Korea, Republic of (South Korea)')
resolve to an :class:`Area` through the country table of :mod:`orchestration.reference.countries`;
labels that name a group (World, EU27, stores and provisions ...) resolve to that group.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from orchestration.reference.countries import COUNTRY_TABLE, countries

# Kinds of area a trade row can name. Only "country" rows carry an ISO3 code; "aggregate" rows
# (World, EU27, continents ...) sum other rows and must never be added to them; "other" rows
# (areas not elsewhere specified, stores and provisions, high seas, Ceuta ...) are genuine parts
# of a total that belong to no ISO country.
COUNTRY, AGGREGATE, OTHER = "country", "aggregate", "other"


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_TRAILING_NOTE = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)\s*$")
_CODE_LABEL = re.compile(r"^([A-Z0-9][A-Z0-9_]*)-(.+)$")


def normalise_label(text: str) -> str:
    """A matching key for a place name: accents, case, quotes, punctuation, 'the' and spacing
    removed, 'St' spelt 'saint'.

    'Côte d’Ivoire' and "Cote d' Ivoire" give the same key; Cyrillic letters are kept (NFKD only
    strips combining marks), so Russian labels match the Russian names in the seed.
    """
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("&", " and ")
    words = re.sub(r"[^\w]+", " ", text).split()
    return " ".join("saint" if w == "st" else w for w in words if w != "the")


def strip_note(text: str) -> str:
    """'Germany (incl. German Democratic Republic 'DD' from 1991)' -> 'Germany'."""
    previous = None
    while previous != text:
        previous, text = text, _TRAILING_NOTE.sub("", text)
    return text.strip()


def invert_comma(text: str) -> str:
    """'Korea, Republic of' -> 'Republic of Korea' (code lists put the key word first)."""
    head, sep, tail = text.partition(", ")
    return f"{tail} {head}" if sep and "," not in tail else text


class LabelMatcher:
    """Place names to ISO3, tolerant of notes, word order and spelling of accents.

    Exact keys (the whole name, or its comma-inverted form) win over keys made by stripping a
    trailing note, so 'Congo' (Republic of the Congo) is not lost to 'Congo (Democratic
    Republic of the)'. A key two countries share identifies neither and is dropped.
    """

    def __init__(self) -> None:
        self._exact: dict[str, set[str]] = {}
        self._bare: dict[str, set[str]] = {}

    def add(self, name: str, iso3: str) -> None:
        for key in {normalise_label(name), normalise_label(invert_comma(name))}:
            self._exact.setdefault(key, set()).add(iso3)
        bare = strip_note(name)
        for key in {normalise_label(bare), normalise_label(invert_comma(bare))}:
            self._bare.setdefault(key, set()).add(iso3)

    def match(self, label: str) -> str | None:
        bare = strip_note(label)
        keys = [
            normalise_label(label),
            normalise_label(invert_comma(label)),
            normalise_label(bare),
            normalise_label(invert_comma(bare)),
        ]
        for index in (self._exact, self._bare):
            for key in keys:
                found = index.get(key, ())
                if len(found) == 1:
                    return next(iter(found))
        return None


def split_code_label(text: str) -> tuple[str | None, str]:
    """Eurostat exports sometimes write 'CODE-Label' ('TOTAL-Total', '2-EXPORT'); a code is
    upper case letters, digits and underscores only, so 'Guinea-Bissau' stays a label."""
    match = _CODE_LABEL.match(text.strip())
    if match:
        return match.group(1), match.group(2).strip()
    return None, text.strip()


@dataclass(frozen=True)
class Area:
    """What a code or label names: an ISO country, an aggregate, or another area."""

    code: str  # ISO2 for countries; the publisher's (or a documented) code otherwise
    kind: str  # COUNTRY | AGGREGATE | OTHER
    iso3: str | None = None

    @property
    def is_aggregate(self) -> bool:
        return self.kind == AGGREGATE


# Group and bucket labels seen in Eurostat exports and national tables. Regular expressions on
# normalise_label() text, tried in order; codes are Eurostat's where it has one (EU27_2020,
# EU28, EA20, the Q* geonomenclature buckets, XC Ceuta, XL Melilla), otherwise descriptive.
_GROUP_PATTERNS: tuple[tuple[str, str, str], ...] = (
    (r"^(european union|union europeenne) (27 countries|27 pays)", "EU27_2020", AGGREGATE),
    (r"^(european union|union europeenne) (28 countries|28 pays)", "EU28", AGGREGATE),
    (r"^(european union|union europeenne)\b", "EU", AGGREGATE),
    (r"^(euro area|zone euro) (\d+) (countries|pays)", "EA{2}", AGGREGATE),
    (r"^(euro area|zone euro)\b", "EA", AGGREGATE),
    (r"^extra (eu|ue) ?27", "EXTRA_EU27_2020", AGGREGATE),
    (r"^intra (eu|ue) ?27", "INTRA_EU27_2020", AGGREGATE),
    (r"^(world|all countries of world|monde)$", "WORLD", AGGREGATE),
    (r"^(africa|asia|europe|america|australia and oceania)$", "{0}", AGGREGATE),
    (r"^commonwealth of independent states$", "CIS", AGGREGATE),
    (r"^eurasian economic union$", "EAEU", AGGREGATE),
    (r"^non eaeu countries$", "NON_EAEU", AGGREGATE),
    (r"^non eu countries$", "NON_EU", AGGREGATE),
    (r"^rest of world$", "REST_OF_WORLD", AGGREGATE),
    (r"^shanghai cooperation organisation$", "SCO", AGGREGATE),
    (r"(stores and provisions|avitaillement).*(intra)", "QR", OTHER),
    (r"(stores and provisions|avitaillement).*(extra|third countr|pays tiers)", "QS", OTHER),
    (r"(stores and provisions|avitaillement)", "QQ", OTHER),
    (r"(commercial or military|militaires).*(intra)", "QY", OTHER),
    (r"(commercial or military|militaires).*(extra|third countr|pays tiers)", "QZ", OTHER),
    (r"(commercial or military|militaires)", "QX", OTHER),
    (r"(not specified|not determined|non determines|non precises).*(intra)", "QV", OTHER),
    (
        r"(not specified|not determined|non determines|non precises).*(extra|third|pays tiers)",
        "QW",
        OTHER,
    ),
    (r"(countries and territories not specified|pays et territoires non)", "QU", OTHER),
    (r"^(high seas|haute mer)\b", "QP", OTHER),
    (r"^ceuta\b", "XC", OTHER),
    (r"^melilla\b", "XL", OTHER),
    (r"^(unknown country|other countries|eu countries not specified)$", "{0}", OTHER),
    (r"^nagorno( |-)?kara(bakh|bagh)$", "NAGORNO_KARABAKH", OTHER),
    (r"^channel islands$", "CHANNEL_ISLANDS", OTHER),
    # Dissolved areas that still appear in long series; Eurostat kept their old codes.
    (r"^(netherlands antilles|antilles neerlandaises)\b", "AN", OTHER),
    (r"^(serbia and montenegro|serbie et montenegro)\b", "CS", OTHER),
)


def group_area(label: str) -> Area | None:
    """The aggregate or bucket a label names, or None when it is not a group label."""
    key = normalise_label(label)
    for pattern, code, kind in _GROUP_PATTERNS:
        match = re.search(pattern, key)
        if match:
            groups = [key, *match.groups()]
            resolved = code.format(*groups).upper().replace(" ", "_")
            return Area(code=resolved, kind=kind)
    return None


# Comtrade area codes with no ISO country behind them (UNSD "Comtrade Country Code and Name").
_COMTRADE_NON_ISO: dict[int, Area] = {
    0: Area("WORLD", AGGREGATE),
    97: Area("EU", AGGREGATE),
    **{
        code: Area(f"CT{code}", OTHER)
        for code in (
            129, 221, 290, 471, 472, 473, 492, 527, 536, 568, 577,
            636, 637, 697, 837, 838, 839, 849, 879, 899,
        )
    },
}  # fmt: skip


@dataclass
class CountryIndex:
    """Lookups of trade codes and labels, built from the country table."""

    by_comtrade: dict[int, str] = field(default_factory=dict)
    by_iso2: dict[str, str] = field(default_factory=dict)
    iso2_of: dict[str, str] = field(default_factory=dict)
    labels: LabelMatcher = field(default_factory=LabelMatcher)
    eu27: frozenset[str] = frozenset()

    @classmethod
    def from_table(cls, path: Path = COUNTRY_TABLE) -> CountryIndex:
        index = cls()
        eu27: set[str] = set()
        for row in countries(path):
            iso3 = row.iso3
            if row.iso2:
                index.by_iso2[row.iso2] = iso3
                index.iso2_of[iso3] = row.iso2
            codes = [row.comtrade_code, *row.comtrade_codes_other.split("|")]
            for code in filter(None, codes):
                index.by_comtrade[int(code)] = iso3
            if row.is_eu27:
                eu27.add(iso3)
            names = [row.name, *row.eurostat_labels.split("|"), *row.aliases.split("|")]
            for name in filter(None, names):
                index.labels.add(name, iso3)
        index.eu27 = frozenset(eu27)
        return index

    def _country(self, iso3: str) -> Area:
        return Area(code=self.iso2_of.get(iso3, iso3), kind=COUNTRY, iso3=iso3)

    def comtrade_area(self, code: int) -> Area | None:
        if code in self.by_comtrade:
            return self._country(self.by_comtrade[code])
        return _COMTRADE_NON_ISO.get(code)

    def code_area(self, code: str) -> Area | None:
        """An ISO2 / Eurostat geo code ('DE', 'GR', 'EU27_2020', 'QS')."""
        code = code.strip().upper()
        if code in self.by_iso2:
            return self._country(self.by_iso2[code])
        known = {p[1] for p in _GROUP_PATTERNS if "{" not in p[1]}
        if code in known or re.fullmatch(r"EA\d+", code):
            kind = next((p[2] for p in _GROUP_PATTERNS if p[1] == code), AGGREGATE)
            return Area(code=code, kind=kind)
        return None

    def label_area(self, label: str) -> Area | None:
        """A place label in any of the table's languages, or a 'CODE-Label' pair."""
        code, text = split_code_label(label)
        if code is not None:
            found = self.code_area(code)
            if found is not None:
                return found
        iso3 = self.labels.match(text)
        if iso3 is not None:
            return self._country(iso3)
        return group_area(text)


@lru_cache(maxsize=4)
def country_index(path: Path = COUNTRY_TABLE) -> CountryIndex:
    return CountryIndex.from_table(path)


def label_area(label: str | None) -> Area | None:
    """A place label resolved through the shared table (an empty label resolves to nothing)."""
    return country_index().label_area(label or "")
