"""A backfill launched the way the UI launches one (launchPartitionBackfill of the pipeline job's
partitions, through the GraphQL API of a webserver this test starts, carried out by a Dagster
daemon as under `roundabout ui`) rebuilds only the chosen trade partitions: a year, or months
chosen by the months tag on the backfill (what the UI's "Add tag" on a backfill sets)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from orchestration.partitions import MONTHS_TAG
from orchestration.settings import SAMPLE_INPUTS
from tests.test_graphql import LOCATION, REPOSITORY, _port, gql, wait_for_location
from tests.test_partitions import _built, _built_periods, _panel_rows_by_year

pytestmark = pytest.mark.slow

BACKFILL = """
mutation($params: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $params) {
  __typename
  ... on LaunchBackfillSuccess { backfillId }
  ... on PythonError { message }
  ... on PartitionSetNotFoundError { message }
} }"""

PROGRESS = """query($id: String!) { partitionBackfillOrError(backfillId: $id) {
  ... on PartitionBackfill { status partitionNames runs { runId status tags { key value } } }
} }"""


def _start(command: list[str], env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


@contextlib.contextmanager
def _services(home: Path, inputs: Path, tmp_path: Path) -> Iterator[str]:
    """A webserver and a daemon on a new instance, with the home and inputs as their settings;
    yields the GraphQL URL."""
    dagster_home = tmp_path / "dagster"
    dagster_home.mkdir()
    # Runs start as soon as the daemon submits them (no queue to wait in).
    (dagster_home / "dagster.yaml").write_text(
        "telemetry:\n  enabled: false\n"
        "run_coordinator:\n  module: dagster.core.run_coordinator\n"
        "  class: DefaultRunCoordinator\n"
    )
    # Settings in the test process's environment (ROUNDABOUT_FRESH among them, set by a test or
    # by whoever started the suite) would be the services' defaults: a fresh run publishes the
    # backfilled year alone. The services get only the settings given here.
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ROUNDABOUT_")},
        "DAGSTER_HOME": str(dagster_home),
        "ROUNDABOUT_HOME": str(home),
        "ROUNDABOUT_INPUTS": str(inputs),
    }
    # The webserver and the daemon would each create the instance's SQLite storage on start; at the
    # same moment they both stamp its schema version and the webserver then refuses to load the
    # location ("more than one head present"). `dagster dev` creates the storage before it starts
    # them; so does this test.
    bin_dir = Path(sys.executable).parent
    subprocess.run([bin_dir / "dagster", "instance", "migrate"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    port = _port()
    log_path = tmp_path / "services.log"
    log = log_path.open("w")
    services = [
        _start(
            [sys.executable, "-m", "dagster_webserver", "-m", LOCATION, "-h", "127.0.0.1",
             "-p", str(port)],
            env, log,
        ),
        _start([str(bin_dir / "dagster-daemon"), "run", "-m", LOCATION], env, log),
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/server_info", timeout=2).is_success:
                    break
            except httpx.HTTPError:
                time.sleep(1)
        else:
            pytest.fail("the webserver did not start: " + log_path.read_text())
        wait_for_location(url)
        yield url
    finally:
        for service in services:
            service.terminate()
        for service in services:
            try:
                service.wait(timeout=60)
            except subprocess.TimeoutExpired:
                service.kill()
        log.close()


def _backfill(url: str, partitions: list[str], tags: dict[str, str], log: Path) -> dict[str, str]:
    """Launch a backfill of the pipeline job's partitions as the UI does, wait for its runs, and
    return the tags of its one run."""
    params = {
        "selector": {
            "partitionSetName": "pipeline_partition_set",
            "repositorySelector": {
                "repositoryLocationName": LOCATION,
                "repositoryName": REPOSITORY,
            },
        },
        "partitionNames": partitions,
        "tags": [{"key": k, "value": v} for k, v in tags.items()],
    }
    launched = gql(url, BACKFILL, {"params": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched

    deadline = time.monotonic() + 1800
    runs: list[dict] = []
    while time.monotonic() < deadline:
        backfill = gql(url, PROGRESS, {"id": launched["backfillId"]})
        runs = backfill["partitionBackfillOrError"]["runs"]
        if runs and all(r["status"] in ("SUCCESS", "FAILURE", "CANCELED") for r in runs):
            break
        time.sleep(3)
    assert [r["status"] for r in runs] == ["SUCCESS"], log.read_text()[-3000:]
    return {t["key"]: t["value"] for t in runs[0]["tags"]}


# The shared synthetic-panel warehouse, a webserver, a daemon and a run of the pipeline job.
@pytest.mark.timeout(2700)
def test_a_backfill_from_the_ui_rebuilds_only_the_chosen_year(
    synthetic_home_copy, synthetic_inputs, tmp_path
):
    home = synthetic_home_copy
    before = _built(home / "warehouse.duckdb")
    by_year = _panel_rows_by_year(synthetic_inputs)
    assert 2021 in by_year and len(by_year) > 1

    with _services(home, synthetic_inputs, tmp_path) as url:
        tags = _backfill(url, ["2021"], {}, tmp_path / "services.log")
    # One run of the pipeline job over the chosen partition (single-run backfill policy).
    assert (
        tags["dagster/asset_partition_range_start"],
        tags["dagster/asset_partition_range_end"],
    ) == ("2021", "2021")

    after = _built(home / "warehouse.duckdb")
    assert after.keys() == before.keys()
    rebuilt = {p for p in after if after[p][1] != before[p][1]}
    kept = set(after) - rebuilt
    # Every trade partition of 2021 was built again by the backfill, and no other.
    assert {after[p][0] for p in rebuilt} == {2021}
    assert {after[p][0] for p in kept} == set(by_year) - {2021}
    assert all(after[p] == before[p] for p in kept)
    # The BACI partitions of 2021 hold the sample's 2021 rows, counted by the csv module.
    assert sum(after[p][-1] for p in rebuilt if p.startswith("baci/")) == by_year[2021]


# The bundled sample's warehouse (Comext months among its trade), a webserver and a daemon.
@pytest.mark.timeout(2700)
def test_a_backfill_of_months_from_the_ui_rebuilds_only_those_months(sample_home_copy, tmp_path):
    home = sample_home_copy
    before = _built_periods(home / "warehouse.duckdb")
    # The partitions whose period overlaps March 2022: the month itself and the year 2022 (annual
    # data holding it); both kinds are in the sample.
    march = {p for p, (year, month, *_) in before.items() if year == 2022 and month in (3, None)}
    assert any(before[p][1] == 3 for p in march) and any(before[p][1] is None for p in march)

    with _services(home, SAMPLE_INPUTS, tmp_path) as url:
        # The year holding the months, narrowed by the tag, as a user sets it on the backfill.
        tags = _backfill(url, ["2022"], {MONTHS_TAG: "2022-03/2022-03"}, tmp_path / "services.log")
    assert tags[MONTHS_TAG] == "2022-03/2022-03"

    after = _built_periods(home / "warehouse.duckdb")
    assert after.keys() == before.keys()
    assert {p: v[-1] for p, v in after.items()} == {p: v[-1] for p, v in before.items()}
    rebuilt = {p for p in after if after[p][3] != before[p][3]}
    assert rebuilt == march
    assert all(after[p][3] > before[p][4] for p in rebuilt)
    assert all(after[p] == before[p] for p in set(after) - rebuilt)
