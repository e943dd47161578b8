"""The trade partitions: years of trade, shared by the trade ingest assets and the dbt models,
and the months a backfill may narrow them to.

One partitions definition serves every partitioned asset because a job defined with
``define_asset_job`` holds assets of one partitions definition only (Dagster 1.13 resolves it
with ``allow_different_partitions_defs=False``: "Selected assets must have the same partitions
definitions"), and the pipeline job holds them all in one run: ``warehouse/build`` copies the
published file, ingest and the models write that copy, ``warehouse/published`` renames it over
the published file only when every check passed. Monthly Comext and Comtrade ingest assets
under yearly models would need a second job, or an asset backfill, which Dagster's daemon splits
into one run per partitions definition (upstream first, the months mapped to their year by the
``TimeWindowPartitionMapping`` it infers); either way a build copy would outlive its run and be
shared by a chain of runs, which the build, lock and publication of a run (one process, one
copy, renamed or dropped at its end) do not allow. Months on every asset are not an option
either: a run over a range materialises every partitioned asset once per partition in the
range, and the whole warehouse is the range of all partitions (below), so months since 1988
(some 450) on every dbt model would add tens of thousands of events to every run. A backfill of
a range of years is one run (``BackfillPolicy.single_run``).

Months are a narrowing of the years instead: a run tagged :data:`MONTHS_TAG`
(``roundabout run --from 2022-03 --to 2022-05``, or the tag on a run or backfill launched from the
UI) runs the years holding the months and takes the months as its window. It then ingests the
trade files whose names state a period only when the period overlaps the months (a Comext bulk
file of one month, a Comtrade answer of its months; BACI's year holding them), and rebuilds
the ``fct_trade_flows`` partitions whose period overlaps them: those months, and the years of
annual data holding them.

A run of a partition key or range rebuilds only the trade partitions of fct_trade_flows whose
period overlaps its time window (dbt vars ``min_date``/``max_date``): the months and years of
every trade source within those years. A run of the whole warehouse is built incrementally: the
partitions whose inputs changed, in any year. Dagster cannot run a partitioned asset downstream
of a partitioned one without a partition range, so the whole warehouse is a range of partitions
too rather than a run without partitions: either the range of every partition (what the release
sensor and "materialize all" launch), or a range tagged :data:`WHOLE_TAG` (what ``roundabout
run`` launches). The tagged range is the years of trade the inputs and the published warehouse
hold (orchestration/trade_years.py): the run records one materialisation of every partitioned
asset per partition of its range, and over every year since 1988 most of those events would be
for years holding no data (storing them was a third of a run on the sample). The tag, not the
range, tells dbt that the run is the whole warehouse, so a row of a year outside the range is
still built.
"""

from __future__ import annotations

import re
from datetime import date

import dagster as dg
import duckdb

from orchestration.raw.sql import table_exists
from orchestration.raw.writer import FILES_TABLE
from orchestration.sources.common.base import SourceFile

# The Harmonized System took effect in 1988: no source reports HS-coded trade before.
FIRST_YEAR = "1988"

# Keyed by the year (2021); end_offset=1: the current year is a partition too (monthly releases
# cover it).
TRADE_YEARS = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *", fmt="%Y", start=FIRST_YEAR, end_offset=1
)

# The trade sources whose ingest assets are partitioned by TRADE_YEARS.
PARTITIONED_SOURCES = frozenset({"baci", "baci_release", "comext", "comtrade"})

TRADE_BACKFILL = dg.BackfillPolicy.single_run()

_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

# A run's months within its years: "2022-03/2022-05", the first and last month rebuilt. Set by
# ``roundabout run --from 2022-03``; a run launched from the UI may carry it as a tag too.
MONTHS_TAG = "roundabout/trade_months"

# A run of the whole warehouse over the range of years its data holds, not a window of them:
# "true" on the runs ``roundabout run`` launches without --from/--to (trade_years.py).
WHOLE_TAG = "roundabout/whole_warehouse"


def partition_range(first: str, last: str) -> dg.PartitionKeyRange:
    """The partition keys from year ``first`` to year ``last``, both included."""
    for year in (first, last):
        if not _YEAR.match(year.strip()):
            raise ValueError(f"period {year!r}: expected a year (2021)")
    start, end = first.strip(), last.strip()
    if start > end:
        raise ValueError(f"--from {first} is after --to {last}")
    keys = TRADE_YEARS.get_partition_keys()
    for year, key in ((first, start), (last, end)):
        if key not in keys:
            raise ValueError(
                f"year {year} is outside the trade partitions ({keys[0]} to {keys[-1]})"
            )
    return dg.PartitionKeyRange(start, end)


def backfill_range(first: str, last: str) -> tuple[dg.PartitionKeyRange, str | None]:
    """The partitions of a backfill from ``first`` to ``last``, both years (2021) or both
    months (2022-03): the range of years that holds them, and for months the value of
    :data:`MONTHS_TAG` that narrows the run's window to those months."""
    first, last = first.strip(), last.strip()
    if not (_MONTH.match(first) or _MONTH.match(last)):
        return partition_range(first, last), None
    for month in (first, last):
        if not _MONTH.match(month):
            raise ValueError(
                f"period {month!r}: --from and --to are both months (2022-03) or both years"
            )
    if first > last:
        raise ValueError(f"--from {first} is after --to {last}")
    return partition_range(first[:4], last[:4]), f"{first}/{last}"


def months_window(value: str) -> tuple[date, date]:
    """The window of a :data:`MONTHS_TAG` value: its first month's start to the end of its last
    month."""
    parts = value.split("/")
    if len(parts) != 2 or not all(_MONTH.match(p.strip()) for p in parts):
        raise ValueError(f"tag {MONTHS_TAG}={value!r}: expected 2022-03/2022-05")
    (start, _), (_, end) = (_month(int(p[:4]), int(p[5:7])) for p in parts)
    if start >= end:
        raise ValueError(f"tag {MONTHS_TAG}={value!r}: the first month is after the last")
    return start, end


def whole_range() -> dg.PartitionKeyRange:
    """Every trade partition: the whole warehouse."""
    keys = TRADE_YEARS.get_partition_keys()
    return dg.PartitionKeyRange(keys[0], keys[-1])


def run_tags(
    keys: dg.PartitionKeyRange | None = None, months: str | None = None, whole: bool = False
) -> dict[str, str]:
    """The tags that make a run of a job a run of the partition range ``keys`` (by default
    every partition), narrowed to ``months`` (a :data:`MONTHS_TAG` value) when given, or the
    whole warehouse recorded under ``keys`` when ``whole`` (:data:`WHOLE_TAG`)."""
    if whole and months:
        raise ValueError("a run of the whole warehouse is not narrowed to months")
    keys = keys or whole_range()
    return {
        "dagster/asset_partition_range_start": keys.start,
        "dagster/asset_partition_range_end": keys.end,
        **({MONTHS_TAG: months} if months else {}),
        **({WHOLE_TAG: "true"} if whole else {}),
    }


def time_window(context: dg.AssetExecutionContext) -> tuple[date, date] | None:
    """The run's window of trade years, start included, end excluded; ``None`` when the run
    is the whole warehouse (every partition, or a range tagged :data:`WHOLE_TAG`).

    A run launched for every partition in one year and run in the next covers all but the new
    year: it then rebuilds every partition of its window, which is slower but not wrong."""
    if not (context.has_partition_key or context.has_partition_key_range):
        return None
    whole = context.run.tags.get(WHOLE_TAG, "").lower() == "true"
    if whole and MONTHS_TAG in context.run.tags:
        raise dg.Failure(
            description=f"tags {WHOLE_TAG} and {MONTHS_TAG} contradict each other: a run is the "
            "whole warehouse or a window of months, not both"
        )
    if whole:
        return None
    years = context.partition_time_window
    years_window = years.start.date(), years.end.date()
    if months := context.run.tags.get(MONTHS_TAG):
        window = months_window(months)
        if not (years_window[0] <= window[0] and window[1] <= years_window[1]):
            raise dg.Failure(
                description=f"tag {MONTHS_TAG}={months} names months outside the run's trade "
                f"partitions ({years_window[0]} to {years_window[1]}, end excluded)"
            )
        return window
    if context.partition_key_range == whole_range():
        return None
    return years_window


def fresh_window_refusal(fresh: bool, window: tuple[date, date] | None) -> str | None:
    """Why a run may not go ahead, when it starts from an empty warehouse (``fresh``) but
    rebuilds only a window of trade partitions: it would ingest and build that window alone and
    publish it over the whole warehouse."""
    if not fresh or window is None:
        return None
    return (
        f"fresh builds the warehouse from empty, and this run covers the trade partitions from "
        f"{window[0]} to {window[1]} (end excluded) only: it would publish that window alone in "
        "place of the whole warehouse. Run every partition with fresh (roundabout run --fresh), "
        "or rebuild the window without fresh"
    )


def dbt_vars(window: tuple[date, date]) -> dict[str, str]:
    """The window as the vars fct_trade_flows reads (macro trade_window)."""
    return {"min_date": window[0].isoformat(), "max_date": window[1].isoformat()}


# BACI names a yearly trade CSV by its year: BACI_HS17_Y2021_V202601.csv.
_BACI_YEAR = re.compile(r"^BACI_[A-Za-z0-9]+_Y(\d{4})_V\d+\.csv$", re.IGNORECASE)
# Comext names a bulk file by its period: full202201.dat (January 2022), full_v2_202252.dat (the
# year 2022: Comext's period 52 is January to December).
_COMEXT_PERIOD = re.compile(
    r"^full(?:_v2)?_?(\d{4})(\d{2})\.(?:(?:dat|csv|txt)(?:\.gz)?|7z)$", re.I
)
# A Comtrade API answer is named for its query (orchestration/acquire/comtrade_api.py):
# comtrade_M_51_202201-202202_<hash>.json holds the months asked for, comtrade_A_... years.
_COMTRADE_QUERY = re.compile(r"^comtrade_([AM])_\d+_([\d-]+)_[0-9a-f]+\.json(?:\.gz)?$", re.I)


def _month(year: int, month: int) -> tuple[date, date]:
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, 1), end


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def file_period(name: str) -> tuple[date, date] | None:
    """The period of trade a file's name states (start included, end excluded), when it
    states one: a BACI year, a Comext bulk month or year, the periods of a Comtrade query."""
    if match := _BACI_YEAR.match(name):
        return _year(int(match.group(1)))
    if match := _COMEXT_PERIOD.match(name):
        year, month = int(match.group(1)), int(match.group(2))
        if month == 52:
            return _year(year)
        return _month(year, month) if 1 <= month <= 12 else None
    if match := _COMTRADE_QUERY.match(name):
        spans = []
        for period in match.group(2).split("-"):
            if match.group(1).upper() == "A" and len(period) == 4:
                spans.append(_year(int(period)))
            elif match.group(1).upper() == "M" and len(period) == 6 and 1 <= int(period[4:]) <= 12:
                spans.append(_month(int(period[:4]), int(period[4:])))
            else:
                return None
        return min(s for s, _ in spans), max(e for _, e in spans)
    return None


def in_window(name: str, window: tuple[date, date]) -> bool:
    """Whether a partitioned run loads the file ``name``: a file whose name states its period
    (file_period) is loaded when the period overlaps the window, any other file always (it may
    hold any period, and loading it again replaces its own rows only)."""
    period = file_period(name)
    if period is None:
        return True
    return period[0] < window[1] and window[0] < period[1]


def held_unchanged(
    con: duckdb.DuckDBPyConnection, source: str, files: list[SourceFile]
) -> set[str]:
    """The files (relative paths) the warehouse already holds with the same bytes (sha256 of
    every table load recorded in ``raw.ingested_files``).

    A run of a window leaves them as they are, in every source, partitioned or not (armstat's
    monthly totals, BACI extracts): loading a file again stamps a new load time on every trade
    partition it feeds, and those outside the window would then be older than their input,
    which the check on fct_trade_flows (trade_partitions_current) fails."""
    names = [f.relative_path for f in files]
    if not names or not table_exists(con, FILES_TABLE):
        return set()
    recorded = con.execute(
        f"select source_file, bool_and(file_sha256 = sha) from {FILES_TABLE} "
        "inner join (select unnest(?) as path, unnest(?) as sha) on source_file = path "
        "where source = ? group by source_file",
        [names, [f.sha256 for f in files], source],
    ).fetchall()
    return {path for path, same in recorded if same}
