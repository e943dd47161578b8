"""The years of trade a whole-warehouse run covers: those its inputs and the published
warehouse hold, read before the run starts."""

from __future__ import annotations

import csv
import gzip
import re
import shutil
from dataclasses import replace
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.partitions import TRADE_YEARS, whole_range
from orchestration.settings import SAMPLE_INPUTS, from_environment
from orchestration.sources import SPECS
from orchestration.sources.common.base import SourceFile
from orchestration.trade_years import file_years, published_years, whole_warehouse_range

_CODE_TABLE = re.compile(r"(country|product)_codes")


def sample_trade_years(inputs: Path = SAMPLE_INPUTS) -> set[int]:
    """The years of the sample's trade files, read with the csv module alone: the ``year``
    column where a file has one, else the first four digits of its period (``PERIOD`` 'Aug.
    2024' or 'Jan.-Dec. 2010', ``period`` '2020-03'), else the year its name ends with
    (``comtrade_2024.csv.gz``, a BACI extract of one year)."""
    years: set[int] = set()
    for path in sorted((inputs / "trade").rglob("*.csv*")):
        if _CODE_TABLE.match(path.name):
            continue
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            column = next((c for c in ("year", "PERIOD", "period") if c in columns), None)
            named = re.search(r"_(\d{4})\.csv", path.name)
            for row in reader:
                text = row[column] if column else named.group(1)
                if found := re.search(r"\d{4}", text or ""):
                    years.add(int(found.group()))
    return years


def _spec(name: str):
    return next(s for s in SPECS if s.name == name)


def _settings(tmp_path: Path, inputs: Path, fresh: bool = True):
    return replace(from_environment(), home=tmp_path / "home", inputs=inputs, fresh=fresh)


def test_the_sample_run_covers_the_years_its_files_hold(tmp_path):
    years = sample_trade_years()
    assert len(years) > 1
    keys = whole_warehouse_range(_settings(tmp_path, SAMPLE_INPUTS))
    assert keys == dg.PartitionKeyRange(str(min(years)), str(max(years)))
    # far fewer partitions than every year since 1988, each of which a run records once per
    # partitioned asset
    assert len(TRADE_YEARS.get_partition_keys()) - (max(years) - min(years) + 1) >= 20


def test_a_file_naming_its_period_is_not_read(tmp_path):
    # Not a CSV at all: were it parsed, its years could not be told.
    path = tmp_path / "BACI_HS17_Y2021_V202601.csv"
    path.write_text("not a BACI file\n")
    file = SourceFile(path, "baci", None, path.name)
    assert file_years(_spec("baci"), file) == {2021}
    monthly = tmp_path / "full202212.dat"
    monthly.write_text("")
    assert file_years(_spec("comext"), SourceFile(monthly, "comext", None, monthly.name)) == {2022}


def test_code_tables_hold_no_years(tmp_path):
    path = SAMPLE_INPUTS / "trade" / "baci" / "country_codes_V202601.csv"
    assert file_years(_spec("baci_codes"), SourceFile(path, "baci_codes", None, path.name)) == set()


def test_an_unreadable_trade_file_means_every_partition(tmp_path):
    inputs = tmp_path / "inputs"
    folder = inputs / "trade" / "national"
    folder.mkdir(parents=True)
    # An Armstat name with a body that is not Armstat's layout: the parser refuses it.
    (folder / "armstat_broken.csv").write_text("no,columns,of,armstat\n1,2,3,4\n")
    assert whole_warehouse_range(_settings(tmp_path, inputs)) == whole_range()


def test_without_trade_the_range_is_the_last_partition(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLE_INPUTS / "sanctions", inputs / "sanctions")
    last = TRADE_YEARS.get_partition_keys()[-1]
    assert whole_warehouse_range(_settings(tmp_path, inputs)) == dg.PartitionKeyRange(last, last)


def _published(settings, years: list[int]) -> None:
    settings.published_db.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.published_db)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_trade_flows (year integer)")
        con.executemany("insert into marts.fct_trade_flows values (?)", [[y] for y in years])


def test_the_published_warehouse_widens_the_range_unless_fresh(tmp_path):
    years = sample_trade_years()
    settings = _settings(tmp_path, SAMPLE_INPUTS, fresh=False)
    _published(settings, [1995, 2001])
    assert published_years(settings.published_db) == {1995, 2001}
    assert whole_warehouse_range(settings) == dg.PartitionKeyRange("1995", str(max(years)))
    fresh = replace(settings, fresh=True)
    assert whole_warehouse_range(fresh) == dg.PartitionKeyRange(str(min(years)), str(max(years)))


@pytest.mark.parametrize("year", [1950, 2150])
def test_years_outside_the_partitions_are_clipped_to_them(tmp_path, year):
    keys = TRADE_YEARS.get_partition_keys()
    inputs = tmp_path / "inputs"
    (inputs / "trade").mkdir(parents=True)
    settings = _settings(tmp_path, inputs, fresh=False)
    _published(settings, [year])
    edge = keys[0] if year < int(keys[0]) else keys[-1]
    assert whole_warehouse_range(settings) == dg.PartitionKeyRange(edge, edge)
