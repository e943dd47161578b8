"""A run killed with SIGKILL during ingest or during dbt leaves the published warehouse as it
was, readable all along; the next run publishes the same marts as an undisturbed one."""

from __future__ import annotations

import hashlib
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.home_lock import home_lock
from orchestration.settings import SAMPLE_INPUTS
from tests.conftest import run_in

pytestmark = pytest.mark.slow

REPO = Path(__file__).parent.parent


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# When a file was loaded or a partition built: a rerun reads the sample's Comext, Comtrade and
# Armstat files again (only BACI's bulk files are skipped when unchanged), so these times move
# while what the marts hold stays the same.
LOAD_TIMES = ("loaded_at", "built_at", "ingested_at")


def marts_rows(database: Path) -> dict[str, list[tuple]]:
    """Each mart's rows in a fixed order, load and build times left out (read with a DuckDB
    connection of its own)."""
    with duckdb.connect(str(database), read_only=True) as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        rows = {}
        for table in tables:
            columns = [
                f'"{c}"'
                for (c,) in con.execute(
                    "select column_name from information_schema.columns where table_schema = "
                    "'marts' and table_name = ? and column_name not in ? order by ordinal_position",
                    [table, list(LOAD_TIMES)],
                ).fetchall()
            ]
            sql = f"select {', '.join(columns)} from marts.{table} order by all"
            rows[table] = con.execute(sql).fetchall()
        return rows


# Each run screens the configured counterparties again as a screening of its own.
SCREENING_MARTS = {"fct_company_exposure", "fct_screening_matches", "fct_screening_new_hits"}


def screening_matches(database: Path) -> list[tuple]:
    """Who matched whom, with what score and decision, in the latest screening."""
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            "select counterparty_id, entity_key, round(score, 6), decision "
            "from marts.fct_screening_matches order by all"
        ).fetchall()


def same_rows(left: list[tuple], right: list[tuple]) -> bool:
    """Equal row for row; doubles to a relative millionth: sums and ratios come out of DuckDB's
    parallel aggregation in any order, so their last bits differ between any two builds (and a
    growth rate, a difference of near-equal sums, carries that further)."""
    if len(left) != len(right):
        return False
    for a, b in zip(left, right, strict=True):
        for u, v in zip(a, b, strict=True):
            if isinstance(u, float) and isinstance(v, float):
                if not math.isclose(u, v, rel_tol=1e-6, abs_tol=1e-9):
                    return False
            elif u != v:
                return False
    return True


def start_run(home: Path) -> subprocess.Popen:
    env = {**os.environ, "DAGSTER_HOME": str(home / "dagster")}
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "--home", str(home), "run",
         "--inputs", str(SAMPLE_INPUTS)],
        cwd=REPO, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def kill_when(run: subprocess.Popen, ready, published: Path, timeout: float = 600) -> int:
    """Read the published warehouse while the run goes on; SIGKILL the run's whole process
    group (dbt included) once ``ready()``. Returns how many reads succeeded."""
    reads, deadline = 0, time.monotonic() + timeout
    expected = None
    while not ready():
        assert run.poll() is None, "the run ended before the kill point"
        assert time.monotonic() < deadline, "kill point never reached"
        with duckdb.connect(str(published), read_only=True) as con:
            count = con.execute("select count(*) from marts.dim_sanctioned_entity").fetchall()
        expected = expected or count
        assert count == expected  # never a mixed or half-written version
        reads += 1
        time.sleep(0.2)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    return reads


def test_sigkill_in_ingest_and_in_dbt_then_a_rerun(sample_home_copy):
    home = sample_home_copy
    published = home / "warehouse.duckdb"
    before, marts_before = sha256(published), marts_rows(published)
    matches_before = screening_matches(published)
    assert matches_before  # the sample screens its counterparty file
    build = home / "build" / "warehouse.duckdb"

    # During ingest: the build copy exists, dbt has not started.
    run = start_run(home)
    reads = kill_when(run, lambda: build.exists(), published)
    assert sha256(published) == before
    with home_lock(home):  # the killed run's lock went with it
        pass

    # During dbt: dbt has written its first artifacts for this run.
    dbt_runs = home / "runs" / "dbt"
    known = set(dbt_runs.iterdir()) if dbt_runs.exists() else set()

    def dbt_started() -> bool:
        fresh = set(dbt_runs.iterdir()) - known if dbt_runs.exists() else set()
        return any((d / "run_results.json").exists() or any(d.rglob("*.sql")) for d in fresh)

    run = start_run(home)
    reads += kill_when(run, dbt_started, published)
    assert sha256(published) == before
    assert reads > 0

    again = run_in(home)
    assert again.success, again.render()
    marts_after = marts_rows(published)
    assert marts_after.keys() == marts_before.keys()
    differing = [
        t
        for t in marts_before
        if t not in SCREENING_MARTS and not same_rows(marts_after[t], marts_before[t])
    ]
    assert differing == []
    # The screening marts describe the run's own screening (its id, time, and the hits new
    # since the one before): what was matched stays the same.
    assert screening_matches(published) == matches_before
