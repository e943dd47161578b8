"""Resources shared by the assets: the build warehouse and the dbt command line."""

from __future__ import annotations

from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from orchestration.project import dbt_project
from orchestration.settings import current


def warehouse() -> DuckDBResource:
    return DuckDBResource(database=str(current().build_db))


def dbt_cli() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(dbt_project.project_dir))
