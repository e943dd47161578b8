"""Blocking checks on raw tables: a Great Expectations suite per table, and for sanctions lists
a count band against the previous release (a list that shrinks sharply is more likely a
truncated download than a mass delisting).

The checks run inside each source's ingest step, right after the load: one step per source
instead of one per check keeps a run short, and a failed blocking check still stops everything
downstream of the table."""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.checks.gx_suites import SuiteOutcome, run_suite
from orchestration.raw.bulk import part_relation
from orchestration.raw.writer import TableLoad
from orchestration.settings import EXPECTATIONS_DIR
from orchestration.sources.common.base import SourceSpec

GX_CHECK = "gx_suite"
BAND_CHECK = "release_count_band"


def raw_key(spec: SourceSpec, table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", spec.raw_table(table)])


def _suites(spec: SourceSpec) -> dict[str, Path]:
    """The suites the source's YAML names, by table."""
    return {t: EXPECTATIONS_DIR / f"{spec.suites[t]}.json" for t in spec.tables if t in spec.suites}


def _banded(spec: SourceSpec) -> list[str]:
    """The tables whose source's YAML gives them a count band."""
    return [t for t in spec.tables if t in spec.count_bands]


def check_specs(spec: SourceSpec) -> list[dg.AssetCheckSpec]:
    specs = [
        dg.AssetCheckSpec(
            GX_CHECK,
            asset=raw_key(spec, table),
            blocking=True,
            description=f"Great Expectations suite {path.relative_to(path.parents[2])}",
        )
        for table, path in _suites(spec).items()
    ]
    specs += [
        dg.AssetCheckSpec(
            BAND_CHECK,
            asset=raw_key(spec, table),
            blocking=True,
            description=f"Each release keeps at least {1 - spec.count_bands[table]:.0%} of the "
            "rows of the release before it.",
        )
        for table in _banded(spec)
    ]
    return specs


def _gx_result(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, table: str, suite: Path,
    parts: list[str] | None,
):  # fmt: skip
    """``parts``: of a bulk table, only the parts this load wrote are checked (the others
    passed when they were loaded, and a BACI year takes half a minute)."""
    if parts == []:
        return dg.AssetCheckResult(
            asset_key=raw_key(spec, table),
            check_name=GX_CHECK,
            passed=True,
            severity=dg.AssetCheckSeverity.ERROR,
            description="no part loaded in this run: the table's parts were checked when "
            "they were loaded",
            metadata={"rows": 0, "parts_checked": dg.MetadataValue.json([])},
        )
    relations = [part_relation(con, part) for part in parts] if parts else None
    outcome = run_suite(con, spec.raw_table(table), suite, relations)
    return suite_result(
        raw_key(spec, table), outcome, parts_checked=dg.MetadataValue.json(parts or "all rows")
    )


def suite_result(asset_key: dg.AssetKey, outcome: SuiteOutcome, **metadata) -> dg.AssetCheckResult:
    """A suite's outcome as the blocking ``gx_suite`` check of ``asset_key``."""
    failures = [
        f"{o.expectation}({o.column or ''}): {o.unexpected_count} unexpected, e.g. {o.examples}"
        for o in outcome.failures
    ]
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=GX_CHECK,
        passed=outcome.success,
        severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(failures) or f"{len(outcome.outcomes)} expectations met",
        metadata={
            "rows": outcome.rows,
            "expectations": len(outcome.outcomes),
            "failed": dg.MetadataValue.json(failures),
            **metadata,
        },
    )


def release_counts(con: duckdb.DuckDBPyConnection, raw_table: str) -> list[tuple]:
    return con.execute(
        f"""select release_date, count(*) from raw.{raw_table}
            where release_date is not null group by 1 order by 1"""
    ).fetchall()


def shrunk_releases(counts: list[tuple], max_shrink: float) -> list[str]:
    """Releases that lost more than ``max_shrink`` of the rows of the release before them."""
    return [
        f"{day}: {n} rows after {prev_n} on {prev_day}"
        for (prev_day, prev_n), (day, n) in zip(counts, counts[1:], strict=False)
        if n < (1 - max_shrink) * prev_n
    ]


def _band_result(con: duckdb.DuckDBPyConnection, spec: SourceSpec, table: str):
    counts = release_counts(con, spec.raw_table(table))
    shrunk = shrunk_releases(counts, spec.count_bands[table])
    return dg.AssetCheckResult(
        asset_key=raw_key(spec, table),
        check_name=BAND_CHECK,
        passed=not shrunk,
        severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(shrunk) or f"{len(counts)} release(s) within the band",
        metadata={"releases": dg.MetadataValue.json({str(d): n for d, n in counts})},
    )


def evaluate(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, loads: dict[str, TableLoad] | None = None
) -> Iterator[dg.AssetCheckResult]:
    for table, suite in _suites(spec).items():
        # loads: what this run wrote (None: check every row). A bulk table is checked on the
        # parts the run wrote; the others were checked when they came.
        load = loads.get(table) if loads is not None else None
        parts = (load.parts if load else []) if spec.bulk_parts and loads is not None else None
        yield _gx_result(con, spec, table, suite, parts)
    for table in _banded(spec):
        yield _band_result(con, spec, table)


def absent_results(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec
) -> Iterator[dg.AssetCheckResult]:
    """The checks of a source with no file in this run: passed, saying so. Its tables keep
    what earlier runs loaded (checked then), or stay empty on a fresh home."""
    checks = [(t, GX_CHECK) for t in _suites(spec)] + [(t, BAND_CHECK) for t in _banded(spec)]
    for table, check in checks:
        held = con.execute(f"select count(*) from raw.{spec.raw_table(table)}").fetchall()[0][0]
        kept = f"{held:,} rows kept from earlier runs" if held else "nothing loaded yet"
        yield dg.AssetCheckResult(
            asset_key=raw_key(spec, table),
            check_name=check,
            passed=True,
            severity=dg.AssetCheckSeverity.ERROR,
            description=f"source absent from this run's inputs: {kept}",
            metadata={"rows": held, "absent": True},
        )
