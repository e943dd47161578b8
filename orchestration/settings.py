"""Where things live: the warehouse files, the inputs directory, the dbt project.

Settings reach a run in one way: the Dagster resource ``settings`` (:class:`RoundaboutSettings`),
whose defaults come from the environment when the code location loads and which a run's
configuration may override (the launchpad, GraphQL, ``roundabout run``). Assets and parsers read
the resource, never the environment. When a run starts, the resource makes its values the
process's current settings (:func:`activate`). dbt alone reads them from the environment: its
profile takes the build warehouse path from ``ROUNDABOUT_BUILD_DB`` (one absolute path; a
relative DuckDB path in a dbt profile would resolve against the dbt project folder), so each
dbt invocation gets them for the time it is started (:func:`dbt_environment`), and the process's
environment is left as it was: one run's settings never leak into the next run of the process.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from orchestration.duckdb_config import MEMORY_LIMIT_VAR, memory_limit

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_INPUTS = REPO_ROOT / "data" / "sample"
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
EXPECTATIONS_DIR = REPO_ROOT / "expectations" / "suites"

HOME_VAR = "ROUNDABOUT_HOME"
INPUTS_VAR = "ROUNDABOUT_INPUTS"
BUILD_DB_VAR = "ROUNDABOUT_BUILD_DB"
FRESH_VAR = "ROUNDABOUT_FRESH"
EXPORTS_VAR = "ROUNDABOUT_EXPORTS"
EXPORT_FORMAT_VAR = "ROUNDABOUT_EXPORT_FORMAT"
KEEP_RUNS_VAR = "ROUNDABOUT_KEEP_RUNS"
COUNTERPARTIES_VAR = "ROUNDABOUT_COUNTERPARTIES"
SHIPMENTS_VAR = "ROUNDABOUT_SHIPMENTS"
WORKERS_VAR = "ROUNDABOUT_SCREENING_WORKERS"
# dbt's own name for the variable: the profile's default target reads it too (profiles.yml).
DBT_TARGET_VAR = "DBT_TARGET"
SPARK_DIR_VAR = "ROUNDABOUT_SPARK_DIR"
LAKE_VAR = "ROUNDABOUT_LAKE"

# The engines the dbt project builds on (profiles.yml). DuckDB is the default and the only one
# the published warehouse, the checks and the report read; the Spark targets build the same
# models on a Spark SQL engine (docs/scale-out.md).
DBT_TARGETS = ("duckdb", "spark", "spark_thrift", "spark_connect")
DEFAULT_DBT_TARGET = "duckdb"

KEEP_RUNS = 10  # run folders (dbt artifacts, logs) kept under <home>/runs


@dataclass(frozen=True)
class Settings:
    home: Path
    inputs: Path
    fresh: bool = False  # build from empty instead of from the published warehouse
    full_refresh: bool = False  # rebuild every incremental model whole (dbt --full-refresh)
    exports: Path | None = None  # where the export assets write; default <home>/exports
    export_format: str = "parquet"
    keep_runs: int = KEEP_RUNS
    counterparties: Path | None = None  # the file the pipeline screens, if any
    shipments: Path | None = None
    screening_workers: int = 1
    dbt_target: str = DEFAULT_DBT_TARGET

    def __post_init__(self) -> None:
        check_dbt_target(self.dbt_target)

    @property
    def spark_dir(self) -> Path:
        """The local Spark session's warehouse and metastore (target ``spark``)."""
        return self.home / "spark"

    @property
    def lake_dir(self) -> Path:
        """The raw layer as Parquet, which the Spark targets read (orchestration/raw_lake.py)."""
        return self.home / "lake"

    @property
    def published_db(self) -> Path:
        """The warehouse analysts read, replaced atomically after every blocking check passed."""
        return self.home / "warehouse.duckdb"

    @property
    def build_db(self) -> Path:
        """The warehouse a run writes; it starts as a copy of the published one. Always under
        the home: the environment variable only tells dbt where it is."""
        return self.home / "build" / "warehouse.duckdb"

    @property
    def raw_archive(self) -> Path:
        return self.home / "raw"

    @property
    def runs_dir(self) -> Path:
        return self.home / "runs"

    @property
    def exports_dir(self) -> Path:
        return self.exports or self.home / "exports"

    @property
    def dbt_state_dir(self) -> Path:
        """The dbt manifest of the build that produced the published warehouse, kept beside it:
        the next run compares the project with it (dbt's ``--state``)."""
        return self.home / "dbt_state"


def check_dbt_target(name: str) -> str:
    if name not in DBT_TARGETS:
        raise ValueError(f"unknown dbt target {name!r}: expected one of {', '.join(DBT_TARGETS)}")
    return name


def _path(value: str | None) -> Path | None:
    return Path(value).resolve() if value else None


def from_environment(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings the environment gives, with the defaults where it gives none."""
    env = os.environ if environ is None else environ
    return Settings(
        home=Path(env.get(HOME_VAR) or Path.cwd() / "var").resolve(),
        inputs=Path(env.get(INPUTS_VAR) or SAMPLE_INPUTS).resolve(),
        fresh=env.get(FRESH_VAR, "") not in ("", "0", "false"),
        exports=_path(env.get(EXPORTS_VAR)),
        export_format=env.get(EXPORT_FORMAT_VAR) or "parquet",
        keep_runs=int(env.get(KEEP_RUNS_VAR) or KEEP_RUNS),
        counterparties=_path(env.get(COUNTERPARTIES_VAR)),
        shipments=_path(env.get(SHIPMENTS_VAR)),
        screening_workers=int(env.get(WORKERS_VAR) or 1),
        dbt_target=env.get(DBT_TARGET_VAR) or DEFAULT_DBT_TARGET,
    )


_active: Settings | None = None


def current() -> Settings:
    """The settings of the run under way in this process (set by the ``settings`` resource when
    the run starts), else those of the environment (commands outside a run)."""
    return _active if _active is not None else from_environment()


def active() -> Settings | None:
    """The settings of the run under way in this process, None outside a run."""
    return _active


def activate(settings: Settings) -> None:
    """Make ``settings`` the run's, for the code of this process (dbt gets them through
    :func:`dbt_environment`)."""
    global _active
    _active = settings


def deactivate() -> None:
    global _active
    _active = None


def environment(settings: Settings) -> dict[str, str]:
    """The settings as environment variables: what dbt's profile and a process started with
    them (``roundabout ui``'s ``dagster dev``) read."""
    values = {
        HOME_VAR: str(settings.home),
        INPUTS_VAR: str(settings.inputs),
        BUILD_DB_VAR: str(settings.build_db),
        FRESH_VAR: "1" if settings.fresh else "",
        EXPORT_FORMAT_VAR: settings.export_format,
        KEEP_RUNS_VAR: str(settings.keep_runs),
        WORKERS_VAR: str(settings.screening_workers),
        DBT_TARGET_VAR: settings.dbt_target,
        SPARK_DIR_VAR: str(settings.spark_dir),
        LAKE_VAR: str(settings.lake_dir),
    }
    for var, path in (
        (EXPORTS_VAR, settings.exports),
        (COUNTERPARTIES_VAR, settings.counterparties),
        (SHIPMENTS_VAR, settings.shipments),
    ):
        if path is not None:
            values[var] = str(path)
    # dbt's DuckDB works within the same memory limit as the run's own connections.
    values[MEMORY_LIMIT_VAR] = memory_limit()
    values["DBT_SEND_ANONYMOUS_USAGE_STATS"] = os.environ.get(
        "DBT_SEND_ANONYMOUS_USAGE_STATS", "false"
    )
    # dbt writes its file log at debug level by default: every query and every event, about
    # 12 MB a sample run, and the writing (under one lock shared by dbt's threads) took about a
    # third of the dbt process's time in a profile of the sample run. Info level keeps each
    # node's start, result and timing and every error; DBT_LOG_LEVEL_FILE=debug brings the rest.
    values["DBT_LOG_LEVEL_FILE"] = os.environ.get("DBT_LOG_LEVEL_FILE", "info")
    return values


_environment_lock = threading.RLock()  # a dbt call may start another within


@contextlib.contextmanager
def dbt_environment(settings: Settings) -> Iterator[None]:
    """``settings`` in the process's environment while a dbt invocation starts, and the
    environment as it was afterwards. dagster-dbt's ``DbtCliResource.cli`` copies the process
    environment into dbt's process when it starts it and takes no environment of its own, and
    dbt's in-process runner (``dbtRunner``) reads the same variables; so the variables are set
    around the call that starts dbt and no longer."""
    with environment_while(environment(settings)):
        yield


@contextlib.contextmanager
def environment_while(values: Mapping[str, str]) -> Iterator[None]:
    """``values`` in the process's environment for the time of the block, then the environment
    as it was (variables the block added are removed again)."""
    with _environment_lock:
        saved = {name: os.environ.get(name) for name in values}
        os.environ.update(values)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


class RoundaboutSettings(dg.ConfigurableResource):
    """The run's settings, as a Dagster resource: a run launched from the UI or GraphQL may set
    any field (``resources: {settings: {config: {inputs: /data/in}}}``); a field left out keeps
    the value the environment gave when the code location loaded."""

    home: str
    inputs: str
    fresh: bool = False
    full_refresh: bool = False
    exports: str | None = None
    export_format: str = "parquet"
    keep_runs: int = KEEP_RUNS
    counterparties: str | None = None
    shipments: str | None = None
    screening_workers: int = 1
    dbt_target: str = DEFAULT_DBT_TARGET

    @classmethod
    def of(cls, settings: Settings) -> RoundaboutSettings:
        return cls(**config_of(settings))

    def resolve(self) -> Settings:
        return Settings(
            home=Path(self.home).resolve(),
            inputs=Path(self.inputs).resolve(),
            fresh=self.fresh,
            full_refresh=self.full_refresh,
            exports=_path(self.exports),
            export_format=self.export_format,
            keep_runs=self.keep_runs,
            counterparties=_path(self.counterparties),
            shipments=_path(self.shipments),
            screening_workers=self.screening_workers,
            dbt_target=self.dbt_target,
        )

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        activate(self.resolve())

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        # The process may run something else next (a test, another in-process run).
        deactivate()


def config_of(settings: Settings) -> dict:
    """The resource configuration naming ``settings`` (run config or constructor arguments)."""
    config = {
        "home": str(settings.home),
        "inputs": str(settings.inputs),
        "fresh": settings.fresh,
        "full_refresh": settings.full_refresh,
        "export_format": settings.export_format,
        "keep_runs": settings.keep_runs,
        "screening_workers": settings.screening_workers,
        "dbt_target": settings.dbt_target,
    }
    for name in ("exports", "counterparties", "shipments"):
        value = getattr(settings, name)
        if value is not None:
            config[name] = str(value)
    return config
