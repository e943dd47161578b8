"""Sensors: ingest when acquisition brings a new release, and announce failed runs.

``ingest_new_releases`` watches the acquisition assets; when one records a new release
(``new_release`` in its materialisation), it launches the ``refresh`` job on the archive the
acquisition wrote: ingest, the models and their checks, publication, screening (every refresh
screens after rebuilding the lists) and the exports. Several releases between two evaluations
make one run.

``notify_on_failure`` posts every failed run (job, run id, the failed steps and why) to the
webhook of the ``notifier`` resource (``ROUNDABOUT_WEBHOOK_URL``); with none set it does nothing.
"""

import json
from dataclasses import replace

import dagster as dg

from orchestration.assets.acquisition import NEW_RELEASE, SOURCES, acquisition_key, archive_of
from orchestration.assets.jobs import refresh_job
from orchestration.assets.schedules import SENSOR_STATUS
from orchestration.failures import failure_reason
from orchestration.partitions import run_tags
from orchestration.resources import Downloads, Notifier
from orchestration.settings import RoundaboutSettings, config_of

ACQUISITION_KEYS = [acquisition_key(meta) for meta in SOURCES]
RELEASES_TAG = "roundabout/new_releases"


def new_releases(
    instance: dg.DagsterInstance, cursor: dict[str, int]
) -> tuple[list[str], dict[str, int]]:
    """The acquisition assets that recorded a new release since ``cursor`` (asset -> the last
    materialisation seen), and the cursor moved past everything read."""
    found: list[str] = []
    moved = dict(cursor)
    for key in ACQUISITION_KEYS:
        name = key.to_user_string()
        while True:
            records = instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=key, after_storage_id=moved.get(name)),
                limit=100,
                ascending=True,
            ).records
            if not records:
                break
            for record in records:
                moved[name] = record.storage_id
                flag = record.asset_materialization.metadata.get(NEW_RELEASE)
                if flag is not None and flag.value and name not in found:
                    found.append(name)
    return found, moved


def refresh_request(
    settings: RoundaboutSettings, downloads: Downloads, found: list[str], run_key: str
) -> dg.RunRequest:
    """A refresh run ingesting the archive the acquisition wrote (``<home>/raw``)."""
    run_settings = replace(settings.resolve(), inputs=archive_of(settings, downloads))
    return dg.RunRequest(
        run_key=run_key,
        run_config={"resources": {"settings": {"config": config_of(run_settings)}}},
        # every trade partition: the whole warehouse (orchestration/partitions.py)
        tags={RELEASES_TAG: ",".join(found), **run_tags()},
    )


@dg.sensor(
    name="ingest_new_releases",
    job=refresh_job,
    minimum_interval_seconds=60,
    default_status=SENSOR_STATUS,
    description="When an acquisition asset brings a new release, ingest the archive, rebuild "
    "the models, publish, screen and export (job refresh).",
)
def ingest_new_releases(
    context: dg.SensorEvaluationContext, settings: RoundaboutSettings, downloads: Downloads
):
    cursor = json.loads(context.cursor) if context.cursor else {}
    found, moved = new_releases(context.instance, cursor)
    context.update_cursor(json.dumps(moved, sort_keys=True))
    if not found:
        return dg.SkipReason("no new release since the last evaluation")
    run_key = "releases-" + "-".join(f"{k}:{moved[k]}" for k in sorted(found))
    return refresh_request(settings, downloads, found, run_key)


def failure_payload(context: dg.RunFailureSensorContext) -> dict:
    run = context.dagster_run
    steps = [
        {"step": event.step_key, "reason": failure_reason(event)}
        for event in context.get_step_failure_events()
    ]
    first = f"{steps[0]['step']}: {steps[0]['reason']}" if steps else context.failure_event.message
    return {
        "text": f"Roundabout run {run.run_id[:8]} of job {run.job_name} failed: {first}",
        "job": run.job_name,
        "run_id": run.run_id,
        "failed_steps": steps,
        "message": context.failure_event.message or "",
    }


@dg.run_failure_sensor(
    name="notify_on_failure",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Post every failed run to the configured webhook (notifier.webhook_url, "
    "ROUNDABOUT_WEBHOOK_URL); nothing is sent while none is set.",
)
def notify_on_failure(context: dg.RunFailureSensorContext, notifier: Notifier):
    if notifier.notify(failure_payload(context)):
        context.log.info(f"failure of run {context.dagster_run.run_id} posted")
