"""The published warehouse as BI tools see it: opened by an older DuckDB (1.x) in a venv of its
own, through SQLAlchemy (duckdb_engine), with the dbt descriptions as table and column comments;
and the dbt docs site generated offline from it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.settings import DBT_PROJECT_DIR
from orchestration.storage import STORAGE_VERSION, storage_version

pytestmark = pytest.mark.slow

OLD_DUCKDB = "duckdb==1.1.3"  # a 1.x release that BI drivers still bundle
CHECK = (
    "select count(*), round(sum(coalition_imports_usd)), min(country_iso3) "
    "from marts.fct_country_exposure"
)


def test_the_file_carries_the_compatible_storage_version(warehouse):
    assert storage_version(warehouse) == STORAGE_VERSION + "+"


@pytest.fixture(scope="module")
def old_duckdb_python(tmp_path_factory) -> Path:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH: cannot make a venv with an older duckdb")
    venv = tmp_path_factory.mktemp("old-duckdb") / "venv"
    made = subprocess.run([uv, "venv", "-q", "-p", sys.executable, str(venv)],
                          capture_output=True, text=True)  # fmt: skip
    if made.returncode:
        pytest.skip(f"cannot create a venv: {made.stderr.strip()}")
    python = venv / "bin" / "python"
    installed = subprocess.run(
        [uv, "pip", "install", "-q", "--python", str(python), OLD_DUCKDB],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if installed.returncode:
        reason = installed.stderr[-300:]
        pytest.skip(f"cannot install {OLD_DUCKDB} from the package index: {reason}")
    return python


def test_an_older_duckdb_opens_the_published_warehouse(sample_run, warehouse, old_duckdb_python):
    script = (
        "import duckdb, sys, json\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(duckdb.__version__)\n"
        f"print(json.dumps(con.execute({CHECK!r}).fetchall()[0]))\n"
    )
    done = subprocess.run(
        [str(old_duckdb_python), "-c", script, str(sample_run.published_db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    version, row = done.stdout.splitlines()
    assert version == OLD_DUCKDB.split("==")[1]
    assert tuple(json.loads(row)) == warehouse.execute(CHECK).fetchall()[0]


def model_yaml(name: str) -> dict:
    for path in (DBT_PROJECT_DIR / "models").rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []):
            if model["name"] == name:
                return model
    raise AssertionError(f"no YAML for {name}")


def test_dbt_descriptions_are_table_and_column_comments(warehouse):
    model = model_yaml("fct_country_exposure")
    (table_comment,) = warehouse.execute(
        "select comment from duckdb_tables() "
        "where schema_name = 'marts' and table_name = 'fct_country_exposure'"
    ).fetchall()[0]
    assert " ".join(table_comment.split()) == " ".join(model["description"].split())
    comments = dict(
        warehouse.execute(
            "select column_name, comment from duckdb_columns() "
            "where schema_name = 'marts' and table_name = 'fct_country_exposure'"
        ).fetchall()
    )
    described = [c for c in model["columns"] if c.get("description")]
    assert described
    for column in described:
        assert " ".join((comments[column["name"]] or "").split()) == " ".join(
            column["description"].split()
        ), column["name"]


def test_sqlalchemy_through_duckdb_engine(sample_run, warehouse, tmp_path):
    import sqlalchemy as sa

    # A copy: this process already holds the published file open through the `warehouse`
    # fixture, and DuckDB refuses a second connection to a file with other settings.
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy2(sample_run.published_db, copy)
    engine = sa.create_engine(f"duckdb:///{copy}", connect_args={"read_only": True})
    try:
        inspector = sa.inspect(engine)
        assert "fct_country_exposure" in inspector.get_table_names(schema="marts")
        columns = {c["name"]: c for c in inspector.get_columns("fct_country_exposure", "marts")}
        # The descriptions reach a BI tool through the driver's reflection.
        (comment,) = warehouse.execute(
            "select comment from duckdb_columns() where schema_name = 'marts' and "
            "table_name = 'fct_country_exposure' and column_name = 'coalition_imports_usd'"
        ).fetchall()[0]
        assert comment and columns["coalition_imports_usd"]["comment"] == comment
        with engine.connect() as con:
            got = con.execute(sa.text(CHECK)).fetchall()[0]
    finally:
        engine.dispose()
    assert tuple(got) == warehouse.execute(CHECK).fetchall()[0]


def test_dbt_docs_generate_offline_from_the_published_warehouse(sample_run, tmp_path):
    target = tmp_path / "docs"
    env = {
        **os.environ,
        "ROUNDABOUT_PUBLISHED_DB": str(sample_run.published_db),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    dbt = Path(sys.executable).with_name("dbt")
    done = subprocess.run(
        [
            str(dbt),
            "docs",
            "generate",
            "--static",
            "--target",
            "docs",
            "--target-path",
            str(target),
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    page = (target / "static_index.html").read_text(encoding="utf-8")
    assert "fct_country_exposure" in page and "roundabout_report" in page
    with duckdb.connect(str(sample_run.published_db), read_only=True):
        pass  # the docs run left no lock behind
