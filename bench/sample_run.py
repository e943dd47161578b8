"""Time the whole pipeline on the bundled sample, from empty, as `roundabout run --fresh` does.

uv run python -m bench.sample_run [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date


def one_run() -> float:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "ROUNDABOUT_HOME": home, "DAGSTER_HOME": f"{home}/dagster"}
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
    args = parser.parse_args()
    times = [one_run() for _ in range(args.repeat)]
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
