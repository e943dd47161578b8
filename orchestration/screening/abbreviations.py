"""Abbreviations of words in organisation names, read the same way on both sides.

Analysts and fixed-width systems shorten the common words of a company name ("Connect Telecom
Gen. Trading L.L.C.", "SINO INTL SHPG CO"); lists mostly spell them out ("CONNECT TELECOM
GENERAL TRADING LLC"). Every core word is mapped to one canonical spelling before comparison,
so an abbreviation and its expansion agree whichever side has which. Legal forms (Co., Corp.,
Ltd, LLC ...) are not here: :mod:`legal_forms` reads them.

The vocabulary, per language, and where each entry comes from:

- English: the abbreviations written in the names of the lists themselves (OFAC SDN 2023-12-28
  has SHPG, TECH, TRDG, INTL, MFG among others; UK and BIS the same style) and the shortenings of
  the same words in business registers and SWIFT/fixed-width name fields (GEN, NATL, INDS,
  ENGG, SVCS, MGMT, GRP, HLDGS, ELEC, EQUIP, MACH ...). Plural and singular of one word are read
  as one (``technologies`` = ``technology``): lists and registers use both for one company.
- Russian (romanised): the acronyms of the designations of Russian research and production
  bodies, both ways: "nauchno-proizvodstvennoe obedinenie" = NPO, "nauchno-proizvodstvennoe
  predpriyatie" = NPP, "nauchno-issledovatelskiy institut" = NII, "opytno-konstruktorskoe byuro"
  = OKB, "konstruktorskoe byuro" = KB, "torgovyy dom" = TD (as the Russian names write them;
  OFAC spells them out or abbreviates them, one listing one way and its alias the other).
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from orchestration.screening.fingerprint import fingerprint as fingerprint_key

# abbreviation or variant -> canonical word (English)
ENGLISH: dict[str, str] = {
    "intl": "international",
    "internat": "international",
    "natl": "national",
    "shpg": "shipping",
    "shipg": "shipping",
    "tech": "technology",
    "techn": "technology",
    "technol": "technology",
    "technologies": "technology",
    "gen": "general",
    "genl": "general",
    "trdg": "trading",
    "trd": "trading",
    "mfg": "manufacturing",
    "manuf": "manufacturing",
    "mfrs": "manufacturers",
    "ind": "industry",
    "inds": "industry",
    "indus": "industry",
    "industries": "industry",
    "industrial": "industry",
    "eng": "engineering",
    "engg": "engineering",
    "engr": "engineering",
    "svc": "service",
    "svcs": "service",
    "serv": "service",
    "services": "service",
    "mgmt": "management",
    "mgt": "management",
    "grp": "group",
    "hldg": "holding",
    "hldgs": "holding",
    "holdings": "holding",
    "elec": "electronics",
    "electr": "electronics",
    "electronic": "electronics",
    "equip": "equipment",
    "mach": "machinery",
    "assn": "association",
    "assoc": "association",
    "inst": "institute",
    "univ": "university",
    "dept": "department",
    "dev": "development",
    "devt": "development",
    "enterprises": "enterprise",
    "entp": "enterprise",
    "bros": "brothers",
    "sys": "systems",
    "system": "systems",
    "sci": "scientific",
    "petrochem": "petrochemical",
    "chem": "chemical",
    "chemicals": "chemical",
    "pharm": "pharmaceutical",
    "pharma": "pharmaceutical",
    "pharmaceuticals": "pharmaceutical",
    "invest": "investment",
    "invt": "investment",
    "investments": "investment",
    "mktg": "marketing",
    "comm": "communications",
    "commun": "communications",
    "telecommunications": "telecom",
    "telecommunication": "telecom",
    "transp": "transport",
    "logist": "logistics",
    "aero": "aeronautical",
    "bldg": "building",
    "constr": "construction",
    "const": "construction",
    "distr": "distribution",
    "exp": "export",
    "imp": "import",
    "expt": "export",
    "impt": "import",
    "prods": "products",
    "prod": "products",
    "product": "products",
    "solns": "solutions",
    "solution": "solutions",
    "ctr": "center",
    "cntr": "center",
    "centre": "center",
    "organisation": "organization",
    "pwr": "power",
}

# multi-word designation (romanised, folded) -> acronym (Russian)
RUSSIAN_PHRASES: dict[tuple[str, ...], str] = {
    ("nauchno", "proizvodstvennoe", "obedinenie"): "npo",
    ("nauchno", "proizvodstvennoye", "obyedineniye"): "npo",
    ("nauchno", "proizvodstvennoe", "predpriyatie"): "npp",
    ("nauchno", "proizvodstvennoye", "predpriyatiye"): "npp",
    ("nauchno", "proizvodstvennaya", "firma"): "npf",
    ("nauchno", "issledovatelskiy", "institut"): "nii",
    ("nauchno", "issledovatelskii", "institut"): "nii",
    ("nauchno", "issledovatelsky", "institut"): "nii",
    ("opytno", "konstruktorskoe", "byuro"): "okb",
    ("opytno", "konstruktorskoye", "byuro"): "okb",
    ("spetsialnoe", "konstruktorskoe", "byuro"): "skb",
    ("konstruktorskoe", "byuro"): "kb",
    ("konstruktorskoye", "byuro"): "kb",
    ("torgovyy", "dom"): "td",
    ("torgovy", "dom"): "td",
    ("torgovyi", "dom"): "td",
    ("torgovij", "dom"): "td",
    ("gruppa", "kompaniy"): "gk",
    ("gruppa", "kompanii"): "gk",
}

# Phrases are looked up by word fingerprints, so every romanisation of one word agrees
# ("proizvodstvennoye"/"proizvodstvennoe", "obyedineniye"/"obedinenie").
_PHRASES = {tuple(fingerprint_key(w) for w in k): v for k, v in RUSSIAN_PHRASES.items()}
_PHRASE_LENGTHS = sorted({len(k) for k in _PHRASES}, reverse=True)
# A long word of a designation is read through one typing error in its fingerprint
# ("proizvodstennoe", "konstruktorsoke"): the phrase must still be whole, word after word, so a
# word this close is that word.
_PHRASE_TYPO_MIN = 7
_PHRASE_KEYS_LONG = sorted({k for key in _PHRASES for k in key if len(k) >= _PHRASE_TYPO_MIN})
_PHRASE_KEYS = frozenset(k for key in _PHRASES for k in key)


@lru_cache(maxsize=200_000)
def _phrase_key(word: str) -> str:
    key = fingerprint_key(word)
    if key in _PHRASE_KEYS or len(key) < _PHRASE_TYPO_MIN:
        return key
    found = process.extractOne(
        key, _PHRASE_KEYS_LONG, scorer=DamerauLevenshtein.distance, score_cutoff=1
    )
    return found[0] if found else key


# The long words of the vocabulary (eight letters or more: "industries", "technologies"), read
# through one typing error too: "indusstries" is "industry" as "industries" is, else a word
# with a typo would be compared with the listed word's canonical spelling ("industry") and lose
# the letters the canonical form drops. Shorter words are left as written: one edit from a
# short vocabulary word is often another word.
_TYPO_MIN_LENGTH = 8
_LONG_WORDS = sorted({w for pair in ENGLISH.items() for w in pair if len(w) >= _TYPO_MIN_LENGTH})
_LONG_WORDS_SET = frozenset(_LONG_WORDS)


@lru_cache(maxsize=200_000)
def canonical_word(word: str) -> str:
    """The canonical spelling of one folded core word (itself when not in the vocabulary); a
    long vocabulary word with one typing error (a swap counts once) is read as that word."""
    found = ENGLISH.get(word)
    if found is not None:
        return found
    # a word of seven letters may be one of eight with a letter dropped ("chemicl")
    if len(word) >= _TYPO_MIN_LENGTH - 1 and word.isalpha() and word not in _LONG_WORDS_SET:
        hit = process.extractOne(
            word, _LONG_WORDS, scorer=DamerauLevenshtein.distance, score_cutoff=1
        )
        if hit is not None:
            return ENGLISH.get(hit[0], hit[0])
    return word


def canonical_words(words: list[str]) -> list[str]:
    """Core words with abbreviations expanded and Russian designations read as acronyms."""
    out: list[str] = []
    keys = [_phrase_key(w) for w in words]
    i = 0
    while i < len(words):
        for length in _PHRASE_LENGTHS:
            if tuple(keys[i : i + length]) in _PHRASES:
                out.append(_PHRASES[tuple(keys[i : i + length])])
                i += length
                break
        else:
            out.append(canonical_word(words[i]))
            i += 1
    return out
