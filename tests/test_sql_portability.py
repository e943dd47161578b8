"""The models' own SQL runs alike on DuckDB and Spark: engine-specific SQL only in the macros of
dbt_project/macros/compat/ (tools/sql_portability.py, docs/scale-out.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.settings import BUILD_DB_VAR, DBT_PROJECT_DIR
from tests.test_dbt_unit_tests import empty_warehouse
from tools.sql_portability import lint_folder, lint_sql

# Models whose SQL still holds DuckDB-only constructs, to be moved into compat macros. The list
# only shrinks: a model that is clean must leave it (the last test says so), a model outside it
# must stay clean.
NOT_YET_PORTABLE: set[str] = set()


# Each DuckDB-only construct, written by hand, and what the check must call it.
DUCKDB_ONLY = [
    ("select unnest(string_split(a, ';')) from t", "unnest"),
    ("select * from a union all by name select * from b", "union by name"),
    ("select * exclude (a) from t", "* exclude"),
    ("select list_transform(l, x -> x + 1) from t", "lambda"),
    ("select l[1] from t", "list index"),
    ("select string_split(a, '.') from t", "string_split"),
    ("select string_agg(a, ',' order by a) from t", "ordered string_agg"),
    ("select concat(a, b) from t", "concat()"),
    ("select a / b from t", "division by a column"),
    ("select try_strptime(a, '%Y') from t", "try_strptime()"),
    ("select strip_accents(a) from t", "strip_accents()"),
    ("select regexp_matches(a, '[[:alpha:]]') from t", "regex character class"),
    ("select regexp_replace(a, 'x', 'y', 'g') from t", "regexp_replace"),
    ("select a ->> 'k' from t", "json"),
    ("select cast(a as varchar) from t", "type varchar"),
    ("select a::hugeint from t", "type hugeint"),
    ("select row_number() over (order by a) from t", "ORDER BY without NULLS"),
    ("select trim(a, 'x') from t", "trim(s, characters)"),
    ("select regexp_extract(a, '\\d+', 0) from t", "backslash in a literal"),
    ("with c as not materialized (select 1) select * from c", "materialized CTE"),
]

# The same intents, spelled so that both engines read them alike.
PORTABLE = [
    "select cast(a as string), a || b from t",
    "select case when b is null or b = 0 then null else cast(a as double) / b end from t",
    "select a / nullif(b, 0), a / 2.0 from t",
    "select row_number() over (partition by k order by a nulls last, b desc) from t",
    "select split_part(a, ';', 1), regexp_extract(a, '([0-9]+)', 1) from t",
    "select compat__unnest_split(a, ';') from t",
    "select compat__regexp_full_match(a, '\\d+') from t",
    "select coalesce(a, b), lower(trim(a)), substring(a, 1, 2), lpad(a, 3, '0') from t",
]


@pytest.mark.parametrize(("sql", "construct"), DUCKDB_ONLY)
def test_each_duckdb_only_construct_is_found(sql, construct):
    found = lint_sql("m", sql)
    assert any(construct in v.construct for v in found), found


@pytest.mark.parametrize("sql", PORTABLE)
def test_portable_sql_passes(sql):
    assert lint_sql("m", sql) == []


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> Path:
    """The models and their data tests compiled for DuckDB with the compat macros rendered as
    neutral calls (a test compiled from a YAML file sits in a folder named after it)."""
    work = tmp_path_factory.mktemp("portability")
    database = work / "warehouse.duckdb"
    # stg_comext__bulk reads its raw table's columns when compiled: the empty raw tables.
    empty_warehouse(database)
    env = {**os.environ, BUILD_DB_VAR: str(database), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    command = [
        str(Path(sys.executable).with_name("dbt")), "compile", "--target", "duckdb",
        "--select", "resource_type:model", "resource_type:test",
        "--vars", "{portability_lint: true}",
        "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:]
    return work / "target" / "compiled" / "roundabout" / "models"


def test_portable_models_hold_no_duckdb_only_sql(compiled):
    found = [v for v in lint_folder(compiled) if v.model not in NOT_YET_PORTABLE]
    assert not found, "engine-specific SQL outside macros/compat/:\n" + "\n".join(map(str, found))


def test_data_tests_hold_no_duckdb_only_sql(compiled):
    """``dbt build`` on a Spark target runs the data tests there too."""
    tests = [p for p in sorted(compiled.rglob("*.sql")) if p.parent.name.endswith(".yml")]
    assert len(tests) > 100, "the data tests were not compiled"
    found = [v for path in tests for v in lint_sql(path.stem, path.read_text(encoding="utf-8"))]
    assert not found, "engine-specific SQL in a data test:\n" + "\n".join(map(str, found))


def test_the_list_of_models_not_yet_portable_is_current(compiled):
    models = {path.stem for path in compiled.rglob("*.sql")}
    assert models >= NOT_YET_PORTABLE, NOT_YET_PORTABLE - models
    offending = {v.model for v in lint_folder(compiled)}
    assert not NOT_YET_PORTABLE - offending, (
        f"portable now, remove from NOT_YET_PORTABLE: {sorted(NOT_YET_PORTABLE - offending)}"
    )
