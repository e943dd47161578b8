"""Matching API throughput and latency: requests per second and latency percentiles of
``POST /match/default`` against a ``roundabout serve`` process started here on 127.0.0.1.

The queries are the screening benchmark's counterparties (``bench.screening_bench``: a fifth
variants of listed names, the rest invented company names, with countries; ``--seed``), one
query entity per request unless ``--batch``. Each level of ``--concurrency`` sends the same
``--requests`` requests from that many client threads (httpx, one keep-alive connection per
thread) after ``--warmup`` requests. Traffic goes to 127.0.0.1 only, in a bounded number of
requests, and the server is stopped at the end.

    uv run python -m bench.serve_bench                        # shipped evaluation reference
    uv run python -m bench.serve_bench --warehouse var/warehouse.duckdb --requests 2000
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.screening_bench import counterparties
from orchestration.screening.reference import load_reference

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(warehouse: Path, port: int, home: Path) -> tuple[subprocess.Popen, float]:
    command = [
        sys.executable, "-m", "orchestration.cli", "--home", str(home), "serve",
        "--port", str(port), "--warehouse", str(warehouse), "--log-level", "warning",
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "DAGSTER_HOME": str(home)})
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
        while time.perf_counter() - started < 300:
            if process.poll() is not None:
                raise SystemExit("server exited during start-up")
            try:
                if client.get("/healthz").status_code == 200:
                    return process, time.perf_counter() - started
            except httpx.TransportError:
                time.sleep(0.25)
    process.terminate()
    raise SystemExit("server did not start in 300 s")


def bodies(warehouse: Path, n: int, batch: int, seed: int) -> list[dict]:
    names = load_reference(warehouse).entities["primary_name"].to_list()
    frame = counterparties(names, n * batch, seed)
    rows = frame.iter_rows(named=True)
    out = []
    for _ in range(n):
        queries = {}
        for _ in range(batch):
            row = next(rows)
            props = {"name": [row["name"]]}
            if row["country"]:
                props["country"] = [row["country"]]
            queries[row["id"]] = {"schema": "Company", "properties": props}
        out.append({"queries": queries})
    return out


def run_level(base: str, requests: list[dict], concurrency: int) -> tuple[float, list[float]]:
    """Wall time and per-request latencies (seconds) of sending ``requests`` from
    ``concurrency`` threads."""
    latencies: list[float] = []
    lock = threading.Lock()
    cursor = iter(range(len(requests)))
    failures: list[str] = []

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while True:
                with lock:
                    i = next(cursor, None)
                if i is None:
                    return
                sent = time.perf_counter()
                response = client.post("/match/default", json=requests[i])
                took = time.perf_counter() - sent
                with lock:
                    latencies.append(took)
                    if response.status_code != 200:
                        failures.append(f"{response.status_code}: {response.text[:200]}")

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} failed requests, first: {failures[0]}")
    return wall, latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="matching API throughput and latency")
    parser.add_argument("--warehouse", type=Path, default=ROOT / "data/eval/reference")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--concurrency", default="1,4")
    parser.add_argument("--batch", type=int, default=1, help="query entities per request")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    levels = [int(c) for c in args.concurrency.split(",")]

    requests = bodies(args.warehouse, args.requests + args.warmup, args.batch, args.seed)
    port = free_port()
    with tempfile.TemporaryDirectory() as home:
        process, startup = start_server(args.warehouse, port, Path(home))
        try:
            base = f"http://127.0.0.1:{port}"
            print(f"warehouse {args.warehouse}; server ready in {startup:.1f} s (load and index)")
            run_level(base, requests[: args.warmup], 1)
            print(
                f"{'concurrency':>11}{'requests':>10}{'queries/req':>12}{'req/s':>9}"
                f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
            )
            for level in levels:
                wall, lat = run_level(base, requests[args.warmup :], level)
                ms = [x * 1000 for x in lat]
                print(
                    f"{level:>11}{len(lat):>10}{args.batch:>12}{len(lat) / wall:>9.1f}"
                    f"{statistics.median(ms):>9.1f}{percentile(ms, 0.95):>9.1f}"
                    f"{percentile(ms, 0.99):>9.1f}{max(ms):>9.1f}"
                )
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
