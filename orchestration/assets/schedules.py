"""One schedule per source with official downloads, at the cadence its YAML states: sanctions
lists daily, monthly trade statistics monthly, yearly ones once a year. All are off until turned
on (in the UI, ``dagster schedule start``, or for a service ``ROUNDABOUT_SCHEDULES=on`` in the
environment the code location loads in), since they reach the publishers' servers. A schedule
only downloads; the release sensor (orchestration/assets/sensors.py) ingests what is new."""

from __future__ import annotations

import os

import dagster as dg

from orchestration.assets.acquisition import SOURCES
from orchestration.assets.jobs import acquire_source_jobs
from orchestration.sources.common.metadata import SourceMetadata

# At 04:00 UTC, after the publishers' overnight releases (OFAC and the UN publish in the
# evening, US and New York time). Yearly: 1 February, after CEPII's January BACI release.
CRON = {
    "daily": "0 4 * * *",
    "monthly": "0 4 5 * *",
    "yearly": "0 4 1 2 *",
}


SCHEDULES_VAR = "ROUNDABOUT_SCHEDULES"


def automation_on(environ: dict | None = None) -> bool:
    """Whether the acquisition schedules and the release sensor start switched on: read once,
    when the code location loads (a service sets it; a workstation leaves them off)."""
    env = os.environ if environ is None else environ
    return env.get(SCHEDULES_VAR, "").lower() in ("on", "1", "true")


SCHEDULE_STATUS = (
    dg.DefaultScheduleStatus.RUNNING if automation_on() else dg.DefaultScheduleStatus.STOPPED
)
SENSOR_STATUS = (
    dg.DefaultSensorStatus.RUNNING if automation_on() else dg.DefaultSensorStatus.STOPPED
)


def cadence_of(meta: SourceMetadata) -> str:
    """daily, monthly or yearly, from the YAML's ``cadence``. Sanctions lists change without
    notice ("irregular", "several times a week"), so they are asked daily; a conditional
    request costs the publisher nothing when nothing changed."""
    text = meta.cadence.lower()
    if meta.kind == "sanctions":
        return "daily"
    for word in ("yearly", "monthly"):
        if text.startswith(word) or f" {word}" in text:
            return word
    return "daily"


def source_schedule(meta: SourceMetadata) -> dg.ScheduleDefinition:
    cadence = cadence_of(meta)
    opt_in = bool(meta.download and meta.download.opt_in)
    return dg.ScheduleDefinition(
        name=f"acquire_{meta.folder}_{cadence}",
        job=acquire_source_jobs[meta.folder],
        cron_schedule=CRON[cadence],
        execution_timezone="UTC",
        # An opt-in source (a non-commercial licence, gigabytes) is fetched only when asked:
        # its schedule starts off even on a service.
        default_status=dg.DefaultScheduleStatus.STOPPED if opt_in else SCHEDULE_STATUS,
        description=f"Download {meta.title} {cadence} (its cadence: {meta.cadence}); an "
        "unchanged publication is not downloaded again.",
    )


acquisition_schedules = [source_schedule(meta) for meta in SOURCES]
