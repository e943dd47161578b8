"""The code location as a user of the UI or of its GraphQL API sees it, through a webserver this
test starts: the asset graph from acquisition to exports, the schedules per source and the
sensors, and a run launched with an inputs directory of the caller's choosing."""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from orchestration.assets.acquisition import SOURCES
from orchestration.settings import SAMPLE_INPUTS

pytestmark = pytest.mark.slow

LOCATION = "orchestration.definitions"
REPOSITORY = "__repository__"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    root = tmp_path_factory.mktemp("graphql")
    dagster_home = root / "dagster"
    dagster_home.mkdir()
    # Runs launched through the API start at once (no daemon to take them from a queue).
    (dagster_home / "dagster.yaml").write_text(
        "telemetry:\n  enabled: false\n"
        "run_coordinator:\n  module: dagster.core.run_coordinator\n"
        "  class: DefaultRunCoordinator\n"
    )
    port = _port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(dagster_home),
        "ROUNDABOUT_HOME": str(root / "default-home"),
        "ROUNDABOUT_INPUTS": str(SAMPLE_INPUTS),
    }
    log = (root / "webserver.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "dagster_webserver", "-m", LOCATION, "-h", "127.0.0.1",
         "-p", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/graphql"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/server_info", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(1)
    else:
        proc.kill()
        pytest.fail("the webserver did not start: " + (root / "webserver.log").read_text()[-2000:])
    wait_for_location(url)
    yield url, root
    proc.terminate()
    proc.wait(timeout=60)


def gql(url: str, query: str, variables: dict | None = None) -> dict:
    response = httpx.post(url, json={"query": query, "variables": variables or {}}, timeout=120)
    response.raise_for_status()
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


LOCATIONS = """{ workspaceOrError { __typename ... on Workspace { locationEntries {
    name loadStatus locationOrLoadError { __typename ... on PythonError { message } } } } } }"""


def wait_for_location(url: str, seconds: float = 300) -> None:
    """The webserver answers before it has loaded the code location (slowly on a busy machine):
    until then the repository's jobs and partition sets are not found."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        entries = gql(url, LOCATIONS)["workspaceOrError"].get("locationEntries", [])
        entry = next((e for e in entries if e["name"] == LOCATION), None)
        if entry and entry["loadStatus"] == "LOADED":
            loaded = entry["locationOrLoadError"] or {}
            assert loaded.get("__typename") != "PythonError", loaded.get("message")
            return
        time.sleep(1)
    pytest.fail(f"the code location {LOCATION} did not load within {seconds:.0f} s")


def test_graph_schedules_and_sensors_are_listed(webserver):
    url, _ = webserver
    data = gql(
        url,
        """{ assetNodes { assetKey { path } groupName }
             repositoriesOrError { ... on RepositoryConnection { nodes {
               name location { name }
               schedules { name cronSchedule scheduleState { status } }
               sensors { name } } } } }""",
    )
    groups = {"/".join(n["assetKey"]["path"]): n["groupName"] for n in data["assetNodes"]}
    assert groups["acquire/un"] == "acquisition"
    assert groups["raw/un__entities"] == "raw"
    assert groups["staging/stg_baci__trade"] == "staging"
    assert groups["marts/fct_sanctions_list_changes"] == "marts"
    assert groups["warehouse/published"] == "warehouse"
    assert groups["exports/marts"] == "exports"
    [repo] = data["repositoriesOrError"]["nodes"]
    assert (repo["name"], repo["location"]["name"]) == (REPOSITORY, LOCATION)
    schedules = {s["name"]: s for s in repo["schedules"]}
    assert {f"acquire_{m.folder}" for m in SOURCES} == {
        name.rsplit("_", 1)[0] for name in schedules if name.startswith("acquire_")
    }
    assert schedules["acquire_un_daily"]["cronSchedule"] == "0 4 * * *"
    assert schedules["acquire_baci_yearly"]["cronSchedule"] == "0 4 1 2 *"
    assert all(
        s["scheduleState"]["status"] == "STOPPED"
        for name, s in schedules.items()
        if name.startswith("acquire_")
    )
    assert {"ingest_new_releases", "notify_on_failure", "screen_on_list_change"} <= {
        s["name"] for s in repo["sensors"]
    }


LAUNCH = """
mutation($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename
  ... on LaunchRunSuccess { run { runId } }
  ... on PythonError { message }
  ... on RunConfigValidationInvalid { errors { message } }
} }"""

STATUS = """query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"""


def test_a_run_launched_with_other_inputs_uses_them(webserver, tmp_path):
    url, root = webserver
    # An inputs directory of the caller's own, holding one OFAC release under a date the sample
    # does not have, and a home of its own.
    release = tmp_path / "chosen" / "sanctions" / "ofac_sdn" / "2020-01-31"
    shutil.copytree(SAMPLE_INPUTS / "sanctions" / "ofac_sdn" / "2021-04-25", release)
    home = tmp_path / "chosen-home"
    keys = [["warehouse", "build"], *(["raw", f"ofac_sdn__{t}"] for t in ("sdn", "add", "alt"))]
    params = {
        "selector": {
            "repositoryLocationName": LOCATION,
            "repositoryName": REPOSITORY,
            "jobName": "pipeline",
            "assetSelection": [{"path": k} for k in keys],
        },
        "runConfigData": {
            "resources": {
                "settings": {"config": {"inputs": str(tmp_path / "chosen"), "home": str(home)}}
            }
        },
        "mode": "default",
    }
    launched = gql(url, LAUNCH, {"params": params})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]
    deadline = time.monotonic() + 480
    status = None
    while time.monotonic() < deadline:
        status = gql(url, STATUS, {"id": run_id})["runOrError"]["status"]
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            break
        time.sleep(2)
    assert status == "SUCCESS"

    expected_rows = _rows(release / "sdn.csv")
    build = home / "build" / "warehouse.duckdb"
    assert build.exists() and not (root / "default-home" / "build").exists()
    with duckdb.connect(str(build), read_only=True) as con:
        files = con.execute(
            "select source_file, row_count from raw.ingested_files order by 1"
        ).fetchall()
    assert files == [
        ("sanctions/ofac_sdn/2020-01-31/add.csv", _rows(release / "add.csv")),
        ("sanctions/ofac_sdn/2020-01-31/alt.csv", _rows(release / "alt.csv")),
        ("sanctions/ofac_sdn/2020-01-31/sdn.csv", expected_rows),
    ]


def _rows(path: Path) -> int:
    """Data rows by the csv module; OFAC ends its files with an end-of-file byte (0x1A)."""
    text = path.read_text(encoding="latin-1").removesuffix("\x1a")
    return sum(1 for row in csv.reader(io.StringIO(text, newline="")) if row)
