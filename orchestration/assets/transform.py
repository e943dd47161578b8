"""The dbt models as Dagster assets; dbt tests become Dagster asset checks."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.project import dbt_project
from orchestration.settings import current


def run_target(context: dg.AssetExecutionContext) -> Path:
    """dbt's artifacts of one run, kept with the run's log under the home rather than piling up
    in the project folder."""
    return current().runs_dir / "dbt" / f"{context.run_id[:8]}-{context.op_def.name}"


class RoundaboutTranslator(DagsterDbtTranslator):
    """Models and seeds keyed by their schema (staging/..., marts/..., reference/...); sources
    keep the raw-table keys declared in their YAML, which the ingest assets produce."""

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: Any
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] in ("model", "seed", "snapshot"):
            schema = props.get("config", {}).get("schema") or props["schema"]
            spec = spec.replace_attributes(
                key=dg.AssetKey([schema, props["name"]]), group_name=schema
            )
        return spec


# The screening models (tag:screening) read what the screening asset writes after these models
# are built; they are a dbt asset of their own (orchestration/assets/screening.py).
@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    exclude="tag:screening",
    dagster_dbt_translator=RoundaboutTranslator(),
    pool="warehouse",
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context, target_path=run_target(context)).stream()
