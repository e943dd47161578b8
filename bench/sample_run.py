"""Time the whole pipeline on the bundled sample, from empty, as `roundabout run --fresh` does.

uv run python -m bench.sample_run [--repeat 3] [--home DIR]

Each run starts from an empty home at one fixed path, as a user's ``./var`` on a first run.
The first run after the dbt models changed, or in a new home path, also pays for dbt parsing
the whole project; later runs reuse dbt's parse state (see orchestration/assets/transform.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def one_run(home: Path) -> float:
    """One run from an empty home (removed first), as a user's first ``roundabout run``."""
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = {**os.environ, "ROUNDABOUT_HOME": str(home), "DAGSTER_HOME": f"{home}/dagster"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run", "--fresh"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"run failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--home",
        default=str(Path(tempfile.gettempdir()) / "roundabout-sample-run"),
        help="home of the runs, emptied before each (one path, as a user's ./var)",
    )
    args = parser.parse_args()
    home = Path(args.home)
    times = [one_run(home) for _ in range(args.repeat)]
    shutil.rmtree(home, ignore_errors=True)
    print(
        f"{platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
        f"{date.today()}"
    )
    print(
        f"sample run wall time: best {min(times):.1f} s, runs: "
        + ", ".join(f"{t:.1f}" for t in times)
        + " (target < 60 s)"
    )


if __name__ == "__main__":
    main()
