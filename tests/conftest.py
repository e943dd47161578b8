"""Shared fixtures: an isolated warehouse home, and one pipeline run over the bundled sample."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import SAMPLE_INPUTS, Settings, export_environment

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def run_in(home: Path, inputs: Path = SAMPLE_INPUTS, fresh: bool = False):
    """Run the whole pipeline with ``home`` as the warehouse home."""
    from orchestration.pipeline import run_pipeline

    settings = Settings(home=home, inputs=inputs, fresh=fresh)
    export_environment(settings)
    os.environ["DAGSTER_HOME"] = str(home / "dagster")
    (home / "dagster").mkdir(parents=True, exist_ok=True)
    return run_pipeline(settings)


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """The bundled sample, built and published once for the whole session."""
    home = tmp_path_factory.mktemp("home")
    summary = run_in(home)
    return summary


@pytest.fixture(scope="session")
def warehouse(sample_run):
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        yield con
