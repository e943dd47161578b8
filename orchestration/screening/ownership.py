"""Entities caught by a 50% ownership rule: owned by listed parties without being listed.

Input: an ownership edge table (``owner_id``, ``asset_id``, ``share_pct`` in percent) and the
set of listed ids. The rule is a fixed point over the graph:

    caught = listed
    repeat: an entity is caught when the shares held in it by caught owners, added up
            (``aggregate``) or taken one owner at a time, reach the threshold
    until nothing changes

A stake held by a caught entity counts in full, whatever share of that entity the listed party
holds (OFAC FAQ 401, Example 2: X owns 50% of A and of B, A and B own 25% each of C, so C is
blocked); a stake held through an entity that is not caught counts for nothing (the rule speaks
of ownership through entities that are themselves 50% owned, and control alone does not block,
FAQ 398).

Regimes (docs/screening.md, "Ownership: the 50% rule"), each a :class:`Regime`:

- OFAC: >= 50%, aggregated across blocked persons (FAQ 401; FAQ 399 for the aggregation).
- EU: >= 50% aggregated (Best Practices of 3 July 2024, which moved the test from "more than
  50%" to "50% or more").
- UK: > 50%; OFSI does not add up the holdings of different designated persons unless they hold
  jointly, so ``aggregate`` is off.
- BIS Affiliates Rule: >= 50% aggregated, in force from 29 Sep 2025, suspended from 10 Nov 2025
  to 9 Nov 2026; outside its window only listed entities are caught.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import polars as pl

EDGE_COLUMNS = ("owner_id", "asset_id", "share_pct")
RESULT_SCHEMA = {
    "entity_id": pl.String,
    "is_listed": pl.Boolean,
    "listed_owner_share": pl.Float64,
    "is_owned_50": pl.Boolean,
    "regime": pl.String,
}


@dataclass(frozen=True)
class Regime:
    name: str
    threshold_pct: float = 50.0
    inclusive: bool = True
    aggregate: bool = True
    valid_from: date | None = None
    valid_to: date | None = None
    suspended: tuple[tuple[date, date], ...] = ()

    def reaches(self, share_pct: float) -> bool:
        # A tolerance of 1e-9 keeps 33.3 + 16.7 from falling short of 50 in floating point.
        if self.inclusive:
            return share_pct >= self.threshold_pct - 1e-9
        return share_pct > self.threshold_pct + 1e-9

    def in_force(self, as_of: date | None) -> bool:
        if as_of is None:
            return True
        if self.valid_from and as_of < self.valid_from:
            return False
        if self.valid_to and as_of > self.valid_to:
            return False
        return not any(start <= as_of <= end for start, end in self.suspended)


OFAC = Regime("ofac")
EU = Regime("eu")
UK = Regime("uk", inclusive=False, aggregate=False)
BIS_AFFILIATES = Regime(
    "bis_affiliates",
    valid_from=date(2025, 9, 29),
    suspended=((date(2025, 11, 10), date(2026, 11, 9)),),
)
REGIMES = {r.name: r for r in (OFAC, EU, UK, BIS_AFFILIATES)}


def _edges(edges: pl.DataFrame) -> list[tuple[str, str, float]]:
    missing = [c for c in EDGE_COLUMNS if c not in edges.columns]
    if missing:
        raise ValueError(f"ownership edges lack column(s) {', '.join(missing)}")
    rows = []
    held: dict[str, float] = defaultdict(float)
    for number, (owner, asset, share) in enumerate(edges.select(EDGE_COLUMNS).iter_rows(), 1):
        if owner is None or asset is None or share is None:
            raise ValueError(f"ownership edge {number}: empty owner_id, asset_id or share_pct")
        share = float(share)
        if not 0 < share <= 100:
            raise ValueError(f"ownership edge {number}: share_pct {share} outside (0, 100]")
        held[str(asset)] += share
        rows.append((str(owner), str(asset), share))
    over = sorted(a for a, total in held.items() if total > 100 + 1e-6)
    if over:
        raise ValueError(f"ownership shares add up to more than 100% for {', '.join(over[:5])}")
    return rows


def owned_shares(
    edges: pl.DataFrame, listed: Iterable[str], regime: Regime = OFAC, as_of: date | None = None
) -> dict[str, float]:
    """Share (percent) of each entity held by caught owners once the rule has settled.

    With ``aggregate`` the stakes of all caught owners are added; without it, the largest
    single caught owner's stake is used. Listed entities are returned with their own share.
    """
    rows = _edges(edges)
    caught = set(map(str, listed))
    if not regime.in_force(as_of):
        return _shares(rows, caught, regime)
    while True:
        shares = _shares(rows, caught, regime)
        newly = {e for e, share in shares.items() if e not in caught and regime.reaches(share)}
        if not newly:
            return shares
        caught |= newly


def _shares(
    rows: list[tuple[str, str, float]], caught: set[str], regime: Regime
) -> dict[str, float]:
    shares: dict[str, float] = defaultdict(float)
    for owner, asset, share in rows:
        if owner in caught:
            if regime.aggregate:
                shares[asset] += share
            else:
                shares[asset] = max(shares[asset], share)
    return dict(shares)


def apply_rule(
    edges: pl.DataFrame, listed: Iterable[str], regime: Regime = OFAC, as_of: date | None = None
) -> pl.DataFrame:
    """One row per entity in the edges or the listed set: ``entity_id``, ``is_listed``,
    ``listed_owner_share`` (fraction 0..1 held by listed or caught owners), ``is_owned_50``
    (caught by the rule, not listed itself) and ``regime``."""
    listed = set(map(str, listed))
    shares = owned_shares(edges, listed, regime, as_of)
    entities = sorted(listed | set(shares) | {str(v) for v in edges["owner_id"].to_list()})
    in_force = regime.in_force(as_of)
    rows = [
        (
            e,
            e in listed,
            round(min(shares.get(e, 0.0), 100.0) / 100.0, 6),
            in_force and e not in listed and regime.reaches(shares.get(e, 0.0)),
            regime.name,
        )
        for e in entities
    ]
    return pl.DataFrame(rows, schema=RESULT_SCHEMA, orient="row")
