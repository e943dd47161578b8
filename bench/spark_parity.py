"""Build dbt models on Spark from a DuckDB warehouse's raw layer and compare them by values.

    uv run python -m bench.spark_parity <warehouse.duckdb> --select <dbt selection>
        [--exclude <dbt selection>] [--work DIR]

1. The warehouse's raw layer is written as the Parquet lake (orchestration/raw_lake.py).
2. A child process runs ``dbt seed`` and ``dbt run --select ...`` with the ``spark`` target (a
   local session, ``local[2]``, its warehouse and Derby metastore under the work folder), then
   has Spark write every model it built as Parquet and exits, taking its JVM with it.
3. DuckDB reads those files and compares each model with the warehouse's relation of the same
   name by ``(a EXCEPT ALL b) UNION ALL (b EXCEPT ALL a)``: any row there is a difference.

Both engines sum in parallel, in an order of their own, so the last bits of a double may
differ: rows that differ only so are paired off (bench/mart_difference.py).
Exits 1 when a model differs or failed to build on Spark.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from bench.mart_difference import RUN_COLUMNS, load_days, masked_select, unpaired_counts
from orchestration.raw_lake import export_raw_lake
from orchestration.settings import DBT_PROJECT_DIR, REPO_ROOT


@dataclass(frozen=True)
class Parity:
    relation: str  # schema.name
    duckdb_rows: int
    spark_rows: int
    differing_rows: int  # rows of the symmetric difference

    @property
    def same(self) -> bool:
        return self.differing_rows == 0 and self.duckdb_rows == self.spark_rows


def spark_environment(work: Path, lake: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DBT_TARGET": "spark",
        "ROUNDABOUT_SPARK_DIR": str(work / "spark"),
        "ROUNDABOUT_LAKE": str(lake),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def build_on_spark(selection: list[str], work: Path, lake: Path, timeout: float = 3600) -> Path:
    """Run the child process; the folder of the Parquet files it wrote, one per model.
    ``selection``: dbt's arguments choosing the models (``--select ... --exclude ...``)."""
    out = work / "spark_models"
    command = [sys.executable, "-m", "bench.spark_parity", "--child", str(work), *selection]
    env = spark_environment(work, lake)
    # Run in the work folder, where Derby leaves its derby.log; the project stays importable.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        command, cwd=work, env=env, capture_output=True, text=True, timeout=timeout
    )
    (work / "spark_child.log").write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        raise RuntimeError(
            f"dbt on Spark failed (log: {work / 'spark_child.log'}):\n{done.stdout[-4000:]}"
        )
    return out


def _child(work: Path, selection: list[str]) -> int:
    """In the child: dbt on the spark target, then every built model to Parquet."""
    from dbt.cli.main import dbtRunner
    from pyspark.sql import SparkSession

    common = [
        "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
    ]  # fmt: skip
    runner = dbtRunner()
    seeded = runner.invoke(["seed", *common])
    if not seeded.success:
        print("dbt seed failed", seeded.exception)
        return 1
    built = runner.invoke(["run", *selection, *common])
    results = json.loads((work / "target" / "run_results.json").read_text())
    manifest = json.loads((work / "target" / "manifest.json").read_text())
    # dbt's session is the process's: getOrCreate hands back the one dbt used.
    spark = SparkSession.builder.getOrCreate()
    out = work / "spark_models"
    written = []
    for result in results["results"]:
        node = manifest["nodes"].get(result["unique_id"])
        # The results also hold the on-run-start hook (an operation).
        if node is None or node["resource_type"] != "model" or result["status"] != "success":
            continue
        relation = f"{node['schema']}.{node['alias']}"
        spark.table(relation).write.mode("overwrite").parquet(str(out / relation))
        written.append(relation)
    (work / "spark_models.json").write_text(json.dumps(written))
    spark.stop()
    return 0 if built.success else 1


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    rows = con.execute(f"describe {relation}").fetchall()
    return [(r[0], r[1]) for r in rows if r[0] not in RUN_COLUMNS]


def compare(warehouse: Path, spark_models: Path, relations: list[str], digits: int = 10):
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    con.execute(f"attach '{warehouse}' as w (read_only)")
    # The load days of each side, where both hold the facts (a comparison of other relations
    # only, as of the raw lake's tables, has none to read).
    facts = "marts.fct_trade_flows"
    duck_days, spark_days = [], []
    if (spark_models / facts).is_dir():
        duck_days = load_days(con, f"w.{facts}")
        spark_days = load_days(con, f"read_parquet('{spark_models / facts}/*.parquet')")
    out = []
    for relation in relations:
        columns = _columns(con, f"w.{relation}")
        spark = f"read_parquet('{spark_models / relation}/*.parquet')"
        duck_select = masked_select(f"w.{relation}", columns, duck_days)
        spark_select = masked_select(spark, columns, spark_days, cast=True)
        con.execute(f"create or replace temp view a as {duck_select}")
        con.execute(f"create or replace temp view b as {spark_select}")
        (a_rows,) = con.execute("select count(*) from a").fetchone()
        (b_rows,) = con.execute("select count(*) from b").fetchone()
        only_a, only_b = unpaired_counts(con, "a", "b", columns, digits)
        out.append(Parity(relation, a_rows, b_rows, only_a + only_b))
    return out


def parity(
    warehouse: Path,
    select: list[str],
    work: Path,
    exclude: list[str] | None = None,
    digits: int = 10,
) -> list[Parity]:
    lake = work / "lake"
    export_raw_lake(warehouse, lake)
    selection = ["--select", *select] + (["--exclude", *exclude] if exclude else [])
    spark_models = build_on_spark(selection, work, lake)
    relations = json.loads((work / "spark_models.json").read_text())
    return compare(warehouse, spark_models, relations, digits)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return _child(Path(argv[1]), argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse")
    parser.add_argument("--select", nargs="+", required=True)
    parser.add_argument("--exclude", nargs="+")
    parser.add_argument("--work", help="where Spark's files go (default: a temporary folder)")
    parser.add_argument("--digits", type=int, default=10)
    args = parser.parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="spark-parity-")).resolve()
    results = parity(Path(args.warehouse).resolve(), args.select, work, args.exclude, args.digits)
    for r in results:
        print(
            f"{'same' if r.same else 'DIFFERENT'}  {r.relation}: {r.duckdb_rows:,} rows on "
            f"DuckDB, {r.spark_rows:,} on Spark, {r.differing_rows:,} in the difference"
        )
    return 0 if all(r.same for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
