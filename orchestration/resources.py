"""Resources shared by the assets: the build warehouse and the dbt command line."""

from __future__ import annotations

from functools import cached_property
from importlib.metadata import version as installed_version

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource
from packaging import version

from orchestration.project import dbt_project
from orchestration.settings import BUILD_DB_VAR


def warehouse() -> DuckDBResource:
    # Resolved when a run starts, so every run writes the build warehouse its settings name.
    return DuckDBResource(database=dg.EnvVar(BUILD_DB_VAR))


class DbtCli(DbtCliResource):
    """dagster-dbt's dbt command line without two costs per invocation that buy nothing here
    (about four seconds of a run on the sample, measured):

    - it runs ``dbt --version`` in a subprocess to tell dbt Core from the Fusion engine; this
      project runs the dbt-core its lock file pins, whose installed version says as much;
    - it opens a dbt adapter inside this process, loading every macro, only to fetch column
      metadata when an asset asks for it (``fetch_column_metadata``), which none does.

    Both hooks are dagster-dbt internals; tests/test_definitions.py fails if they disappear.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002
        return None


def dbt_cli() -> DbtCliResource:
    return DbtCli(project_dir=dbt_project, profiles_dir=str(dbt_project.project_dir))
