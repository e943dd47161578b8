"""Publish the checked build warehouse where analysts read it, in one atomic rename."""

import os

import dagster as dg
import duckdb

from orchestration.assets.screening import screening_models
from orchestration.assets.transform import dbt_models, run_target
from orchestration.assets.warehouse import PUBLISHED_KEY
from orchestration.dbt_state import MANIFEST, keep_manifest
from orchestration.home_lock import write_turn
from orchestration.settings import DEFAULT_DBT_TARGET, current


@dg.asset(
    key=PUBLISHED_KEY,
    group_name="warehouse",
    kinds={"duckdb"},
    deps=[*dbt_models.keys, *screening_models.keys],
    pool="warehouse",
)
def published_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Runs only when every model was built and every blocking check upstream passed.

    The build file is checkpointed (no write-ahead log left behind) and renamed over the
    published file: a reader sees the old warehouse or the new one, never a mix.
    """
    settings = current()
    if settings.dbt_target != DEFAULT_DBT_TARGET:
        # The models were built on Spark: the build warehouse holds this run's raw layer beside
        # the marts of an earlier run (or none), which must not replace what analysts read.
        raise dg.Failure(
            description=f"not published: the models were built on the dbt target "
            f"{settings.dbt_target!r}, not in the DuckDB warehouse; {settings.published_db} "
            "is unchanged (docs/scale-out.md)"
        )
    build, published = settings.build_db, settings.published_db
    with write_turn(settings.home):
        with duckdb.connect(str(build)) as con:
            con.execute("checkpoint").fetchall()
            tables = con.execute(
                "select table_schema || '.' || table_name from information_schema.tables "
                "where table_schema = 'marts' order by 1"
            ).fetchall()
            counts = {
                t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for (t,) in tables
            }
        published.parent.mkdir(parents=True, exist_ok=True)
        os.replace(build, published)
    context.log.info(f"published {published}")
    # The manifest of the dbt build that wrote the incremental tables just published, for the
    # next run's state comparison. A run that did not build them (the screening job) publishes
    # the tables it copied, which the kept manifest still describes.
    manifest = run_target(context.run_id, dbt_models.op.name) / MANIFEST
    if manifest.exists():
        keep_manifest(manifest, settings)
    return dg.MaterializeResult(
        metadata={"path": str(published), "mart_rows": dg.MetadataValue.json(counts)}
    )
