"""One run at a time per home: a second run would delete the first one's build warehouse and
die on DuckDB's file lock, so it is stopped before it touches anything.

The lock is an OS file lock (filelock, a kept library): it goes away with the process that held
it, so a run killed with SIGKILL never leaves the home locked.
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


def _holder(path: Path) -> str:
    try:
        return path.read_text().strip() or "holder unknown"
    except OSError:
        return "holder unknown"
