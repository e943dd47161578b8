"""Several BACI years at real scale through the whole pipeline, from empty, then one more year.

    uv run python -m bench.baci_years [--years 7] [--rows 11000000] [--add-year] [--workdir DIR]

Writes the years with the deterministic generator (tools/synthetic/baci_panel.py,
``write_baci_years``: BACI's real current country codes and HS2017 codes, 2017 onwards), lays
an inputs folder out as a user would (those years plus the bundled sanctions sample), and times
``roundabout run --inputs <dir> --fresh`` in a subprocess: wall time and the peak resident
memory of the whole process tree (Dagster, dbt, DuckDB). The floor is a bare DuckDB read of the
same files into one table. ``--add-year`` then adds the next year to the published warehouse
and times ``roundabout run`` again: it must cost at most 15% of the full run and rebuild only
that year's partitions of fct_trade_flows (checked from the table's ``built_at``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench.measure import report, run_tree
from orchestration.settings import SAMPLE_INPUTS
from tools.synthetic.baci_panel import write_baci_years

FIRST_YEAR = 2017
FULL_TARGET_S, MEMORY_TARGET_MB, ADD_SHARE = 180, 4096, 0.15


def lay_out_inputs(work: Path, years: list[int], rows: int) -> Path:
    """``work/years-N/inputs``: the generated years (shared by every layout, written once) as
    trade/baci, plus the bundled sanctions sample."""
    store = work / "baci"
    write_baci_years(store, years, rows)
    inputs = work / f"years-{len(years)}" / "inputs"
    shutil.rmtree(inputs.parent, ignore_errors=True)
    baci = inputs / "trade" / "baci"
    baci.mkdir(parents=True)
    for table in store.glob("*codes*.csv"):
        (baci / table.name).symlink_to(table)
    for year in years:
        name = next(store.glob(f"BACI_HS17_Y{year}_*.csv")).name
        (baci / name).symlink_to(store / name)
    # The generator's note: the loader marks these files, and every row from them, synthetic.
    if (store / "SYNTHETIC.md").exists():
        (baci / "SYNTHETIC.md").symlink_to(store / "SYNTHETIC.md")
    (inputs / "sanctions").symlink_to(SAMPLE_INPUTS / "sanctions")
    return inputs


def floor_seconds(files: list[Path], db: Path, reuse: bool = False) -> float:
    """A bare DuckDB read of the same CSVs into one table, then a checkpoint. ``reuse``: the
    time measured before for the same files, if any (kept beside ``db``)."""
    kept = db.with_name(f"floor-{len(files)}-files.txt")
    if reuse and kept.exists():
        return float(kept.read_text())
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    started = time.perf_counter()
    con.execute(
        """create table floor as select * from read_csv(?, header = true, auto_detect = false,
           columns = {'t': 'INTEGER', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'VARCHAR',
                      'v': 'DOUBLE', 'q': 'VARCHAR'})""",
        [[str(f) for f in files]],
    ).fetchall()
    con.execute("checkpoint").fetchall()
    elapsed = time.perf_counter() - started
    con.close()
    db.unlink(missing_ok=True)
    kept.write_text(str(elapsed))
    return elapsed


def pipeline(home: Path, inputs: Path, fresh: bool):
    env = {**os.environ, "ROUNDABOUT_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    (home / "dagster").mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-m", "orchestration.cli", "run", "--inputs", str(inputs)]
    run = run_tree(args + (["--fresh"] if fresh else []), env=env)
    if run.returncode != 0:
        raise SystemExit(f"run failed:\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}")
    return run


def partitions_built_last(warehouse: Path) -> list[str]:
    """The fct_trade_flows partitions of BACI written by the newest build."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [
            p
            for (p,) in con.execute(
                """select distinct load_partition from marts.fct_trade_flows
                   where source = 'baci'
                     and built_at = (select max(built_at) from marts.fct_trade_flows)
                   order by 1"""
            ).fetchall()
        ]


def slowest_dbt_nodes(home: Path, count: int = 8) -> dict[str, float]:
    """The slowest nodes of the home's last dbt build of the models (dbt's run_results.json),
    in seconds: where an added year's time goes."""
    builds = sorted(
        (home / "runs" / "dbt").glob("*-dbt_models/run_results.json"),
        key=lambda path: path.stat().st_mtime,
    )
    if not builds:
        return {}
    results = json.loads(builds[-1].read_text())["results"]
    slowest = sorted(results, key=lambda r: -r["execution_time"])[:count]
    return {r["unique_id"].split(".")[2]: round(r["execution_time"], 1) for r in slowest}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--rows", type=int, default=11_000_000, help="rows per year")
    parser.add_argument("--add-year", action="store_true", help="then add one more year")
    parser.add_argument(
        "--reuse-floor", action="store_true", help="take the floor measured before, if any"
    )
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "roundabout-years"))
    args = parser.parse_args()
    work = Path(args.workdir)
    years = list(range(FIRST_YEAR, FIRST_YEAR + args.years))
    inputs = lay_out_inputs(work, years, args.rows)
    files = sorted((inputs / "trade" / "baci").glob("BACI_*.csv"))
    home = work / f"years-{len(years)}" / "home"
    shutil.rmtree(home, ignore_errors=True)
    full = pipeline(home, inputs, fresh=True)
    floor = floor_seconds([f.resolve() for f in files], work / "floor.duckdb", args.reuse_floor)
    result = {
        "years": len(years),
        "rows": args.rows * len(years),
        "seconds": round(full.seconds, 1),
        "cpu_seconds": round(full.cpu_seconds, 1),
        "peak_rss_mb": round(full.peak_rss_mb),
        "floor_seconds": round(floor, 1),
        "ratio_to_floor": round(full.seconds / floor, 1),
        "load_before": full.load_before,
        "load_after": full.load_after,
    }
    summary = [
        f"{len(years)} BACI years ({args.rows * len(years):,} rows) from empty: "
        f"{full.seconds:.1f} s (target {FULL_TARGET_S} s), peak memory of the process tree "
        f"{full.peak_rss_mb:,.0f} MB (target {MEMORY_TARGET_MB:,} MB)",
        f"floor (bare DuckDB read of the same files): {floor:.1f} s, "
        f"ratio {full.seconds / floor:.1f}",
        f"CPU time of the tree: {full.cpu_seconds:.1f} s; load average before/after: "
        f"{full.load_before} / {full.load_after}",
    ]
    print(*summary, sep="\n", flush=True)  # before the next run, which takes a while
    if args.add_year:
        added = FIRST_YEAR + args.years
        more = lay_out_inputs(work, [*years, added], args.rows)
        # The published home moves to the new layout's folder: the run reads the new inputs.
        home_more = more.parent / "home"
        shutil.rmtree(home_more, ignore_errors=True)
        shutil.copytree(home, home_more, symlinks=True)
        step = pipeline(home_more, more, fresh=False)
        built = partitions_built_last(home_more / "warehouse.duckdb")
        share = step.seconds / full.seconds
        result |= {
            "add_year_seconds": round(step.seconds, 1),
            "add_year_cpu_seconds": round(step.cpu_seconds, 1),
            "add_year_share": round(share, 3),
            "add_year_peak_rss_mb": round(step.peak_rss_mb),
            "add_year_partitions_built": built,
            "add_year_slowest_dbt_nodes": slowest_dbt_nodes(home_more),
        }
        summary += [
            f"one more year ({added}) on top: {step.seconds:.1f} s = {share:.0%} of the full "
            f"run (target <= {ADD_SHARE:.0%}), peak memory {step.peak_rss_mb:,.0f} MB, CPU "
            f"{step.cpu_seconds:.1f} s ({step.cpu_seconds / full.cpu_seconds:.0%} of the full "
            f"run's); load average before {step.load_before}",
            f"BACI partitions of fct_trade_flows built by that run: {', '.join(built)}",
            "its slowest dbt nodes (s): "
            + ", ".join(f"{n} {t}" for n, t in result["add_year_slowest_dbt_nodes"].items()),
        ]
    report("baci_years", result, summary)


if __name__ == "__main__":
    main()
