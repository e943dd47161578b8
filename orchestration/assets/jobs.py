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


def models_selection() -> list[dg.AssetKey]:
    """What a run on a Spark target builds: the build warehouse, the ingest and the dbt models.
    The screening, the publication, the report and the exports read the DuckDB warehouse, which
    holds no model built on Spark (docs/scale-out.md, "What a run on a Spark target does")."""
    from orchestration.assets.ingest import ingest_assets
    from orchestration.assets.transform import dbt_models
    from orchestration.assets.warehouse import BUILD_KEY

    ingest_keys = [key for assets in ingest_assets for key in assets.keys]
    return [BUILD_KEY, *ingest_keys, *dbt_models.keys]
