"""The 50% rule over the ownership the warehouse holds, for a screening run.

OpenSanctions' FollowTheMoney exports give Ownership relations (owner, asset, percentage), loaded
into ``raw.opensanctions__ownership``. For each list (one OpenSanctions dataset) this module takes
the edges of the list's latest release that are in force on the screening date, applies every
regime of :data:`ownership.REGIMES` with the list's active targets as the listed set, and gives:

- the shares: one row per list, entity and regime for each entity held, directly or through
  caught entities, by listed owners, with the direct stakes as evidence (file and line);
- the entities a rule catches without being listed (OpenSanctions exports them as non-targets),
  as reference frames, so that screening finds a counterparty that is one of them by name,
  address or identifier.

Edges without a plain percentage ("majority", empty) cannot be held against a threshold: they
are counted, not used. Edges into an entity whose stakes add up to more than 100% are set aside
with the reason (the source contradicts itself; the rule cannot say which stake is wrong).
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from orchestration.raw.sql import table_exists
from orchestration.screening.index import (
    ADDRESS_COLUMNS,
    ENTITY_COLUMNS,
    IDENTIFIER_COLUMNS,
    NAME_COLUMNS,
)
from orchestration.screening.ownership import REGIMES, Regime, apply_rule
from orchestration.screening.reference import Reference

OWNERSHIP_TABLE = "raw.opensanctions__ownership"
SHARE_SCHEMA = {
    "list": pl.String,
    "entity_id": pl.String,
    "entity_key": pl.String,
    "regime": pl.String,
    "in_force": pl.Boolean,
    "as_of": pl.Date,
    "listed_owner_share": pl.Float64,
    "is_owned_50": pl.Boolean,
    "direct_owners": pl.String,
    "source_file": pl.String,
    "file_sha256": pl.String,
}
REJECT_SCHEMA = {
    "list": pl.String,
    "owner_id": pl.String,
    "asset_id": pl.String,
    "share_pct": pl.Float64,
    "source_file": pl.String,
    "file_sha256": pl.String,
    "source_line": pl.Int64,
    "reason": pl.String,
}
EDGE_SQL = f"""
select list, owner_id, asset_id, share_pct, start_date, end_date, source_file, file_sha256,
       source_line
from {OWNERSHIP_TABLE}
qualify release_date is not distinct from max(release_date) over (partition by list)
"""


@dataclass
class Ownership:
    shares: pl.DataFrame
    rejected: pl.DataFrame
    edges_used: int = 0
    edges_without_share: int = 0
    edges_not_in_force: int = 0

    def caught(self) -> pl.DataFrame:
        """(list, entity_id) of the entities caught under at least one regime in force."""
        return (
            self.shares.filter(pl.col("is_owned_50"))
            .select("list", "entity_id")
            .unique()
            .sort("list", "entity_id")
        )


def empty() -> Ownership:
    return Ownership(pl.DataFrame(schema=SHARE_SCHEMA), pl.DataFrame(schema=REJECT_SCHEMA))


def ownership_for(con: duckdb.DuckDBPyConnection, as_of: date) -> Ownership:
    """Shares and rejected edges for every list with ownership in the warehouse."""
    if not table_exists(con, OWNERSHIP_TABLE):
        return empty()
    edges = con.sql(EDGE_SQL).pl()
    if edges.is_empty():
        return empty()
    listed = con.execute(
        "select list, source_id from marts.dim_sanctioned_entity where is_active"
    ).fetchall()
    return shares_for(edges, listed, as_of)


def shares_for(edges: pl.DataFrame, listed: list[tuple[str, str]], as_of: date) -> Ownership:
    """The rule over ``edges`` (rows of raw.opensanctions__ownership) with ``listed`` the
    (list, source_id) of the active listed entities."""
    in_force = (pl.col("start_date").is_null() | (pl.col("start_date") <= as_of)) & (
        pl.col("end_date").is_null() | (pl.col("end_date") >= as_of)
    )
    current = edges.filter(in_force)
    with_share = current.filter(pl.col("share_pct").is_not_null())
    usable, rejected = _checked(with_share)
    listed_by_list: dict[str, set[str]] = defaultdict(set)
    for list_name, source_id in listed:
        listed_by_list[list_name].add(source_id)
    parts = [
        _list_shares(usable.filter(pl.col("list") == name), listed_by_list[name], as_of)
        for name in usable["list"].unique().sort()
    ]
    shares = pl.concat(parts) if parts else pl.DataFrame(schema=SHARE_SCHEMA)
    return Ownership(
        shares=shares.sort("list", "entity_id", "regime"),
        rejected=rejected,
        edges_used=usable.height,
        edges_without_share=current.height - with_share.height,
        edges_not_in_force=edges.height - current.height,
    )


def _checked(edges: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One edge per list, owner and asset (the latest-starting one); edges with a share outside
    (0, 100] and all edges into an asset whose stakes exceed 100% set aside with a reason."""
    edges = edges.sort("start_date", "source_line", nulls_last=False).unique(
        ["list", "owner_id", "asset_id"], keep="last", maintain_order=True
    )
    bad_share = ~pl.col("share_pct").is_between(0, 100, closed="right")
    totals = edges.filter(~bad_share).group_by("list", "asset_id").agg(pl.col("share_pct").sum())
    over = totals.filter(pl.col("share_pct") > 100 + 1e-6).rename({"share_pct": "total"})
    edges = edges.join(over, on=["list", "asset_id"], how="left")
    reason = (
        pl.when(bad_share)
        .then(pl.format("share {}% outside (0, 100]", pl.col("share_pct")))
        .when(pl.col("total").is_not_null())
        .then(pl.format("stakes in {} add up to {}%", pl.col("asset_id"), pl.col("total")))
    )
    edges = edges.with_columns(reason.alias("reason")).drop("total")
    rejected = edges.filter(pl.col("reason").is_not_null()).select(list(REJECT_SCHEMA))
    return edges.filter(pl.col("reason").is_null()).drop("reason"), rejected


def _reachable(edges: pl.DataFrame, listed: set[str]) -> pl.DataFrame:
    """The edges downstream of listed owners: nothing else can be caught, and the rule's cost
    then follows the listed parties' holdings, not the size of the whole graph."""
    children: dict[str, list[str]] = defaultdict(list)
    for owner, asset in edges.select("owner_id", "asset_id").iter_rows():
        children[owner].append(asset)
    seen = set(listed) & set(children)
    queue = deque(seen)
    while queue:
        for asset in children[queue.popleft()]:
            if asset not in seen:
                seen.add(asset)
                queue.append(asset)
    return edges.filter(pl.col("owner_id").is_in(list(seen)))


def _list_shares(edges: pl.DataFrame, listed: set[str], as_of: date) -> pl.DataFrame:
    edges = _reachable(edges, listed)
    if edges.is_empty():
        return pl.DataFrame(schema=SHARE_SCHEMA)
    owners = set(edges["owner_id"])
    rows = []
    for regime in REGIMES.values():
        result = apply_rule(edges, listed & owners, regime, as_of)
        caught = set(result.filter(pl.col("is_owned_50"))["entity_id"])
        held = result.filter(~pl.col("is_listed") & (pl.col("listed_owner_share") > 0))
        evidence = _direct_owners(edges, listed, caught)
        for entity, share, owned in held.select(
            "entity_id", "listed_owner_share", "is_owned_50"
        ).iter_rows():
            rows.append(_share_row(edges, entity, share, owned, regime, as_of, evidence))
    return pl.DataFrame(rows, schema=SHARE_SCHEMA, orient="row")


def _direct_owners(
    edges: pl.DataFrame, listed: set[str], caught: set[str]
) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = defaultdict(list)
    for owner, asset, share, line in edges.select(
        "owner_id", "asset_id", "share_pct", "source_line"
    ).iter_rows():
        found[asset].append(
            {
                "owner_id": owner,
                "share_pct": share,
                "owner_listed": owner in listed,
                "owner_caught": owner in caught,
                "source_line": line,
            }
        )
    return found


def _share_row(
    edges: pl.DataFrame,
    entity: str,
    share: float,
    owned: bool,
    regime: Regime,
    as_of: date,
    evidence: dict[str, list[dict]],
) -> tuple:
    list_name, source_file, sha = edges.select("list", "source_file", "file_sha256").row(0)
    owners = sorted(evidence.get(entity, []), key=lambda e: (-e["share_pct"], e["owner_id"]))
    return (
        list_name,
        entity,
        f"{list_name}:{entity}",
        regime.name,
        regime.in_force(as_of),
        as_of,
        share,
        owned,
        json.dumps(owners, sort_keys=True),
        source_file,
        sha,
    )


def caught_reference(con: duckdb.DuckDBPyConnection, caught: pl.DataFrame) -> Reference | None:
    """Reference frames for the caught entities, from the latest release of their list in the
    raw OpenSanctions tables; None when nothing is caught."""
    if caught.is_empty():
        return None
    con.register("_caught", caught.to_arrow())
    try:
        frames = [con.sql(_part_sql(table, columns)).pl() for table, columns in _PARTS]
    finally:
        con.unregister("_caught")
    entities = frames[0].with_columns(
        pl.lit([], dtype=pl.List(pl.String)).alias("programs"),
        pl.lit(None, dtype=pl.Date).alias("listed_on"),
    )
    return Reference(entities.select(ENTITY_COLUMNS), *frames[1:])


_PARTS = (
    ("entities", ("schema", "primary_name")),
    ("names", tuple(c for c in NAME_COLUMNS if c != "entity_key")),
    ("addresses", tuple(c for c in ADDRESS_COLUMNS if c != "entity_key")),
    ("identifiers", tuple(c for c in IDENTIFIER_COLUMNS if c != "entity_key")),
)


def _part_sql(table: str, columns: tuple[str, ...]) -> str:
    keys = "r.list, r.source_id" if table == "entities" else ""
    picked = ", ".join(f"r.{c}" for c in columns)
    return f"""
        select distinct r.list || ':' || r.source_id as entity_key, {keys}{", " if keys else ""}
               {picked}
        from raw.opensanctions__{table} as r
        inner join _caught as c on r.list = c.list and r.source_id = c.entity_id
        where r.release_date is not distinct from (
            select max(release_date) from raw.opensanctions__entities as e where e.list = r.list)
        order by all
    """
