"""The dbt project, on its own: dagster-dbt's prepare and package steps import it alone."""

from __future__ import annotations

from dagster_dbt import DbtProject

from orchestration.manifest_state import manifest_is_stale
from orchestration.settings import DBT_PROJECT_DIR, current, dbt_environment

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def prepare(force: bool = False) -> None:
    """Write the dbt manifest the asset definitions are read from (``dbt parse``), when it is
    missing or older than a file of the project, with dagster-dbt's own preparer (what
    ``dagster-dbt project prepare-and-package`` runs). profiles.yml reads the build warehouse
    path from the environment: the current settings' for the time of the parse."""
    if force or manifest_is_stale():
        with dbt_environment(current()):
            dbt_project.preparer.prepare(dbt_project)


# `dagster dev` re-parses on start; elsewhere parse only when the manifest is missing or stale.
with dbt_environment(current()):
    dbt_project.prepare_if_dev()
prepare()
