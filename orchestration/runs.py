"""The folders runs leave under ``<home>/runs``: dbt's artifacts of each run (``dbt/<run>-<step>``,
tens of megabytes each) and the log of each ``roundabout run``. Only the last few are kept."""

from __future__ import annotations

import shutil
from pathlib import Path


def _newest_first(paths: list[Path]) -> list[Path]:
    return sorted(paths, key=lambda p: p.stat().st_mtime, reverse=True)


def prune_runs(runs_dir: Path, keep: int) -> list[Path]:
    """Remove all but the ``keep`` most recent runs' dbt folders and logs; returns what went.

    A run's dbt folders share the run id's prefix (``<run id[:8]>-<step>``): a run is kept or
    removed whole. ``keep`` below 1 keeps one, so a run never prunes what it is writing."""
    keep = max(keep, 1)
    removed: list[Path] = []
    dbt_dir = runs_dir / "dbt"
    if dbt_dir.is_dir():
        newest: dict[str, float] = {}
        folders = [p for p in dbt_dir.iterdir() if p.is_dir()]
        for folder in folders:
            run = folder.name.split("-", 1)[0]
            newest[run] = max(newest.get(run, 0.0), folder.stat().st_mtime)
        kept = set(sorted(newest, key=newest.__getitem__, reverse=True)[:keep])
        for folder in folders:
            if folder.name.split("-", 1)[0] not in kept:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    if runs_dir.is_dir():
        for log in _newest_first([p for p in runs_dir.glob("*.log") if p.is_file()])[keep:]:
            log.unlink(missing_ok=True)
            removed.append(log)
    return removed
