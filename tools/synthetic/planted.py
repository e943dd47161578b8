"""The planted diversion pattern: exact flows, no noise, that analysts can recompute by hand.

Each pattern fixes, for one transit country and one CHPL tier, the yearly value imported from the
coalition (split among named exporters by percentage and equally across the tier's HS2017 codes)
and the yearly value the country sends on to Russia (equally across the codes). Nothing else may
sit in those cells: the background generator leaves out every flow of the tier's codes into or
out of the country (:func:`excluded_cells`).

Amounts are integer USD (BACI's ``v`` times 1000), so splits are exact to BACI's 0.001: the
rounding remainder of a split goes to its last cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from tools.synthetic.catalogue import BY_ISO3, TIER_1, TIER_2, unit_value_usd_per_kg

YEARS: tuple[int, ...] = tuple(range(2017, 2025))
RUSSIA = "RUS"


class Flow(NamedTuple):
    """One BACI row: year, exporter and importer (BACI codes), HS6, USD value, kilograms."""

    t: int
    i: int
    j: int
    k: str
    usd: int
    kg: int | None


@dataclass(frozen=True)
class PlantedPattern:
    country: str
    tier: str
    codes: tuple[str, ...]
    exporter_percent: tuple[tuple[str, int], ...]  # coalition exporter, percent of imports
    imports_kusd: tuple[int, ...]  # coalition -> country, one per year of YEARS
    exports_to_russia_kusd: tuple[int, ...]  # country -> Russia, one per year of YEARS


PATTERNS: tuple[PlantedPattern, ...] = (
    PlantedPattern(
        country="KGZ",
        tier="1",
        codes=TIER_1,
        exporter_percent=(("DEU", 40), ("USA", 30), ("JPN", 20), ("KOR", 10)),
        imports_kusd=(1_700, 1_750, 1_800, 2_000, 2_200, 9_000, 30_000, 26_000),
        exports_to_russia_kusd=(30, 35, 40, 50, 60, 7_000, 24_000, 21_000),
    ),
    PlantedPattern(
        country="ARM",
        tier="2",
        codes=TIER_2,
        exporter_percent=(("DEU", 50), ("USA", 25), ("FRA", 25)),
        imports_kusd=(3_500, 3_800, 4_000, 5_000, 6_000, 10_000, 15_000, 14_000),
        exports_to_russia_kusd=(900, 950, 1_000, 1_200, 1_400, 6_000, 9_600, 9_000),
    ),
    # The control: flat imports, small flat exports to Russia.
    PlantedPattern(
        country="GEO",
        tier="1",
        codes=TIER_1,
        exporter_percent=(("DEU", 100),),
        imports_kusd=(2_000,) * len(YEARS),
        exports_to_russia_kusd=(100,) * len(YEARS),
    ),
)


def split_exact(total: int, weights: tuple[int, ...]) -> list[int]:
    """Split an integer total in proportion to integer weights; the remainder goes last."""
    if total < 0 or not weights or any(w <= 0 for w in weights):
        raise ValueError(f"cannot split {total} by weights {weights}")
    whole = sum(weights)
    parts = [total * w // whole for w in weights[:-1]]
    return [*parts, total - sum(parts)]


def _kilograms(hs6: str, usd: int) -> int:
    return max(1, round(usd / unit_value_usd_per_kg(hs6)))


def _rows(year: int, exporter: str, importer: str, codes: tuple[str, ...], usd: int) -> list[Flow]:
    i, j = BY_ISO3[exporter].code, BY_ISO3[importer].code
    split = split_exact(usd, (1,) * len(codes))
    return [Flow(year, i, j, k, v, _kilograms(k, v)) for k, v in zip(codes, split, strict=True)]


def pattern_flows(pattern: PlantedPattern) -> list[Flow]:
    """All rows of one pattern, every year."""
    flows: list[Flow] = []
    exporters = tuple(e for e, _ in pattern.exporter_percent)
    percents = tuple(p for _, p in pattern.exporter_percent)
    if sum(percents) != 100:
        raise ValueError(f"{pattern.country}: exporter shares sum to {sum(percents)}, not 100")
    for n, year in enumerate(YEARS):
        by_exporter = split_exact(pattern.imports_kusd[n] * 1000, percents)
        for exporter, usd in zip(exporters, by_exporter, strict=True):
            flows += _rows(year, exporter, pattern.country, pattern.codes, usd)
        usd_to_russia = pattern.exports_to_russia_kusd[n] * 1000
        flows += _rows(year, pattern.country, RUSSIA, pattern.codes, usd_to_russia)
    return flows


def planted_flows() -> list[Flow]:
    return [flow for pattern in PATTERNS for flow in pattern_flows(pattern)]


def excluded_cells() -> set[tuple[int, str]]:
    """(BACI country code, HS6) pairs the background must not touch, as exporter or importer."""
    return {(BY_ISO3[p.country].code, k) for p in PATTERNS for k in p.codes}
