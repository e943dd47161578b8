"""``roundabout fetch``: materialise the acquisition assets of the named sources (every default
source when none is named) in this process, as a scheduled run would, and say what happened:
one line per file fetched, one line per source that failed."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.acquire.catalogue import select
from orchestration.settings import Settings, config_of


@dataclass
class FetchRun:
    archive: Path
    lines: list[str] = field(default_factory=list)  # one per file, in the catalogue's order
    failed: list[str] = field(default_factory=list)  # one per failed source
    skipped: list[str] = field(default_factory=list)  # opt-in sources left out
    fetched_any: bool = False  # some file is in the archive to ingest

    @property
    def ok(self) -> bool:
        return not self.failed


def fetch(
    settings: Settings,
    names: Sequence[str] | None,
    archive: Path | None = None,
    downloads: Mapping | None = None,
    instance=None,
) -> FetchRun:
    """Run the acquisition assets of ``names``; ValueError for an unknown name. ``downloads``:
    more configuration of the downloads resource (``url_overrides``, ``timeout``...);
    ``instance``: the Dagster instance to record the run in (default: one in memory)."""
    import dagster as dg

    from orchestration.assets.acquisition import SOURCES, acquisition_key
    from orchestration.definitions import defs

    chosen, left_out = select(names)
    folders = {d.name.split("/")[0] for d in chosen}
    keys = [acquisition_key(m) for m in SOURCES if m.inputs_folder in folders]
    archive = archive or settings.raw_archive
    run = FetchRun(archive=archive)
    run.skipped = sorted({f"{d.name}: fetched only when named ({d.opt_in})" for d in left_out})
    config = {"url_overrides": {}, **(downloads or {}), "archive": str(archive)}
    run_config = {
        "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
        "resources": {
            "settings": {"config": config_of(settings)},
            "downloads": {"config": config},
        },
    }
    with contextlib.nullcontext(instance) if instance else dg.DagsterInstance.ephemeral() as inst:
        result = defs.resolve_job_def("acquire").execute_in_process(
            run_config=run_config, asset_selection=keys, instance=inst, raise_on_error=False
        )
    for event in result.get_asset_materialization_events():
        files = event.materialization.metadata["files"].value
        for record in files.records:
            row = record.data
            where = f" -> {archive / row['release']}" if row["release"] else ""
            reason = f" ({row['reason']})" if row["reason"] else ""
            run.lines.append(f"{row['status']:<12} {row['file']}{where}{reason}")
            run.fetched_any = run.fetched_any or bool(row["release"])
    for event in result.get_step_failure_events():
        data = event.step_failure_data
        described = data.user_failure_data.description if data and data.user_failure_data else None
        if described:
            run.failed += described.splitlines()
        else:
            message = data.error.message if data and data.error else event.message or ""
            run.failed.append(f"{event.step_key}: {message.strip().splitlines()[0]}")
    return run
