"""The key test (macro test_unique_combination) finds every repeated key and only those, in both
of its stages: run as compiled by dbt in the sample's build against tables written here by hand."""

from __future__ import annotations

import re

import duckdb
import pytest

pytestmark = pytest.mark.slow

KEY = ["basket", "hs6", "hs_version"]


@pytest.fixture(scope="module")
def compiled_key_test(sample_run) -> str:
    """int_country_baskets' key test (basket, hs6, hs_version), as the sample run compiled it."""
    home = sample_run.published_db.parent
    found = sorted(
        (home / "runs" / "dbt").glob(
            "*-dbt_models/compiled/roundabout/models/intermediate/metrics/"
            "int_country_baskets.yml/unique_combination_int_country_baskets_*.sql"
        )
    )
    assert found, "the sample run kept no compiled key test"
    sql = found[-1].read_text()
    relation = re.search(r'"[^"]+"\."[^"]+"\."int_country_baskets"', sql)
    assert relation, sql
    return sql.replace(relation.group(0), "int_country_baskets")


def failures(sql: str, rows: list[tuple]) -> list[tuple]:
    with duckdb.connect() as con:
        con.execute("create table int_country_baskets (basket text, hs6 text, hs_version text)")
        if rows:
            con.executemany("insert into int_country_baskets values (?, ?, ?)", rows)
        return sorted(con.execute(sql).fetchall(), key=str)


CLEAN = [
    ("chpl", "854231", "HS2017"),
    ("chpl", "854231", "HS2022"),
    ("chpl", "854232", "HS2017"),
    ("comparison", "854231", "HS2017"),
    ("chpl", None, "HS2017"),
    (None, "854231", "HS2017"),
]


def test_a_clean_table_passes(compiled_key_test):
    assert failures(compiled_key_test, CLEAN) == []


def test_a_repeated_key_is_reported_with_its_count(compiled_key_test):
    rows = CLEAN + [("chpl", "854232", "HS2017"), ("chpl", "854232", "HS2017")]
    assert failures(compiled_key_test, rows) == [("chpl", "854232", "HS2017", 3)]


def test_keys_with_nulls_are_equal_as_in_a_grouping(compiled_key_test):
    """GROUP BY puts NULLs together, and so does the hash: a repeated NULL key is reported."""
    rows = CLEAN + [("chpl", None, "HS2017")]
    assert failures(compiled_key_test, rows) == [("chpl", None, "HS2017", 2)]


def test_rows_sharing_only_a_hash_pass_the_exact_stage(compiled_key_test):
    """With the hash replaced by a constant every row collides: the exact stage alone decides,
    reporting nothing on a clean table and the one repeated key on a dirty one."""
    hashed = f"hash({', '.join(KEY)})"
    assert compiled_key_test.count(hashed) == 2, compiled_key_test
    colliding = compiled_key_test.replace(hashed, "0")
    assert failures(colliding, CLEAN) == []
    dirty = CLEAN + [("comparison", "854231", "HS2017")]
    assert failures(colliding, dirty) == [("comparison", "854231", "HS2017", 2)]
