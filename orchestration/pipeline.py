"""Run the whole asset graph in this process and summarise what happened."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.settings import Settings


@dataclass
class CheckLine:
    asset: str
    name: str
    passed: bool
    description: str


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
    # what stopped the run, file, line and reason first (the traces are in the log)
    errors: list[str] = field(default_factory=list)
    # raw table -> "file:line: reason" of the rows this run's files put in quarantine
    quarantined: dict[str, list[str]] = field(default_factory=dict)
    # sources with no file in this run's inputs (their tables keep what earlier runs loaded)
    absent_sources: list[str] = field(default_factory=list)
    # releases published without some of their rows (those are in quarantine), with why
    incomplete_releases: list[str] = field(default_factory=list)
    skipped_files: list[tuple[str, str]] = field(default_factory=list)
    mart_rows: dict[str, int] = field(default_factory=dict)
    # incremental models rebuilt in full rather than by partition, with why
    full_refreshes: dict[str, str] = field(default_factory=dict)
    recorded: bool = False  # kept in the Dagster instance (DAGSTER_HOME)

    @property
    def failed_checks(self) -> list[CheckLine]:
        return [c for c in self.checks if not c.passed]

    def render(self) -> str:
        lines = [f"ERROR {e}" for e in self.errors]
        lines.append(f"inputs: {self.inputs}")
        lines.append(f"assets materialised: {len(self.materialized)}")
        passed = [c for c in self.checks if c.passed]
        lines.append(f"checks passed: {len(passed)}, failed: {len(self.failed_checks)}")
        lines += [f"  FAILED {c.asset} {c.name}: {c.description}" for c in self.failed_checks]
        lines += [f"  failed step: {s}" for s in self.failed_steps]
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
        if self.published:
            lines.append(f"published: {self.published_db}")
        else:
            lines.append(f"NOT published; the warehouse at {self.published_db} is unchanged")
        lines += [f"  {table}: {n:,} rows" for table, n in self.mart_rows.items()]
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


def run_pipeline(settings: Settings, record: bool = False, wait: bool = False) -> RunSummary:
    """Materialise every asset (the settings must already be exported to the environment).

    ``record``: keep the run in the Dagster instance of DAGSTER_HOME, where the UI shows it.
    Otherwise the run's events stay in memory: storing the dbt step's several hundred events
    one by one in SQLite costs about seven seconds, a tenth of a run on the sample.
    One run at a time per home: :class:`~orchestration.home_lock.HomeBusy` when another holds
    it, unless ``wait``."""
    from orchestration.home_lock import home_lock

    with home_lock(settings.home, wait=wait):
        return _run_locked(settings, record)


def _run_locked(settings: Settings, record: bool) -> RunSummary:
    started = time.monotonic()
    _prepare_dbt()
    from dagster import DagsterInstance

    from orchestration.assets.transform import FULL_REFRESH
    from orchestration.assets.warehouse import PUBLISHED_KEY
    from orchestration.definitions import defs
    from orchestration.run_report import (
        absent_sources,
        check_description,
        failure_line,
        incomplete_releases,
        quarantined,
    )
    from orchestration.sources.common.registry import discover

    job = defs.resolve_job_def("pipeline")
    settings.runs_dir.mkdir(parents=True, exist_ok=True)
    log_file = settings.runs_dir / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.log"
    # dbt's progress goes to the run's log file; the console keeps the summary.
    # Failures lead the summary (file, line, reason), their traces are in the log file.
    quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    with (
        DagsterInstance.get() if record else DagsterInstance.ephemeral() as instance,
        log_file.open("w") as log,
        contextlib.redirect_stdout(log),
    ):
        result = job.execute_in_process(instance=instance, raise_on_error=False, run_config=quiet)
    materializations = result.get_asset_materialization_events()
    materialized = [e.asset_key.to_user_string() for e in materializations]
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
    failures = result.get_step_failure_events()
    errors = [failure_line(e) for e in failures]
    if failures:
        with log_file.open("a") as log:
            for event in failures:
                log.write(f"\n--- step {event.step_key} failed ---\n")
                log.write(event.step_failure_data.error.to_string())
    published = PUBLISHED_KEY.to_user_string() in materialized
    return RunSummary(
        errors=errors,
        quarantined=quarantined(materializations),
        absent_sources=absent_sources(materializations),
        incomplete_releases=incomplete_releases(materializations),
        inputs=settings.inputs,
        published_db=settings.published_db,
        success=result.success and published and not any(not c.passed for c in checks),
        published=published,
        seconds=time.monotonic() - started,
        log_file=log_file,
        materialized=materialized,
        checks=checks,
        failed_steps=[e.step_key for e in failures],
        skipped_files=discover(settings.inputs).skipped,
        mart_rows=mart_row_counts(settings.published_db),
        full_refreshes=full_refreshes,
        recorded=record,
    )
