"""The pipeline job builds the marts on a Spark cluster through the ``spark_thrift`` and the
``spark_connect`` targets.

A standalone Spark (a master and two workers) starts once for the module from the pyspark wheel
on 127.0.0.1 (tests/spark_cluster.py); each test starts its server on it (a Thrift server, then
a Spark Connect server), whose application takes the workers' cores while it runs, and stops it.
The Dagster job ``roundabout run`` launches runs with the run configuration's ``dbt_target``: it
ingests the sample into DuckDB, writes the raw layer as the Parquet lake and has dbt build every
model on the cluster (the steps a Spark run has: screening, publication and the report read
DuckDB). Each mart the cluster built is written out as Parquet through the server and compared
by values with the DuckDB build of the same sample: ``(a EXCEPT ALL b) UNION ALL (b EXCEPT ALL
a)`` (bench/spark_parity.py). On the Thrift server a second run of the job for one trade year
rebuilds ``fct_trade_flows`` incrementally (``insert_overwrite`` of that year's partitions only)
and must give the same table. Every process started is stopped by its PID, and none is left.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import replace
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from bench.spark_parity import compare
from orchestration.settings import SAMPLE_INPUTS, config_of, from_environment
from tests.spark_cluster import HOST, SparkCluster, duckdb_marts, java_processes

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java (CI installs 17)"),
]

# Marts the sample fills: the comparison must be of rows, not of empty tables.
FILLED = ("fct_trade_flows", "fct_country_exposure", "dim_sanctioned_name", "fct_mirror_gaps")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A master and two workers for the module's tests; at its end every process started on it
    is stopped by its PID, and no Java process is left under its folder."""
    started = time.monotonic()
    cluster = SparkCluster(tmp_path_factory.mktemp("cluster")).start(servers=())
    print(f"cluster start: {time.monotonic() - started:.0f} s")
    try:
        yield cluster
    finally:
        cluster.stop()
    assert not cluster.running()
    # The executors the workers started end with them; each gets a moment to notice.
    deadline = time.monotonic() + 60
    while java_processes(cluster.root) and time.monotonic() < deadline:
        time.sleep(1)
    assert not java_processes(cluster.root)


def run_job(settings, selection: list[dg.AssetKey], tags: dict[str, str]):
    """The pipeline job (what ``roundabout run`` executes), on ``selection`` of its assets."""
    from orchestration.definitions import defs

    job = defs.resolve_job_def("pipeline")
    with dg.DagsterInstance.ephemeral() as instance:
        return job.execute_in_process(
            instance=instance,
            run_config={"resources": {"settings": {"config": config_of(settings)}}},
            asset_selection=selection,
            tags=tags,
            raise_on_error=False,
        )


def failures(result) -> str:
    return "\n".join(
        f"{e.step_key}: {e.event_specific_data.error.message[-3000:]}"
        for e in result.get_step_failure_events()
    )


def export_tables(port: int, relations: list[str], out: Path) -> None:
    """Each relation written by the cluster as Parquet under ``out/<relation>``: the Thrift
    protocol has no DataFrame writer, so Spark SQL's ``insert overwrite directory``."""
    from pyhive import hive

    with hive.connect(host=HOST, port=port, username="roundabout") as con:
        cursor = con.cursor()
        for relation in relations:
            cursor.execute(
                f"insert overwrite directory '{out / relation}' using parquet "
                f"select * from {relation}"
            )


def spark_tables(port: int, schema: str) -> list[str]:
    from pyhive import hive

    with hive.connect(host=HOST, port=port, username="roundabout") as con:
        cursor = con.cursor()
        cursor.execute(f"show tables in {schema}")
        # Rows: (namespace, tableName, isTemporary).
        return sorted(f"{schema}.{row[1]}" for row in cursor.fetchall() if not row[2])


def partition_files(table: Path) -> dict[str, frozenset[str]]:
    """The Parquet files of each partition folder of a Spark table."""
    return {
        folder.name: frozenset(f.name for f in folder.glob("*.parquet"))
        for folder in table.iterdir()
        if folder.is_dir() and "=" in folder.name
    }


def differing(results) -> str:
    return "\n".join(
        f"{r.relation}: {r.duckdb_rows} rows on DuckDB, {r.spark_rows} on Spark, "
        f"{r.differing_rows} in the symmetric difference"
        for r in results
        if not r.same
    )


def executors_ran_on_both_workers(cluster: SparkCluster, server: str) -> None:
    """Both workers ran executors of ``server``'s application: each has its folder."""
    application = cluster.application_id(server)
    for worker in ("worker1", "worker2"):
        assert (cluster.root / "work" / worker / application).is_dir(), (worker, application)


def pipeline_settings(tmp_path: Path, target: str):
    # The environment names DuckDB (set by the caller): the run configuration alone chooses.
    return replace(
        from_environment(),
        home=tmp_path / "home",
        inputs=SAMPLE_INPUTS,
        counterparties=None,
        dbt_target=target,
    )


# The sample's DuckDB run (shared with the other slow tests), a cluster's start (about a minute),
# every model on the cluster, the comparison and the incremental run: see docs/scale-out.md.
@pytest.mark.timeout(2400)
def test_the_pipeline_job_builds_the_same_marts_on_a_spark_cluster(
    cluster, sample_run, tmp_path, monkeypatch
):
    from orchestration.assets.jobs import models_selection
    from orchestration.assets.transform import dbt_models
    from orchestration.partitions import partition_range, run_tags

    timings = {}
    try:
        started = time.monotonic()
        cluster.start_thrift()
        timings["server start"] = time.monotonic() - started
        assert {"master", "worker1", "worker2", "thriftserver"} <= set(cluster.running())
        # The profile's spark_thrift target reads where the server listens from these.
        monkeypatch.setenv("ROUNDABOUT_SPARK_HOST", HOST)
        monkeypatch.setenv("ROUNDABOUT_SPARK_PORT", str(cluster.thrift_port))
        monkeypatch.setenv("DBT_TARGET", "duckdb")
        settings = pipeline_settings(tmp_path, "spark_thrift")
        selection = models_selection()

        started = time.monotonic()
        first = run_job(settings, selection, run_tags())
        timings["first run"] = time.monotonic() - started
        assert first.success, failures(first)
        materialized = {e.asset_key for e in first.get_asset_materialization_events()}
        assert set(dbt_models.keys) <= materialized
        # The models are the cluster's: its warehouse folder holds them, and both workers ran
        # executors of the Thrift server's application.
        assert (cluster.warehouse("thriftserver") / "marts.db" / "fct_trade_flows").is_dir()
        executors_ran_on_both_workers(cluster, "thriftserver")
        # Nothing was published: the models are on Spark, not in a DuckDB warehouse.
        assert not settings.published_db.exists()

        built = spark_tables(cluster.thrift_port, "marts")
        assert {f"marts.{m}" for m in FILLED} <= set(built)
        marts = duckdb_marts(sample_run.published_db)
        assert set(built) <= marts, sorted(set(built) - marts)
        started = time.monotonic()
        export_tables(cluster.thrift_port, built, tmp_path / "first")
        results = compare(sample_run.published_db, tmp_path / "first", built)
        timings["comparison"] = time.monotonic() - started
        rows = {r.relation: r.duckdb_rows for r in results}
        assert all(rows[f"marts.{m}"] > 0 for m in FILLED)
        assert not differing(results), differing(results)

        # A second run for one trade year: fct_trade_flows exists on the cluster, so dbt builds it
        # incrementally, overwriting the partitions of that year and no other.
        with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
            (year,) = con.execute(
                "select year from marts.fct_trade_flows group by year "
                "order by count(distinct load_partition) desc, year limit 1"
            ).fetchone()
        table = cluster.warehouse("thriftserver") / "marts.db" / "fct_trade_flows"
        before = partition_files(table)
        flows = [key for key in dbt_models.keys if key.path[-1] == "fct_trade_flows"]
        started = time.monotonic()
        second = run_job(settings, flows, run_tags(partition_range(str(year), str(year))))
        timings["incremental run"] = time.monotonic() - started
        assert second.success, failures(second)
        after = partition_files(table)
        assert after.keys() == before.keys()
        rewritten = {name for name in after if after[name] != before[name]}
        # The partition folders holding rows of that year, read from the table's own files.
        with duckdb.connect() as con:
            of_year = {
                Path(name).parent.name
                for (name,) in con.execute(
                    "select distinct filename from read_parquet(?, filename = true, "
                    "hive_partitioning = false) where year = ?",
                    [str(table / "*" / "*.parquet"), year],
                ).fetchall()
            }
        assert of_year and rewritten == of_year, (year, sorted(rewritten ^ of_year))
        assert len(of_year) < len(after), "the year is every partition: nothing left untouched"
        export_tables(cluster.thrift_port, ["marts.fct_trade_flows"], tmp_path / "second")
        (again,) = compare(sample_run.published_db, tmp_path / "second", ["marts.fct_trade_flows"])
        assert again.same, differing([again])
    finally:
        cluster.stop_process("thriftserver")
        print({name: round(seconds) for name, seconds in timings.items()})
    assert "thriftserver" not in cluster.running()


def connect_tables(spark, schema: str) -> list[str]:
    # Rows: (namespace, tableName, isTemporary).
    rows = spark.sql(f"show tables in {schema}").collect()
    return sorted(f"{schema}.{row[1]}" for row in rows if not row[2])


# The Connect server's start (the cluster is the module's), every model on the cluster through
# it and the comparison: see docs/scale-out.md.
@pytest.mark.timeout(2400)
def test_the_pipeline_job_builds_the_same_marts_through_spark_connect(
    cluster, sample_run, tmp_path, monkeypatch
):
    # The Connect client's own session class: pyspark's SparkSession.builder would mark the
    # whole test process as a Connect one (SPARK_CONNECT_MODE_ENABLED), which a later local
    # session in the same process would then obey.
    from pyspark.sql.connect.session import SparkSession as ConnectSession

    from orchestration.assets.transform import dbt_models
    from orchestration.pipeline import run_pipeline

    timings = {}
    try:
        started = time.monotonic()
        cluster.start_connect()
        timings["server start"] = time.monotonic() - started
        assert {"master", "worker1", "worker2", "connectserver"} <= set(cluster.running())
        # The profile's spark_connect target reads the server's address from this; nothing else
        # (no SPARK_REMOTE) tells dbt's process to be a Connect client.
        monkeypatch.setenv("ROUNDABOUT_SPARK_REMOTE", cluster.connect_url)
        monkeypatch.delenv("SPARK_REMOTE", raising=False)
        monkeypatch.setenv("DBT_TARGET", "duckdb")
        settings = pipeline_settings(tmp_path, "spark_connect")

        # As `roundabout run` with DBT_TARGET=spark_connect: the run stops after the models.
        started = time.monotonic()
        summary = run_pipeline(settings)
        timings["run"] = time.monotonic() - started
        assert summary.success, summary.render()
        assert {key.to_user_string() for key in dbt_models.keys} <= set(summary.materialized)
        assert "warehouse/published" not in summary.materialized
        assert "models built and tested on the dbt target 'spark_connect'" in summary.render()
        # The models are the Connect server's: its warehouse folder holds them, both workers ran
        # executors of its application, and its log has the client's sessions. dbt's process
        # started no Spark of its own (the local session's warehouse, under the home, is absent).
        assert (cluster.warehouse("connectserver") / "marts.db" / "fct_trade_flows").is_dir()
        executors_ran_on_both_workers(cluster, "connectserver")
        log = (cluster.root / "logs" / "connectserver.log").read_text(errors="replace")
        assert "SessionHolder: Session with userId" in log
        assert not (settings.spark_dir / "warehouse").exists()
        assert not settings.published_db.exists()

        started = time.monotonic()
        spark = ConnectSession.builder.remote(cluster.connect_url).create()
        try:
            built = connect_tables(spark, "marts")
            assert {f"marts.{m}" for m in FILLED} <= set(built)
            marts = duckdb_marts(sample_run.published_db)
            assert set(built) <= marts, sorted(set(built) - marts)
            for relation in built:
                spark.table(relation).write.parquet(str(tmp_path / "marts" / relation))
        finally:
            spark.stop()
        results = compare(sample_run.published_db, tmp_path / "marts", built)
        timings["comparison"] = time.monotonic() - started
        rows = {r.relation: r.duckdb_rows for r in results}
        assert all(rows[f"marts.{m}"] > 0 for m in FILLED)
        assert not differing(results), differing(results)
    finally:
        cluster.stop_process("connectserver")
        print({name: round(seconds) for name, seconds in timings.items()})
    assert "connectserver" not in cluster.running()
