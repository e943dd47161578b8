"""Time the whole pipeline on the bundled sample, from empty, as `roundabout run --fresh` does.

uv run python -m bench.sample_run [--repeat 3] [--home DIR]

Each run starts from an empty home at one fixed path, as a user's ``./var`` on a first run.
The first run after the dbt models changed, or in a new home path, also pays for dbt parsing
the whole project; later runs reuse dbt's parse state (see orchestration/assets/transform.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench.measure import TreeRun, report, run_tree

TARGET_S = 45


def one_run(home: Path) -> TreeRun:
    """One run from an empty home (removed first), as a user's first ``roundabout run``."""
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = {**os.environ, "ROUNDABOUT_HOME": str(home), "DAGSTER_HOME": f"{home}/dagster"}
    run = run_tree([sys.executable, "-m", "orchestration.cli", "run", "--fresh"], env=env)
    if run.returncode != 0:
        raise SystemExit(f"run failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return run


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
    runs = [one_run(home) for _ in range(args.repeat)]
    shutil.rmtree(home, ignore_errors=True)
    best = min(runs, key=lambda r: r.seconds)
    report(
        "sample_run",
        {
            "seconds": round(best.seconds, 1),
            "runs": [round(r.seconds, 1) for r in runs],
            "cpu_seconds": [round(r.cpu_seconds, 1) for r in runs],
            "peak_rss_mb": round(max(r.peak_rss_mb for r in runs)),
            "load_before": [r.load_before for r in runs],
        },
        [
            f"sample run wall time: best {best.seconds:.1f} s (target < {TARGET_S} s), runs: "
            + ", ".join(f"{r.seconds:.1f}" for r in runs),
            "CPU time (user + system, whole tree): "
            + ", ".join(f"{r.cpu_seconds:.1f}" for r in runs),
            f"peak memory of the process tree: {max(r.peak_rss_mb for r in runs):,.0f} MB",
            "load average (1, 5, 15 min) before each run: "
            + "; ".join(str(r.load_before) for r in runs),
        ],
    )


if __name__ == "__main__":
    main()
