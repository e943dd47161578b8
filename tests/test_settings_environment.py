"""A run's settings reach dbt and nothing else: the process's environment is the same after a
run as before it, so one run's settings (ROUNDABOUT_FRESH, the inputs, a counterparty file)
never become the next run's defaults in the same process."""

from __future__ import annotations

import os

import dagster as dg
import pytest

from orchestration.settings import (
    BUILD_DB_VAR,
    FRESH_VAR,
    INPUTS_VAR,
    RoundaboutSettings,
    Settings,
    config_of,
    current,
    dbt_environment,
)


def test_dbt_environment_holds_the_settings_only_while_it_lasts(tmp_path, monkeypatch):
    monkeypatch.setenv(INPUTS_VAR, "/elsewhere")
    monkeypatch.delenv(FRESH_VAR, raising=False)
    monkeypatch.delenv(BUILD_DB_VAR, raising=False)
    before = dict(os.environ)
    settings = Settings(home=tmp_path, inputs=tmp_path / "in", fresh=True)
    with dbt_environment(settings):
        assert os.environ[BUILD_DB_VAR] == str(tmp_path.resolve() / "build" / "warehouse.duckdb")
        assert os.environ[INPUTS_VAR] == str(tmp_path.resolve() / "in")
        assert os.environ[FRESH_VAR] == "1"
    assert dict(os.environ) == before
    with pytest.raises(RuntimeError), dbt_environment(settings):
        raise RuntimeError("dbt failed to start")
    assert dict(os.environ) == before


def test_the_settings_resource_of_a_run_leaves_the_environment_alone(tmp_path):
    settings = Settings(home=tmp_path, inputs=tmp_path, fresh=True)
    seen = {}

    @dg.asset
    def reads_settings(settings: RoundaboutSettings) -> None:
        seen["current"] = current()
        seen[FRESH_VAR] = os.environ.get(FRESH_VAR)

    before = dict(os.environ)
    result = dg.materialize(
        [reads_settings], resources={"settings": RoundaboutSettings(**config_of(settings))}
    )
    assert result.success
    assert seen["current"] == settings  # the run's code reads the run's settings
    assert seen[FRESH_VAR] == before.get(FRESH_VAR)  # not through the environment
    assert dict(os.environ) == before
    assert current() != settings  # and they end with the run


@pytest.mark.slow
def test_a_pipeline_run_leaves_the_environment_as_it_found_it(sample_run):
    assert sample_run.success
    # Great Expectations' SQL engine writes its Snowflake partner tag, a constant, each time one
    # is created (great_expectations/execution_engine/sqlalchemy_execution_engine.py): no
    # setting of a run, the same for every run.
    changes = dict(sample_run.environ_changes)
    assert changes.pop("SF_PARTNER", (None, "great_expectations_oss"))[1] == (
        "great_expectations_oss"
    )
    assert changes == {}
