"""One setting chooses the engine dbt builds on: DBT_TARGET or the run configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.settings import (
    DBT_PROJECT_DIR,
    DBT_TARGETS,
    RoundaboutSettings,
    Settings,
    config_of,
    dbt_environment,
    from_environment,
)


def test_duckdb_is_the_default_target(tmp_path):
    assert from_environment({"ROUNDABOUT_HOME": str(tmp_path)}).dbt_target == "duckdb"


def test_the_environment_names_the_target(tmp_path):
    env = {"ROUNDABOUT_HOME": str(tmp_path), "DBT_TARGET": "spark"}
    assert from_environment(env).dbt_target == "spark"


def test_an_unknown_target_is_refused_with_the_known_ones(tmp_path):
    with pytest.raises(ValueError, match="unknown dbt target 'sparkk'.*spark_thrift"):
        Settings(home=tmp_path, inputs=tmp_path, dbt_target="sparkk")


def test_the_run_configuration_overrides_the_environment_and_reaches_dbt(tmp_path, monkeypatch):
    monkeypatch.setenv("DBT_TARGET", "duckdb")
    base = Settings(home=tmp_path, inputs=tmp_path)
    resource = RoundaboutSettings(**{**config_of(base), "dbt_target": "spark_thrift"})
    settings = resource.resolve()
    assert settings.dbt_target == "spark_thrift"
    # dbt's profile reads these two when the run's dbt command starts.
    with dbt_environment(settings):
        assert os.environ["DBT_TARGET"] == "spark_thrift"
        assert os.environ["ROUNDABOUT_SPARK_DIR"] == str(tmp_path.resolve() / "spark")
    assert os.environ["DBT_TARGET"] == "duckdb"  # and only then


def _dbt(args: list[str], env: dict, work: Path) -> subprocess.CompletedProcess:
    command = [
        str(Path(sys.executable).with_name("dbt")), *args,
        "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
    ]  # fmt: skip
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def test_the_settings_know_every_target_of_the_profile():
    import yaml

    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text())["roundabout"]
    assert set(DBT_TARGETS) <= set(profile["outputs"])


# duckdb is parsed by every other dbt test.
@pytest.mark.parametrize("target", ["spark", "spark_thrift", "spark_connect"])
def test_the_spark_targets_of_the_profile_load_their_adapter(target, tmp_path):
    """``dbt debug --config-dir`` only locates the profile; ``dbt parse`` renders the chosen
    target and loads its adapter without connecting, so a missing adapter package or a broken
    target fails here rather than in a run."""
    env = {
        **os.environ,
        "DBT_TARGET": target,
        "ROUNDABOUT_BUILD_DB": str(tmp_path / "w.duckdb"),
        "ROUNDABOUT_SPARK_DIR": str(tmp_path / "spark"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    done = _dbt(["parse", "--no-partial-parse"], env, tmp_path)
    assert done.returncode == 0, done.stdout[-4000:]
    adapter = "duckdb" if target == "duckdb" else "spark"
    manifest = (tmp_path / "target" / "manifest.json").read_text()
    assert f'"adapter_type": "{adapter}"' in manifest


def test_a_run_on_a_spark_target_publishes_nothing(tmp_path, monkeypatch):
    """The models of a Spark run are the cluster's: the build warehouse holds none of them, so
    the publication step refuses, and the published file stays as it was."""
    import dagster as dg

    from orchestration.assets.publish import published_warehouse

    monkeypatch.setenv("ROUNDABOUT_HOME", str(tmp_path))
    monkeypatch.setenv("DBT_TARGET", "spark_thrift")
    settings = from_environment()
    settings.build_db.parent.mkdir(parents=True)
    settings.build_db.write_bytes(b"build")
    settings.published_db.write_bytes(b"published")
    result = dg.materialize([published_warehouse], raise_on_error=False)
    assert not result.success
    (failure,) = result.get_step_failure_events()
    assert "not published: the models were built on the dbt target 'spark_thrift'" in (
        failure.event_specific_data.error.message
    )
    assert settings.published_db.read_bytes() == b"published"
    assert settings.build_db.read_bytes() == b"build"


def test_a_run_on_a_spark_target_stops_after_the_models():
    """`roundabout run` on Spark materialises the build warehouse, the ingest and the dbt models
    only: every asset after them (screening, publication, report) reads the DuckDB warehouse."""
    import dagster as dg

    from orchestration.assets.jobs import models_selection
    from orchestration.assets.transform import dbt_models
    from orchestration.definitions import defs

    selected = set(models_selection())
    assert set(dbt_models.keys) <= selected
    assert {"warehouse/build", "raw/baci__trade", "raw/ofac_sdn__sdn"} <= {
        key.to_user_string() for key in selected
    }
    for after in ("warehouse/published", "raw/screening__matches", "marts/fct_screening_matches"):
        key = dg.AssetKey.from_user_string(after)
        assert defs.get_assets_def(key) is not None and key not in selected, after


def test_the_summary_of_a_spark_run_names_its_target_and_no_publication(tmp_path):
    from orchestration.pipeline import RunSummary

    summary = RunSummary(
        inputs=tmp_path,
        published_db=tmp_path / "warehouse.duckdb",
        success=True,
        published=False,
        seconds=1.0,
        dbt_target="spark_connect",
    )
    text = summary.render()
    assert "models built and tested on the dbt target 'spark_connect'" in text
    assert f"the warehouse at {tmp_path / 'warehouse.duckdb'} is unchanged" in text
    assert "NOT published" not in text
    assert text.endswith("result: success")


def _raw_sources_by_manifest(manifest: dict, unique_id: str) -> set[str]:
    """The raw tables a node reads at run time, walked in Python over dbt's manifest: its raw
    sources and those above it through views and ephemeral models."""
    found, stack, seen = set(), [unique_id], set()
    while stack:
        node = manifest["nodes"][stack.pop()]
        for parent in node["depends_on"]["nodes"]:
            source = manifest["sources"].get(parent)
            if source is not None:
                if source["schema"] == "raw":
                    found.add(source["identifier"])
            elif parent in manifest["nodes"] and parent not in seen:
                upstream = manifest["nodes"][parent]
                if upstream["resource_type"] == "model" and upstream["config"]["materialized"] in (
                    "view",
                    "ephemeral",
                ):
                    seen.add(parent)
                    stack.append(parent)
    return found


def test_spark_declares_the_raw_tables_read_through_views(tmp_path):
    """A selection of fct_trade_flows alone reads the raw tables through the views above it:
    the on-run-start hook declares those again over the lake, not only direct sources."""
    import json

    env = {
        **os.environ,
        "ROUNDABOUT_BUILD_DB": str(tmp_path / "w.duckdb"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    node = "model.roundabout.fct_trade_flows"
    args = ["run-operation", "print_raw_sources_read_by", "--args", f"{{unique_ids: [{node}]}}"]
    done = _dbt(args, env, tmp_path)
    assert done.returncode == 0, done.stdout[-4000:]
    printed = set(done.stdout.strip().splitlines()[-1].split())
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    expected = _raw_sources_by_manifest(manifest, node)
    assert {"baci__trade", "comext__bulk", "comtrade__records"} <= expected
    assert printed == expected
