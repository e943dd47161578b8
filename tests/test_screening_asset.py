"""The Dagster screening asset: unconfigured and configured runs, new hits after a list change,
the screening models built on them, the job, schedule and sensor, and one pipeline run with a
configured counterparty file and an ownership dataset."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest
from dagster_duckdb import DuckDBResource

from orchestration.screening.command import screen_published
from orchestration.screening.ownership import REGIMES
from orchestration.settings import (
    BUILD_DB_VAR,
    SAMPLE_INPUTS,
    RoundaboutSettings,
    from_environment,
)
from tests.conftest import run_in

# The asset module imports the dbt project, which fixes ROUNDABOUT_BUILD_DB for the process:
# it is imported inside the tests, after the session's sample run has set its own home.
COUNTERPARTIES_VAR, SHIPMENTS_VAR = "ROUNDABOUT_COUNTERPARTIES", "ROUNDABOUT_SHIPMENTS"
RUNS_KEY = dg.AssetKey(["raw", "screening__runs"])
MATCHES_KEY = dg.AssetKey(["raw", "screening__matches"])
FIXTURES = Path(__file__).parent / "screening" / "fixtures" / "inputs"
COUNTERPARTIES = (
    "id,name,country,registration_number\n"
    "veb,VEB Asia Limited,HK,1886537\n"
    "bel,Bellwether Garden Supplies Inc,US,\n"
    "tsg,Ting Shing Tai Jewellery (HK) Co Ltd,HK,\n"
)
ADDED = "bellwether garden supplies incorporated"


def forget_screenings(database: Path) -> None:
    """Empty the screening history of a copy of the sample warehouse (the sample run screened
    its bundled customer file), so that the next screening there is its first."""
    from orchestration.screening.run import SCHEMAS

    with duckdb.connect(str(database)) as con:
        for table in SCHEMAS:
            con.execute(f"delete from raw.screening__{table}")


@pytest.fixture()
def build_copy(sample_run, tmp_path, monkeypatch):
    """A private copy of the published sample warehouse to screen into, where the build
    warehouse of the home ``tmp_path / "home"`` lives; it has screened nothing yet."""
    path = tmp_path / "home" / "build" / "warehouse.duckdb"
    path.parent.mkdir(parents=True)
    shutil.copy2(sample_run.published_db, path)
    forget_screenings(path)
    monkeypatch.delenv(COUNTERPARTIES_VAR, raising=False)
    monkeypatch.delenv(SHIPMENTS_VAR, raising=False)
    return path


def screening():
    import orchestration.assets.screening as module

    assert (module.RUNS_KEY, module.MATCHES_KEY) == (RUNS_KEY, MATCHES_KEY)
    assert (module.COUNTERPARTIES_VAR, module.SHIPMENTS_VAR) == (COUNTERPARTIES_VAR, SHIPMENTS_VAR)
    return module


def settings_for(build: Path, inputs: Path = SAMPLE_INPUTS) -> RoundaboutSettings:
    """The settings of the home whose build warehouse is ``build``; the rest from the
    environment, as the code location takes them."""
    home = build.parent.parent
    return RoundaboutSettings.of(replace(from_environment(), home=home, inputs=inputs))


def materialize(
    database: Path, inputs: Path = SAMPLE_INPUTS, **config
) -> dg.ExecuteInProcessResult:
    run_config = {"ops": {"screen_counterparties": {"config": config}}} if config else None
    return dg.materialize(
        [screening().screen_counterparties],
        resources={
            "warehouse": DuckDBResource(database=str(database)),
            "settings": settings_for(database, inputs),
        },
        run_config=run_config,
        instance=dg.DagsterInstance.ephemeral(),
    )


def metadata(result: dg.ExecuteInProcessResult, key: dg.AssetKey) -> dict:
    events = [e for e in result.get_asset_materialization_events() if e.asset_key == key]
    return {k: v.value for k, v in events[0].materialization.metadata.items()}


def query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.mark.slow
def test_unconfigured_run_records_nothing_configured(build_copy, tmp_path):
    # Inputs without screening/counterparties.csv, and no file in the settings.
    (tmp_path / "inputs").mkdir()
    result = materialize(build_copy, tmp_path / "inputs")
    assert result.success
    runs = metadata(result, RUNS_KEY)
    assert runs["configured"] is False
    assert runs["counterparties_file"] == f"not configured (set {COUNTERPARTIES_VAR})"
    assert metadata(result, MATCHES_KEY)["new_hits"] == 0
    checks = result.get_asset_check_evaluations()
    assert len(checks) == 5 and all(c.passed for c in checks)
    runs = query(
        build_copy, "select run_id, configured from raw.screening__runs order by screened_at"
    )
    assert runs == [(result.run_id, False)]
    assert query(build_copy, "select count(*) from raw.screening__matches") == [(0,)]


@pytest.mark.slow
def test_the_inputs_customer_file_is_screened_when_the_settings_name_none(build_copy, tmp_path):
    """An inputs directory holding screening/counterparties.csv: screened without any setting,
    its rows recorded with the file."""
    (tmp_path / "inputs" / "screening").mkdir(parents=True)
    customers = tmp_path / "inputs" / "screening" / "counterparties.csv"
    customers.write_text(COUNTERPARTIES)
    result = materialize(build_copy, tmp_path / "inputs")
    assert result.success
    assert query(build_copy, "select configured, counterparties_file from raw.screening__runs") == [
        (True, str(customers))
    ]  # fmt: skip
    found = query(build_copy, "select counterparty_id, entity_key from raw.screening__matches")
    assert ("veb", "ofac_sdn:18295") in found
    # A file named by the run configuration takes precedence over the inputs' file.
    other = tmp_path / "other.csv"
    other.write_text("id,name\nx,Bellwether Garden Supplies Inc\n")
    result = materialize(build_copy, tmp_path / "inputs", counterparties=str(other))
    assert metadata(result, RUNS_KEY)["counterparties_file"] == str(other)


@pytest.mark.slow
def test_new_hits_after_a_list_change_and_the_marts(build_copy, tmp_path, monkeypatch):
    counterparties = tmp_path / "cp.csv"
    counterparties.write_text(COUNTERPARTIES)
    first = materialize(build_copy, counterparties=str(counterparties))
    assert first.success
    found = query(build_copy, "select counterparty_id, entity_key, new_hit_cause from "
                              "raw.screening__matches order by 1, 2")  # fmt: skip
    assert ("veb", "ofac_sdn:18295", "first_screening") in found
    assert ("tsg", "ofac_sdn:11297", "first_screening") in found
    assert {cp for cp, _, _ in found} == {"veb", "tsg"}
    assert metadata(first, MATCHES_KEY)["new_hits"] == len(found)

    # A list release adds a Bellwether listing; the same file is screened again.
    with duckdb.connect(str(build_copy)) as con:
        con.execute(
            "insert into marts.dim_sanctioned_entity (entity_key, list, source_id, schema, "
            "primary_name, programs, first_release, last_release, is_active) values "
            "('ofac_sdn:999001', 'ofac_sdn', '999001', 'organization', $1, ['RUSSIA-EO14024'], "
            "date '2026-06-01', date '2026-06-01', true)",
            [ADDED.upper()],
        )
    second = materialize(build_copy, counterparties=str(counterparties))
    new = metadata(second, MATCHES_KEY)
    assert new["new_hits"] == 1
    table = new["new_hits_table"]
    assert [(r.data["counterparty_id"], r.data["entity_key"], r.data["new_hit_cause"])
            for r in table.records] == [("bel", "ofac_sdn:999001", "list_change")]  # fmt: skip

    # The screening models on top: the new-hits mart holds that one hit, and the marts equal
    # what `roundabout screen` computes for the same file against the same warehouse.
    monkeypatch.setenv(BUILD_DB_VAR, str(build_copy))
    from orchestration.resources import dbt_cli

    built = dg.materialize([screening().screening_models],
                           resources={"dbt": dbt_cli(), "settings": settings_for(build_copy)},
                           instance=dg.DagsterInstance.ephemeral())  # fmt: skip
    assert built.success
    assert all(c.passed for c in built.get_asset_check_evaluations())
    assert query(build_copy, "select counterparty_id, entity_key, new_hit_cause, "
                             "entity_first_release from marts.fct_screening_new_hits") == [
        ("bel", "ofac_sdn:999001", "list_change", date(2026, 6, 1))
    ]  # fmt: skip
    cli = screen_published(build_copy, counterparties)
    same_columns = [c for c in cli.matches.columns if c not in ("run_id", "screened_at")]
    with duckdb.connect(str(build_copy), read_only=True) as con:
        mart = con.sql("select * from marts.fct_screening_matches").pl()
        exposure = con.sql("select * from marts.fct_company_exposure").pl()
    order = ["counterparty_id", "entity_key"]
    assert (
        mart.select(same_columns).sort(order).equals(cli.matches.select(same_columns).sort(order))
    )
    same_columns = [c for c in cli.exposure.columns if c != "run_id"]
    assert (
        exposure.select(same_columns)
        .sort("counterparty_id")
        .equals(cli.exposure.select(same_columns).sort("counterparty_id"))
    )


def test_job_schedule_and_sensor_are_defined():
    from orchestration.definitions import defs

    job = defs.resolve_job_def("screening")
    assert {n.name for n in job.graph.nodes} == {
        "warehouse__build", "screen_counterparties", "screening_models", "warehouse__published"
    }  # fmt: skip
    schedule = defs.resolve_schedule_def("screening_daily")
    assert schedule.cron_schedule == "0 6 * * *" and schedule.job_name == "screening"
    sensor = defs.resolve_sensor_def("screen_on_list_change")
    assert sensor.job_name == "screening"
    models = screening().screening_models
    marts = {k.to_user_string() for k in models.keys if k.path[0] == "marts"}
    assert marts == {"marts/fct_screening_matches", "marts/fct_company_exposure",
                     "marts/fct_screening_new_hits"}  # fmt: skip


def test_sensor_screens_again_only_when_the_list_run_did_not():
    sensor = screening().screen_on_list_change
    lists = dg.AssetKey(["marts", "dim_sanctioned_entity"])

    @dg.asset(key=lists)
    def rebuilt_lists():
        return None

    @dg.multi_asset(specs=[dg.AssetSpec(lists), dg.AssetSpec(RUNS_KEY)])
    def rebuilt_and_screened():
        yield dg.MaterializeResult(asset_key=lists)
        yield dg.MaterializeResult(asset_key=RUNS_KEY)

    with dg.instance_for_test() as instance:
        dg.materialize([rebuilt_lists], instance=instance)
        tick = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
        assert len(tick.run_requests) == 1
        dg.materialize([rebuilt_and_screened], instance=instance)
        context = dg.build_sensor_context(instance=instance, cursor=tick.cursor)
        tick = sensor.evaluate_tick(context)
        assert tick.run_requests == [] and "screened in it" in tick.skip_message


@pytest.mark.slow
def test_pipeline_with_counterparties_and_ownership(sample_home_copy, tmp_path, monkeypatch):
    """A run on top of the published sample, adding an ownership dataset and configuring a
    counterparty file, as a user adds files to their inputs."""
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    shutil.copytree(
        FIXTURES / "sanctions" / "opensanctions", inputs / "sanctions" / "opensanctions"
    )
    # The sample run screened its customer file; this home's next screening is its first.
    forget_screenings(sample_home_copy / "warehouse.duckdb")
    counterparties, shipments = tmp_path / "cp.csv", tmp_path / "sh.csv"
    counterparties.write_text(
        "id,name,country,registration_number\n"
        "hc,Harbour Crest Components Ltd,HK,3170001\n"
        "al,Alatau Precision Trading,KZ,\n"
        "ps,Polar Star Machine Building,RU,\n"
        "veb,VEB Asia Limited,HK,1886537\n"
    )
    shipments.write_text(
        "counterparty,date,hs6,value,currency,destination\nhc,2024-02-01,854231,900,USD,RU\n"
    )
    monkeypatch.setenv(COUNTERPARTIES_VAR, str(counterparties))
    monkeypatch.setenv(SHIPMENTS_VAR, str(shipments))
    summary = run_in(sample_home_copy, inputs)
    assert summary.success, summary.render()
    assert summary.mart_rows["marts.fct_company_exposure"] == 4

    published = summary.published_db
    today = query(published, "select as_of from raw.screening__runs where configured")[0][0]
    in_force = sorted(r for r, regime in REGIMES.items() if regime.in_force(today))
    with duckdb.connect(str(published), read_only=True) as con:
        exposure = {
            r["counterparty_id"]: r
            for r in con.sql("select * from marts.fct_company_exposure").pl().to_dicts()
        }
        new_hits = con.sql("select new_hit_cause from marts.fct_screening_new_hits").fetchall()
    hc, al = exposure["hc"], exposure["al"]
    assert hc["is_owned_50"] and not hc["is_listed"] and hc["listed_owner_share"] == 0.6
    assert hc["owned_50_regimes"] == ";".join(in_force)  # 60%: caught under every regime
    assert al["is_owned_50"] and al["listed_owner_share"] == 0.5
    assert al["owned_50_regimes"] == ";".join(r for r in in_force if r != "uk")
    assert exposure["ps"]["is_listed"] and exposure["ps"]["lists"] == "opensanctions_ownership_demo"
    assert exposure["veb"]["is_listed"] and exposure["veb"]["lists"] == "ofac_sdn"
    assert hc["revenue_at_risk_usd"] == 900 and hc["chpl_tier_1_value_high_risk_usd"] == 900
    assert {cause for (cause,) in new_hits} == {"first_screening"} and len(new_hits) == 4

    cli = screen_published(published, counterparties, shipments)
    columns = [c for c in cli.exposure.columns if c != "run_id"]
    mart = pl.DataFrame(list(exposure.values())).select(columns).sort("counterparty_id")
    assert mart.equals(cli.exposure.select(columns).sort("counterparty_id"))
