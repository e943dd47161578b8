"""Great Expectations suites run as SQL in the warehouse: the counts they report are the ones an
independent pass over the rows finds, failures carry examples, and a bulk
source's check covers the parts its load wrote."""

from __future__ import annotations

import collections
import re
from pathlib import Path

import duckdb
import pytest

from orchestration.checks.gx_suites import run_suite, suite_path
from orchestration.checks.raw_checks import evaluate
from orchestration.raw.ingest import ingest_source
from orchestration.sources import source_specs
from orchestration.sources.common.registry import discover

SUITE = suite_path("baci__trade", "trade")
TRADE = next(s for s in source_specs("baci") if s.name == "baci")
ROWS = 5000


def trade_table(con, duplicate: bool, negative: tuple[int, ...]) -> None:
    """Exporter n // 1000, importer n % 1000. ``duplicate``: row 2048 repeats row 2047's key.
    ``negative``: rows with a negative value."""
    same = "n = 2048" if duplicate else "false"
    con.execute(
        f"""create or replace table raw.baci__trade as
            select 2022 as t,
                   case when {same} then 2 else n // 1000 end as i,
                   case when {same} then 47 else n % 1000 end as j,
                   '010121' as k,
                   case when n in {negative or (-1,)} then -1.0 else 1.0 end as v, 1.0 as q,
                   2022 as file_year, 'HS17' as hs_revision, 'V202601' as baci_version,
                   'HS17/2022' as partition_key
            from range({ROWS}) as r(n)"""
    ).fetchall()


@pytest.fixture
def con():
    connection = duckdb.connect()
    connection.execute("create schema raw").fetchall()
    yield connection
    connection.close()


def outcomes(result) -> dict:
    return {(o.expectation, o.column): (o.success, o.unexpected_count) for o in result.outcomes}


def test_the_suite_runs_in_the_warehouse_and_counts_what_python_counts(con):
    """Negative values, a duplicated key and malformed codes: the counts Great Expectations
    finds in SQL are the ones a plain Python pass over the same rows finds."""
    trade_table(con, duplicate=True, negative=(10, 3000, 4500))
    con.execute("update raw.baci__trade set k = '12345' where i = 3 and j < 4").fetchall()
    con.execute("update raw.baci__trade set k = '1234a6' where i = 4 and j = 7").fetchall()
    rows = con.execute("select t, i, j, k, v, hs_revision from raw.baci__trade").fetchall()
    keys = collections.Counter((t, i, j, k, h) for t, i, j, k, _, h in rows)
    six_digits = re.compile(r"^[0-9]{6}$")

    result = outcomes(run_suite(con, "baci__trade", SUITE))

    assert result[("expect_column_values_to_be_between", "v")] == (
        False, sum(v < 0 for *_, v, _ in rows)
    )  # fmt: skip
    assert result[("expect_compound_columns_to_be_unique", None)] == (
        False, sum(n for n in keys.values() if n > 1)
    )  # fmt: skip
    assert result[("expect_column_values_to_match_regex", "k")] == (
        False, sum(not six_digits.match(k) for _, _, _, k, _, _ in rows)
    )  # fmt: skip
    assert result[("expect_column_value_lengths_to_equal", "k")] == (
        False, sum(len(k) != 6 for _, _, _, k, _, _ in rows)
    )  # fmt: skip
    assert result[("expect_column_values_to_be_between", "i")] == (True, 0)


def test_failures_name_examples(con):
    trade_table(con, duplicate=False, negative=())
    con.execute("update raw.baci__trade set k = 'ABCDEF' where i = 1 and j = 2").fetchall()
    outcome = run_suite(con, "baci__trade", SUITE)
    (failure,) = outcome.failures
    assert failure.expectation == "expect_column_values_to_match_regex"
    assert failure.examples == ["ABCDEF"] and failure.unexpected_count == 1


def test_a_clean_table_passes(con):
    trade_table(con, duplicate=False, negative=())
    outcome = run_suite(con, "baci__trade", SUITE)
    assert outcome.success and outcome.rows == ROWS


def write_year(root: Path, year: int, version: str, values: list[float]) -> None:
    folder = root / "trade" / "baci"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"{year},4,{8 + n},010121,{v},1.0" for n, v in enumerate(values)]
    (folder / f"BACI_HS17_Y{year}_{version}.csv").write_text("t,i,j,k,v,q\n" + "\n".join(lines))


def check(con, loads):
    (result,) = evaluate(con, TRADE, loads)
    return result


def test_the_check_covers_the_parts_the_load_wrote(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    write_year(tmp_path / "a", 2021, "V202601", [1.0, 2.0, 3.0])
    write_year(tmp_path / "a", 2022, "V202601", [1.0, 2.0])
    first = check(con, ingest_source(con, TRADE, discover(tmp_path / "a").for_source("baci")))
    assert first.passed and first.metadata["rows"].value == 5
    # A newer version of 2022 with a negative value: only its part is read, and it fails.
    write_year(tmp_path / "b", 2022, "V202701", [-5.0])
    loads = ingest_source(con, TRADE, discover(tmp_path / "b").for_source("baci"))
    second = check(con, loads)
    assert not second.passed
    assert second.metadata["rows"].value == 1
    assert second.metadata["parts_checked"].value == loads["trade"].parts
    # The same file again: nothing is read, nothing is checked again.
    third = check(con, ingest_source(con, TRADE, discover(tmp_path / "b").for_source("baci")))
    assert third.passed and third.metadata["rows"].value == 0
    assert "checked when they were loaded" in third.description


def test_a_row_condition_limits_the_key_and_pattern_checks_to_its_rows(con, tmp_path):
    """A suite's row_condition selects the rows its expectation looks at, as in Great
    Expectations: duplicates and odd codes outside the condition are not counted."""
    import json

    suite = tmp_path / "conditioned.json"
    condition = {"type": "comparison", "column": {"name": "counts"}, "operator": "==",
                 "parameter": True}  # fmt: skip
    suite.write_text(
        json.dumps(
            {
                "name": "conditioned",
                "expectations": [
                    {
                        "type": "expect_compound_columns_to_be_unique",
                        "kwargs": {"column_list": ["a", "b"], "row_condition": condition},
                    },
                    {
                        "type": "expect_column_values_to_match_regex",
                        "kwargs": {
                            "column": "b",
                            "regex": "^[0-9]{2}$",
                            "row_condition": condition,
                        },
                    },
                ],
            }
        )
    )
    # rows 1-2: the same key, both counted (2 unexpected); rows 3-4: the same key, one not
    # counted; row 5: a bad code not counted; row 6: a bad code counted (1 unexpected).
    con.execute(
        """create table raw.conditioned as select * from (values
            (1, '10', true), (1, '10', true),
            (2, '20', true), (2, '20', false),
            (3, 'x', false), (4, 'yy', true)) as t(a, b, counts)"""
    ).fetchall()
    result = run_suite(con, "conditioned", suite)
    found = {o.expectation: (o.success, o.unexpected_count) for o in result.outcomes}
    assert found["expect_compound_columns_to_be_unique"] == (False, 2)
    assert found["expect_column_values_to_match_regex"] == (False, 1)
