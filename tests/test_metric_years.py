"""A year added to a built warehouse: the metric flows (int_metric_trade_flows) are rebuilt for
that year only, and every mart is what a build from empty of the same inputs gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from bench.compare_marts import compare
from bench.mart_difference import RUN_COLUMNS, unpaired_counts
from tests.conftest import run_in

# Written by the run itself: when and from which build of the facts a row was made.
BOOKKEEPING = RUN_COLUMNS | {"fact_built_at"}
METRIC_FLOWS = "intermediate.int_metric_trade_flows"


def _metric_years(database: Path) -> dict[tuple[str, int], tuple]:
    """When the metric flows of each source and year were built, and how many rows they hold."""
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            f"select source, year, min(built_at), max(built_at), count(*) from {METRIC_FLOWS} "
            "group by all"
        ).fetchall()
    return {(source, year): rest for source, year, *rest in rows}


@pytest.mark.slow
def test_a_year_added_later_rebuilds_its_metric_flows_only_and_matches_a_build_from_empty(
    synthetic_run, synthetic_inputs, tmp_path
):
    inputs = tmp_path / "inputs"
    shutil.copytree(synthetic_inputs, inputs)
    baci = inputs / "trade" / "baci"
    yearly = sorted(baci.glob("BACI_*_Y*.csv"))
    assert len(yearly) > 2
    added, aside = yearly[-1], tmp_path / yearly[-1].name
    shutil.move(added, aside)  # the warehouse is first built without the last year
    home = tmp_path / "home"
    summary = run_in(home, inputs=inputs)
    assert summary.success, summary.render()
    before = _metric_years(home / "warehouse.duckdb")

    shutil.move(aside, added)
    summary = run_in(home, inputs=inputs)
    assert summary.success, summary.render()
    after = _metric_years(home / "warehouse.duckdb")

    # The added year's metric flows were built by the second run; every other year's were kept.
    new = set(after) - set(before)
    assert new and {year for _, year in new} == {max(year for _, year in after)}
    assert set(before) <= set(after)
    assert all(after[key] == before[key] for key in before)
    assert all(after[key][0] > max(v[1] for v in before.values()) for key in new)

    # The same rows as the warehouse built from empty with every year, marts and metric flows.
    fresh = str(synthetic_run.published_db)
    grown = str(home / "warehouse.duckdb")
    differing = [row for row in compare(fresh, grown) if row[3] or row[4] or row[1] != row[2]]
    assert differing == []
    con = duckdb.connect()
    con.execute(f"attach '{fresh}' as b (read_only)")
    con.execute(f"attach '{grown}' as a (read_only)")
    columns = [
        (c, t)
        for c, t in con.execute(
            "select column_name, data_type from duckdb_columns() where database_name = 'b' "
            "and schema_name = 'intermediate' and table_name = 'int_metric_trade_flows' "
            "order by column_index"
        ).fetchall()
        if c not in BOOKKEEPING
    ]
    assert unpaired_counts(con, f"b.{METRIC_FLOWS}", f"a.{METRIC_FLOWS}", columns, 10) == (0, 0)
