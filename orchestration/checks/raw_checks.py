"""Blocking checks on raw tables: a Great Expectations suite per table, and for sanctions lists
a count band against the previous release (a list that shrinks sharply is more likely a
truncated download than a mass delisting)."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.assets.ingest import raw_key
from orchestration.checks.gx_suites import run_suite, suite_path
from orchestration.sources import SPECS
from orchestration.sources.base import SourceSpec

# A release may lose at most this share of the previous release's rows.
MAX_RELEASE_SHRINK = 0.3


def _gx_check(spec: SourceSpec, table: str, suite: Path) -> dg.AssetChecksDefinition:
    key = raw_key(spec, table)
    raw_table = spec.raw_table(table)

    @dg.asset_check(
        asset=key,
        name="gx_suite",
        blocking=True,
        description=f"Great Expectations suite {suite.relative_to(suite.parents[2])}",
    )
    def _check(warehouse: DuckDBResource) -> dg.AssetCheckResult:
        with warehouse.get_connection() as con:
            outcome = run_suite(con, raw_table, suite)
        failures = [
            f"{o.expectation}({o.column or ''}): {o.unexpected_count} unexpected, e.g. {o.examples}"
            for o in outcome.failures
        ]
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description="; ".join(failures) or f"{len(outcome.outcomes)} expectations met",
            metadata={
                "rows": outcome.rows,
                "expectations": len(outcome.outcomes),
                "failed": dg.MetadataValue.json(failures),
            },
        )

    return _check


def release_counts(con, raw_table: str) -> list[tuple]:
    return con.execute(
        f"""select release_date, count(*) from raw.{raw_table}
            where release_date is not null group by 1 order by 1"""
    ).fetchall()


def shrunk_releases(counts: list[tuple], max_shrink: float = MAX_RELEASE_SHRINK) -> list[str]:
    """Releases that lost more than ``max_shrink`` of the rows of the release before them."""
    return [
        f"{day}: {n} rows after {prev_n} on {prev_day}"
        for (prev_day, prev_n), (day, n) in zip(counts, counts[1:], strict=False)
        if n < (1 - max_shrink) * prev_n
    ]


def _count_band_check(spec: SourceSpec, table: str) -> dg.AssetChecksDefinition:
    key = raw_key(spec, table)
    raw_table = spec.raw_table(table)

    @dg.asset_check(
        asset=key,
        name="release_count_band",
        blocking=True,
        description=f"Each release keeps at least {1 - MAX_RELEASE_SHRINK:.0%} of the rows "
        "of the release before it.",
    )
    def _check(warehouse: DuckDBResource) -> dg.AssetCheckResult:
        with warehouse.get_connection() as con:
            counts = release_counts(con, raw_table)
        shrunk = shrunk_releases(counts)
        return dg.AssetCheckResult(
            passed=not shrunk,
            severity=dg.AssetCheckSeverity.ERROR,
            description="; ".join(shrunk) or f"{len(counts)} release(s) within the band",
            metadata={"releases": dg.MetadataValue.json({str(d): n for d, n in counts})},
        )

    return _check


def _checks() -> list[dg.AssetChecksDefinition]:
    checks = []
    for spec in SPECS:
        for table in spec.tables:
            suite = suite_path(spec.raw_table(table), spec.kind)
            if suite is not None:
                checks.append(_gx_check(spec, table, suite))
            if spec.kind == "sanctions" and table in spec.count_band_tables:
                checks.append(_count_band_check(spec, table))
    return checks


raw_checks = _checks()
