"""The project's incremental materialisation on DuckDB (dbt_project/macros/materializations/
incremental.sql), run by dbt on a project of its own: the project's macros and a few small
models, so that what each build leaves in the table is worked out by hand."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import DBT_PROJECT_DIR

pytestmark = pytest.mark.slow

PROJECT = """\
name: roundabout
version: "0.1.0"
config-version: 2
profile: probe
model-paths: ["models"]
macro-paths: ["macros"]
"""

PROFILES = """\
probe:
  target: duckdb
  outputs:
    duckdb:
      type: duckdb
      path: "{path}"
      threads: 1
"""

# Rows of the keys named by var `keys`, each with the value of var `value`, stamped with this
# build's time as fct_trade_flows stamps its partitions.
REPLACED = """\
{{{{ config(materialized='incremental', incremental_strategy='delete+insert',
            unique_key='k', {extra}) }}}}
select
    cast(k as integer) as k,
    {{{{ var('value') }}}} as value,
    {{{{ trade_build_time() }}}} as built_at
from (select unnest([{{{{ var('keys') }}}}]) as k) as keys
"""

APPENDED = """\
{{ config(materialized='incremental', incremental_strategy='append') }}
select {{ var('value') }} as value
"""


@pytest.fixture()
def project(tmp_path) -> Path:
    root = tmp_path / "probe"
    shutil.copytree(DBT_PROJECT_DIR / "macros", root / "macros")
    (root / "models").mkdir()
    (root / "dbt_project.yml").write_text(PROJECT)
    (root / "profiles.yml").write_text(PROFILES.format(path=tmp_path / "probe.duckdb"))
    (root / "models" / "replaced.sql").write_text(REPLACED.format(extra="build_stamp='built_at'"))
    (root / "models" / "appended.sql").write_text(APPENDED)
    (root / "models" / "merged.sql").write_text(
        "{{ config(materialized='incremental', incremental_strategy='merge', unique_key='k') }}\n"
        "select 1 as k\n"
    )
    (root / "models" / "unstamped.sql").write_text(REPLACED.format(extra="tags=[]"))
    return root


def dbt_run(project: Path, model: str, **variables) -> subprocess.CompletedProcess:
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    command = [
        str(Path(sys.executable).with_name("dbt")), "run", "--select", model,
        "--vars", repr(variables) if variables else "{}",
        "--project-dir", str(project), "--profiles-dir", str(project),
        "--target-path", str(project / "target"), "--log-path", str(project / "logs"),
    ]  # fmt: skip
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def rows(project: Path, table: str, columns: str = "k, value") -> list[tuple]:
    with duckdb.connect(str(project.parent / "probe.duckdb"), read_only=True) as con:
        return sorted(con.execute(f"select {columns} from main.{table}").fetchall())


def test_delete_insert_replaces_the_rows_of_the_keys_written_and_keeps_the_others(project):
    first = dbt_run(project, "replaced", keys="1, 2, 2", value=10)
    assert first.returncode == 0, first.stdout[-3000:]
    assert rows(project, "replaced") == [(1, 10), (2, 10), (2, 10)]
    # Key 2 written again, once: its two old rows go, key 1's row stays.
    second = dbt_run(project, "replaced", keys="2, 3", value=20)
    assert second.returncode == 0, second.stdout[-3000:]
    assert rows(project, "replaced") == [(1, 10), (2, 20), (3, 20)]


def test_append_keeps_every_build(project):
    for value in (1, 2):
        done = dbt_run(project, "appended", value=value)
        assert done.returncode == 0, done.stdout[-3000:]
    assert rows(project, "appended", "value") == [(1,), (2,)]


def test_another_strategy_is_refused_with_the_models_name(project):
    """Refused before anything is written, even when the table does not exist yet."""
    refused = dbt_run(project, "merged")
    assert refused.returncode != 0
    assert "merged: incremental_strategy merge is not supported" in refused.stdout
    with duckdb.connect(str(project.parent / "probe.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from duckdb_tables()").fetchone() == (0,)


def test_delete_insert_without_a_build_stamp_is_refused(project):
    refused = dbt_run(project, "unstamped", keys="1", value=1)
    assert refused.returncode != 0
    assert "unstamped: delete+insert needs unique_key" in refused.stdout
