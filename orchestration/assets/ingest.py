"""One Dagster asset per raw table, one multi-asset per source: parse the source's files in the
inputs directory and load them into ``raw.<source>__<table>``."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.assets.acquisition import acquisition_key_of
from orchestration.assets.warehouse import BUILD_KEY
from orchestration.checks.raw_checks import absent_results, check_specs, evaluate, raw_key
from orchestration.home_lock import write_turn
from orchestration.partitions import (
    PARTITIONED_SOURCES,
    TRADE_BACKFILL,
    TRADE_YEARS,
    held_unchanged,
    in_window,
    time_window,
)
from orchestration.raw.ingest import ingest_source, quarantined_rows
from orchestration.raw.writer import ensure_empty_tables
from orchestration.settings import RoundaboutSettings
from orchestration.sources import SPECS
from orchestration.sources.common.base import SourceSpec
from orchestration.sources.common.registry import discover

# Metadata keys the run summary reads (orchestration/pipeline.py).
ABSENT = "source_absent"
QUARANTINE = "quarantined_rows"
INCOMPLETE = "incomplete_releases"


def _ingest_asset(spec: SourceSpec) -> dg.AssetsDefinition:
    specs = [
        dg.AssetSpec(
            raw_key(spec, table),
            description=f"{spec.title}: raw table {table} ({spec.publisher}; {spec.licence}).",
            group_name="raw",
            kinds={"duckdb", "python"},
            deps=[BUILD_KEY, *acquisition_key_of(spec)],
            metadata={"source_url": spec.url, "cadence": spec.cadence},
        )
        for table in spec.tables
    ]

    partitioned = spec.name in PARTITIONED_SOURCES

    @dg.multi_asset(
        name=f"ingest_{spec.name}",
        specs=specs,
        check_specs=check_specs(spec),
        pool="warehouse",
        partitions_def=TRADE_YEARS if partitioned else None,
        backfill_policy=TRADE_BACKFILL if partitioned else None,
    )
    def _ingest(
        context: dg.AssetExecutionContext, settings: RoundaboutSettings, warehouse: DuckDBResource
    ):
        settings = settings.resolve()
        files = discover(settings.inputs).for_source(spec.name)
        present = bool(files)
        # A run of a window of trade partitions: every ingest asset runs in it, partitioned or
        # not (the job's partitions are the run's).
        window = time_window(context)
        if window and partitioned:
            files = [f for f in files if in_window(f.path.name, window)]
        context.log.info(f"{spec.name}: {len(files)} file(s) in {settings.inputs}")
        # The pool alone can let two runs in at once (orchestration/home_lock.py).
        with write_turn(settings.home), warehouse.get_connection() as con:
            if window:
                # Any source, partitioned or not, may feed trade partitions outside the window
                # (armstat's months, BACI extracts): a file loaded again would make them older
                # than their input (held_unchanged).
                held = held_unchanged(con, spec.name, files)
                files = [f for f in files if f.relative_path not in held]
            loads = ingest_source(con, spec, files) if files else {}
            ensure_empty_tables(con, spec)
            incomplete = spec.reconcile(con) if spec.reconcile and files else []
            for note in incomplete:
                context.log.warning(note)
            # A source without files in this run is absent: what earlier runs loaded stays, and
            # was checked when it came; checking an empty table would fail for nothing.
            results = list(evaluate(con, spec, loads) if files else absent_results(con, spec))
            rejected = quarantined_rows(con, files)
        for table in spec.tables:
            load = loads.get(table)
            yield dg.MaterializeResult(
                asset_key=raw_key(spec, table),
                metadata={
                    "files": dg.MetadataValue.json(sorted(f.relative_path for f in files)),
                    "rows_loaded": load.rows if load else 0,
                    "rows_quarantined": load.quarantined if load else 0,
                    "files_unchanged": load.unchanged if load else 0,
                    ABSENT: not present,
                    INCOMPLETE: dg.MetadataValue.json(incomplete),
                    QUARANTINE: dg.MetadataValue.json(rejected.get(table, [])),
                },
            )
        yield from results

    return _ingest


ingest_assets = [_ingest_asset(spec) for spec in SPECS]
