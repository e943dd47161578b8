"""Countries and products of the synthetic BACI panel, in BACI's own codes.

Country codes are BACI's numeric codes from ``country_codes_V202601.csv``, which are ISO 3166
numeric codes except where CEPII uses the Comtrade reporter code: USA 842 (not 840), France 251
(not 250), Norway 579 (not 578), Switzerland 757 (not 756, Liechtenstein included), India 699 (not
356), and Taiwan, which BACI files as 490 "Other Asia, nes" with the pseudo ISO3 ``S19``. The
panel calls it TWN and counts it in the coalition (the E5 list names it; FinCEN's 2022 list also
names it, but a country sits in one group here).

Products are HS2017 subheadings, as BACI HS17 writes them (6 digits, leading zeros kept).
"""

from __future__ import annotations

from dataclasses import dataclass

COALITION = "coalition"
TRANSIT = "transit"
RUSSIA_BELARUS = "russia_belarus"
REST = "rest_of_world"


@dataclass(frozen=True)
class Country:
    iso3: str
    code: int  # BACI numeric code
    group: str
    export_strength: float  # relative size as an exporter, 0..1
    import_size: float  # relative size as an importer, 0..1


def _countries(group: str, rows: list[tuple[str, int, float, float]]) -> list[Country]:
    return [Country(iso3, code, group, exp, imp) for iso3, code, exp, imp in rows]


COUNTRIES: tuple[Country, ...] = tuple(
    _countries(
        COALITION,
        [
            ("DEU", 276, 1.0, 0.9),
            ("USA", 842, 1.0, 1.0),
            ("JPN", 392, 0.8, 0.6),
            ("KOR", 410, 0.7, 0.5),
            ("TWN", 490, 0.7, 0.5),
            ("FRA", 251, 0.6, 0.6),
            ("NLD", 528, 0.6, 0.6),
            ("ITA", 380, 0.55, 0.5),
            ("GBR", 826, 0.5, 0.6),
            ("CHE", 757, 0.45, 0.35),
            ("POL", 616, 0.4, 0.4),
            ("CZE", 203, 0.35, 0.3),
            ("ESP", 724, 0.35, 0.4),
            ("BEL", 56, 0.35, 0.35),
            ("SWE", 752, 0.3, 0.3),
            ("AUT", 40, 0.3, 0.3),
            ("CAN", 124, 0.3, 0.4),
            ("HUN", 348, 0.25, 0.25),
            ("IRL", 372, 0.25, 0.2),
            ("FIN", 246, 0.2, 0.2),
            ("DNK", 208, 0.2, 0.2),
            ("AUS", 36, 0.15, 0.35),
            ("NOR", 579, 0.1, 0.2),
            ("NZL", 554, 0.05, 0.1),
            ("ISL", 352, 0.02, 0.05),
        ],
    )
    + _countries(
        TRANSIT,
        [
            ("CHN", 156, 1.0, 0.9),
            ("HKG", 344, 0.6, 0.6),
            ("SGP", 702, 0.45, 0.45),
            ("MEX", 484, 0.4, 0.5),
            ("IND", 699, 0.3, 0.5),
            ("TUR", 792, 0.3, 0.4),
            ("ARE", 784, 0.25, 0.4),
            ("ISR", 376, 0.2, 0.2),
            ("BRA", 76, 0.15, 0.35),
            ("ZAF", 710, 0.1, 0.2),
            ("KAZ", 398, 0.06, 0.2),
            ("SRB", 688, 0.05, 0.1),
            ("UZB", 860, 0.03, 0.12),
            ("ARM", 51, 0.02, 0.08),
            ("GEO", 268, 0.02, 0.08),
            ("KGZ", 417, 0.02, 0.08),
            ("TJK", 762, 0.01, 0.05),
            ("NIC", 558, 0.01, 0.04),
        ],
    )
    + _countries(RUSSIA_BELARUS, [("RUS", 643, 0.15, 0.6), ("BLR", 112, 0.05, 0.15)])
    + _countries(
        REST,
        [
            ("VNM", 704, 0.45, 0.45),
            ("IDN", 360, 0.15, 0.3),
            ("SAU", 682, 0.05, 0.3),
            ("EGY", 818, 0.04, 0.2),
            ("AZE", 31, 0.02, 0.08),
            ("TKM", 795, 0.01, 0.05),
            ("MNG", 496, 0.01, 0.05),
        ],
    )
)

BY_ISO3: dict[str, Country] = {c.iso3: c for c in COUNTRIES}


def _split(codes: str) -> tuple[str, ...]:
    return tuple(codes.split())


# CHPL (BIS, 2024-02-23) expressed in HS2017. 44 codes exist unchanged in HS2017; the six
# HS2022-only codes are replaced by the HS2017 subheading that holds them (HS22_TO_HS17).
_CHPL_BY_TIER: dict[str, str] = {
    "1": "854231 854232 854233 854239",
    "2": "851762 852691 853221 853224 854890",
    "3.A": "847150 850440 851769 852580 852910 852990 853669 853690 854110 854121 854129 "
    "854130 854140 854150 854160",
    "3.B": "848210 848220 848230 848250 880330 901310 901380 901420 901480",
    "4.A": "847180 848610 848620 848640 853400 854320 902750 903020 903032 903039 903082",
    "4.B": "845710 845811 845891 845961 846693",
}
CHPL_HS17: dict[str, str] = {
    hs6: tier for tier, codes in _CHPL_BY_TIER.items() for hs6 in _split(codes)
}

# HS2022 CHPL code -> the HS2017 subheading the panel uses for it. 854140 is the trap: in HS2017
# it also holds photovoltaic cells and LEDs, so the panel gives it large, China-led values.
HS22_TO_HS17: dict[str, str] = {
    "854800": "854890",
    "880730": "880330",
    "852589": "852580",
    "854149": "854140",
    "854151": "854150",
    "854159": "854150",
}

# Non-CHPL goods of chapters 84, 85 and 90 that analysts compare CHPL growth against.
COMPARISON_HS17: tuple[str, ...] = _split(
    "840734 840820 841391 841510 841810 841821 842139 842952 843149 845011 847130 847330 "
    "848180 848340 850110 850211 850300 850760 851220 851712 851810 852872 853710 854411 "
    "854442 900190 901580 901890 902610 903180"
)

# Unrelated goods: cars, wheat, refined fuels, T-shirts. BACI's HS17 product table has no 271012:
# it writes heading 2710 as the single code 271000.
OTHER_HS17: tuple[str, ...] = ("870323", "100199", "271000", "610910")

PRODUCTS: tuple[str, ...] = tuple(sorted({*CHPL_HS17, *COMPARISON_HS17, *OTHER_HS17}))

TIER_1: tuple[str, ...] = tuple(k for k, t in CHPL_HS17.items() if t == "1")
TIER_2: tuple[str, ...] = tuple(k for k, t in CHPL_HS17.items() if t == "2")

# Typical value of a flow between a unit exporter and a unit importer, thousand USD, by code
# prefix (longest prefix wins). Rough orders of magnitude, not estimates.
_SCALE_KUSD: dict[str, float] = {
    "": 100_000.0,
    "8542": 400_000.0,
    "854140": 600_000.0,
    "8482": 60_000.0,
    "8457": 50_000.0,
    "8458": 50_000.0,
    "8459": 50_000.0,
    "8486": 150_000.0,
    "9013": 40_000.0,
    "9014": 40_000.0,
    "9030": 30_000.0,
    "847130": 600_000.0,
    "851712": 900_000.0,
    "850760": 300_000.0,
    "870323": 800_000.0,
    "100199": 60_000.0,
    "271000": 500_000.0,
}

# Unit values in USD per kg, used to derive tonnes from values.
_UNIT_VALUE_USD_PER_KG: dict[str, float] = {
    "": 25.0,
    "84": 20.0,
    "85": 30.0,
    "90": 150.0,
    "8542": 2000.0,
    "8541": 100.0,
    "854140": 20.0,
    "8532": 150.0,
    "8517": 120.0,
    "8526": 200.0,
    "8471": 120.0,
    "8482": 10.0,
    "8486": 250.0,
    "8803": 400.0,
    "9013": 300.0,
    "9014": 500.0,
    "9030": 350.0,
    "8703": 15.0,
    "1001": 0.25,
    "2710": 0.7,
    "6109": 15.0,
}


def _by_prefix(table: dict[str, float], hs6: str) -> float:
    for length in range(6, -1, -1):
        if hs6[:length] in table:
            return table[hs6[:length]]
    raise KeyError(hs6)  # unreachable: "" is always present


def product_scale_kusd(hs6: str) -> float:
    return _by_prefix(_SCALE_KUSD, hs6)


def unit_value_usd_per_kg(hs6: str) -> float:
    return _by_prefix(_UNIT_VALUE_USD_PER_KG, hs6)
