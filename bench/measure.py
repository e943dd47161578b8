"""What every benchmark reports: wall time, the peak resident memory of a whole process tree,
the machine's load, and one JSON line beside a readable summary."""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import resource
import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import psutil


@dataclass
class TreeRun:
    """A command run as a subprocess, with the peak of the summed resident memory of it and
    every process it starts (sampled every ``interval`` seconds: DuckDB, dbt and Dagster may
    each run in a process of their own)."""

    seconds: float = 0.0
    cpu_seconds: float = 0.0  # user + system of the whole tree: less sensitive to other load
    peak_rss_mb: float = 0.0
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    load_before: tuple[float, float, float] = field(default_factory=os.getloadavg)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)


def _tree_rss(root: psutil.Process) -> int:
    total = 0
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):  # ended since listed
            total += process.memory_info().rss
    return total


def run_tree(args: list[str], env: dict[str, str] | None = None, interval: float = 0.1) -> TreeRun:
    run = TreeRun()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    root = psutil.Process(child.pid)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(root))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    run.stdout, run.stderr = child.communicate()
    run.seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    run.returncode = child.returncode
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.cpu_seconds = (cpu_after.ru_utime - cpu_before.ru_utime) + (
        cpu_after.ru_stime - cpu_before.ru_stime
    )
    run.peak_rss_mb = peak / 2**20
    run.load_after = os.getloadavg()
    return run


def machine() -> dict:
    return {
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def exponent(xs: list[float], ys: list[float]) -> float:
    """Slope of the least-squares line through (log x, log y)."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum(
        (a - mx) ** 2 for a in lx
    )


def report(benchmark: str, result: dict, summary: list[str]) -> None:
    """One JSON line (for scripts), then the readable summary."""
    print(json.dumps({"benchmark": benchmark, **result, **machine()}, default=str))
    for line in summary:
        print(line)
