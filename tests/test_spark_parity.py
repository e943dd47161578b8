"""The same dbt models on Spark give the same values as on DuckDB (docs/scale-out.md).

The bundled sample is built on DuckDB by the pipeline; its raw layer goes to the Parquet lake;
dbt builds, with the ``spark`` target (a local session, ``local[2]``, warehouse and metastore in
a temporary folder), every model that is portable together with everything upstream of it
(the models off tests/test_sql_portability.py's NOT_YET_PORTABLE, and not below one on it: all
of them while that list is empty). Each is compared with DuckDB's by
``(a EXCEPT ALL b) UNION ALL (b EXCEPT ALL a)`` on the Parquet Spark wrote, read back by DuckDB
(bench/spark_parity.py).
"""

from __future__ import annotations

import shutil
import time

import pytest

from bench.spark_parity import parity
from tests.spark_cluster import duckdb_marts, java_processes
from tests.test_sql_portability import NOT_YET_PORTABLE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java (CI installs 17)"),
]


# The sample's pipeline run, then every model on a local Spark of a shared 2-core machine: about
# 25 minutes there.
@pytest.mark.timeout(3000)
def test_portable_models_have_the_same_values_on_spark(sample_run, tmp_path):
    results = parity(
        sample_run.published_db,
        ["resource_type:model"],
        tmp_path,
        exclude=[f"{model}+" for model in sorted(NOT_YET_PORTABLE)],
    )
    built = {r.relation for r in results}
    # Every mart analysts read was built on Spark and compared, and the models under them.
    marts = duckdb_marts(sample_run.published_db)
    assert marts, "the sample's warehouse has no marts"
    assert marts <= built, sorted(marts - built)
    assert {"staging.stg_ofac_sdn__entries", "intermediate.int_trade_flows"} <= built
    # The sample fills the trade and sanctions marts: the check compares rows, not empty tables.
    rows = {r.relation: r.duckdb_rows for r in results}
    assert all(
        rows[f"marts.{m}"] > 0
        for m in (
            "fct_trade_flows",
            "fct_country_exposure",
            "dim_sanctioned_name",
            "fct_mirror_gaps",
        )
    )
    differing = [r for r in results if not r.same]
    assert not differing, "\n".join(
        f"{r.relation}: {r.duckdb_rows} rows on DuckDB, {r.spark_rows} on Spark, "
        f"{r.differing_rows} in the symmetric difference"
        for r in differing
    )
    # The session's JVM (started in tmp_path: the dbt child runs there and its JVM inherits that
    # folder) ends with the child process that ran dbt. It notices its parent is gone
    # a moment after the child exits, so it is given up to a minute, not none.
    deadline = time.monotonic() + 60
    while java_processes(tmp_path) and time.monotonic() < deadline:
        time.sleep(1)
    assert not java_processes(tmp_path)
