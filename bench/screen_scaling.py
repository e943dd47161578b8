"""`roundabout screen` end to end at several file sizes, with the exponent of the cost.

    uv run python -m bench.screen_scaling --home <home> [--sizes 10000,100000,1000000]

``<home>`` holds a published warehouse (``roundabout --home <home> run --inputs <dir>``; for the
figures in docs/benchmarks.md, every list in the real snapshots). For each size, a counterparty
file is written (``bench.screening_bench``'s deterministic mix: a fifth are variants of listed
names, the rest invented companies), then ``roundabout --home <home> screen FILE --out OUT`` runs
as a subprocess: wall time, CPU of the whole process tree and its peak resident memory. The
screening index is read from the home's cache, as after any ``roundabout run`` (the run builds
it; ``--cold`` removes it before each size, as for lists no run has indexed yet). The exponent is
the least-squares slope of log(time) on log(size): 1.0 is linear.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

from bench.measure import exponent, report, run_tree
from bench.screening_bench import counterparties
from orchestration.screening.index_cache import ensure_index, index_folder
from orchestration.screening.reference import load_reference
from orchestration.screening.run import read_lists, run_time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cold", action="store_true", help="build the index in every command")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "screen-scaling"
    )
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    published = args.home / "warehouse.duckdb"
    names = load_reference(published).entities["primary_name"].to_list()
    args.workdir.mkdir(parents=True, exist_ok=True)
    frame = counterparties(names, max(sizes), args.seed)
    if not args.cold:
        # What `roundabout run` leaves after publishing (asset screening/index), so that no
        # point pays for building the index of this code.
        with duckdb.connect(str(published), read_only=True) as con:
            lists = read_lists(con, run_time().date())
        ensure_index(lists.reference, index_folder(published))
    points = []
    for size in sizes:
        file = args.workdir / f"cp{size}.csv"
        frame.head(size).write_csv(file)
        if args.cold:
            shutil.rmtree(index_folder(published), ignore_errors=True)
        out = args.workdir / f"matches{size}.csv"
        run = run_tree(
            [sys.executable, "-m", "orchestration.cli", "--home", str(args.home), "screen",
             str(file), "--workers", str(args.workers), "--out", str(out)]
        )  # fmt: skip
        if run.returncode != 0:
            raise SystemExit(f"roundabout screen failed on {size:,} rows:\n{run.stderr[-3000:]}")
        matches = sum(1 for _ in out.open()) - 1
        points.append(
            {
                "counterparties": size,
                "seconds": round(run.seconds, 1),
                "cpu_seconds": round(run.cpu_seconds, 1),
                "peak_rss_mb": round(run.peak_rss_mb),
                "matches": matches,
                "load_before": [round(x, 1) for x in run.load_before],
            }
        )
    xs = [p["counterparties"] for p in points]
    slope = exponent(xs, [p["seconds"] for p in points]) if len(points) > 1 else None
    cpu_slope = exponent(xs, [p["cpu_seconds"] for p in points]) if len(points) > 1 else None
    report(
        "screen_scaling",
        {
            "points": points,
            "workers": args.workers,
            "index": "built in each command" if args.cold else "from the home's cache",
            "exponent": slope and round(slope, 2),
            "cpu_exponent": cpu_slope and round(cpu_slope, 2),
        },
        [
            *(
                f"{p['counterparties']:,} counterparties: {p['seconds']} s "
                f"({p['cpu_seconds']} s CPU), peak {p['peak_rss_mb']:,} MB, "
                f"{p['matches']:,} matches, load before {p['load_before']}"
                for p in points
            ),
            f"time ~ size^{slope:.2f}, CPU time ~ size^{cpu_slope:.2f}; 1.0 is linear"
            if slope is not None
            else "one size: no exponent",
        ],
    )


if __name__ == "__main__":
    main()
