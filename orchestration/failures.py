"""Why a step failed, in one line: the message a user can act on, not Dagster's wrapper or the
trace (which stays in the run's log)."""

from __future__ import annotations

import re

import dagster as dg

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Dagster wraps an error raised by the asset's own code in these; the cause is the reason.
_WRAPPERS = {"DagsterExecutionStepExecutionError", "DagsterUserCodeExecutionError"}


def _first_line(text: str | None) -> str:
    return next((line.strip() for line in (text or "").splitlines() if line.strip()), "")


def failure_reason(event: dg.DagsterEvent) -> str:
    """The reason a step failed: a parser's file, line and reason, dbt's own account of what
    failed, or the innermost error of the chain Dagster wraps user code errors in."""
    data = event.step_failure_data
    if data is None:
        return _first_line(event.message)
    if data.user_failure_data is not None and data.user_failure_data.description:
        return data.user_failure_data.description.strip()
    error = data.error
    innermost = error
    while error is not None:
        innermost = error
        if error.cls_name == "SourceParseError":
            break
        error = error.cause
    if innermost is None:
        return _first_line(event.message)
    dbt_errors = innermost.message.partition("Errors parsed from dbt logs:")[2]
    if dbt_errors:
        said = [_ANSI.sub("", line).strip() for line in dbt_errors.splitlines()]
        said = [line for line in said if line and not line.startswith(("@@", "..."))]
        return "dbt: " + " | ".join(said[:3])
    # Dagster writes "module.Class: message"; a parse error's message says it all.
    message = re.sub(r"^[\w.]*SourceParseError: ", "", _first_line(innermost.message))
    if innermost.cls_name not in ("SourceParseError", None) and innermost.cls_name not in _WRAPPERS:
        message = f"{innermost.cls_name}: {message.removeprefix(innermost.cls_name + ': ')}"
    return message


def failure_trace(event: dg.DagsterEvent) -> str:
    data = event.step_failure_data
    return data.error.to_string() if data is not None and data.error is not None else ""
