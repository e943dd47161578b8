"""EUR to USD on a hand-made monthly table, and the shipped table's shape."""

from __future__ import annotations

import polars as pl
import pytest

from orchestration.reference.fx import add_usd, usd_per_eur


@pytest.fixture
def table(tmp_path):
    """2023: all twelve months at 1.0 ... 1.11 (mean 1.055); 2024: January and February only."""
    lines = ["year,month,usd_per_eur,n_days,source"]
    lines += [f"2023,{m},{1 + (m - 1) / 100:.2f},21,test" for m in range(1, 13)]
    lines += ["2024,1,1.20,22,test", "2024,2,1.30,21,test"]
    path = tmp_path / "fx.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_monthly_rate(table):
    assert usd_per_eur(2024, 2, table) == 1.30
    assert usd_per_eur(2024, 3, table) is None  # past the table


def test_add_usd_monthly_and_annual(table):
    frame = pl.DataFrame(
        {
            "period_year": [2023, 2024, 2023, 2024, 2024],
            "period_month": [3, 2, None, None, 7],
            "frequency": ["M", "M", "A", "A", "M"],
            "value_eur": [100.0, 10.0, 1000.0, 5.0, 1.0],
        }
    )
    out = add_usd(frame, "value_eur", table)
    # March 2023 at 1.02; February 2024 at 1.30; 2023 at the mean of its twelve months
    # (1.00 + 1.01 + ... + 1.11) / 12 = 1.055; 2024 has two months only, and July is missing.
    assert out["usd_per_eur"].to_list()[:3] == pytest.approx([1.02, 1.30, 1.055])
    assert out["value_usd"].to_list()[:3] == pytest.approx([102.0, 13.0, 1055.0])
    assert out["usd_per_eur"].to_list()[3:] == [None, None]
    assert out["value_usd"].to_list()[3:] == [None, None]


def test_shipped_table_has_every_month_from_2010_to_2024():
    months = [(y, m) for y in range(2010, 2025) for m in range(1, 13)]
    assert all(usd_per_eur(y, m) is not None for y, m in months)
    assert usd_per_eur(2009, 12) is None
