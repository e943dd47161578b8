"""The code location loads, and the asset graph is one lineage from files to the marts."""

from __future__ import annotations

import dagster as dg


def test_definitions_load_and_sources_have_ingest_assets():
    from orchestration.assets.ingest import ingest_assets
    from orchestration.assets.transform import dbt_models
    from orchestration.definitions import defs

    defs.resolve_all_job_defs()
    produced = {key for asset in ingest_assets for key in asset.keys}
    dbt_inputs = {dep for dep in dbt_models.dependency_keys if dep not in dbt_models.keys}
    raw_inputs = {k for k in dbt_inputs if k.path[0] == "raw"}
    assert raw_inputs, "dbt models read no raw tables"
    assert raw_inputs <= produced, f"dbt sources without an ingest asset: {raw_inputs - produced}"
    assert dbt_inputs <= produced, f"dbt depends on unknown assets: {dbt_inputs - produced}"


def test_publish_depends_on_every_mart():
    from orchestration.assets.publish import published_warehouse
    from orchestration.assets.transform import dbt_models

    marts = {k for k in dbt_models.keys if k.path[0] == "marts"}
    assert dg.AssetKey(["marts", "fct_country_exposure"]) in marts
    assert marts <= set(published_warehouse.dependency_keys)


def test_raw_tables_have_blocking_gx_checks():
    from orchestration.assets.ingest import ingest_assets

    checks = {
        (spec.asset_key.to_user_string(), spec.name): spec.blocking
        for asset in ingest_assets
        for spec in asset.check_specs
    }
    for table in (
        "ofac_sdn__sdn",
        "ofac_sdn__add",
        "ofac_sdn__alt",
        "baci__trade",
        "un__entities",
        "uk__names",
    ):
        assert checks[(f"raw/{table}", "gx_suite")] is True
    assert checks[("raw/ofac_sdn__sdn", "release_count_band")] is True


def test_definitions_load_without_the_environment_activated(tmp_path):
    """`venv/bin/roundabout` started without activating the environment: its PATH has no dbt,
    and the definitions still find the dbt installed beside the running Python."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    code = "from orchestration.definitions import defs;print(defs.resources['dbt'].dbt_executable)"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == os.path.join(os.path.dirname(sys.executable), "dbt")
