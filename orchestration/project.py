"""The dbt project, on its own: dagster-dbt's prepare and package steps import it alone."""

from __future__ import annotations

import os

from dagster_dbt import DbtProject

from orchestration.settings import BUILD_DB_VAR, DBT_PROJECT_DIR, current

# profiles.yml reads the build warehouse path from the environment; Dagster's resources use the
# same settings, so both always name one file.
os.environ.setdefault(BUILD_DB_VAR, str(current().build_db))
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def prepare(force: bool = False) -> None:
    """Write the dbt manifest the asset definitions are read from (``dbt parse``)."""
    if force or not dbt_project.manifest_path.exists():
        dbt_project.preparer.prepare(dbt_project)


# `dagster dev` re-parses on start; elsewhere a fresh clone still needs a manifest once.
dbt_project.prepare_if_dev()
prepare()
