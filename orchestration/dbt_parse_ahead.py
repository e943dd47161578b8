"""dbt's parse of the project for a new home, started with the run and done while it ingests.

dbt parses the whole project again (several seconds of one core) when its saved parse state was
made for another connection, and the build warehouse's path, which is in the connection, is the
home's: so the first run in a home, where no state of its own is kept yet
(``runs/dbt/partial_parse.msgpack``, orchestration/assets/transform.py), used to parse in its
first dbt step, after the ingest, with nothing else to do meanwhile. ``roundabout run`` starts
``dbt parse`` for the run's settings in a process of its own when the home has no state, at the
start of the run; the ingest, which keeps one core busy, runs beside it on the other. The first
dbt step waits for it (:func:`finish`) and starts from the state it left, as a later run does.

A run launched elsewhere (the UI, a sensor) does not start it: its first dbt step parses as
before. A parse that fails leaves nothing behind, and dbt parses in the step as before.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, Settings, dbt_environment

PARSE_STATE = "partial_parse.msgpack"

# Started parses by home: a run holds its home's lock, so one at a time per home.
_started: dict[Path, subprocess.Popen] = {}


def dbt_executable() -> str:
    """The dbt installed beside the running Python: `venv/bin/roundabout` started without the
    environment activated has no dbt on PATH, and dagster-dbt looks there by default."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else "dbt"


def parse_state(settings: Settings) -> Path:
    """dbt's parse state for the home's warehouse path, left by the home's last dbt build."""
    return settings.runs_dir / "dbt" / PARSE_STATE


def _work_dir(settings: Settings) -> Path:
    # Beside runs/dbt, not in it: the folders there are runs' and pruned as such.
    return settings.runs_dir / "dbt-parse"


def start(settings: Settings) -> bool:
    """Start ``dbt parse`` for ``settings`` when the home keeps no parse state yet; whether it
    started. The project's manifest must be current (the caller parses it first when not)."""
    if parse_state(settings).exists() or settings.home in _started:
        return False
    work = _work_dir(settings)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    # The same profile, target and environment as the run's dbt steps, so that the state fits
    # them (dbt compares a hash of the connection with the state's).
    args = [dbt_executable(), "--quiet", "--no-write-json", "parse"]
    args += ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    args += ["--target", settings.dbt_target, "--target-path", str(work / "target")]
    args += ["--log-path", str(work)]
    with dbt_environment(settings):
        env = dict(os.environ)
    try:
        _started[settings.home] = subprocess.Popen(
            args,
            cwd=DBT_PROJECT_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return False
    return True


def finish(settings: Settings) -> None:
    """Wait for the parse started for the home, if any, and keep the state it left as the
    home's, unless a dbt build has left one since."""
    process = _started.pop(settings.home, None)
    if process is None:
        return
    work = _work_dir(settings)
    try:
        parsed = process.wait() == 0
        state = work / "target" / PARSE_STATE
        kept = parse_state(settings)
        if parsed and state.exists() and not kept.exists():
            kept.parent.mkdir(parents=True, exist_ok=True)
            os.replace(state, kept)
    finally:
        shutil.rmtree(work, ignore_errors=True)
