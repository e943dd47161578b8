"""Trade partitions: months shared by the trade ingest assets and the dbt models; a backfill of a
range rebuilds only the trade partitions of that range."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.partitions import (
    MONTHS_TAG,
    TRADE_YEARS,
    WHOLE_TAG,
    backfill_range,
    dbt_vars,
    file_period,
    in_window,
    months_window,
    partition_range,
    run_tags,
    whole_range,
)
from orchestration.settings import SAMPLE_INPUTS, from_environment


def test_a_range_of_years_is_the_range_of_their_partition_keys():
    assert partition_range("2021", "2022") == dg.PartitionKeyRange("2021", "2022")
    assert partition_range("2021", "2021") == dg.PartitionKeyRange("2021", "2021")


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2022", "2021", "after"),
        ("2021-03", "2021-03", "expected a year"),
        ("21", "21", "expected a year"),
        ("1980", "1980", "outside the trade partitions"),
    ],
)
def test_a_bad_range_is_refused_with_its_reason(first, last, message):
    with pytest.raises(ValueError, match=message):
        partition_range(first, last)


def test_the_whole_range_is_every_year_since_1988():
    keys = TRADE_YEARS.get_partition_keys()
    assert keys[:2] == ["1988", "1989"]
    assert whole_range() == dg.PartitionKeyRange("1988", keys[-1])
    assert run_tags() == {
        "dagster/asset_partition_range_start": "1988",
        "dagster/asset_partition_range_end": keys[-1],
    }


def test_a_range_of_months_is_the_years_holding_them_narrowed_by_a_tag():
    assert backfill_range("2021", "2022") == (dg.PartitionKeyRange("2021", "2022"), None)
    assert backfill_range("2022-03", "2022-03") == (
        dg.PartitionKeyRange("2022", "2022"),
        "2022-03/2022-03",
    )
    keys, months = backfill_range("2021-11", "2022-02")
    assert keys == dg.PartitionKeyRange("2021", "2022")
    assert run_tags(keys, months)[MONTHS_TAG] == "2021-11/2022-02"
    # Start of the first month to the end of the last, end excluded.
    assert months_window(months) == (date(2021, 11, 1), date(2022, 3, 1))
    assert months_window("2022-12/2022-12") == (date(2022, 12, 1), date(2023, 1, 1))


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2022-03", "2022", "both months"),
        ("2022-05", "2022-03", "after"),
        ("2022-13", "2022-13", "expected a year"),
        ("1980-01", "1980-01", "outside the trade partitions"),
    ],
)
def test_a_bad_range_of_months_is_refused_with_its_reason(first, last, message):
    with pytest.raises(ValueError, match=message):
        backfill_range(first, last)


def test_the_window_reaches_dbt_end_excluded():
    assert dbt_vars((date(2021, 1, 1), date(2022, 1, 1))) == {
        "min_date": "2021-01-01",
        "max_date": "2022-01-01",
    }


def test_a_partitioned_run_loads_the_yearly_files_of_its_window_and_every_other_file():
    year_2021 = (date(2021, 1, 1), date(2022, 1, 1))
    assert in_window("BACI_HS17_Y2021_V202601.csv", year_2021)
    assert not in_window("BACI_HS17_Y2020_V202601.csv", year_2021)
    assert not in_window("BACI_HS17_Y2022_V202601.csv", year_2021)
    # One month of 2021 still needs the year's file.
    assert in_window("BACI_HS17_Y2021_V202601.csv", (date(2021, 6, 1), date(2021, 7, 1)))
    # Files whose name states no period of trade: code tables, release zips, web exports.
    for name in (
        "country_codes_V202601.csv",
        "BACI_HS17_V202601.zip",
        "comext_ds045409_eu27_to_ru_monthly_2020_2022.csv.gz",
        "vehicle_trade_georgia.csv",
    ):
        assert in_window(name, year_2021)


def test_comext_and_comtrade_files_state_their_months():
    assert file_period("full202201.dat") == (date(2022, 1, 1), date(2022, 2, 1))
    assert file_period("full_v2_202312.dat.gz") == (date(2023, 12, 1), date(2024, 1, 1))
    # Comext's period 52 is the whole year.
    assert file_period("full202152.dat") == (date(2021, 1, 1), date(2022, 1, 1))
    assert file_period("full202213.dat") is None
    assert file_period("comtrade_M_51_202203-202205_0123abcdef.json") == (
        date(2022, 3, 1),
        date(2022, 6, 1),
    )
    assert file_period("comtrade_A_268_2021_0123abcdef.json") == (
        date(2021, 1, 1),
        date(2022, 1, 1),
    )
    assert file_period("comtrade_M_51_2022_0123abcdef.json") is None  # a year in a monthly query
    march_2022 = (date(2022, 3, 1), date(2022, 4, 1))
    assert in_window("full202203.dat", march_2022)
    assert not in_window("full202202.dat", march_2022) and not in_window(
        "full202204.dat", march_2022
    )
    assert in_window("full202252.dat", march_2022)  # the year holds March
    assert not in_window("full202201.dat", (date(2021, 1, 1), date(2022, 1, 1)))


def test_every_partitioned_asset_of_the_pipeline_shares_the_trade_years():
    from orchestration.definitions import defs

    job = defs.resolve_job_def("pipeline")
    assert job.partitions_def == TRADE_YEARS
    graph = defs.resolve_asset_graph()
    partitioned = {
        key.to_user_string()
        for key in graph.materializable_asset_keys
        if graph.get(key).partitions_def is not None
    }
    assert "raw/baci__trade" in partitioned
    assert "marts/fct_trade_flows" in partitioned
    assert not any(k.startswith(("raw/ofac", "warehouse/")) for k in partitioned)


def test_the_cli_refuses_a_bad_period_before_running(tmp_path, capsys):
    from orchestration.cli import main

    inputs = str(SAMPLE_INPUTS)
    code = main(
        ["--home", str(tmp_path), "run", "--inputs", inputs, "--from", "2021", "--to", "2020"]
    )
    assert code == 2
    assert "--from 2021 is after --to 2020" in capsys.readouterr().err
    code = main(
        ["--home", str(tmp_path), "run", "--inputs", inputs, "--from", "2022-03", "--to", "2022"]
    )
    assert code == 2
    assert "both months (2022-03) or both years" in capsys.readouterr().err


def _built(database: Path) -> dict[str, tuple]:
    """When each trade partition of fct_trade_flows was built, and from which load."""
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select load_partition, any_value(year), min(built_at), max(built_at), "
            "max(loaded_at), count(*) from marts.fct_trade_flows group by 1"
        ).fetchall()
    return {p: rest for p, *rest in rows}


def _panel_rows_by_year(inputs: Path) -> dict[int, int]:
    """Rows per year of trade in the synthetic panel's BACI files, read with the csv module."""
    counts: dict[int, int] = {}
    for path in sorted((inputs / "trade" / "baci").glob("BACI_*_Y*.csv")):
        with path.open(newline="") as f:
            for row in csv.DictReader(f):
                counts[int(row["t"])] = counts.get(int(row["t"]), 0) + 1
    return counts


@pytest.mark.slow
def test_a_backfill_of_one_year_rebuilds_that_year_only(synthetic_home_copy, synthetic_inputs):
    from orchestration.pipeline import run_pipeline

    home = synthetic_home_copy
    before = _built(home / "warehouse.duckdb")
    by_year = _panel_rows_by_year(synthetic_inputs)
    assert 2021 in by_year and len(by_year) > 1

    settings = replace(from_environment(), home=home, inputs=synthetic_inputs)
    summary = run_pipeline(settings, partitions=("2021", "2021"))
    assert summary.success, summary.render()
    after = _built(home / "warehouse.duckdb")

    # The same partitions, holding the same rows.
    assert after.keys() == before.keys()
    assert {p: v[-1] for p, v in after.items()} == {p: v[-1] for p, v in before.items()}
    rebuilt = {p for p in after if after[p][1] != before[p][1]}
    kept = set(after) - rebuilt
    # Every partition of 2021 was built again by this run, and no other.
    assert {after[p][0] for p in rebuilt} == {2021}
    assert all(after[p][1] > before[p][2] for p in rebuilt)
    assert {after[p][0] for p in kept} == set(by_year) - {2021}
    assert all(after[p] == before[p] for p in kept)
    # The BACI partitions of 2021 hold the panel's 2021 rows, counted by the csv module.
    baci_2021 = [p for p in rebuilt if p.startswith("baci/")]
    assert sum(after[p][-1] for p in baci_2021) == by_year[2021]


BULK = Path(__file__).parent / "fixtures" / "trade" / "comext_bulk"


def _ingest_comext(tmp_path: Path, tags: dict[str, str]) -> dg.ExecuteInProcessResult:
    """The Comext ingest asset alone, over the three monthly bulk files of the fixtures."""
    import shutil

    from dagster_duckdb import DuckDBResource

    from orchestration.assets.ingest import ingest_assets
    from orchestration.settings import RoundaboutSettings

    folder = tmp_path / "inputs" / "trade" / "eurostat_comext"
    if not folder.exists():
        folder.mkdir(parents=True)
        for path in sorted(BULK.glob("full_v2_*.dat")):
            shutil.copy2(path, folder / path.name)
    [asset] = [a for a in ingest_assets if a.node_def.name == "ingest_comext"]
    settings = replace(from_environment(), home=tmp_path / "home", inputs=tmp_path / "inputs")
    return dg.materialize(
        [asset],
        resources={
            "warehouse": DuckDBResource(database=str(tmp_path / "build.duckdb")),
            "settings": RoundaboutSettings.of(settings),
        },
        tags=tags,
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def _loaded_files(result: dg.ExecuteInProcessResult) -> list[str]:
    [event] = [
        e
        for e in result.get_asset_materialization_events()
        if e.asset_key.path[-1].endswith("bulk")
    ][:1]
    return [Path(f).name for f in event.materialization.metadata["files"].value]


def test_a_backfill_of_one_month_ingests_that_months_comext_file_only(tmp_path):
    def rows(name: str) -> int:  # data rows of a bulk file, read with the csv module
        with (BULK / name).open(newline="") as f:
            return sum(1 for _ in csv.DictReader(f))

    january = _ingest_comext(tmp_path, run_tags(*backfill_range("2022-01", "2022-01")))
    assert january.success
    assert _loaded_files(january) == ["full_v2_202201.dat"]
    with duckdb.connect(str(tmp_path / "build.duckdb"), read_only=True) as con:
        loaded = con.execute(
            "select source_file, count(*) from raw.comext__bulk group by 1"
        ).fetchall()
    assert [(Path(f).name, n) for f, n in loaded] == [
        ("full_v2_202201.dat", rows("full_v2_202201.dat"))
    ]
    # The year 2022 holds January and February; December 2021 belongs to another year.
    year = _ingest_comext(tmp_path, run_tags(*backfill_range("2022", "2022")))
    assert year.success
    # January is held with the same bytes: left as it is.
    assert _loaded_files(year) == ["full_v2_202202.dat"]


def test_a_range_tagged_whole_warehouse_ingests_every_file(tmp_path):
    """A whole-warehouse run over the years its data holds is no window: every bulk file is
    loaded, December 2021 included, though the range is the year 2022 alone."""
    whole = _ingest_comext(tmp_path, run_tags(partition_range("2022", "2022"), whole=True))
    assert whole.success
    assert _loaded_files(whole) == sorted(p.name for p in BULK.glob("full_v2_*.dat"))
    assert "full_v2_202112.dat" in _loaded_files(whole)


def test_whole_warehouse_and_months_contradict(tmp_path):
    with pytest.raises(ValueError, match="not narrowed to months"):
        run_tags(partition_range("2022", "2022"), "2022-01/2022-01", whole=True)
    tags = {**run_tags(partition_range("2022", "2022"), "2022-01/2022-01"), WHOLE_TAG: "true"}
    result = _ingest_comext(tmp_path, tags)
    assert not result.success
    [failure] = result.get_step_failure_events()
    assert "contradict" in failure.step_failure_data.user_failure_data.description


def test_months_outside_the_runs_years_fail_the_run(tmp_path):
    tags = run_tags(partition_range("2021", "2021"), "2022-01/2022-01")
    result = _ingest_comext(tmp_path, tags)
    assert not result.success
    [failure] = result.get_step_failure_events()
    message = failure.step_failure_data.user_failure_data.description
    assert "2022-01/2022-01 names months outside the run's trade partitions" in message


def _built_periods(database: Path) -> dict[str, tuple]:
    """Each trade partition of fct_trade_flows: its year, month (null for a year), when it was
    built and its row count."""
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select load_partition, any_value(year), any_value(month), count(distinct month), "
            "min(built_at), max(built_at), count(*) from marts.fct_trade_flows group by 1"
        ).fetchall()
    return {p: rest for p, *rest in rows}


@pytest.mark.slow
def test_a_backfill_of_one_month_rebuilds_the_partitions_of_that_month_only(sample_home_copy):
    from orchestration.pipeline import run_pipeline

    home = sample_home_copy
    before = _built_periods(home / "warehouse.duckdb")
    # A partition holds one period: a month, or a year (month null).
    assert all(v[2] <= 1 for v in before.values())
    settings = replace(from_environment(), home=home, inputs=SAMPLE_INPUTS)
    summary = run_pipeline(settings, partitions=("2022-03", "2022-03"))
    assert summary.success, summary.render()
    after = _built_periods(home / "warehouse.duckdb")

    assert after.keys() == before.keys()
    assert {p: v[-1] for p, v in after.items()} == {p: v[-1] for p, v in before.items()}
    # The partitions whose period overlaps March 2022: the month itself and the year 2022.
    march = {p for p, (year, month, *_) in before.items() if year == 2022 and month in (3, None)}
    assert any(before[p][1] == 3 for p in march) and any(before[p][1] is None for p in march)
    rebuilt = {p for p in after if after[p][3] != before[p][3]}
    assert rebuilt == march
    assert all(after[p][3] > before[p][4] for p in rebuilt)
    assert all(after[p] == before[p] for p in set(after) - rebuilt)


def test_a_partitioned_run_leaves_the_files_the_warehouse_holds_unchanged(tmp_path):
    import shutil

    from orchestration.partitions import held_unchanged
    from orchestration.raw.ingest import ingest_source
    from orchestration.sources import source_specs
    from orchestration.sources.common.registry import discover

    fixture = Path(__file__).parent / "fixtures" / "trade" / "eurostat_comext" / "full202201.dat"
    inputs = tmp_path / "inputs" / "trade" / "eurostat_comext"
    inputs.mkdir(parents=True)
    shutil.copy2(fixture, inputs / fixture.name)
    spec = source_specs("comext")[0]
    con = duckdb.connect()
    files = discover(tmp_path / "inputs").for_source("comext")
    assert len(files) == 1
    assert held_unchanged(con, "comext", files) == set()  # nothing loaded yet
    ingest_source(con, spec, files)
    assert held_unchanged(con, "comext", files) == {files[0].relative_path}
    # New bytes under the same name: loaded again.
    (inputs / fixture.name).write_bytes(fixture.read_bytes() + b"\n")
    assert (
        held_unchanged(con, "comext", discover(tmp_path / "inputs").for_source("comext")) == set()
    )


def test_the_cli_refuses_fresh_over_a_range_before_running(tmp_path, capsys):
    from orchestration.cli import main

    inputs = str(SAMPLE_INPUTS)
    code = main(["--home", str(tmp_path), "run", "--inputs", inputs, "--fresh", "--from", "2021"])
    assert code == 2
    assert "--fresh builds the warehouse from empty" in capsys.readouterr().err
    assert not (tmp_path / "build").exists()


def test_a_fresh_run_of_a_window_is_refused_and_the_published_warehouse_kept(tmp_path):
    """Launched through Dagster (the UI, GraphQL, a schedule) with fresh and one year: refused
    before the build is touched."""
    from orchestration.assets.warehouse import BUILD_KEY
    from orchestration.definitions import defs
    from orchestration.settings import config_of

    settings = replace(from_environment(), home=tmp_path, inputs=SAMPLE_INPUTS, fresh=True)
    published = settings.published_db
    published.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(published)) as con:
        con.execute("create table kept as select 42 as answer")
    before = published.read_bytes()
    run_config = {"resources": {"settings": {"config": config_of(settings)}}}

    def build(keys: dg.PartitionKeyRange | None):
        return defs.resolve_job_def("pipeline").execute_in_process(
            asset_selection=[BUILD_KEY],
            run_config=run_config,
            tags=run_tags(keys),
            instance=dg.DagsterInstance.ephemeral(),
            raise_on_error=False,
        )

    refused = build(partition_range("2021", "2021"))
    assert not refused.success
    [failure] = refused.get_step_failure_events()
    message = failure.step_failure_data.user_failure_data.description
    assert "from 2021-01-01 to 2022-01-01" in message and "publish that window alone" in message
    assert published.read_bytes() == before and not settings.build_db.exists()
    # Every partition with fresh: the whole warehouse, built from empty as asked.
    whole = build(None)
    assert whole.success
    assert settings.build_db.exists()
