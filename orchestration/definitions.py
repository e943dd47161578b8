"""The Dagster code location: one asset graph from input files to the published warehouse."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.ingest import ingest_assets
from orchestration.assets.publish import published_warehouse
from orchestration.assets.report import warehouse_report
from orchestration.assets.screening import (
    screen_counterparties,
    screen_on_list_change,
    screening_job,
    screening_models,
    screening_schedule,
)
from orchestration.assets.transform import dbt_models
from orchestration.assets.warehouse import build_warehouse
from orchestration.resources import dbt_cli, warehouse

# DuckDB allows one writing process: every step runs in one process, one after another.
pipeline_job = dg.define_asset_job(
    "pipeline",
    selection=dg.AssetSelection.all(),
    description="Ingest every input, build and test the models, publish the warehouse.",
    executor_def=dg.in_process_executor,
)

defs = dg.Definitions(
    assets=[
        build_warehouse,
        *ingest_assets,
        dbt_models,
        screen_counterparties,
        screening_models,
        published_warehouse,
        warehouse_report,
    ],
    jobs=[pipeline_job, screening_job],
    schedules=[screening_schedule],
    sensors=[screen_on_list_change],
    resources={"warehouse": warehouse(), "dbt": dbt_cli()},
)
