"""Time the run's check for incremental models changed since the published build.

uv run python -m bench.dbt_state_check --home DIR [--repeat 3]

DIR is a home a run has published in (it holds dbt_state/manifest.json). Each repeat is a new
process that imports the Dagster definitions first, as a run has when its dbt step starts, then
times the first call of the check (dbt ls in process), as a run pays it, and a second call.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

ONE = """
import tempfile, time
from pathlib import Path
import orchestration.definitions
from orchestration.dbt_state import changed_incremental_models, kept_manifest
from orchestration.settings import current
state = kept_manifest(current()).parent
times = []
for _ in range(2):
    started = time.perf_counter()
    found = changed_incremental_models(state, Path(tempfile.mkdtemp()))
    times.append(time.perf_counter() - started)
print(f"first call {times[0]:.2f} s, second {times[1]:.2f} s, found {found}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    env = {**os.environ, "ROUNDABOUT_HOME": os.path.abspath(args.home)}
    env.pop("ROUNDABOUT_BUILD_DB", None)  # follows the home (orchestration/project.py)
    for _ in range(args.repeat):
        subprocess.run([sys.executable, "-c", ONE], env=env, check=True)


if __name__ == "__main__":
    main()
