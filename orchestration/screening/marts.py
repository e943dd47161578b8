"""The screening marts of one `roundabout screen`, built by dbt in a scratch database.

The command must not write the published warehouse (analysts read it meanwhile), yet its output
must be what the warehouse's screening marts would hold. So dbt itself runs the models tagged
``screening`` (profiles.yml, target ``screen``) into a scratch DuckDB file that holds the
command's ``raw.screening__*`` rows and attaches the published warehouse read-only. The scratch
target attaches it under the catalog name the build warehouse has (both files are named
``warehouse.duckdb``), and ``--defer --favor-state`` with the project's manifest resolves every
model the screening models read but do not build (``dim_product``, ``dim_country_group``,
``dim_sanctioned_*``) to its published table instead of building it again.

dbt runs in this process through its programmatic entry point (``dbtRunner``): a subprocess
would start Python and import dbt a second time. The scratch file and dbt's target folder keep
one path per home, so dbt's partial-parse state, which is keyed on the connection and so on
these paths, is reused from the second command on; a lock keeps two commands in one home from
sharing them. The scratch file is removed afterwards: it holds the counterparty list.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl
from filelock import FileLock

from orchestration.duckdb_config import MEMORY_LIMIT_VAR, memory_limit
from orchestration.manifest_state import MANIFEST, manifest_is_stale
from orchestration.settings import DBT_PROJECT_DIR, environment_while

SCREEN_DB_VAR = "ROUNDABOUT_SCREEN_DB"
PUBLISHED_DB_VAR = "ROUNDABOUT_PUBLISHED_DB"
SCRATCH_NAME = "screening.duckdb"


class ModelsFailed(RuntimeError):
    """dbt could not build the screening models."""


@contextmanager
def scratch_marts(
    published: Path, workdir: Path, raw: Mapping[str, pl.DataFrame]
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Build the screening models on ``raw`` (table name -> rows of ``raw.screening__<name>``)
    against ``published``; yields a read-only connection to the scratch database, whose
    ``marts`` schema holds the screening marts."""
    workdir.mkdir(parents=True, exist_ok=True)
    scratch = workdir / SCRATCH_NAME
    with FileLock(workdir / "lock"):
        _remove(scratch)
        try:
            _write_raw(scratch, raw)
            _run_models(published, scratch, workdir / "dbt")
            with duckdb.connect(str(scratch), read_only=True) as con:
                yield con
        finally:
            _remove(scratch)


def _write_raw(scratch: Path, tables: Mapping[str, pl.DataFrame]) -> None:
    with duckdb.connect(str(scratch)) as con:
        con.execute("create schema raw")
        for name, frame in tables.items():
            con.register("_frame", frame.to_arrow())
            try:
                con.execute(f"create table raw.screening__{name} as select * from _frame")
            finally:
                con.unregister("_frame")


def _run_models(published: Path, scratch: Path, target: Path) -> None:
    if manifest_is_stale():
        # The deferred relations are read from the project's manifest: parse it as a run would.
        from orchestration.project import prepare

        prepare()
    from dbt.cli.main import dbtRunner

    args = [
        "run", "--select", "tag:screening", "--target", "screen",
        "--defer", "--favor-state", "--state", str(MANIFEST.parent),
        "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(target), "--log-path", str(target),
        # stdout may be the command's CSV output; dbt's own log goes to its file.
        "--quiet", "--no-write-json", "--no-send-anonymous-usage-stats", "--no-populate-cache",
    ]  # fmt: skip
    # profiles.yml's `screen` target reads both paths and DuckDB's memory limit (the one a run's
    # own connections and its dbt use) from the environment, for this call only.
    databases = {
        SCREEN_DB_VAR: str(scratch),
        PUBLISHED_DB_VAR: str(published),
        MEMORY_LIMIT_VAR: memory_limit(),
    }
    with environment_while(databases):
        result = dbtRunner().invoke(args)
    if not result.success:
        raise ModelsFailed(_failure(result, target))


def _failure(result, target: Path) -> str:
    if result.exception is not None:
        return f"dbt failed: {result.exception}"
    failed = [
        f"{r.node.name}: {r.message}"
        for r in getattr(result.result, "results", [])
        if str(r.status) in ("error", "fail")
    ]
    return "dbt failed: " + ("; ".join(failed) or f"see {target / 'dbt.log'}")


def _remove(database: Path) -> None:
    for path in (database, database.with_name(f"{database.name}.wal")):
        path.unlink(missing_ok=True)
