"""Why a step failed, in one line: the message a user can act on, not Dagster's wrapper or the
trace (which stays in the run's log)."""

from __future__ import annotations

import dagster as dg

# Dagster wraps an error raised by the asset's own code in this one; the cause is the reason.
_WRAPPERS = {"DagsterExecutionStepExecutionError", "DagsterUserCodeExecutionError"}


def _first_line(text: str | None) -> str:
    return next((line.strip() for line in (text or "").splitlines() if line.strip()), "")


def failure_reason(event: dg.DagsterEvent) -> str:
    data = event.step_failure_data
    if data is None:
        return _first_line(event.message)
    if data.user_failure_data is not None and data.user_failure_data.description:
        return data.user_failure_data.description.strip()
    error = data.error
    while error is not None and error.cls_name in _WRAPPERS and error.cause is not None:
        error = error.cause
    return _first_line(error.message) if error is not None else _first_line(event.message)


def failure_trace(event: dg.DagsterEvent) -> str:
    data = event.step_failure_data
    return data.error.to_string() if data is not None and data.error is not None else ""
