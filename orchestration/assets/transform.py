"""The dbt models as Dagster assets; dbt tests become Dagster asset checks."""

import os
import shutil
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


def build(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """``dbt build`` of the asset's models, then keep dbt's parse state for the next call.

    dbt re-parses the whole project (seconds) when the saved parse state was made with another
    connection, and the warehouse path is part of the connection: the state written by the
    project's own ``dbt parse`` rarely matches a run's home. Each build leaves a state matching
    its home in the project's target folder, from where dagster-dbt hands it to the next
    invocation (the screening models of the same run, the next run in the same home). dbt
    checks every file against the state, so a state from older models only means more parsing.
    """
    target = run_target(context)
    yield from dbt.cli(["build"], context=context, target_path=target).stream()
    _keep_parse_state(target / PARSE_STATE)


PARSE_STATE = "partial_parse.msgpack"


def _keep_parse_state(state: Path) -> None:
    if not state.exists():
        return
    shared = dbt_project.project_dir / dbt_project.target_path / PARSE_STATE
    shared.parent.mkdir(parents=True, exist_ok=True)
    partial = shared.with_name(f"{PARSE_STATE}.{os.getpid()}")
    shutil.copyfile(state, partial)
    os.replace(partial, shared)


# The loader's file list (dbt source `ingest.ingested_files`): every ingest asset writes it, so no
# asset produces it alone. The models reading it also read the staging models of the files it
# lists, which carry their lineage; the dependency on the table itself is left out of the graph.
INGESTED_FILES_KEY = dg.AssetKey(["raw", "ingested_files"])


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
                key=dg.AssetKey([schema, props["name"]]),
                group_name=schema,
                deps=[dep for dep in spec.deps if dep.asset_key != INGESTED_FILES_KEY],
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
    yield from build(context, dbt)
