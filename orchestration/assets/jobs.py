"""The jobs: the pipeline (what ``roundabout run`` runs), acquisition (what ``roundabout fetch``
runs, whole or one source), and the refresh a new release triggers. Every job runs its steps in
one process, one after another: DuckDB allows one writing process (the executor is also the
default of the code location, orchestration/definitions.py, for ad-hoc materialisations)."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.acquisition import GROUP, SOURCES, acquisition_key
from orchestration.assets.exports import EXPORTS_KEY

ACQUISITION = dg.AssetSelection.groups(GROUP)
EXPORTS = dg.AssetSelection.assets(EXPORTS_KEY)

pipeline_job = dg.define_asset_job(
    "pipeline",
    selection=dg.AssetSelection.all() - ACQUISITION - EXPORTS,
    description="Ingest every input, build and test the models, publish the warehouse.",
    executor_def=dg.in_process_executor,
)

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all() - ACQUISITION,
    description="Ingest the archive after a new release: the models, checks, publication, "
    "screening and exports (launched by the sensor ingest_new_releases).",
    executor_def=dg.in_process_executor,
)

acquire_job = dg.define_asset_job(
    "acquire",
    selection=ACQUISITION,
    description="Download the official files of every source into the archive (raw/).",
    executor_def=dg.in_process_executor,
)


def acquire_source_job(folder: str) -> dg.UnresolvedAssetJobDefinition:
    meta = next(m for m in SOURCES if m.folder == folder)
    return dg.define_asset_job(
        f"acquire_{folder}",
        selection=dg.AssetSelection.assets(acquisition_key(meta)),
        description=f"Download {meta.title} into the archive.",
        executor_def=dg.in_process_executor,
    )


acquire_source_jobs = {meta.folder: acquire_source_job(meta.folder) for meta in SOURCES}
