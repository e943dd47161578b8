"""The dbt models as Dagster assets; dbt tests become Dagster asset checks."""

import functools
import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration import dbt_parse_ahead as parse_ahead
from orchestration.dbt_parse_ahead import PARSE_STATE, parse_state
from orchestration.dbt_state import changed_incremental_models, kept_manifest
from orchestration.home_lock import write_turn
from orchestration.partitions import TRADE_BACKFILL, TRADE_YEARS, dbt_vars, time_window
from orchestration.project import dbt_project
from orchestration.raw_lake import export_raw_lake
from orchestration.settings import (
    DEFAULT_DBT_TARGET,
    RoundaboutSettings,
    Settings,
    current,
    dbt_environment,
)


def run_target(run_id: str, op_name: str, settings: Settings | None = None) -> Path:
    """dbt's artifacts of one run, kept with the run's log under the home rather than piling up
    in the project folder (pruned to the last runs, orchestration/runs.py)."""
    return (settings or current()).runs_dir / "dbt" / f"{run_id[:8]}-{op_name}"


CHANGED = "its SQL or an upstream model, macro or seed changed since the published build"
NO_STATE = "the published warehouse has no dbt state to compare the project with"
ALONG = "dbt's --full-refresh rebuilds every incremental model of the build"
ASKED = "the run was configured with full_refresh"


def build(context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: Settings):
    """``dbt build`` of the asset's models, then keep dbt's parse state for the next call.

    dbt re-parses the whole project (seconds) when the saved parse state was made with another
    connection, and the warehouse path is part of the connection: the state written by the
    project's own ``dbt parse`` rarely matches a run's home. Each build keeps its state in the
    home (``runs/dbt/partial_parse.msgpack``) and the next invocation in that home (the
    screening models of the same run, the next run) starts from it. Kept per home, not in the
    project's target folder: runs in other homes at the same time (a second home, the test
    suite's workers) would otherwise hand each other states made for another warehouse path.
    Where the home has none yet, dagster-dbt copies the project's own. dbt checks every file
    against the state, so a state from older models only means more parsing.
    """
    target = run_target(context.run_id, context.op_def.name, settings)
    # The parse roundabout run started for a home without state (orchestration/dbt_parse_ahead.py).
    parse_ahead.finish(settings)
    home_state = parse_state(settings)
    if home_state.exists():
        # dagster-dbt copies the project's state only where the target folder holds none.
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(home_state, target / PARSE_STATE)
    # dbt's unit tests check the models' SQL on fixed rows, not the data: the same for every
    # run of one project version, so they run with the test suite (tests/test_dbt_unit_tests.py,
    # about a second each here) and the data tests with every run.
    args = ["build", "--exclude-resource-type", "unit_test"]
    # The engine is the run's setting (DBT_TARGET or the run configuration), named explicitly so
    # that dbt never falls back to another target than the one the run reports.
    args += ["--target", settings.dbt_target]
    with dbt_environment(settings):  # dbt ls, in this process
        rebuilt = full_refresh_reasons(context, target, settings)
    if rebuilt:
        args.append("--full-refresh")
    # A partitioned run rebuilds the trade partitions of its window only (macro trade_window).
    window = time_window(context) if context.assets_def.partitions_def else None
    if window:
        args += ["--vars", json.dumps(dbt_vars(window))]
        context.log.info(f"trade partitions rebuilt: {window[0]} to {window[1]} (end excluded)")
    for key, (name, reason) in rebuilt.items():
        context.log.info(f"{name}: rebuilt in full, {reason}")
        context.add_asset_metadata({FULL_REFRESH: reason}, asset_key=key)
    # The pool alone can let two runs in at once (orchestration/home_lock.py).
    with write_turn(settings.home):
        if settings.dbt_target != DEFAULT_DBT_TARGET:
            # Spark reads the raw layer as the Parquet lake (docs/scale-out.md, "Raw layer"):
            # written from what this run ingested into the build warehouse, before each dbt step
            # reads it.
            tables = export_raw_lake(settings.build_db, settings.lake_dir)
            context.log.info(
                f"raw layer written to {settings.lake_dir} for target {settings.dbt_target}: "
                f"{len(tables)} tables, {sum(t.rows for t in tables):,} rows"
            )
        # dbt's process gets the run's settings in its environment (profiles.yml), this one keeps
        # its own.
        with dbt_environment(settings):
            invocation = dbt.cli(args, context=context, target_path=target)
        yield from invocation.stream()
    _keep_parse_state(target / PARSE_STATE, home_state)


FULL_REFRESH = "full_refresh"


def full_refresh_reasons(
    context: dg.AssetExecutionContext, target: Path, settings: Settings
) -> dict[dg.AssetKey, tuple[str, str]]:
    """The incremental models of this build that must be rebuilt in full, with why.

    The build warehouse is a copy of the published one, whose incremental tables hold rows
    written by earlier runs: they are rebuilt in full when dbt's state comparison finds the
    model or anything upstream changed since the build that was published
    (orchestration/dbt_state.py). Without a kept manifest (a home published before manifests
    were kept, or whose manifest was removed) nothing tells which SQL wrote the rows, so they
    are rebuilt in full as well: a rebuild costs one run's time, stale rows would stay
    unnoticed. A run that starts from an empty warehouse builds them whole anyway.
    """
    incremental = _incremental_models(context)
    if incremental and settings.full_refresh:
        return {key: (name, ASKED) for key, name in incremental.items()}
    if not incremental or settings.fresh or not settings.published_db.exists():
        return {}
    kept = kept_manifest(settings)
    if not kept.exists():
        return {key: (name, NO_STATE) for key, name in incremental.items()}
    changed = set(
        changed_incremental_models(kept.parent, target / "state", parse_state=parse_state(settings))
    )
    if not changed & set(incremental.values()):
        return {}
    return {key: (name, CHANGED if name in changed else ALONG) for key, name in incremental.items()}


def _incremental_models(context: dg.AssetExecutionContext) -> dict[dg.AssetKey, str]:
    """The incremental models this step builds, by asset key."""
    manifest = dbt_project.manifest_path
    models = _incremental_models_of(manifest, manifest.stat().st_mtime)
    return {key: name for key, name in models.items() if key in context.selected_asset_keys}


@functools.cache
def _incremental_models_of(manifest_path: Path, mtime: float) -> dict[dg.AssetKey, str]:
    """Every incremental model of a manifest, read once per manifest file and version (``mtime``
    is part of the key): both dbt steps of a run ask, and the manifest is several megabytes."""
    manifest = json.loads(manifest_path.read_text())
    translator = RoundaboutTranslator()
    return {
        translator.get_asset_spec(manifest, unique_id, dbt_project).key: node["name"]
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "incremental"
    }


def _keep_parse_state(state: Path, kept: Path) -> None:
    if not state.exists():
        return
    kept.parent.mkdir(parents=True, exist_ok=True)
    partial = kept.with_name(f"{PARSE_STATE}.{os.getpid()}")
    shutil.copyfile(state, partial)
    os.replace(partial, kept)


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
    partitions_def=TRADE_YEARS,
    backfill_policy=TRADE_BACKFILL,
)
def dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: RoundaboutSettings
):
    yield from build(context, dbt, settings.resolve())
