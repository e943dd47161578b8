"""Shared fixtures: an isolated warehouse home, and one pipeline run per scenario.

The suite has two tiers. `pytest -m "not slow"` runs the fast one: parsers, raw loading, the
dbt unit tests on empty relations (tests/test_dbt_unit_tests.py), the commands against small
hand-made warehouses; no full pipeline run. Tests that need a built warehouse are marked
``slow`` and share one build per scenario:

- the bundled sample (real extracts): ``sample_run`` below, built once per session and read by
  every module that checks the sample's marts or screens against them (read-only; a test that
  writes takes a copy, see ``sample_home_copy``);
- the synthetic BACI panel with its planted diversion pattern (tools/synthetic/baci_panel.py,
  generated into a temporary inputs directory with the sample's sanctions lists):
  ``synthetic_run``, built once per session for the tests of the planted figures;
- the sample plus the trade fixtures, then a second run on top: tests/test_trade_marts.py;
- the sample plus the Comext extract, rebuilt by dbt: tests/test_country_metrics.py (on a copy
  of ``sample_run``);
- the sample plus the screening ownership fixture and a counterparty file:
  tests/test_screening_asset.py;
- runs that must fail (corrupted input) get their own home each: tests/test_pipeline.py.

A test asking for a pipeline fixture without the ``slow`` marker is a collection error, so the
fast tier cannot start a pipeline run by accident.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import SAMPLE_INPUTS, from_environment

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

# `uv run pytest` as the README gives it names no home: the session then makes temporary ones
# (removed at its end), so the suite never writes into the checkout's var/ or the user's Dagster
# instance. Set here, at import in the main process, so that worker processes inherit them.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
_MADE_HOMES: list[Path] = []
if not _WORKER:
    for _name in ("ROUNDABOUT_HOME", "DAGSTER_HOME"):
        if not os.environ.get(_name):
            _MADE_HOMES.append(Path(tempfile.mkdtemp(prefix=f"roundabout-tests-{_name.lower()}-")))
            os.environ[_name] = str(_MADE_HOMES[-1])

# Worker processes of pytest-xdist (pyproject.toml) run at the same time: each gets a home and
# a Dagster instance of its own under the ones the session was given, so that a test using the
# default home never meets another worker's warehouse, run lock or instance database.
if _WORKER:
    for _name in ("ROUNDABOUT_HOME", "DAGSTER_HOME"):
        if os.environ.get(_name):
            os.environ[_name] = str(Path(os.environ[_name]) / _WORKER)
            Path(os.environ[_name]).mkdir(parents=True, exist_ok=True)

PIPELINE_FIXTURES = {
    "sample_run", "warehouse", "sample_home_copy",
    "synthetic_run", "synthetic_warehouse", "synthetic_home_copy",
}  # fmt: skip


def run_in(home: Path, inputs: Path = SAMPLE_INPUTS, fresh: bool = False):
    """Run the whole pipeline with ``home`` as the warehouse home."""
    from orchestration.pipeline import run_pipeline

    # The other settings (a counterparty file to screen) come from the environment; the run
    # leaves the environment as it found it.
    settings = replace(from_environment(), home=home, inputs=inputs, fresh=fresh)
    os.environ["DAGSTER_HOME"] = str(home / "dagster")
    (home / "dagster").mkdir(parents=True, exist_ok=True)
    before = dict(os.environ)
    summary = run_pipeline(settings)
    # What the run changed in this process's environment (tests/test_settings_environment.py).
    summary.environ_changes = {
        name: (before.get(name), os.environ.get(name))
        for name in before.keys() | os.environ.keys()
        if before.get(name) != os.environ.get(name)
    }
    return summary


def pytest_configure(config):
    """Write the dbt manifest once, before worker processes start: a fresh checkout has none,
    and workers each writing it into the project's target folder would read one another's
    half-written file. In a process of its own, so that nothing of the project's import state
    reaches the workers, which choose their own homes."""
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        subprocess.run(
            [sys.executable, "-c", "import orchestration.project"],
            cwd=Path(__file__).resolve().parents[1],
            check=True,
        )


def pytest_unconfigure(config):
    for home in _MADE_HOMES:
        shutil.rmtree(home, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    unmarked = [
        item.nodeid
        for item in items
        if PIPELINE_FIXTURES & set(getattr(item, "fixturenames", ()))
        and item.get_closest_marker("slow") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "tests using a pipeline run must be marked slow: " + ", ".join(unmarked)
        )


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """The bundled sample, built and published once for the whole session."""
    home = tmp_path_factory.mktemp("home")
    summary = run_in(home)
    assert summary.success, summary.render()
    return summary


@pytest.fixture(scope="module")
def warehouse(sample_run):
    """A read-only connection to the sample's published warehouse for one test module: closed
    at its end, so no connection is left open when a later module's `roundabout screen` has
    dbt attach the same file in-process."""
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        yield con


def _home_copy(run, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy2(run.published_db, home / run.published_db.name)
    state = run.published_db.parent / "dbt_state"
    shutil.copytree(state, home / state.name)
    return home


@pytest.fixture()
def sample_home_copy(sample_run, tmp_path) -> Path:
    """A home of its own holding a copy of the sample's published warehouse and of the dbt
    state kept with it: the next run there starts from them, as a second run in the sample's
    home would, without touching the shared one."""
    return _home_copy(sample_run, tmp_path)


@pytest.fixture(scope="session")
def synthetic_inputs(tmp_path_factory) -> Path:
    """An inputs directory holding the synthetic BACI panel (SYNTHETIC.md beside it) and the
    sample's real sanctions lists, generated afresh (deterministic, tests/test_sample_data.py)."""
    from tools.synthetic.baci_panel import write_inputs

    return write_inputs(tmp_path_factory.mktemp("synthetic_inputs"))


@pytest.fixture(scope="session")
def synthetic_run(tmp_path_factory, synthetic_inputs):
    """The synthetic panel, built and published once for the whole session."""
    home = tmp_path_factory.mktemp("synthetic_home")
    summary = run_in(home, inputs=synthetic_inputs)
    assert summary.success, summary.render()
    return summary


@pytest.fixture(scope="session")
def synthetic_warehouse(synthetic_run):
    with duckdb.connect(str(synthetic_run.published_db), read_only=True) as con:
        yield con


@pytest.fixture()
def synthetic_home_copy(synthetic_run, tmp_path) -> Path:
    """As ``sample_home_copy``, for the synthetic panel's warehouse."""
    return _home_copy(synthetic_run, tmp_path)
