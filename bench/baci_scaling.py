"""How the cost of a run from empty grows with the number of BACI years: 1, 3 and 7 by default,
with the exponent of a least-squares fit of log(time) on log(years) (1.0: linear).

    uv run python -m bench.baci_scaling [--years 1,3,7] [--rows 11000000] [--workdir DIR]

Each point is ``bench.baci_years``'s full run (same generator, same inputs layout, same
measurement of wall time and peak memory of the process tree).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from bench.baci_years import FIRST_YEAR, floor_seconds, lay_out_inputs, pipeline
from bench.measure import exponent, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", default="1,3,7")
    parser.add_argument("--rows", type=int, default=11_000_000)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "roundabout-years"))
    args = parser.parse_args()
    work = Path(args.workdir)
    counts = [int(n) for n in args.years.split(",")]
    points = []
    for n in counts:
        inputs = lay_out_inputs(work, list(range(FIRST_YEAR, FIRST_YEAR + n)), args.rows)
        files = [f.resolve() for f in sorted((inputs / "trade" / "baci").glob("BACI_*.csv"))]
        floor = floor_seconds(files, work / "floor.duckdb")
        home = inputs.parent / "home"
        shutil.rmtree(home, ignore_errors=True)
        run = pipeline(home, inputs, fresh=True)
        shutil.rmtree(home, ignore_errors=True)
        points.append(
            {
                "years": n,
                "seconds": round(run.seconds, 1),
                "cpu_seconds": round(run.cpu_seconds, 1),
                "peak_rss_mb": round(run.peak_rss_mb),
                "floor_seconds": round(floor, 1),
                "load_before": run.load_before,
            }
        )
    slope = exponent([p["years"] for p in points], [p["seconds"] for p in points])
    cpu_slope = exponent([p["years"] for p in points], [p["cpu_seconds"] for p in points])
    floor_slope = exponent([p["years"] for p in points], [p["floor_seconds"] for p in points])
    report(
        "baci_scaling",
        {
            "points": points,
            "exponent": round(slope, 2),
            "cpu_exponent": round(cpu_slope, 2),
            "floor_exponent": round(floor_slope, 2),
        },
        [
            *(
                f"{p['years']} year(s): {p['seconds']} s ({p['cpu_seconds']} s CPU), "
                f"peak {p['peak_rss_mb']:,} MB, floor {p['floor_seconds']} s, "
                f"load before {p['load_before']}"
                for p in points
            ),
            f"time ~ years^{slope:.2f}, CPU time ~ years^{cpu_slope:.2f} "
            f"(floor ~ years^{floor_slope:.2f}); 1.0 is linear",
        ],
    )


if __name__ == "__main__":
    main()
