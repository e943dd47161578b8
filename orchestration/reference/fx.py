"""EUR to USD: the one monthly table and the one place amounts are converted.

The table (``data/ref_fx_eur_usd_monthly.csv``) holds the mean of the ECB euro reference rates
(eurofxref-hist) published in each month. A month's EUR amount converts at that month's mean; an
annual amount at the mean of the year's twelve monthly means (none unless all twelve are in the
table). The parsers (:func:`add_usd`) and the screening shipments reader (:func:`usd_per_eur`)
convert here; dbt loads the same file as the seed ``ref_fx_eur_usd_monthly`` and carries the
``usd_per_eur`` and ``value_usd`` the parsers wrote, converting nothing itself.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

import polars as pl

from orchestration.reference import DATA_DIR

FX_TABLE = DATA_DIR / "ref_fx_eur_usd_monthly.csv"


@lru_cache(maxsize=4)
def fx_monthly(path: Path = FX_TABLE) -> pl.DataFrame:
    """The committed monthly ECB table: year, month, usd_per_eur."""
    return pl.read_csv(
        path, schema_overrides={"year": pl.Int32, "month": pl.Int32, "usd_per_eur": pl.Float64}
    ).select("year", "month", "usd_per_eur")


@cache
def _monthly_rates(path: Path = FX_TABLE) -> dict[tuple[int, int], float]:
    return {(year, month): rate for year, month, rate in fx_monthly(path).iter_rows()}


def usd_per_eur(year: int, month: int, path: Path = FX_TABLE) -> float | None:
    """USD per EUR in that month (the mean of its daily ECB rates); None past the table."""
    return _monthly_rates(path).get((year, month))


def add_usd(frame: pl.DataFrame, eur_column: str, path: Path = FX_TABLE) -> pl.DataFrame:
    """Add ``usd_per_eur`` and ``value_usd`` from columns period_year, period_month, frequency.

    Monthly rows use that month's average; annual rows the mean of the year's twelve monthly
    averages (null unless all twelve are in the table). Months past the table stay null.
    """
    monthly = fx_monthly(path).rename(
        {"year": "period_year", "month": "period_month", "usd_per_eur": "_monthly"}
    )
    annual = (
        monthly.group_by("period_year")
        .agg(pl.col("_monthly").mean().alias("_annual"), pl.len().alias("_months"))
        .filter(pl.col("_months") == 12)
        .drop("_months")
    )
    keys = frame.select(
        pl.col("period_year").cast(pl.Int32), pl.col("period_month").cast(pl.Int32), "frequency"
    )
    rates = keys.join(
        monthly, on=["period_year", "period_month"], how="left", maintain_order="left"
    ).join(annual, on="period_year", how="left", maintain_order="left")
    usd_per_eur = rates.select(
        pl.when(pl.col("frequency") == "A").then("_annual").otherwise("_monthly")
    ).to_series()
    out = frame.with_columns(usd_per_eur.alias("usd_per_eur"))
    return out.with_columns((pl.col(eur_column) * pl.col("usd_per_eur")).alias("value_usd"))
