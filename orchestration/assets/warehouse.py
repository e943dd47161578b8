"""The run's build warehouse: a copy of the published one, so history already stored carries
over, and a failed run never touches what analysts read. The copy is a clone where the
filesystem shares blocks between files (orchestration/file_clone.py)."""

import shutil
import time

import dagster as dg

from orchestration.duckdb_config import temp_directory
from orchestration.file_clone import clone_file
from orchestration.home_lock import write_turn
from orchestration.partitions import fresh_window_refusal, time_window
from orchestration.runs import prune_runs
from orchestration.settings import RoundaboutSettings
from orchestration.storage import create_empty, make_compatible

BUILD_KEY = dg.AssetKey(["warehouse", "build"])
PUBLISHED_KEY = dg.AssetKey(["warehouse", "published"])


@dg.asset(key=BUILD_KEY, group_name="warehouse", kinds={"duckdb"}, pool="warehouse")
def build_warehouse(
    context: dg.AssetExecutionContext, settings: RoundaboutSettings
) -> dg.MaterializeResult:
    """Start the build warehouse from the published warehouse (or empty when none exists).

    Every writing job starts here, so this is also where the folders of old runs are pruned."""
    settings = settings.resolve()
    # Before anything is touched: a fresh run over a window would publish that window alone.
    refusal = fresh_window_refusal(settings.fresh, time_window(context))
    if refusal:
        raise dg.Failure(description=refusal)
    pruned = prune_runs(settings.runs_dir, settings.keep_runs)
    if pruned:
        context.log.info(f"pruned {len(pruned)} old run folder(s) under {settings.runs_dir}")
    # The build file is replaced here: not while a step of another run writes it.
    with write_turn(settings.home):
        build, published = settings.build_db, settings.published_db
        build.parent.mkdir(parents=True, exist_ok=True)
        for stale in (build, build.with_name(build.name + ".wal")):
            stale.unlink(missing_ok=True)
        shutil.rmtree(temp_directory(build), ignore_errors=True)  # what a failed run spilled
        from_published = published.exists() and not settings.fresh
        how = "created empty"
        if from_published:
            started = time.monotonic()
            how = clone_file(published, build)
            context.log.info(
                f"build warehouse copied from {published} ({how}, "
                f"{time.monotonic() - started:.1f} s)"
            )
            if make_compatible(build):
                context.log.info("build warehouse rewritten in the storage format DuckDB 1.x reads")
        else:
            # Created here, in the storage format DuckDB 1.x clients read
            # (orchestration/storage.py).
            create_empty(build)
    return dg.MaterializeResult(
        metadata={
            "build": str(build),
            "started_from_published": from_published,
            "started_by": how,
        }
    )
