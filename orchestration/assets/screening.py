"""Counterparty screening in the asset graph.

The asset ``screen_counterparties`` screens the counterparty file named by
``ROUNDABOUT_COUNTERPARTIES`` (shipments: ``ROUNDABOUT_SHIPMENTS``), else the inputs directory's
``screening/counterparties.csv`` (and ``screening/shipments.csv``), against the lists of the build
warehouse, once the sanctions marts are built, and appends the run to ``raw.screening__*``; the
dbt models tagged ``screening`` turn that into ``marts.fct_screening_matches``,
``fct_company_exposure`` and ``fct_screening_new_hits``. With no file configured the run is
recorded as such and the tables stay empty, so a pipeline without counterparties still passes.

The screening models are a dbt asset of their own (``screening_models``), built after the
screening step; the pipeline's main dbt asset leaves them out. Every pipeline run screens after
rebuilding the lists. The job ``screening`` (build copy,
screening, the screening models, publish) also runs daily (schedule ``screening_daily``) and
when the lists are rebuilt by a run that does not screen itself (sensor
``screen_on_list_change``). Hits the previous screening did not have are reported in the
materialisation metadata of ``raw/screening__matches``.
"""

import json
import time
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource

from orchestration.assets.transform import RoundaboutTranslator, build
from orchestration.assets.warehouse import BUILD_KEY, PUBLISHED_KEY
from orchestration.checks.gx_suites import run_suite, suite_path
from orchestration.checks.raw_checks import GX_CHECK, suite_result
from orchestration.home_lock import write_turn
from orchestration.project import dbt_project
from orchestration.screening import history
from orchestration.screening.index_cache import ensure_index, index_folder
from orchestration.screening.run import (
    SCHEMAS,
    RunInputs,
    ScreeningRun,
    read_lists,
    run_time,
    screen_warehouse,
)
from orchestration.screening_inputs import FOLDER as INPUTS_FOLDER
from orchestration.screening_inputs import screening_file
from orchestration.settings import (
    COUNTERPARTIES_VAR,
    SHIPMENTS_VAR,
    RoundaboutSettings,
    Settings,
)

NEW_HITS_SHOWN = 100

LIST_MARTS = [dg.AssetKey(["marts", f"dim_sanctioned_{p}"]) for p in
              ("entity", "name", "address", "identifier")]  # fmt: skip
OWNERSHIP_RAW = [dg.AssetKey(["raw", f"opensanctions__{t}"]) for t in
                 ("ownership", "entities", "names", "addresses", "identifiers")]  # fmt: skip
# Every table of the step is written after the lists it screens against and the ownership tables.
DEPS = [BUILD_KEY, *LIST_MARTS, *OWNERSHIP_RAW]
DESCRIPTIONS = {
    "runs": "One row per screening run: files, sha256, counts, list releases, thresholds.",
    "counterparties": "The configured counterparty file, checked, with file, sha256 and line.",
    "shipments": "The configured shipments file, checked, values in USD.",
    "matches": "Counterparty x listed entity at or above review, per run, with new-hit flags.",
    "ownership_shares": "The 50% rule per list, entity and regime (OFAC, EU, UK, BIS affiliates).",
}


def raw_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", f"screening__{table}"])


RUNS_KEY = raw_key("runs")
MATCHES_KEY = raw_key("matches")


class ScreeningConfig(dg.Config):
    """Run configuration; the settings resource's values apply where a field is left empty."""

    counterparties: str | None = None
    shipments: str | None = None
    workers: int | None = None


def configured_inputs(config: ScreeningConfig, settings: Settings) -> RunInputs:
    """The files named by the run configuration or the settings; where neither names a
    counterparty file, those of the inputs directory (``screening/counterparties.csv`` and
    ``screening/shipments.csv``, or .xlsx, .parquet: orchestration/screening_inputs.py)."""
    counterparties = config.counterparties or settings.counterparties
    shipments = config.shipments or settings.shipments
    if not counterparties:
        counterparties = screening_file(settings.inputs, "counterparties")
        shipments = shipments or (
            screening_file(settings.inputs, "shipments") if counterparties else None
        )
    if shipments and not counterparties:
        raise ValueError(f"{SHIPMENTS_VAR} is set but {COUNTERPARTIES_VAR} is not")
    return RunInputs(
        counterparties=Path(counterparties).resolve() if counterparties else None,
        shipments=Path(shipments).resolve() if shipments else None,
    )


def _workers(config: ScreeningConfig, settings: Settings) -> int:
    # Forked workers only pay off for large files; one process is the safe default inside a
    # run that holds threads (forking a threaded process can deadlock).
    return config.workers or settings.screening_workers


@dg.multi_asset(
    name="screen_counterparties",
    specs=[
        dg.AssetSpec(
            raw_key(table),
            description=DESCRIPTIONS[table],
            group_name="screening",
            kinds={"duckdb", "python"},
            deps=DEPS,
        )
        for table in SCHEMAS
    ],
    check_specs=[
        dg.AssetCheckSpec(
            GX_CHECK,
            asset=raw_key(table),
            blocking=True,
            description=f"Great Expectations suite expectations/suites/screening__{table}.json",
        )
        for table in SCHEMAS
    ],
    pool="warehouse",
)
def screen_counterparties(
    context: dg.AssetExecutionContext,
    config: ScreeningConfig,
    settings: RoundaboutSettings,
    warehouse: DuckDBResource,
):
    """Screen the configured counterparty file against the build warehouse's lists."""
    resolved = settings.resolve()
    inputs = configured_inputs(config, resolved)
    if not inputs.configured:
        context.log.info(
            f"no counterparty file configured ({COUNTERPARTIES_VAR} is unset and the inputs "
            f"hold no {INPUTS_FOLDER}/counterparties.csv)"
        )
    with write_turn(resolved.home), warehouse.get_connection() as con:
        previous = history.previous_run(con)
        run = screen_warehouse(
            con,
            inputs,
            context.run_id,
            run_time(),
            previous,
            _workers(config, resolved),
            index_dir=index_folder(resolved.published_db),
        )
        history.write_run(con, run)
        checks = [_gx_result(con, table) for table in SCHEMAS]
    for table in SCHEMAS:
        yield dg.MaterializeResult(asset_key=raw_key(table), metadata=_metadata(run, table))
    yield from checks


def _metadata(run: ScreeningRun, table: str) -> dict:
    summary = run.runs.row(0, named=True)
    metadata: dict = {"run_rows": run.tables()[table].height}
    if table == "runs":
        metadata |= {
            "configured": summary["configured"],
            "counterparties_file": summary["counterparties_file"]
            or f"not configured (set {COUNTERPARTIES_VAR})",
            "shipments_file": summary["shipments_file"] or "none",
            "list_releases": dg.MetadataValue.json(_json(summary["list_releases"])),
        }
    if table == "matches":
        metadata |= {
            "alerts": summary["n_alerts"] or 0,
            "new_hits": summary["n_new_hits"] or 0,
            "previous_run_id": summary["previous_run_id"] or "none",
            "new_hits_table": new_hits_table(run),
        }
    if table == "ownership_shares":
        metadata |= {
            "edges_used": summary["ownership_edges_used"] or 0,
            "edges_without_share": summary["ownership_edges_without_share"] or 0,
            "edges_rejected": summary["ownership_edges_rejected"] or 0,
        }
    return metadata


def _json(text: str | None) -> dict:
    return json.loads(text) if text else {}


NEW_HIT_COLUMNS = ("counterparty_id", "counterparty_name", "entity_key", "matched_name", "score",
                   "decision", "new_hit_cause")  # fmt: skip


def new_hits_table(run: ScreeningRun) -> dg.TableMetadataValue:
    """The new hits (at most NEW_HITS_SHOWN, best first) as a metadata table."""
    hits = run.new_hits.sort(["score", "counterparty_id"], descending=[True, False])
    schema = dg.TableSchema(
        columns=[dg.TableColumn(c, "float" if c == "score" else "string") for c in NEW_HIT_COLUMNS]
    )
    records = [
        dg.TableRecord(dict(zip(NEW_HIT_COLUMNS, row, strict=True)))
        for row in hits.select(NEW_HIT_COLUMNS).head(NEW_HITS_SHOWN).iter_rows()
    ]
    return dg.MetadataValue.table(records=records, schema=schema)


def _gx_result(con, table: str) -> dg.AssetCheckResult:
    return suite_result(
        raw_key(table),
        run_suite(con, f"screening__{table}", suite_path(f"screening__{table}", "screening")),
    )


# --- the screening index of the published lists ------------------------------------------------

INDEX_KEY = dg.AssetKey(["screening", "index"])


@dg.asset(key=INDEX_KEY, group_name="screening", kinds={"python"}, deps=[PUBLISHED_KEY])
def screening_index(
    context: dg.AssetExecutionContext, settings: RoundaboutSettings
) -> dg.MaterializeResult:
    """The screening index of the published lists, kept in the home (``screen/index``).

    Building it (every listed name normalised, blocking keys) takes seconds for the real lists;
    built here, once per set of lists and code, the first `roundabout screen` after a
    publication reads it instead of building it (`roundabout serve` indexes the listed entities
    without the 50% rule's, a different reference, and still builds its own). The screening
    step of the same run usually built it already (same lists, same key): then only the key is
    computed."""
    published = settings.resolve().published_db
    started = time.perf_counter()
    with duckdb.connect(str(published), read_only=True) as con:
        lists = read_lists(con, run_time().date())
    key, built = ensure_index(lists.reference, index_folder(published))
    seconds = round(time.perf_counter() - started, 2)
    context.log.info(f"screening index {key[:12]}: {'built' if built else 'kept'} in {seconds} s")
    return dg.MaterializeResult(
        metadata={
            "key": key,
            "built": built,
            "seconds": seconds,
            "names": lists.reference.names.height,
            "folder": str(index_folder(published)),
        }
    )


# --- the screening models, job, schedule, sensor ------------------------------------------------


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    select="tag:screening",
    name="screening_models",
    dagster_dbt_translator=RoundaboutTranslator(),
    pool="warehouse",
)
def screening_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: RoundaboutSettings
):
    """The dbt models tagged screening: staging, intermediate and the three screening marts."""
    yield from build(context, dbt, settings.resolve())


screening_job = dg.define_asset_job(
    "screening",
    selection=dg.AssetSelection.assets(
        BUILD_KEY, *screen_counterparties.keys, *screening_models.keys, PUBLISHED_KEY
    ),
    description="Screen the configured counterparty file against the published lists, build "
    "the screening marts and publish.",
    executor_def=dg.in_process_executor,
)

screening_schedule = dg.ScheduleDefinition(
    name="screening_daily",
    job=screening_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    description="Screen the configured counterparty file every day at 06:00 UTC.",
)


def screens_itself(instance: dg.DagsterInstance, run_id: str | None) -> bool:
    """Whether the run that rebuilt the lists also screens (a pipeline run does): it planned to
    materialise the screening asset."""
    if not run_id:
        return False
    planned = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED
    ).records
    return any(r.event_log_entry.dagster_event.asset_key == RUNS_KEY for r in planned)


@dg.asset_sensor(
    asset_key=LIST_MARTS[0],
    job=screening_job,
    name="screen_on_list_change",
    description="Screen again when the sanctioned-entity mart is rebuilt by a run that did not "
    "screen (a pipeline run screens after rebuilding the lists).",
)
def screen_on_list_change(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
    if screens_itself(context.instance, asset_event.run_id):
        return dg.SkipReason(f"run {asset_event.run_id} rebuilt the lists and screened in it")
    return dg.RunRequest(run_key=f"lists-{asset_event.run_id}-{asset_event.timestamp}")
