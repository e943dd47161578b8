"""The run's build warehouse: a copy of the published one, so history already stored carries
over, and a failed run never touches what analysts read."""

import shutil

import dagster as dg

from orchestration.duckdb_config import temp_directory
from orchestration.settings import current

BUILD_KEY = dg.AssetKey(["warehouse", "build"])
PUBLISHED_KEY = dg.AssetKey(["warehouse", "published"])


@dg.asset(key=BUILD_KEY, group_name="warehouse", kinds={"duckdb"})
def build_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Start the build warehouse from the published warehouse (or empty when none exists)."""
    settings = current()
    build, published = settings.build_db, settings.published_db
    build.parent.mkdir(parents=True, exist_ok=True)
    for stale in (build, build.with_name(build.name + ".wal")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(temp_directory(build), ignore_errors=True)  # what a failed run spilled
    from_published = published.exists() and not settings.fresh
    if from_published:
        shutil.copy2(published, build)
        context.log.info(f"build warehouse copied from {published}")
    return dg.MaterializeResult(
        metadata={"build": str(build), "started_from_published": from_published}
    )
