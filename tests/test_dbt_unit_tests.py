"""The dbt unit tests of the models, without a pipeline run.

A dbt unit test feeds the model rows given in its YAML, but dbt still reads the column types of
the model's parents from the warehouse, so the parents must exist as relations. dbt's `--empty`
flag builds every ancestor of the unit-tested models with zero rows on top of empty raw tables
(the tables the ingest creates when a source has no files), which takes seconds instead of a
whole run. The pipeline's `dbt build` leaves them out (orchestration/assets/transform.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.raw.writer import ensure_empty_tables, ensure_raw_schema
from orchestration.screening.history import ensure_tables as ensure_screening_tables
from orchestration.settings import BUILD_DB_VAR, DBT_PROJECT_DIR
from orchestration.sources import SPECS

# The country-level metric models and marts: each must carry unit tests of its own.
METRIC_MODELS = {
    "int_country_baskets", "int_country_basket_flows", "int_metric_trade_flows",
    "int_metric_reported_totals", "int_metric_source_periods", "int_metric_group_observed",
    "int_metric_group_flows", "int_metric_hs6_vs_baseline", "int_metric_basket_vs_baseline",
    "int_metric_transit_hs6", "fct_country_exposure", "fct_transit_offset",
    "fct_russia_chpl_suppliers", "fct_mirror_gaps",
}  # fmt: skip


def declared_unit_tests() -> set[tuple[str, str]]:
    """(model, unit test) pairs as the project's YAML files declare them."""
    declared = set()
    for path in (DBT_PROJECT_DIR / "models").rglob("*.yml"):
        for test in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("unit_tests", []):
            declared.add((test["model"], test["name"]))
    return declared


def empty_warehouse(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        ensure_raw_schema(con)
        for spec in SPECS:
            ensure_empty_tables(con, spec)
        ensure_screening_tables(con)


@pytest.fixture(scope="module")
def unit_run(tmp_path_factory) -> tuple[subprocess.CompletedProcess, dict]:
    work = tmp_path_factory.mktemp("dbt_unit")
    database = work / "warehouse.duckdb"
    empty_warehouse(database)
    env = {**os.environ, BUILD_DB_VAR: str(database), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    command = [
        str(Path(sys.executable).with_name("dbt")), "build", "--empty",
        "--select", "+test_type:unit",
        # The models (empty), the seeds they read and the unit tests; data tests of empty
        # tables would prove nothing.
        "--resource-type", "model", "--resource-type", "seed", "--resource-type", "unit_test",
        "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    results = work / "target" / "run_results.json"
    return done, json.loads(results.read_text()) if results.exists() else {"results": []}


def test_every_declared_unit_test_runs_and_passes(unit_run):
    done, results = unit_run
    assert done.returncode == 0, done.stdout[-6000:]
    unit = {
        tuple(r["unique_id"].split(".")[2:4]): r["status"]
        for r in results["results"]
        if r["unique_id"].startswith("unit_test.")
    }
    declared = declared_unit_tests()
    assert declared, "no unit test declared under dbt_project/models"
    assert set(unit) == declared
    assert set(unit.values()) == {"pass"}


def test_the_metric_models_have_unit_tests():
    assert {model for model, _ in declared_unit_tests()} >= METRIC_MODELS
