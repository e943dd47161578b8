"""A progress line for ``roundabout run`` on a terminal: the step under way, assets done of
total, elapsed time. It reads the run's events from the Dagster instance as they are stored,
from a thread of its own; when the output is not a terminal it prints nothing."""

from __future__ import annotations

import threading
import time
from typing import TextIO

import dagster as dg

EVENTS = {
    dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED,
    dg.DagsterEventType.ASSET_MATERIALIZATION,
    dg.DagsterEventType.STEP_START,
    dg.DagsterEventType.STEP_SUCCESS,
    dg.DagsterEventType.STEP_FAILURE,
    dg.DagsterEventType.STEP_SKIPPED,
}


class RunState:
    """What the events read so far say."""

    def __init__(self) -> None:
        self.planned: set[str] = set()
        self.done: set[str] = set()
        self.running: list[str] = []  # steps started and not yet ended, oldest first

    def apply(self, event: dg.DagsterEvent) -> None:
        kind = event.event_type
        if kind == dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED and event.asset_key:
            self.planned.add(event.asset_key.to_user_string())
        elif kind == dg.DagsterEventType.ASSET_MATERIALIZATION and event.asset_key:
            self.done.add(event.asset_key.to_user_string())
        elif kind == dg.DagsterEventType.STEP_START and event.step_key:
            self.running.append(event.step_key)
        elif event.step_key in self.running:
            self.running.remove(event.step_key)

    def line(self, elapsed: float) -> str:
        step = self.running[-1] if self.running else "starting"
        minutes, seconds = divmod(int(elapsed), 60)
        return (
            f"[{len(self.done)}/{len(self.planned) or '?'} assets] {step}  "
            f"{minutes:02d}:{seconds:02d}"
        )


class Progress:
    """``with Progress(instance, run_id, stream):`` around the run; redraws about twice a
    second while the run lasts, and clears its line at the end."""

    def __init__(self, instance: dg.DagsterInstance, run_id: str, stream: TextIO) -> None:
        self.instance, self.run_id, self.stream = instance, run_id, stream
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self.state = RunState()
        self._stop = threading.Event()
        self._cursor: str | None = None
        self._thread = threading.Thread(target=self._loop, name="progress", daemon=True)
        self._width = 0

    def __enter__(self) -> Progress:
        self._started = time.monotonic()
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self._stop.set()
            self._thread.join()
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()

    def poll(self) -> None:
        result = self.instance.get_records_for_run(self.run_id, cursor=self._cursor, limit=1000)
        self._cursor = result.cursor
        for record in result.records:
            event = record.event_log_entry.dagster_event
            if event is not None and event.event_type in EVENTS:
                self.state.apply(event)

    def _loop(self) -> None:
        while not self._stop.wait(0.5):
            try:
                self.poll()
            except Exception:  # the display must never break a run
                continue
            text = self.state.line(time.monotonic() - self._started)
            self._width = max(self._width, len(text))
            self.stream.write("\r" + text.ljust(self._width))
            self.stream.flush()
