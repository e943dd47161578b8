"""One run at a time per home, and one writing step at a time per warehouse.

A second ``roundabout run`` on a home would delete the first one's build warehouse and die on
DuckDB's file lock, so it is stopped before it touches anything (:func:`home_lock`).

Runs the Dagster instance launches (schedules, sensors, the UI) take turns at writing through the
instance's ``warehouse`` pool (orchestration/instance_config.py). The pool is not enough on its
own: Dagster's SQLite storage claims a slot by selecting a free one and then updating it, and the
``SELECT ... FOR UPDATE`` it asks for is a no-op in SQLite, so two steps claiming at the same
instant can both get the one slot. Every step that writes therefore also waits for the
warehouse's write turn (:func:`write_turn`), an OS lock on a file in the home.

The locks are OS file locks (filelock, a kept library): they go away with the process that held
them, so a run killed with SIGKILL never leaves the home locked.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

LOCK_NAME = "run.lock"
HOLDER_NAME = "run.lock.holder"
WRITE_LOCK_NAME = "warehouse.write.lock"


class HomeBusy(RuntimeError):
    """Another run holds the home."""


@contextlib.contextmanager
def home_lock(home: Path, wait: bool = False) -> Iterator[None]:
    """Hold the home's run lock for the block. ``wait``: wait for a running run to end instead
    of raising :class:`HomeBusy` at once."""
    home.mkdir(parents=True, exist_ok=True)
    lock = FileLock(home / LOCK_NAME, timeout=-1 if wait else 0, is_singleton=False)
    holder = home / HOLDER_NAME
    try:
        lock.acquire()
    except Timeout:
        raise HomeBusy(
            f"another run is using the home {home} ({_holder(holder)}); nothing was changed. "
            "Wait for it to finish, run with --wait, or use another --home"
        ) from None
    try:
        holder.write_text(f"pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
        yield
    finally:
        holder.unlink(missing_ok=True)
        lock.release()


@contextlib.contextmanager
def write_turn(home: Path) -> Iterator[None]:
    """Hold the home's warehouse write turn for the block, waiting while another step (of
    another run on the same home) holds it."""
    home.mkdir(parents=True, exist_ok=True)
    with FileLock(home / WRITE_LOCK_NAME, timeout=-1, is_singleton=False):
        yield


def _holder(path: Path) -> str:
    try:
        return path.read_text().strip() or "holder unknown"
    except OSError:
        return "holder unknown"
