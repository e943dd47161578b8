"""The pipeline end to end: the bundled (real) sample published and checked, and on the
synthetic panel the planted diversion pattern visible and every row derived from it marked
synthetic."""

from __future__ import annotations

import csv
import hashlib
import shutil
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, DagsterInstance, DagsterRunStatus

from orchestration.settings import SAMPLE_INPUTS
from tests.conftest import run_in

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def baci(synthetic_inputs) -> Path:
    return synthetic_inputs / "trade" / "baci"


def baci_rows(baci: Path) -> int:
    """Rows of the synthetic panel's BACI year files, counted with the csv module (its only
    trade source, so one flow row each)."""
    total = 0
    for path in sorted(baci.glob("BACI_HS17_Y*_V202601.csv")):
        with path.open(newline="") as handle:
            total += sum(1 for _ in csv.DictReader(handle))
    return total


def test_sample_run_publishes_with_every_check_passing(sample_run):
    assert sample_run.success, sample_run.render()
    assert sample_run.published
    assert sample_run.checks and not sample_run.failed_checks
    assert sample_run.skipped_files == []
    assert sample_run.mart_rows["marts.fct_trade_flows"] > 0


def test_the_real_sample_has_no_synthetic_row(sample_run, warehouse):
    assert sample_run.synthetic_marts == []
    assert not sample_run.render().startswith("SYNTHETIC")
    assert warehouse.execute(
        "select count(*) from raw.ingested_files where is_synthetic"
    ).fetchall() == [(0,)]
    for table in ("fct_trade_flows", "fct_country_exposure", "fct_russia_chpl_suppliers",
                  "fct_transit_offset", "fct_mirror_gaps"):  # fmt: skip
        assert (
            warehouse.execute(
                f"select count(*), count(*) filter (where is_synthetic) from marts.{table}"
            ).fetchall()[0][1]
            == 0
        ), table


def test_the_synthetic_panel_is_marked_synthetic_from_file_to_mart(
    synthetic_run, synthetic_warehouse, baci
):
    assert synthetic_run.success, synthetic_run.render()
    assert synthetic_run.mart_rows["marts.fct_trade_flows"] == baci_rows(baci)
    first = synthetic_run.render().splitlines()[0]
    assert first.startswith("SYNTHETIC DATA: ")
    assert "marts.fct_country_exposure" in first and "marts.fct_trade_flows" in first
    # The panel's year files carry the note; the code tables beside them are real CEPII files
    # but their folder holds the note too, so they count as synthetic inputs as well.
    marked = synthetic_warehouse.execute(
        "select source_file, bool_and(is_synthetic) from raw.ingested_files "
        "where source = 'baci' group by 1 order by 1"
    ).fetchall()
    assert [f for f, _ in marked if "BACI_HS17_Y" in f] == [
        f"trade/baci/{p.name}" for p in sorted(baci.glob("BACI_HS17_Y*_V202601.csv"))
    ]
    assert all(flag for _, flag in marked)
    # Every trade flow comes from the panel: every row of every trade mart is synthetic.
    for table in ("fct_trade_flows", "fct_country_exposure", "fct_russia_chpl_suppliers",
                  "fct_transit_offset"):  # fmt: skip
        total, synthetic = synthetic_warehouse.execute(
            f"select count(*), count(*) filter (where is_synthetic) from marts.{table}"
        ).fetchall()[0]
        assert total > 0 and synthetic == total, table


def exposure(warehouse, country: str, year: int, basket: str) -> dict:
    cursor = warehouse.execute(
        "select * from marts.fct_country_exposure "
        "where country_iso3 = ? and year = ? and basket = ? and hs_version = 'HS2017'",
        [country, year, basket],
    )
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1
    return dict(zip(names, rows[0], strict=True))


def test_kyrgyzstan_tier1_planted_values(synthetic_warehouse):
    warehouse = synthetic_warehouse
    # Worked by hand from tools/synthetic/README.md: coalition imports 30,000 kUSD in 2023 against a
    # 2019-2021 mean of (1,800 + 2,000 + 2,200) / 3 = 2,000 kUSD; exports to Russia 24,000 kUSD
    # against a mean of 50 kUSD, below the USD 1m floor.
    row = exposure(warehouse, "KGZ", 2023, "chpl_tier_1")
    assert row["coalition_imports_usd"] == pytest.approx(30_000_000)
    assert row["coalition_imports_baseline_usd"] == pytest.approx(2_000_000)
    assert row["coalition_imports_growth"] == pytest.approx(14.0)
    assert row["coalition_imports_sym_growth"] == pytest.approx(28_000_000 / 16_000_000)
    assert row["exports_to_russia_usd"] == pytest.approx(24_000_000)
    assert row["exports_to_russia_baseline_usd"] == pytest.approx(50_000)
    assert row["exports_to_russia_growth"] is None
    assert row["exports_to_russia_is_new_flow"] is True
    assert row["baseline_years"] == "2019-2021"
    assert row["chpl_list_version"] == "2024-02-23"


def test_armenia_tier2_and_georgia_control(synthetic_warehouse):
    warehouse = synthetic_warehouse
    arm = exposure(warehouse, "ARM", 2023, "chpl_tier_2")
    assert arm["coalition_imports_growth"] == pytest.approx(2.0)
    assert arm["exports_to_russia_baseline_usd"] == pytest.approx(1_200_000)
    assert arm["exports_to_russia_growth"] == pytest.approx(7.0)
    assert arm["exports_to_russia_is_new_flow"] is False
    geo = exposure(warehouse, "GEO", 2023, "chpl_tier_1")
    assert geo["coalition_imports_growth"] == pytest.approx(0.0)
    assert geo["exports_to_russia_growth"] is None  # 100k baseline, below the floor
    assert geo["exports_to_russia_is_new_flow"] is False


def _independent_chpl_totals(baci: Path) -> dict[tuple[str, int], float]:
    """Kazakhstan's CHPL exports to Russia per year, straight from the CSVs and the CHPL seed."""
    codes = {
        r["country_code"]: r["country_iso3"]
        for r in csv.DictReader((baci / "country_codes_V202601.csv").open(encoding="utf-8"))
    }
    seeds = Path("dbt_project/seeds/reference")
    mapping = {
        r["hs6"]: r["include_in_tier"] == "true"
        for r in csv.DictReader((seeds / "ref_chpl_hs_concordance.csv").open())
    }
    chpl_hs17 = {code for code, included in mapping.items() if included}
    totals: dict[tuple[str, int], float] = defaultdict(float)
    for path in sorted(baci.glob("BACI_HS17_Y*_V202601.csv")):
        for row in csv.DictReader(path.open()):
            if row["k"] in chpl_hs17 and codes[row["j"]] == "RUS":
                totals[(codes[row["i"]], int(row["t"]))] += float(row["v"]) * 1000
    return totals


def test_background_country_matches_independent_sum(synthetic_warehouse, baci):
    totals = _independent_chpl_totals(baci)
    for year in (2019, 2022, 2024):
        row = exposure(synthetic_warehouse, "KAZ", year, "chpl")
        assert row["exports_to_russia_usd"] == pytest.approx(totals[("KAZ", year)], rel=1e-9)


def test_solar_cell_trap_is_not_counted(synthetic_warehouse):
    warehouse = synthetic_warehouse
    trap = warehouse.execute(
        "select chpl_tier, hs_mapping, is_chpl from marts.dim_product "
        "where hs6 = '854140' and hs_version = 'HS2017'"
    ).fetchall()
    assert trap == [(None, "excluded_trap", False)]
    in_chpl_baskets = warehouse.execute(
        "select count(*) from intermediate.int_country_baskets "
        "where hs6 = '854140' and basket_kind in ('chpl', 'chpl_tier')"
    ).fetchall()[0][0]
    assert in_chpl_baskets == 0


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sanctions_state(published: Path) -> list:
    with duckdb.connect(str(published), read_only=True) as con:
        return (
            con.execute(
                "select list, release_date, change, count(*) from marts.fct_sanctions_list_changes "
                "group by all order by all"
            ).fetchall()
            + con.execute(
                "select count(*), sum(is_active::int) from marts.dim_sanctioned_entity"
            ).fetchall()
        )


def _trade_flows_built(published: Path) -> list:
    with duckdb.connect(str(published), read_only=True) as con:
        return con.execute(
            "select load_partition, min(built_at), max(built_at), count(*) "
            "from marts.fct_trade_flows group by all order by all"
        ).fetchall()


def test_rerun_is_idempotent_and_corrupted_input_keeps_published_warehouse(
    sample_run, sample_home_copy, tmp_path
):
    home = sample_home_copy
    published = home / sample_run.published_db.name
    state = _sanctions_state(published)
    built = _trade_flows_built(published)
    with duckdb.connect(str(published), read_only=True) as con:
        flows = con.execute("select count(*) from marts.fct_trade_flows").fetchall()

    again = run_in(home)  # the same releases again, on top of the published warehouse
    assert again.success, again.render()
    assert again.published_db == published
    assert _sanctions_state(published) == state
    # The same counterparty file screened against the same lists again: nothing is new since
    # the screening before (the first run found all 12 listed rows new).
    new_hits = "marts.fct_screening_new_hits"
    assert sample_run.mart_rows[new_hits] == 12 and again.mart_rows[new_hits] == 0
    assert {k: v for k, v in again.mart_rows.items() if k != new_hits} == {
        k: v for k, v in sample_run.mart_rows.items() if k != new_hits
    }
    # Nothing changed in the inputs or the project: the incremental table is not rebuilt in
    # full, and holds the same partitions with the same rows. (The sample's Comext, Comtrade
    # and Armstat files are read again on every run, unlike BACI's bulk files, so the partitions
    # they feed are rebuilt with a new build time: compare what they hold, not when.)
    assert again.full_refreshes == {}
    assert "rebuilt in full" not in again.render()
    assert [(p, n) for p, _, _, n in _trade_flows_built(published)] == [
        (p, n) for p, _, _, n in built
    ]
    before = _sha256(published)
    kept = home / "dbt_state" / "manifest.json"
    kept_before = _sha256(kept)

    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    sdn = inputs / "sanctions" / "ofac_sdn" / "2023-12-28" / "sdn.csv"
    lines = sdn.read_bytes().split(b"\r\n")
    # The same entry twice: ids are no longer unique within the release.
    sdn.write_bytes(b"\r\n".join([lines[0], *lines]))

    second = run_in(home, inputs=inputs)
    assert not second.success and not second.published
    failed = {(c.asset, c.name) for c in second.failed_checks}
    assert ("raw/ofac_sdn__sdn", "gx_suite") in failed
    assert "NOT published" in second.render()
    assert _sha256(published) == before
    assert _sha256(kept) == kept_before  # the failed run keeps the published build's state
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_trade_flows").fetchall() == flows


def test_cli_exit_code_on_failed_check(tmp_path, monkeypatch, synthetic_inputs):
    from orchestration.cli import main

    inputs = tmp_path / "inputs"
    shutil.copytree(synthetic_inputs, inputs)
    product = inputs / "trade" / "baci" / "BACI_HS17_Y2020_V202601.csv"
    with product.open("a") as handle:
        handle.write("2020,4,8,12AB56,1.0,1.0\n")  # not an HS6 code
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    code = main(["--home", str(tmp_path / "home"), "run", "--inputs", str(inputs), "--record"])
    assert code == 1
    assert not (tmp_path / "home" / "warehouse.duckdb").exists()
    # --record: the failed run is in the Dagster instance, for the UI.
    with DagsterInstance.get() as instance:
        runs = instance.get_runs()
    assert [(r.job_name, r.status) for r in runs] == [("pipeline", DagsterRunStatus.FAILURE)]


def test_a_run_without_record_leaves_the_dagster_instance_empty(sample_run):
    home = sample_run.published_db.parent
    with DagsterInstance.from_config(str(home / "dagster")) as instance:
        assert instance.get_runs() == []
    assert "--record keeps it for the UI" in sample_run.render()


def test_dbt_parses_the_project_at_most_once_per_run(sample_run):
    """The project is parsed for this new home once, beside the ingest
    (orchestration/dbt_parse_ahead.py), and both builds start from the state that parse left,
    made with the same warehouse path, so dbt skips parsing in them. dbt logs why it parses the
    whole project ("Unable to do partial parsing because ...") at info level, the level of the
    runs' dbt logs: neither build may say it."""
    runs = sample_run.log_file.parent / "dbt"
    (main_log,) = runs.glob("*-dbt_models/dbt.log")
    (screening_log,) = runs.glob("*-screening_models/dbt.log")
    assert "Unable to do partial parsing" not in main_log.read_text()
    assert "Unable to do partial parsing" not in screening_log.read_text()
    assert (runs / "partial_parse.msgpack").exists()
    assert not (runs.parent / "dbt-parse").exists()  # the parse's own folder is gone


def test_the_whole_warehouse_is_recorded_under_the_years_its_data_holds(sample_run):
    """One materialisation per asset, and per partition for a partitioned asset: over the
    years the sample's files hold (read with the csv module), not every year since 1988."""
    from orchestration.definitions import defs
    from tests.test_trade_years import sample_trade_years

    years = sample_trade_years()
    first, last = min(years), max(years)
    assert sample_run.trade_partitions == (str(first), str(last))
    assert sample_run.whole_warehouse
    graph = defs.resolve_asset_graph()
    partitioned = [
        key
        for key in sample_run.materialized
        if graph.get(AssetKey.from_user_string(key)).partitions_def is not None
    ]
    assert len(partitioned) > 50  # the trade ingest tables and every dbt model
    expected = len(sample_run.materialized) + len(partitioned) * (last - first)
    assert sample_run.materialization_events == expected
    assert f"trade partitions: {first} to {last} (the whole warehouse" in sample_run.render()


def test_a_whole_run_leaves_garbage_collection_on(sample_run):
    # The run loads without collections (orchestration/pipeline.py); the process it ran in
    # collects again afterwards.
    import gc

    assert sample_run.success
    assert gc.isenabled()
