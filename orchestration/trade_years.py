"""The years of trade a whole-warehouse run covers: those its inputs and the published warehouse
hold (orchestration/partitions.py, ``whole_warehouse_range``).

A run of the whole warehouse is a run over a range of trade partitions (Dagster runs a
partitioned asset downstream of a partitioned one only over a range), and it records one
materialisation of every partitioned asset per partition of its range. Over every year since
1988 that is 39 events for each of some ninety assets, most of them for years no input holds,
and storing them was a third of a run on the sample. The range is therefore the years the data
holds, found before the run starts:

- a file whose name states its period (``file_period``: BACI yearly CSVs, Comext bulk files,
  Comtrade API answers) holds that period, and a BACI release zip the years of its members, all
  without reading the data;
- any other trade file is parsed by its source's parser and holds the years of its rows
  (``period_year``, or ``year`` where the raw table has no ``period_year``); such files are the
  small ones (national offices, extracts), big files state their period;
- the published warehouse holds the years of ``marts.fct_trade_flows``, unless the run starts
  from empty (``fresh``): earlier inputs no longer in the inputs directory keep their rows.

A file whose years cannot be told (it does not parse: the run will say why) leaves the answer
unknown, and the run covers every partition as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.partitions import TRADE_YEARS, file_period, whole_range
from orchestration.raw.sql import table_exists
from orchestration.settings import Settings
from orchestration.sources.common.base import SourceFile, SourceSpec

# The raw columns holding a row's year, first found wins: every trade table has one of them.
YEAR_COLUMNS = ("period_year", "year", "file_year")

# The table of the published warehouse that holds every trade partition built.
TRADE_FLOWS = "marts.fct_trade_flows"


def holds_trade_years(spec: SourceSpec) -> bool:
    """Whether a source's tables hold rows of trade in years (not code tables)."""
    return spec.kind == "trade" and any(
        column in schema for schema in spec.schemas.values() for column in YEAR_COLUMNS
    )


def _release_years(file: SourceFile) -> set[int]:
    # Imported here: the release reader imports the settings, the partitions do not need them.
    from orchestration.sources.baci.release_zip import ReleaseArchive

    return {int(year) for year in ReleaseArchive.open(file).trade}


# Sources whose file names state no period but whose members do, read without the data.
_YEARS_BY_NAMES = {"baci_release": _release_years}


def file_years(spec: SourceSpec, file: SourceFile) -> set[int] | None:
    """The years of trade ``file`` holds; ``None`` when they cannot be told (the file does not
    parse). Empty for files of sources that hold no trade years (code tables)."""
    if not holds_trade_years(spec):
        return set()
    if period := file_period(file.path.name):
        start, end = period  # end excluded
        return set(range(start.year, (end - timedelta(days=1)).year + 1))
    try:
        if spec.name in _YEARS_BY_NAMES:
            return _YEARS_BY_NAMES[spec.name](file)
        if spec.bulk_parts is not None:
            return None  # a bulk file's rows are read by DuckDB in the run only
        parsed = spec.parse(file)
    except (ValueError, OSError):
        # SourceParseError is a ValueError: the ingest reports it with file and line.
        return None
    years: set[int] = set()
    for frame in parsed.tables.values():
        column = next((c for c in YEAR_COLUMNS if c in frame.columns), None)
        if column is not None:
            years.update(int(y) for y in frame.get_column(column).drop_nulls().unique())
    return years


def input_years(files: Iterable[tuple[SourceSpec, SourceFile]]) -> set[int] | None:
    """The years of trade the input files hold; ``None`` when one file's cannot be told."""
    years: set[int] = set()
    for spec, file in files:
        found = file_years(spec, file)
        if found is None:
            return None
        years |= found
    return years


def published_years(database: Path) -> set[int]:
    """The years of the trade partitions the published warehouse holds."""
    if not database.exists():
        return set()
    with duckdb.connect(str(database), read_only=True) as con:
        if not table_exists(con, TRADE_FLOWS):
            return set()
        rows = con.execute(f"select distinct year from {TRADE_FLOWS} where year is not null")
        return {int(year) for (year,) in rows.fetchall()}


def whole_warehouse_range(settings: Settings) -> dg.PartitionKeyRange:
    """The trade partitions a run of the whole warehouse covers: from the first to the last
    year of trade its inputs and (unless it starts from empty) the published warehouse hold.
    Every partition when an input's years cannot be told; the current year's alone when there
    is no trade at all (a range holds one partition at least)."""
    from orchestration.sources import SPECS
    from orchestration.sources.common.registry import discover

    discovery = discover(settings.inputs)
    years = input_years((spec, f) for spec in SPECS for f in discovery.for_source(spec.name))
    if years is None:
        return whole_range()
    if not settings.fresh:
        years |= published_years(settings.published_db)
    keys = TRADE_YEARS.get_partition_keys()
    if not years:
        return dg.PartitionKeyRange(keys[-1], keys[-1])
    first, last = int(keys[0]), int(keys[-1])
    start = min(max(min(years), first), last)
    end = max(min(max(years), last), start)
    return dg.PartitionKeyRange(str(start), str(end))
