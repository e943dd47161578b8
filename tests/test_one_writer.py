"""One writer at a time: the instance configuration the command line sets up limits the pool of
the writing steps, and every writing step waits for the home's write turn, so two runs on one
instance take turns at writing, even when they claim the pool at the same instant."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import dagster as dg
import yaml

from orchestration.home_lock import write_turn
from orchestration.instance_config import (
    WRITE_POOL,
    ensure_instance_config,
    ensure_write_pool,
    pool_limit,
)

ROOT = Path(__file__).resolve().parents[1]


def test_a_new_instance_gets_the_pool_limit(tmp_path):
    assert ensure_instance_config(tmp_path / "dagster")
    config = yaml.safe_load((tmp_path / "dagster" / "dagster.yaml").read_text())
    assert config["concurrency"]["pools"] == {"granularity": "op", "default_limit": 1}
    assert config["telemetry"] == {"enabled": False}
    assert not ensure_instance_config(tmp_path / "dagster")  # already there: left alone


def test_an_instance_file_without_a_limit_keeps_its_text_and_gains_one(tmp_path):
    own = "# our storage\ntelemetry:\n  enabled: true\n"
    (tmp_path / "dagster.yaml").write_text(own)
    assert ensure_instance_config(tmp_path)
    text = (tmp_path / "dagster.yaml").read_text()
    assert text.startswith(own)
    assert pool_limit(yaml.safe_load(text)) == 1


def test_a_concurrency_section_without_a_pool_limit_gains_one(tmp_path):
    (tmp_path / "dagster.yaml").write_text("concurrency:\n  runs:\n    max_concurrent_runs: 2\n")
    assert ensure_instance_config(tmp_path)
    config = yaml.safe_load((tmp_path / "dagster.yaml").read_text())
    assert config["concurrency"]["runs"] == {"max_concurrent_runs": 2}
    assert pool_limit(config) == 1


def test_a_limit_set_by_the_user_is_kept(tmp_path):
    own = "concurrency:\n  pools:\n    default_limit: 3\n"
    (tmp_path / "dagster.yaml").write_text(own)
    assert not ensure_instance_config(tmp_path)
    assert (tmp_path / "dagster.yaml").read_text() == own


def test_every_step_that_writes_the_warehouse_is_in_the_write_pool():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    writers = {
        "warehouse/build",
        "raw/ofac_sdn__sdn",
        "raw/baci__trade",
        "marts/fct_trade_flows",
        "warehouse/published",
    }
    for key in writers:
        node = graph.get(dg.AssetKey.from_user_string(key))
        assert node.pools == {WRITE_POOL}, key


WRITER = """
import contextlib, sys, time
from pathlib import Path
import dagster as dg
from orchestration.home_lock import write_turn
from orchestration.instance_config import WRITE_POOL

# writer.py SPANS MODE [GO]: MODE "turn" takes the home's write turn as the writing steps do,
# "pool" relies on the pool alone.
log, mode = Path(sys.argv[1]), sys.argv[2]


def count(what):
    return sum(line.startswith(what) for line in log.read_text().splitlines())


def note(line):
    with log.open("a") as out:
        out.write(line + "\\n")


@dg.asset(pool=WRITE_POOL)
def writer() -> None:
    turn = write_turn(log.parent / "home") if mode == "turn" else contextlib.nullcontext()
    with turn:
        write()


def write() -> None:
    started = time.time()
    note(f"writing {started}")
    # Write until the other run is up and has had fifteen seconds to start writing too (it
    # cannot while the pool holds it back), or until it is writing as well.
    deadline = time.time() + 240
    while count("ready") < 2 and time.time() < deadline:
        time.sleep(0.2)
    settle = time.time() + 15
    while count("writing") < 2 and time.time() < settle:
        time.sleep(0.2)
    note(f"span {started} {time.time()}")

job = dg.Definitions(
    assets=[writer], jobs=[dg.define_asset_job("write", executor_def=dg.in_process_executor)]
).resolve_job_def("write")
with dg.DagsterInstance.get() as instance:
    note(f"ready {time.time()}")
    # Started together: both wait for the go file, so both claim the pool at the same instant.
    if len(sys.argv) > 3:
        while not Path(sys.argv[3]).exists():
            time.sleep(0.005)
    sys.exit(0 if job.execute_in_process(instance=instance).success else 1)
"""


def _overlaps(dagster_home: Path, mode: str = "pool") -> bool:
    """Whether two runs of a step in the write pool, in two processes on the instance of
    ``dagster_home``, were writing at the same time (``mode``: WRITER)."""
    script = dagster_home / "writer.py"
    script.write_text(WRITER)
    spans = dagster_home / "spans.txt"
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home)}
    first = subprocess.Popen([sys.executable, str(script), str(spans), mode], env=env, cwd=ROOT)
    # The second run starts while the first is writing (the first keeps writing until the
    # second is up: WRITER).
    deadline = time.monotonic() + 240
    while not (spans.exists() and "writing" in spans.read_text()) and time.monotonic() < deadline:
        time.sleep(0.2)
    second = subprocess.Popen([sys.executable, str(script), str(spans), mode], env=env, cwd=ROOT)
    runs = [first, second]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    lines = [line.split() for line in spans.read_text().splitlines()]
    (_, first_end), (second_start, _) = sorted(
        (float(start), float(end)) for what, start, end in (x for x in lines if x[0] == "span")
    )
    return second_start < first_end


def _overlap_when_started_together(dagster_home: Path, mode: str) -> bool:
    """Whether two runs started at the same instant on a new instance, each claiming the write
    pool for the first time, were writing at the same time (``mode``: WRITER)."""
    script = dagster_home / "writer.py"
    script.write_text(WRITER)
    # The instance's storage exists before the runs, as every command creates it first (under
    # the pool lock, ensure_write_pool): two processes creating a new SQLite storage at the same
    # instant would collide on its tables, which is not what this measures.
    with dg.DagsterInstance.from_config(str(dagster_home)):
        pass
    spans, go = dagster_home / "spans.txt", dagster_home / "go"
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home)}
    runs = [
        subprocess.Popen(
            [sys.executable, str(script), str(spans), mode, str(go)], env=env, cwd=ROOT
        )
        for _ in range(2)
    ]
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and not (
        spans.exists() and spans.read_text().count("ready") == 2
    ):
        if any(run.poll() not in (None, 0) for run in runs):
            break  # one failed before it was ready: no use waiting for it
        time.sleep(0.05)
    go.touch()
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    lines = [line.split() for line in spans.read_text().splitlines()]
    (_, first_end), (second_start, _) = sorted(
        (float(start), float(end)) for what, start, end in (x for x in lines if x[0] == "span")
    )
    return second_start < first_end


def test_the_write_pool_exists_before_any_run_claims_it(tmp_path):
    home = tmp_path / "dagster"
    ensure_instance_config(home)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        pools = {p.name: p.limit for p in instance.event_log_storage.get_pool_limits()}
        assert pools == {WRITE_POOL: 1}
        assert instance.event_log_storage.get_concurrency_info(WRITE_POOL).slot_count == 1
    # Asked again (every command asks): still one slot.
    ensure_instance_config(home)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert instance.event_log_storage.get_concurrency_info(WRITE_POOL).slot_count == 1


SETUP = """
import sys, time
from pathlib import Path
from orchestration.instance_config import ensure_instance_config
while not Path(sys.argv[2]).exists():
    time.sleep(0.005)
ensure_instance_config(Path(sys.argv[1]))
"""


def test_commands_started_together_on_a_new_instance_all_set_it_up(tmp_path):
    # Each command sets up the instance before anything else; on a new one that creates the
    # SQLite storage, which two processes doing at the same instant break.
    home, go = tmp_path / "dagster", tmp_path / "go"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        "telemetry:\n  enabled: false\nconcurrency:\n  pools:\n    default_limit: 1\n"
    )
    commands = [
        subprocess.Popen(
            [sys.executable, "-c", SETUP, str(home), str(go)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    time.sleep(3)  # all three importing, then waiting for the go file
    go.touch()
    results = [(command.wait(timeout=120), command.stderr.read()) for command in commands]
    assert [code for code, _ in results] == [0, 0, 0], [err[-500:] for _, err in results]
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert instance.event_log_storage.get_concurrency_info(WRITE_POOL).slot_count == 1


def test_a_limit_of_the_users_sets_the_pool(tmp_path):
    (tmp_path / "dagster.yaml").write_text("concurrency:\n  pools:\n    default_limit: 3\n")
    assert ensure_write_pool(tmp_path) == 3


def test_two_first_runs_started_together_take_turns(tmp_path):
    # Neither run finds the pool in the instance's storage missing: the command line created it.
    # Claimed at the same instant, the pool's one slot can still go to both (SQLite ignores the
    # row lock Dagster's claim asks for): the write turn is what keeps them apart then.
    ensure_instance_config(tmp_path / "limited")
    assert not _overlap_when_started_together(tmp_path / "limited", "turn")


def test_the_write_turn_alone_keeps_two_runs_started_together_apart(tmp_path):
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    assert not _overlap_when_started_together(tmp_path / "open", "turn")


def test_the_build_step_waits_for_the_write_turn(tmp_path):
    # A step of another run writing the home's warehouse: the build step must not delete its
    # build file meanwhile.
    from orchestration.assets.warehouse import build_warehouse
    from orchestration.settings import RoundaboutSettings

    home = tmp_path / "home"
    settings = RoundaboutSettings(home=str(home), inputs=str(tmp_path / "in"))
    done = threading.Event()

    def materialise():
        assert dg.materialize([build_warehouse], resources={"settings": settings}).success
        done.set()

    with write_turn(home):
        runner = threading.Thread(target=materialise)
        runner.start()
        assert not done.wait(3)
        assert not (home / "build" / "warehouse.duckdb").exists()
    assert done.wait(120)
    runner.join()
    assert (home / "build" / "warehouse.duckdb").exists()


def test_two_writing_runs_take_turns_on_the_instance_the_cli_sets_up(tmp_path):
    ensure_instance_config(tmp_path / "limited")
    assert not _overlaps(tmp_path / "limited")


def test_without_the_limit_two_writing_runs_would_overlap(tmp_path):
    # The contrast that shows the limit is what keeps them apart.
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    assert _overlaps(tmp_path / "open")
