"""The dbt project, on its own: dagster-dbt's prepare and package steps import it alone."""

from __future__ import annotations

import os

from dagster_dbt import DbtProject

from orchestration.duckdb_config import MEMORY_LIMIT_VAR, memory_limit
from orchestration.manifest_state import manifest_is_stale
from orchestration.settings import BUILD_DB_VAR, DBT_PROJECT_DIR, current

# profiles.yml reads the build warehouse path from the environment; Dagster's resources use the
# same settings, so both always name one file.
os.environ.setdefault(BUILD_DB_VAR, str(current().build_db))
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
# dbt's DuckDB works within the same memory limit as the run's own connections.
os.environ.setdefault(MEMORY_LIMIT_VAR, memory_limit())

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def prepare(force: bool = False) -> None:
    """Write the dbt manifest the asset definitions are read from (``dbt parse``), when it is
    missing or older than a file of the project, with dagster-dbt's own preparer (what
    ``dagster-dbt project prepare-and-package`` runs)."""
    if force or manifest_is_stale():
        dbt_project.preparer.prepare(dbt_project)


# `dagster dev` re-parses on start; elsewhere parse only when the manifest is missing or stale.
dbt_project.prepare_if_dev()
prepare()
