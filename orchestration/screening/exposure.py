"""Per-counterparty exposure from screening matches (and, optionally, the analyst's shipments).

One row per counterparty, the screening part of ``marts.fct_company_exposure``:

- ``is_listed``: an ``alert`` match on any list; ``best_score``, ``best_entity_key``,
  ``best_list``: the highest-scoring match; ``lists``: the lists matched at or above review;
  ``n_hits_review`` / ``n_hits_alert``: matches at or above each threshold;
- with shipments (columns ``counterparty_id`` and ``value_usd``): ``shipments_value_usd`` and
  ``flagged_value_usd`` (value shipped to counterparties with an alert), and
  ``revenue_at_risk_share`` = flagged value / all shipments value, the same for every row;
- rows come listed counterparties first, then by best score.

There is no risk score here on purpose: ``marts.fct_company_exposure`` holds the one risk score,
which weighs the red flags and the trade-side KPIs (docs/screening.md, "Risk score": CHPL value
to high-risk destinations) that need the CHPL and country-group tables; ``screen_published`` in
orchestration.screening.command gives those rows from Python.
"""

from __future__ import annotations

import polars as pl

from orchestration.screening.screen import checked_counterparties


def company_exposure(
    counterparties: pl.DataFrame, matches: pl.DataFrame, shipments: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Exposure per counterparty (module docstring); counterparties without matches included."""
    base = checked_counterparties(counterparties).select(
        pl.col("id").alias("counterparty_id"), pl.col("name").alias("counterparty_name")
    )
    best = (
        matches.sort(["score", "entity_key"], descending=[True, False])
        .group_by("counterparty_id", maintain_order=True)
        .agg(
            pl.col("score").first().alias("best_score"),
            pl.col("entity_key").first().alias("best_entity_key"),
            pl.col("list").first().alias("best_list"),
            pl.col("list").unique().sort().str.join(";").alias("lists"),
            pl.len().alias("n_hits_review"),
            (pl.col("decision") == "alert").sum().alias("n_hits_alert"),
        )
    )
    out = base.join(best, on="counterparty_id", how="left").with_columns(
        pl.col("n_hits_review").fill_null(0).cast(pl.Int64),
        pl.col("n_hits_alert").fill_null(0).cast(pl.Int64),
        pl.col("best_score").fill_null(0.0),
    )
    out = out.with_columns((pl.col("n_hits_alert") > 0).alias("is_listed"))
    if shipments is not None:
        out = _with_shipments(out, shipments)
    return out.sort(["is_listed", "best_score", "counterparty_id"], descending=[True, True, False])


def _with_shipments(out: pl.DataFrame, shipments: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in ("counterparty_id", "value_usd") if c not in shipments.columns]
    if missing:
        raise ValueError(f"shipments lack column(s) {', '.join(missing)}")
    values = shipments.group_by(pl.col("counterparty_id").cast(pl.String)).agg(
        pl.col("value_usd").cast(pl.Float64).sum().alias("shipments_value_usd")
    )
    unknown = set(values["counterparty_id"]) - set(out["counterparty_id"])
    if unknown:
        raise ValueError(f"shipments name unknown counterparty ids: {sorted(unknown)[:5]}")
    out = out.join(values, on="counterparty_id", how="left").with_columns(
        pl.col("shipments_value_usd").fill_null(0.0)
    )
    out = out.with_columns(
        pl.when(pl.col("is_listed"))
        .then(pl.col("shipments_value_usd"))
        .otherwise(0.0)
        .alias("flagged_value_usd")
    )
    total = out["shipments_value_usd"].sum()
    share = out["flagged_value_usd"].sum() / total if total else None
    return out.with_columns(pl.lit(share, dtype=pl.Float64).alias("revenue_at_risk_share"))
