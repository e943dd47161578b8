"""BACI ingest against its floor: a bare DuckDB COPY of the same CSV into a table.

    uv run python -m bench.baci_ingest [--rows 11000000] [--workdir DIR] [--check]

``--check`` also times the table's Great Expectations suite as the ingest step runs it (SQL in
the warehouse), against the target of half the ingest time.

Generates one BACI year of the real shape (synthetic values), then times, each in a fresh
database: the floor (``create table as select * from read_csv(...)`` with BACI's columns), and
Roundabout's ingest of the same file (sha256, lineage, line numbers checked against a line
count, rejects to quarantine, replacement of the year's partition in one transaction). Prints
both and their ratio, then checks stored line numbers against the file.
"""

from __future__ import annotations

import argparse
import platform
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

from bench.measure import report
from orchestration.raw.ingest import ingest_source
from orchestration.sources import source_specs
from orchestration.sources.common.base import _SHA_CACHE, SourceFile
from tools.synthetic.baci_panel import write_baci_year

FLOOR_SQL = """
create table floor as select * from read_csv(?, header = true, auto_detect = false,
    delim = ',', quote = '"',
    columns = {'t': 'INTEGER', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'VARCHAR',
               'v': 'DOUBLE', 'q': 'VARCHAR'})
"""


def _fresh(path: Path) -> duckdb.DuckDBPyConnection:
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    return duckdb.connect(str(path))


def time_floor(csv_path: Path, db: Path) -> float:
    con = _fresh(db)
    started = time.perf_counter()
    con.execute(FLOOR_SQL, [str(csv_path)]).fetchall()
    con.execute("checkpoint").fetchall()
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def time_ingest(csv_path: Path, db: Path) -> tuple[float, int]:
    con = _fresh(db)
    spec = next(s for s in source_specs("baci") if s.name == "baci")
    file = SourceFile(
        path=csv_path, source="baci", release_date=None, relative_path=f"trade/baci/{csv_path.name}"
    )
    _SHA_CACHE.clear()  # hashing the file is part of ingesting it: counted
    started = time.perf_counter()
    loads = ingest_source(con, spec, [file])
    con.execute("checkpoint").fetchall()
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed, loads["trade"].rows


def check_lines(csv_path: Path, db: Path, every: int = 250_000) -> int:
    """Compare every ``every``-th stored row with the line of the file its source_line names
    (the file is read line by line here, outside the timings). Returns the rows checked."""
    con = duckdb.connect(str(db), read_only=True)
    stored = dict(
        (line, (t, i, j, k))
        for line, t, i, j, k in con.execute(
            "select source_line, t, i, j, k from raw.baci__trade where source_line % ? = 0",
            [every],
        ).fetchall()
    )
    con.close()
    with csv_path.open() as handle:
        for number, text in enumerate(handle, start=1):
            if number in stored:
                t, i, j, k = text.split(",")[:4]
                if stored[number] != (int(t), int(i), int(j), k.zfill(6)):
                    raise SystemExit(f"line {number}: stored {stored[number]}, file {text!r}")
    return len(stored)


def time_check(db: Path) -> tuple[float, bool, int]:
    """The Great Expectations suite of raw.baci__trade over the ingested year, as the ingest
    asset runs it after the load: (seconds, passed, rows)."""
    from orchestration.checks.gx_suites import import_great_expectations, run_suite, suite_path

    import_great_expectations()  # imports are a run's fixed cost, not the check's
    con = duckdb.connect(str(db), read_only=True)
    started = time.perf_counter()
    outcome = run_suite(con, "baci__trade", suite_path("baci__trade", "trade"))
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed, outcome.success, outcome.rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=11_000_000)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "roundabout-bench"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--check", action="store_true", help="also time the GX suite over the ingested year"
    )
    args = parser.parse_args()
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / "BACI_HS17_Y2022_V202601.csv"
    if not csv_path.exists() or csv_path.stat().st_size == 0:
        write_baci_year(csv_path, 2022, args.rows)
    size_mb = csv_path.stat().st_size / 1e6
    print(
        f"file: {csv_path} ({size_mb:.0f} MB), {platform.processor() or platform.machine()}, "
        f"duckdb {duckdb.__version__}, {date.today()}"
    )
    floors, ingests = [], []
    for _ in range(args.repeat):
        floors.append(time_floor(csv_path, work / "floor.duckdb"))
        seconds, rows = time_ingest(csv_path, work / "ingest.duckdb")
        ingests.append(seconds)
    floor, ingest = min(floors), min(ingests)
    print(
        f"rows ingested: {rows:,}; source_line checked against the file for "
        f"{check_lines(csv_path, work / 'ingest.duckdb'):,} rows"
    )
    print(f"floor (bare COPY): {floor:.2f} s   runs: {', '.join(f'{x:.2f}' for x in floors)}")
    print(f"ingest:            {ingest:.2f} s   runs: {', '.join(f'{x:.2f}' for x in ingests)}")
    print(f"ratio ingest / floor: {ingest / floor:.2f} (target <= 1.5)")
    result = {
        "rows": rows,
        "floor_seconds": round(floor, 2),
        "ingest_seconds": round(ingest, 2),
        "ratio_to_floor": round(ingest / floor, 2),
    }
    if args.check:
        checks = [time_check(work / "ingest.duckdb") for _ in range(args.repeat)]
        check = min(seconds for seconds, _, _ in checks)
        passed = all(ok for _, ok, _ in checks)
        result |= {"check_seconds": round(check, 2), "check_to_ingest": round(check / ingest, 2)}
        print(
            f"Great Expectations suite (SQL in DuckDB): {check:.2f} s over {checks[0][2]:,} rows, "
            f"{'passed' if passed else 'FAILED'}; {check / ingest:.2f} of the ingest time "
            "(target <= 0.5)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["peak_rss_mb"] = round(peak)
    report("baci_ingest", result, [f"peak memory of the process: {peak:,.0f} MB"])


if __name__ == "__main__":
    main()
