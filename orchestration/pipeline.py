"""Run the whole asset graph in this process and summarise what happened."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import duckdb

from orchestration.settings import Settings, config_of
from orchestration.sources.common.trade_coverage import coverage_lines


@dataclass
class CheckLine:
    asset: str
    name: str
    passed: bool
    description: str


@dataclass
class StepFailure:
    step: str
    reason: str  # the error's message, without its trace (which goes to the run's log)


@dataclass
class RunSummary:
    inputs: Path
    published_db: Path
    success: bool
    published: bool
    seconds: float
    log_file: Path | None = None
    materialized: list[str] = field(default_factory=list)
    checks: list[CheckLine] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    # what stopped the run: file, line and reason first (the traces are in the run's log)
    failures: list[StepFailure] = field(default_factory=list)
    # raw table -> "file:line: reason" of the rows this run's files put in quarantine
    quarantined: dict[str, list[str]] = field(default_factory=dict)
    # sources with no file in this run's inputs (their tables keep what earlier runs loaded)
    absent_sources: list[str] = field(default_factory=list)
    # releases published without some of their rows (those are in quarantine), with why
    incomplete_releases: list[str] = field(default_factory=list)
    skipped_files: list[tuple[str, str]] = field(default_factory=list)
    mart_rows: dict[str, int] = field(default_factory=dict)
    # marts with rows derived from synthetic input files (is_synthetic = true)
    synthetic_marts: list[str] = field(default_factory=list)
    # per trade file: rows read, loaded, quarantined, excluded by design, reaching the marts
    trade_coverage: list[str] = field(default_factory=list)
    # incremental models rebuilt in full rather than by partition, with why
    full_refreshes: dict[str, str] = field(default_factory=dict)
    recorded: bool = False  # kept in the Dagster instance (DAGSTER_HOME)
    # the run's range of trade partitions (first and last year) and whether it was the whole
    # warehouse (recorded under the years its data holds) rather than a backfill of that range
    trade_partitions: tuple[str, str] | None = None
    whole_warehouse: bool = True
    # materialisation events of the run: one per asset, or per asset and partition when it is
    # partitioned
    materialization_events: int = 0
    # the engine the models were built on; on Spark nothing is published (docs/scale-out.md)
    dbt_target: str = "duckdb"

    @property
    def failed_checks(self) -> list[CheckLine]:
        return [c for c in self.checks if not c.passed]

    def render(self) -> str:
        # Whether the figures are real comes before anything: synthetic ones must not be read as
        # facts. Then what failed, and why: the rest explains it.
        lines = []
        if self.synthetic_marts:
            lines.append(
                "SYNTHETIC DATA: rows of "
                + ", ".join(self.synthetic_marts)
                + " derive from synthetic input files (is_synthetic = true); their figures "
                "illustrate the method, not real trade."
            )
        lines += [f"ERROR {f.reason} (step {f.step})" for f in self.failures]
        lines.append(f"inputs: {self.inputs}")
        lines.append(f"assets materialised: {len(self.materialized)}")
        if self.trade_partitions:
            first, last = self.trade_partitions
            span = first if first == last else f"{first} to {last}"
            lines.append(
                f"trade partitions: {span} "
                + (
                    "(the whole warehouse, recorded under the years its data holds)"
                    if self.whole_warehouse
                    else "(rebuilt)"
                )
            )
        passed = [c for c in self.checks if c.passed]
        lines.append(f"checks passed: {len(passed)}, failed: {len(self.failed_checks)}")
        lines += [f"  FAILED {c.asset} {c.name}: {c.description}" for c in self.failed_checks]
        lines += [
            f"  failed step: {s}"
            for s in self.failed_steps
            if s not in {f.step for f in self.failures}
        ]
        lines += [f"{model}: rebuilt in full, {why}" for model, why in self.full_refreshes.items()]
        lines += [f"INCOMPLETE {note}" for note in self.incomplete_releases]
        for table, rows in self.quarantined.items():
            lines.append(f"quarantined in {table}: see raw.quarantine")
            lines += [f"  {row}" for row in rows]
        if self.absent_sources:
            lines.append(
                "sources absent from the inputs (earlier runs' rows kept): "
                + ", ".join(self.absent_sources)
            )
        lines.append(f"files skipped: {len(self.skipped_files)}")
        lines += [f"  {path}: {reason}" for path, reason in self.skipped_files]
        if self.dbt_target != "duckdb":
            lines.append(
                f"models built and tested on the dbt target {self.dbt_target!r}: read the marts "
                f"there (docs/scale-out.md); a run on Spark publishes nothing, the warehouse at "
                f"{self.published_db} is unchanged"
            )
        elif self.published:
            lines.append(f"published: {self.published_db}")
        else:
            lines.append(f"NOT published; the warehouse at {self.published_db} is unchanged")
        lines += [f"  {table}: {n:,} rows" for table, n in self.mart_rows.items()]
        if self.trade_coverage:
            lines.append(f"trade files accounted for: {len(self.trade_coverage)}")
            lines += self.trade_coverage
        lines.append(f"duration: {self.seconds:.1f} s")
        if self.log_file:
            ui = "the run in the Dagster UI" if self.recorded else "--record keeps it for the UI"
            lines.append(f"log: {self.log_file} ({ui})")
        lines.append("result: " + ("success" if self.success else "FAILED"))
        return "\n".join(lines)


def mart_row_counts(database: Path) -> dict[str, int]:
    if not database.exists():
        return {}
    with duckdb.connect(str(database), read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by 1"
        ).fetchall()
        return {
            f"marts.{t}": con.execute(f"select count(*) from marts.{t}").fetchall()[0][0]
            for (t,) in tables
        }


def synthetic_marts(database: Path) -> list[str]:
    """The marts of the published warehouse holding a row with is_synthetic = true."""
    if not database.exists():
        return []
    with duckdb.connect(str(database), read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.columns where table_schema = 'marts' "
            "and column_name = 'is_synthetic' order by 1"
        ).fetchall()
        return [
            f"marts.{t}"
            for (t,) in tables
            if con.execute(f"select bool_or(is_synthetic) from marts.{t}").fetchall()[0][0]
        ]


def _prepare_dbt() -> None:
    """The manifest must match the models on disk before any asset definition reads it. When
    dbt must parse (a fresh clone, changed models), the parse runs in a subprocess for several
    seconds: meanwhile this thread imports what the run needs that does not read the manifest
    (Great Expectations, the ingest assets, the screening engine)."""
    from orchestration.manifest_state import manifest_is_stale

    if not manifest_is_stale():
        return
    # Imported before the other thread starts, so that it has nothing left to import but
    # orchestration.project, which no module imported below depends on.
    import dagster_dbt  # noqa: F401

    failed: list[BaseException] = []

    def parse() -> None:
        try:
            import orchestration.project  # noqa: F401  (parses when stale, on import)
        except BaseException as err:  # re-raised on the calling thread
            failed.append(err)

    parsing = threading.Thread(target=parse, name="dbt-parse")
    parsing.start()
    from orchestration.checks.gx_suites import import_great_expectations

    import_great_expectations()
    import orchestration.assets.ingest  # noqa: F401
    import orchestration.screening.run  # noqa: F401

    parsing.join()
    if failed:
        raise failed[0]


# Dagster's opt-in to one "materialisation planned" event per asset and run instead of one per
# asset and partition (dagster-io/dagster#29288). Its cost: the partitions of a failed run are
# not marked failed in the instance, which matters only to an instance that keeps the run.
PLANNED_SUBSET_VAR = "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"


@contextlib.contextmanager
def planned_events_per_asset():
    """While a run kept in memory only (no ``--record``) is planned: one planned event per
    partitioned asset rather than one per partition of its range (some 1,300 on the sample,
    each stored like any other event), with the instance's storage of the events thrown away
    at the end of the run anyway."""
    before = os.environ.get(PLANNED_SUBSET_VAR)
    os.environ[PLANNED_SUBSET_VAR] = "true"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PLANNED_SUBSET_VAR, None)
        else:
            os.environ[PLANNED_SUBSET_VAR] = before


def step_failures(result) -> list[StepFailure]:
    """Each failed step with the message of its error (the reason, not the trace)."""
    from orchestration.failures import failure_reason

    return [
        StepFailure(e.step_key or "", failure_reason(e)) for e in result.get_step_failure_events()
    ]


def _write_traces(result, log) -> None:
    from orchestration.failures import failure_trace

    for event in result.get_step_failure_events():
        log.write(f"\n--- step {event.step_key} failed ---\n{failure_trace(event)}\n")


def run_pipeline(
    settings: Settings,
    record: bool = False,
    progress: TextIO | None = None,
    partitions: tuple[str, str] | None = None,
    wait: bool = False,
) -> RunSummary:
    """Materialise every asset of the pipeline job with ``settings`` (the run's configuration of
    the ``settings`` resource).

    ``record``: keep the run in the Dagster instance of DAGSTER_HOME, where the UI shows it.
    Otherwise the run's events stay in memory: storing the dbt step's several hundred events
    one by one in SQLite costs about seven seconds, a tenth of a run on the sample.
    ``progress``: the stream for the progress line, drawn only when it is a terminal.
    ``partitions``: the first and last trade period of a backfill, both years (``2021``) or both
    months (``2021-03``), which rebuilds only the trade partitions of that range; by default the
    run is the whole warehouse.
    One run at a time per home: :class:`~orchestration.home_lock.HomeBusy` when another holds
    it, unless ``wait``."""
    from orchestration.home_lock import home_lock

    with home_lock(settings.home, wait=wait):
        return _run_locked(settings, record, progress, partitions)


def _run_locked(
    settings: Settings,
    record: bool,
    progress: TextIO | None,
    partitions: tuple[str, str] | None,
) -> RunSummary:
    started = time.monotonic()
    # No garbage collection while the run loads Dagster, dbt, Great Expectations and the
    # definitions: they only grow, and each collection would scan everything loaded so far
    # (about a second a run). Collections resume, without what was loaded, when the job starts
    # (_run_parsed).
    gc.disable()
    try:
        _prepare_dbt()
        from orchestration import dbt_parse_ahead

        # A new home's dbt parse, beside the ingest rather than in the first dbt step. (A
        # project parsed just now by _prepare_dbt was parsed with the process's settings, which
        # need not be this run's.)
        dbt_parse_ahead.start(settings)
        try:
            return _run_parsed(settings, record, progress, partitions, started)
        finally:
            dbt_parse_ahead.finish(settings)  # when no dbt step waited for it
    finally:
        gc.enable()


def _run_parsed(
    settings: Settings,
    record: bool,
    progress: TextIO | None,
    partitions: tuple[str, str] | None,
    started: float,
) -> RunSummary:
    from dagster import DagsterInstance

    from orchestration.assets.transform import FULL_REFRESH
    from orchestration.assets.warehouse import PUBLISHED_KEY
    from orchestration.definitions import defs
    from orchestration.run_report import (
        absent_sources,
        check_description,
        incomplete_releases,
        quarantined,
    )
    from orchestration.sources.common.registry import discover

    job = defs.resolve_job_def("pipeline")
    from orchestration.partitions import backfill_range, run_tags
    from orchestration.trade_years import whole_warehouse_range

    # Without a range the run is the whole warehouse, recorded under the trade partitions of
    # the years its data holds (orchestration/trade_years.py).
    if partitions:
        keys, months = backfill_range(*partitions)
        tags = run_tags(keys, months)
    else:
        keys = whole_warehouse_range(settings)
        tags = run_tags(keys, whole=True)
    settings.runs_dir.mkdir(parents=True, exist_ok=True)
    log_file = settings.runs_dir / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.log"
    # dbt's progress and the traces of failed steps go to the run's log file; the console gets
    # the progress line and the summary, which names the failed steps and why first.
    run_config = {
        "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
        "resources": {"settings": {"config": config_of(settings)}},
    }
    from orchestration.assets.jobs import models_selection
    from orchestration.progress import Progress
    from orchestration.settings import DEFAULT_DBT_TARGET

    # On Spark the run builds the models there and stops: what follows them reads DuckDB.
    on_spark = settings.dbt_target != DEFAULT_DBT_TARGET
    run_id = str(uuid.uuid4())
    # What is loaded by now (Dagster, dbt's manifest, the definitions) lives as long as the
    # process: frozen, it is left out of the garbage collections the run's millions of
    # short-lived objects set off, which otherwise scan it again and again (seconds a run).
    gc.freeze()
    gc.enable()
    with (
        DagsterInstance.get() if record else DagsterInstance.ephemeral() as instance,
        contextlib.nullcontext() if record else planned_events_per_asset(),
        log_file.open("w") as log,
        contextlib.redirect_stdout(log),
        Progress(instance, run_id, progress or sys.stderr),
    ):
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config=run_config,
            run_id=run_id,
            tags=tags,
            asset_selection=models_selection() if on_spark else None,
        )
        _write_traces(result, log)
    materializations = result.get_asset_materialization_events()
    # A partitioned asset is materialised once per partition of the run: count it once.
    materialized = list(dict.fromkeys(e.asset_key.to_user_string() for e in materializations))
    full_refreshes = {
        e.asset_key.to_user_string(): e.materialization.metadata[FULL_REFRESH].value
        for e in materializations
        if FULL_REFRESH in e.materialization.metadata
    }
    checks = [
        CheckLine(
            asset=e.asset_key.to_user_string(),
            name=e.check_name,
            passed=e.passed,
            description=(e.description or ""),
        )
        for e in result.get_asset_check_evaluations()
    ]
    for check in checks:
        if not check.passed and not check.description:
            check.description = check_description(result, check.asset, check.name)
    published = PUBLISHED_KEY.to_user_string() in materialized
    return RunSummary(
        inputs=settings.inputs,
        published_db=settings.published_db,
        success=result.success
        and (published or on_spark)
        and not any(not c.passed for c in checks),
        published=published,
        seconds=time.monotonic() - started,
        log_file=log_file,
        materialized=materialized,
        checks=checks,
        failed_steps=[e.step_key for e in result.get_step_failure_events()],
        failures=step_failures(result),
        quarantined=quarantined(materializations),
        absent_sources=absent_sources(materializations),
        incomplete_releases=incomplete_releases(materializations),
        skipped_files=discover(settings.inputs).skipped,
        # The published warehouse's figures describe this run only when it published it.
        mart_rows={} if on_spark else mart_row_counts(settings.published_db),
        synthetic_marts=[] if on_spark else synthetic_marts(settings.published_db),
        trade_coverage=[] if on_spark else coverage_lines(settings.published_db),
        full_refreshes=full_refreshes,
        recorded=record,
        dbt_target=settings.dbt_target,
        trade_partitions=(keys.start, keys.end),
        whole_warehouse=not partitions,
        materialization_events=len(materializations),
    )
