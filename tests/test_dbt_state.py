"""An incremental table is rebuilt in full when dbt's state comparison finds that its SQL, or
something upstream of it, changed since the build that was published; otherwise it is built by
partition."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.dbt_state import changed_incremental_models
from orchestration.project import dbt_project
from orchestration.reference import DATA_DIR
from orchestration.settings import BUILD_DB_VAR, DBT_PROJECT_DIR, REPO_ROOT
from tests.conftest import run_in

# A macro that builds the partition key of fct_trade_flows' upstream models (macros/trade_flows.sql)
PARTITION_MACRO = "macro.roundabout.trade_load_partition"


def _manifest() -> dict:
    return json.loads(dbt_project.manifest_path.read_text())


def _upstream(manifest: dict, unique_id: str) -> tuple[set[str], set[str]]:
    """The nodes and the macros (called directly or through other macros) a node builds on."""
    nodes, macros, todo = set(), set(), [unique_id]
    while todo:
        node = manifest["nodes"].get(todo.pop()) or {}
        for macro in node.get("depends_on", {}).get("macros", []):
            stack = [macro]
            while stack:
                name = stack.pop()
                if name in macros or name not in manifest["macros"]:
                    continue
                macros.add(name)
                stack += manifest["macros"][name]["depends_on"]["macros"]
        for parent in node.get("depends_on", {}).get("nodes", []):
            if parent not in nodes:
                nodes.add(parent)
                todo.append(parent)
    return nodes, macros


WINDOW_VARS = re.compile(r"""var\(\s*['"](min_date|max_date)['"]""")
# Set only by the portability lint's `dbt compile` (macros/compat/), never by a build.
LINT_VAR = re.compile(r"""var\(\s*['"]portability_lint['"]""")


def test_no_var_is_read_upstream_of_an_incremental_model():
    """dbt's state comparison does not compare the values of vars read in SQL: a var upstream
    of an incremental model would change its rows without a full rebuild."""
    manifest = _manifest()
    incremental = [
        uid
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "incremental"
    ]
    assert incremental
    for uid in incremental:
        nodes, macros = _upstream(manifest, uid)
        sql = {n: manifest["nodes"][n]["raw_code"] for n in nodes | {uid} if n in manifest["nodes"]}
        sql |= {m: manifest["macros"][m]["macro_sql"] for m in macros}
        # The window vars of a partitioned run pick which partitions are rebuilt, not their rows.
        reads_var = [
            n for n, text in sql.items() if "var(" in LINT_VAR.sub("", WINDOW_VARS.sub("", text))
        ]
        assert reads_var == [], uid
    assert PARTITION_MACRO in _upstream(manifest, "model.roundabout.fct_trade_flows")[1]


def _project_copy(root: Path) -> Path:
    """The dbt project and the reference seeds it reads from outside its folder, in the same
    layout (dbt_project.yml names ../orchestration/reference/data)."""
    project = root / DBT_PROJECT_DIR.name
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    shutil.copytree(DATA_DIR, root / DATA_DIR.relative_to(REPO_ROOT))
    return project


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.slow
def test_published_run_keeps_the_manifest_of_its_dbt_build(sample_run):
    home = sample_run.published_db.parent
    (built,) = (home / "runs" / "dbt").glob("*-dbt_models/manifest.json")
    assert (home / "dbt_state" / "manifest.json").read_bytes() == built.read_bytes()


@pytest.mark.slow
def test_state_comparison_finds_changes_upstream_only(sample_run, tmp_path, monkeypatch):
    state = sample_run.published_db.parent / "dbt_state"
    # profiles.yml names the build warehouse from the environment, which a run sets around its
    # dbt calls only (orchestration/settings.py, dbt_environment); here the sample's build.
    monkeypatch.setenv(
        BUILD_DB_VAR, str(sample_run.published_db.parent / "build" / "warehouse.duckdb")
    )
    # The project as published: nothing to rebuild.
    assert changed_incremental_models(state, tmp_path / "same") == []

    project = _project_copy(tmp_path / "repo")
    work = tmp_path / "copy"
    # A mart downstream of fct_trade_flows changed: its rows are rebuilt anyway (a table).
    _edit(project / "models" / "marts" / "fct_transit_offset.sql", "select", "select distinct")
    assert changed_incremental_models(state, work, project) == []
    # The partition key's macro changed: every partition of the table would be keyed anew, and
    # the metric flows made from its rows (incremental too, downstream) with it.
    _edit(project / "macros" / "trade_flows.sql", "'TOTAL'", "'ALL'")
    assert changed_incremental_models(state, work, project) == [
        "fct_trade_flows",
        "int_metric_trade_flows",
    ]


def _built(published: Path) -> dict[str, tuple]:
    with duckdb.connect(str(published), read_only=True) as con:
        rows = con.execute(
            "select load_partition, count(*), min(loaded_at), max(loaded_at), min(built_at) "
            "from marts.fct_trade_flows group by all"
        ).fetchall()
    return {partition: rest for partition, *rest in rows}


@pytest.mark.slow
def test_changed_macro_rebuilds_the_table_in_full(sample_home_copy):
    """The kept manifest says the published table was built with another partition macro than
    the project's: to dbt's comparison, the macro changed since the published build."""
    home = sample_home_copy
    published = home / "warehouse.duckdb"
    kept = home / "dbt_state" / "manifest.json"
    manifest = json.loads(kept.read_text())
    macro = manifest["macros"][PARTITION_MACRO]
    macro["macro_sql"] = macro["macro_sql"].replace("'TOTAL'", "'ALL'")
    kept.write_text(json.dumps(manifest))
    before = _built(published)
    last_build = max(built for *_, built in before.values())

    summary = run_in(home)
    assert summary.success, summary.render()
    # The metric flows, incremental as well, are rebuilt in full along with the table.
    assert set(summary.full_refreshes) == {
        "marts/fct_trade_flows",
        "intermediate/int_metric_trade_flows",
    }
    assert "marts/fct_trade_flows: rebuilt in full" in summary.render()
    after = _built(published)
    # The same inputs: the same partitions and rows; every partition written again. (Load times
    # are not compared: the sample's Comext, Comtrade and Armstat files are read again in every
    # run, only BACI's bulk files are skipped when unchanged.)
    assert {p: v[0] for p, v in after.items()} == {p: v[0] for p, v in before.items()}
    assert all(built > last_build for *_, built in after.values())
    # The published build's manifest replaced the altered one.
    assert (
        json.loads(kept.read_text())["macros"][PARTITION_MACRO]["macro_sql"]
        == (_manifest()["macros"][PARTITION_MACRO]["macro_sql"])
    )
