"""Time the ingest of every sanctions list in an inputs directory (parse and load, per source).

    uv run python -m bench.sanctions_ingest --inputs DIR

DIR is laid out like data/sample (sanctions/<source>/<release>/<files>); the figures in
docs/benchmarks.md come from the real snapshots the project's tests extract from.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

from orchestration.raw.ingest import ingest_source
from orchestration.sources import SPECS
from orchestration.sources.common.registry import discover


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", required=True)
    args = parser.parse_args()
    found = discover(Path(args.inputs))
    specs = [s for s in SPECS if s.kind == "sanctions" and found.for_source(s.name)]
    with tempfile.TemporaryDirectory() as work:
        con = duckdb.connect(str(Path(work) / "bench.duckdb"))
        started = time.perf_counter()
        for spec in specs:
            t0 = time.perf_counter()
            loads = ingest_source(con, spec, found.for_source(spec.name))
            rows = sum(load.rows for load in loads.values())
            print(
                f"{spec.name:14s} {len(found.for_source(spec.name)):3d} files "
                f"{rows:9,d} rows {time.perf_counter() - t0:6.2f} s"
            )
        total = time.perf_counter() - started
        con.close()
    print(f"{platform.machine()}, {os.cpu_count()} cores, {date.today()}")
    print(f"all sanctions lists: {total:.2f} s (target <= 20 s)")


if __name__ == "__main__":
    main()
