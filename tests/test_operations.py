"""Running Roundabout: old run folders pruned, the progress line, the failed step first in the
summary, and `roundabout ui` leaving no process behind when stopped."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.cli import group_members
from orchestration.progress import Progress, RunState
from orchestration.runs import prune_runs


def _touch(path: Path, mtime: float, folder: bool = False) -> None:
    if folder:
        path.mkdir(parents=True)
        (path / "manifest.json").write_text("{}")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("log")
    os.utime(path, (mtime, mtime))


def test_prune_keeps_the_last_runs_whole(tmp_path):
    runs = tmp_path / "runs"
    now = time.time()
    # Five runs, oldest first; each run has two dbt step folders and a log.
    for i, run in enumerate(["aaaaaaaa", "bbbbbbbb", "cccccccc", "dddddddd", "eeeeeeee"]):
        for step in ("dbt_models", "screening_models"):
            _touch(runs / "dbt" / f"{run}-{step}", now - 100 + i * 10, folder=True)
        _touch(runs / f"2026120{i}T000000Z.log", now - 100 + i * 10)
    removed = prune_runs(runs, keep=2)
    assert sorted(p.name for p in (runs / "dbt").iterdir()) == [
        "dddddddd-dbt_models",
        "dddddddd-screening_models",
        "eeeeeeee-dbt_models",
        "eeeeeeee-screening_models",
    ]
    assert sorted(p.name for p in runs.glob("*.log")) == [
        "20261203T000000Z.log",
        "20261204T000000Z.log",
    ]
    assert len(removed) == 6 + 3
    assert prune_runs(runs, keep=2) == []
    assert prune_runs(tmp_path / "nothing", keep=2) == []


def test_progress_line_counts_assets_and_names_the_step():
    seen: list[str] = []

    @dg.asset
    def first():
        return 1

    @dg.asset(deps=[first])
    def second(context):
        # Read the run's events as the progress thread does, while this step runs.
        progress = Progress(context.instance, context.run_id, io.StringIO())
        progress.poll()
        seen.append(progress.state.line(65.2))

    @dg.asset(deps=[second])
    def third():
        return 3

    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([first, second, third], instance=instance)
    assert seen == ["[1/3 assets] second  01:05"]
    after = Progress(instance, result.run_id, io.StringIO())
    after.poll()
    assert after.state.line(70) == "[3/3 assets] starting  01:10"
    assert isinstance(after.state, RunState)


def test_progress_is_quiet_when_not_a_terminal():
    stream = io.StringIO()
    with Progress(dg.DagsterInstance.ephemeral(), "no-run", stream) as progress:
        time.sleep(0.7)
    assert not progress.enabled and stream.getvalue() == ""


def test_failed_step_and_reason_come_first(tmp_path):
    from orchestration.pipeline import RunSummary, StepFailure

    summary = RunSummary(
        inputs=tmp_path,
        published_db=tmp_path / "warehouse.duckdb",
        success=False,
        published=False,
        seconds=1.0,
        failed_steps=["ingest_un"],
        failures=[StepFailure("ingest_un", "consolidated.xml line 3: no DATAID")],
    )
    lines = summary.render().splitlines()
    assert lines[0] == "ERROR consolidated.xml line 3: no DATAID (step ingest_un)"
    assert sum("ingest_un" in line for line in lines) == 1


# A process tree like dagster dev's: a parent starting two children that ignore nothing special.
TREE = textwrap.dedent(
    """
    import subprocess, sys, time
    children = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
                for _ in range(2)]
    print(" ".join(str(c.pid) for c in children), flush=True)
    time.sleep(600)
    """
)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def _ignore_signals() -> None:
    """As a shell's background job or a parent ignoring SIGTERM leaves a process: signals
    ignored, which every child inherits unless it sets them again."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("inherited", ["default", "ignored"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_the_whole_process_group(tmp_path, sig, inherited):
    # The launcher runs the tree as `roundabout ui` runs dagster dev.
    launcher = textwrap.dedent(
        f"""
        import sys
        from orchestration.cli import run_until_signalled
        sys.exit(run_until_signalled([sys.executable, "-c", {TREE!r}], grace=5))
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", launcher], stdout=subprocess.PIPE, text=True, cwd=Path.cwd(),
        preexec_fn=_ignore_signals if inherited == "ignored" else None,
    )  # fmt: skip
    children = [int(p) for p in proc.stdout.readline().split()]
    assert len(children) == 2 and all(_alive(p) for p in children)
    time.sleep(0.3)
    proc.send_signal(sig)
    assert proc.wait(timeout=30) != 0
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in children)


@pytest.mark.slow
def test_roundabout_ui_leaves_no_process_after_sigterm(tmp_path):
    """The real `roundabout ui`: dagster dev with its webserver, daemon and code server."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "ROUNDABOUT_HOME": str(tmp_path / "home"),
           "DAGSTER_HOME": str(tmp_path / "dagster")}  # fmt: skip
    (tmp_path / "dagster").mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "ui", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import httpx

        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/server_info", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(1)
        else:
            pytest.fail("dagster dev did not answer within 300 s")
        # Every process of the UI: the group dagster dev leads (the launcher's only child).
        children = [
            int(p.parent.name)
            for p in Path("/proc").glob("[0-9]*/stat")
            if p.read_text().rsplit(")", 1)[1].split()[1] == str(proc.pid)
        ]
        [leader] = children
        started = group_members(leader)
        assert len(started) >= 2, started  # dagster dev and at least its webserver
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=180)  # dagster dev stops its children first; slow on a busy machine
        deadline = time.monotonic() + 10
        while group_members(leader) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert group_members(leader) == []
        assert not any(_alive(p) for p in started)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_service_instance_config_of_the_readme_loads(tmp_path, monkeypatch):
    """The dagster.yaml the README gives for a service is one Dagster accepts: a run queue of
    one and the write pool limited to one step."""
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    start = readme.index("# $DAGSTER_HOME/dagster.yaml")
    (tmp_path / "dagster.yaml").write_text(readme[start : readme.index("```", start)])
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with dg.DagsterInstance.get() as instance:
        config = instance.get_concurrency_config()
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
    assert config.run_queue_config.max_concurrent_runs == 1
    assert config.pool_config.default_pool_limit == 1
