"""The Dagster code location: one asset graph from the publishers' files to the published
warehouse and its exports.

acquisition (raw/ archive) -> raw tables (ingest) -> staging -> intermediate -> core -> marts ->
published warehouse -> exports, with screening after the lists. Settings are the ``settings``
resource (defaults from the environment when the location loads; a run may override any field).
"""

from __future__ import annotations

import os

import dagster as dg

from orchestration.assets.acquisition import acquisition_assets
from orchestration.assets.exports import mart_exports
from orchestration.assets.ingest import ingest_assets
from orchestration.assets.jobs import (
    acquire_job,
    acquire_source_jobs,
    pipeline_job,
    refresh_job,
)
from orchestration.assets.publish import published_warehouse
from orchestration.assets.report import warehouse_report
from orchestration.assets.schedules import acquisition_schedules
from orchestration.assets.screening import (
    screen_counterparties,
    screen_on_list_change,
    screening_index,
    screening_job,
    screening_models,
    screening_schedule,
)
from orchestration.assets.sensors import ingest_new_releases, notify_on_failure
from orchestration.assets.transform import dbt_models
from orchestration.assets.warehouse import build_warehouse
from orchestration.resources import Downloads, Notifier, dbt_cli, settings_resource, warehouse

WEBHOOK_VAR = "ROUNDABOUT_WEBHOOK_URL"

defs = dg.Definitions(
    assets=[
        *acquisition_assets,
        build_warehouse,
        *ingest_assets,
        dbt_models,
        screen_counterparties,
        screening_models,
        published_warehouse,
        screening_index,
        warehouse_report,
        mart_exports,
    ],
    jobs=[pipeline_job, refresh_job, acquire_job, *acquire_source_jobs.values(), screening_job],
    schedules=[screening_schedule, *acquisition_schedules],
    sensors=[screen_on_list_change, ingest_new_releases, notify_on_failure],
    resources={
        "settings": settings_resource(),
        "warehouse": warehouse(),
        "dbt": dbt_cli(),
        "downloads": Downloads(),
        "notifier": Notifier(webhook_url=os.environ.get(WEBHOOK_VAR) or None),
    },
    # DuckDB allows one writing process: a materialisation launched from the UI outside the
    # jobs above runs its steps in one process as well, never in parallel processes.
    executor=dg.in_process_executor,
)
