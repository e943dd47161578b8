"""Countries: one table, looked up by any code or name a source uses.

The table (``data/ref_country_codes.csv``, one row per ISO 3166-1 country plus Kosovo, see the
README beside it) carries ISO2, ISO3, M49, the BACI and Comtrade codes, English names (ISO
short, CLDR display) and the labels Eurostat and national offices use in English, French and
Russian. It is read with the ``csv`` module because Namibia's code ``NA`` would be read as a null
by dataframe readers.

Lookups by kind of input:

- codes: :func:`to_iso2` / :func:`to_iso3` (ISO2 or ISO3), :func:`iso2_code` (an explicit
  two-letter code), :func:`iso3_from_m49`, :func:`iso3_from_baci`;
- English names as sanctions lists write them: :func:`country_iso2`;
- whatever a person types in a country column (ISO2, ISO3, or a name in English, German, French,
  Russian, Turkish, Chinese and the other languages of ``data/ref_country_names.csv``):
  :func:`resolve_country`;
- trade labels and area codes, aggregates and buckets included: :mod:`.areas`.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

from orchestration.reference import DATA_DIR

COUNTRY_TABLE = DATA_DIR / "ref_country_codes.csv"


@dataclass(frozen=True)
class Country:
    """One row of the table, as text (empty where a code does not exist)."""

    iso3: str
    iso2: str
    m49: str
    baci_code: str
    comtrade_code: str
    comtrade_codes_other: str  # pipe-separated
    baci_codes_other: str  # pipe-separated
    name: str  # English short name (official_name_en)
    is_eu27: bool
    eurostat_labels: str  # pipe-separated
    aliases: str  # pipe-separated
    cldr_name: str  # CLDR display name ("Antigua & Barbuda")
    capital: str


@cache
def countries(path: Path = COUNTRY_TABLE) -> tuple[Country, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(Country(**{**row, "is_eu27": row["is_eu27"] == "true"}) for row in rows)


# --- codes --------------------------------------------------------------------------------------


@cache
def _by_code() -> dict[str, Country]:
    codes: dict[str, Country] = {}
    for country in countries():
        codes[country.iso2] = country
        codes[country.iso3] = country
    return codes


def to_iso2(code: str) -> str | None:
    """ISO2 for an ISO2 or ISO3 code (any case, surrounding blanks ignored); None if unknown."""
    country = _by_code().get(code.strip().upper())
    return country.iso2 if country else None


def to_iso3(code: str) -> str | None:
    """ISO3 for an ISO2 or ISO3 code; None if unknown."""
    country = _by_code().get(code.strip().upper())
    return country.iso3 if country else None


def iso2_code(code: str | None) -> str | None:
    """An explicit two-letter code, checked against ISO 3166 (plus XK); the EU's "00" and any
    other unknown code give None."""
    text = " ".join(str(code or "").split()).upper()
    if len(text) == 2 and text in _by_code():
        return text
    return None


@cache
def _by_m49() -> dict[int, str]:
    return {int(c.m49): c.iso3 for c in countries() if c.m49}


def iso3_from_m49(code: int | str) -> str | None:
    """ISO3 for an ISO 3166 numeric (= UN M49) country code."""
    return _by_m49().get(int(code))


@cache
def _by_baci() -> dict[int, str]:
    codes: dict[int, str] = {}
    for country in countries():
        for code in (country.baci_code, *country.baci_codes_other.split("|")):
            if code:
                codes[int(code)] = country.iso3
    return codes


def iso3_from_baci(code: int | str) -> str | None:
    """ISO3 for a BACI country code, current (842 USA, 490 Taiwan) or historical (58
    Belgium-Luxembourg); BACI's groups without an ISO country give None."""
    return _by_baci().get(int(code))


# --- names as sanctions lists write them --------------------------------------------------------

# Publishers' spellings that ISO 3166 (as pycountry carries it) does not: OFAC, UN, BIS, Canada,
# UK and EU variants seen in the real files, plus Kosovo's user-assigned code.
COUNTRY_VARIANTS = {
    "russia": "RU",
    "burma": "MM",
    "myanmar (burma)": "MM",
    "north korea": "KP",
    "korea, north": "KP",
    "dprk": "KP",
    "south korea": "KR",
    "korea, south": "KR",
    "republic of korea": "KR",
    "turkey": "TR",
    "iran (islamic republic of)": "IR",
    "democratic republic of the congo": "CD",
    "congo, democratic republic of the": "CD",
    "congo (democratic republic)": "CD",
    "republic of the congo": "CG",
    "congo, republic of the": "CG",
    "palestinian": "PS",
    "palestinian territories": "PS",
    "palestine": "PS",
    "state of palestine": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "region: gaza": "PS",
    "region: west bank": "PS",
    "crimea": "UA",
    "crimea region of ukraine": "UA",
    "region: crimea": "UA",
    "u.a.e": "AE",
    "uae": "AE",
    "uk": "GB",
    "great britain": "GB",
    "usa": "US",
    "u.s.a": "US",
    "macau": "MO",
    "hong kong sar": "HK",
    "hong kong, china": "HK",
    "china, hong kong special administrative region": "HK",
    "china, macao special administrative region": "MO",
    "kosovo": "XK",
    "ivory coast": "CI",
    "the gambia": "GM",
    "gambia, the": "GM",
    "bahamas, the": "BS",
    "brunei": "BN",
    "cape verde": "CV",
    "swaziland": "SZ",
    "macedonia": "MK",
    "east timor": "TL",
    "vatican": "VA",
    "holy see (vatican city)": "VA",
}


def country_key(name: str) -> str:
    """A name folded for lookup: case, accents, spacing and surrounding dots ignored."""
    text = name.replace("’", "'").replace("&", "and").replace("\u05f4", '"')
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split()).strip(" .")


_country_key = country_key


@cache
def _name_index() -> dict[str, str]:
    # Sanctions lists write English names close to ISO 3166's own (short, official and common
    # names); the lists' other spellings are the variants above.
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index[_country_key(value)] = country.alpha_2
    index.update({_country_key(k): v for k, v in COUNTRY_VARIANTS.items()})
    return index


def country_iso2(name: str | None) -> str | None:
    """ISO 3166 alpha-2 for an English country name; bilingual "Russia / Russie" reads its English
    half. Unknown names (and regimes that are not countries) give None."""
    text = " ".join(str(name).split()) if name is not None else ""
    if not text:
        return None
    index = _name_index()
    for candidate in (text, text.split(" / ")[0]):
        code = index.get(_country_key(candidate))
        if code:
            return code
    return None


# --- whatever a person writes in a country column -----------------------------------------------

NAMES_TABLE = DATA_DIR / "ref_country_names.csv"


@cache
def _any_name_index() -> dict[str, str]:
    # English as the lists write it first (the index above), then every other name the tables
    # carry: the multilingual names (CLDR and ISO 3166 translations, see the README beside the
    # table), the country table's own names and the labels trade offices use. A name already
    # taken keeps its first country; the names table holds no name shared by two countries.
    index = dict(_name_index())
    iso2_of = {c.iso3: c.iso2 for c in countries()}
    with NAMES_TABLE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            index.setdefault(country_key(row["name"]), iso2_of[row["iso3"]])
    for country in countries():
        labels = (country.name, country.cldr_name, *country.eurostat_labels.split("|"),
                  *country.aliases.split("|"))  # fmt: skip
        for label in labels:
            if label.strip():
                index.setdefault(country_key(label), country.iso2)
    return index


def resolve_country(text: str | None) -> str | None:
    """ISO2 for what a person writes in a country column: an ISO2 or ISO3 code (``RU``,
    ``rus``), or a country name in one of the languages of the names table ("Russia", "Russian
    Federation", "Россия", "Russland", "Rusya", "俄罗斯"); a bilingual "Russia / Russie" reads
    either half. None when nothing matches."""
    value = " ".join(str(text or "").split())
    if not value:
        return None
    if value.isascii() and value.isalpha() and len(value) in (2, 3):
        code = to_iso2(value)
        if code:
            return code
    index = _any_name_index()
    for candidate in (value, *value.split("/")):
        code = index.get(country_key(candidate))
        if code:
            return code
    return None
