"""Resources shared by the assets: the build warehouse and the dbt command line."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from orchestration.duckdb_config import connection_config
from orchestration.project import dbt_project
from orchestration.settings import BUILD_DB_VAR, current


def warehouse() -> DuckDBResource:
    # Resolved when a run starts, so every run writes the build warehouse its settings name.
    return DuckDBResource(
        database=dg.EnvVar(BUILD_DB_VAR), connection_config=connection_config(current().build_db)
    )


def dbt_cli() -> DbtCliResource:
    # The DbtProject carries the profiles folder (the project's own).
    return DbtCliResource(project_dir=dbt_project)
