"""Great Expectations suites over raw tables.

Each suite is a JSON file in expectations/suites named after the raw table it guards
(``ofac_sdn__sdn.json`` guards ``raw.ofac_sdn__sdn``). Sources parsed into a shared shape share
one suite per table, ``shared/<kind>__<table>.json`` (every sanctions list's ``entities`` table
meets ``shared/sanctions__entities.json``), unless a suite of their own exists. Suites run as SQL
inside the warehouse (Great Expectations' SQLAlchemy execution engine on DuckDB), so a check
reads only the columns it names and no rows leave DuckDB but a few examples.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.settings import EXPECTATIONS_DIR


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int | None
    examples: list


@dataclass(frozen=True)
class SuiteOutcome:
    suite: str
    rows: int
    outcomes: list[ExpectationOutcome]

    @property
    def success(self) -> bool:
        return all(o.success for o in self.outcomes)

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]


def suite_path(raw_table: str, kind: str) -> Path | None:
    """The suite guarding ``raw.<raw_table>``: its own, else the shared one for its shape."""
    own = EXPECTATIONS_DIR / f"{raw_table}.json"
    table = raw_table.split("__", 1)[1]
    shared = EXPECTATIONS_DIR / "shared" / f"{kind}__{table}.json"
    return next((p for p in (own, shared) if p.exists()), None)


def load_suite_definition(path: Path) -> dict:
    return json.loads(path.read_text())


# Expectations asked as GX's own unexpected-rows query in DuckDB's SQL instead, with the same
# meaning and count: GX knows no regular expressions for DuckDB's dialect, and it tests a
# compound key by joining the table to its own grouped counts (minutes on several BACI years),
# where one grouping finds the same rows.
TRANSLATED = ("expect_column_values_to_match_regex", "expect_compound_columns_to_be_unique")


_SQL_OPERATORS = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _sql_literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise ValueError(f"row_condition parameter {value!r}: only text, numbers and booleans")


def row_condition_sql(condition: dict | None) -> str:
    """A suite's ``row_condition`` (GX's own condition format) as a DuckDB predicate, so that a
    translated expectation looks at the same rows as GX would."""
    if not condition:
        return "true"
    kind = condition.get("type")
    if kind in ("and", "or"):
        parts = [row_condition_sql(c) for c in condition.get("conditions", [])]
        return "(" + f" {kind} ".join(parts or ["true"]) + ")"
    operator = _SQL_OPERATORS.get(condition.get("operator", ""))
    if kind != "comparison" or operator is None:
        raise ValueError(f"row_condition {condition!r}: only comparisons joined by and/or")
    column = condition["column"]["name"].replace('"', '""')
    return f'"{column}" {operator} {_sql_literal(condition["parameter"])}'


def _unexpected_rows_query(kind: str, kwargs: dict, relation: str = "{batch}") -> str:
    """The rows ``kind`` with ``kwargs`` counts as unexpected in ``relation`` (GX's ``{batch}``
    placeholder, or a query of our own to fetch examples), among the rows its
    ``row_condition`` selects."""
    source = relation if relation == "{batch}" else f"({relation})"
    where = row_condition_sql(kwargs.get("row_condition"))
    if relation == "{batch}":  # GX formats the query: braces are doubled
        where = where.replace("{", "{{").replace("}", "}}")
    if kind == "expect_compound_columns_to_be_unique":
        # Every row of a duplicated key, as GX counts them; rows whose key is all null are
        # left out, GX's default (ignore_row_if="all_values_are_missing").
        key = ", ".join(f'"{c}"' for c in kwargs["column_list"])
        all_null = " and ".join(f'"{c}" is null' for c in kwargs["column_list"])
        return (
            f"select {key} from (select {key}, count(*) as n from {source} "
            f"where not ({all_null}) and {where} group by {key} having count(*) > 1) "
            "as duplicated, "
            "range(duplicated.n)"
        )
    column = kwargs["column"]
    pattern = kwargs["regex"].replace("'", "''")
    if relation == "{batch}":  # GX formats the query: braces of the pattern are doubled
        pattern = pattern.replace("{", "{{").replace("}", "}}")
    return (
        f'select "{column}" from {source} '
        f'where "{column}" is not null and {where} '
        f"and not regexp_matches(\"{column}\", '{pattern}')"
    )


# The type Great Expectations gives the expectation class below (its name in snake case).
UNEXPECTED_ROW_COUNT = "unexpected_row_count_expectation"


@functools.cache
def _unexpected_row_count_expectation() -> type:
    """Great Expectations' ``UnexpectedRowsExpectation`` asking only for the count of the
    unexpected rows, as a custom expectation (its metric dependencies and ``_validate``, the
    interface GX gives custom expectations).

    The stock class also fetches the unexpected rows as a table in every result format, so
    DuckDB runs the query twice; for a key's grouping over a BACI year that second run was
    about a third of the suite's time. Examples of a failure come from the suite's own query
    instead (:func:`_outcome`), a few rows, only when the count is not zero."""
    import great_expectations as gx

    class UnexpectedRowCountExpectation(gx.expectations.UnexpectedRowsExpectation):
        metric_dependencies = ("unexpected_rows_query.row_count",)

        def _validate(self, metrics, runtime_configuration=None, execution_engine=None):
            count = metrics["unexpected_rows_query.row_count"]
            return {"success": count == 0, "result": {"observed_value": count}}

    return UnexpectedRowCountExpectation


def _build_suite(definition: dict):
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    suite = gx.ExpectationSuite(name=definition["name"])
    for expectation in definition["expectations"]:
        if expectation["type"] in TRANSLATED:
            suite.add_expectation(
                _unexpected_row_count_expectation()(
                    unexpected_rows_query=_unexpected_rows_query(
                        expectation["type"], expectation["kwargs"]
                    ),
                    meta={"type": expectation["type"], "kwargs": expectation["kwargs"]},
                )
            )
        else:
            suite.add_expectation_configuration(
                ExpectationConfiguration(type=expectation["type"], kwargs=expectation["kwargs"])
            )
    return suite


def import_great_expectations() -> None:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations  # noqa: F401  (seconds of imports: pandas, scipy, altair ...)


@functools.cache
def _context():
    """One ephemeral Great Expectations context per process: each suite replaces its data
    source in it."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    # Metric progress bars would flood the console once per suite.
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def _read_only_connection(con: duckdb.DuckDBPyConnection):
    """A DB-API connection on the warehouse ``con`` is open on (DuckDB shares the database
    between a connection and its cursors), for SQLAlchemy through duckdb_engine's wrapper.

    Great Expectations returns its SQLAlchemy connection to the pool before it fetches a
    query's rows; the rollback that ends the connection's transaction then would drop DuckDB's
    pending result. The checks only read, so each query runs in DuckDB's own autocommit
    instead: begin, commit and rollback do nothing here."""
    from duckdb_engine import ConnectionWrapper

    class ReadOnly(ConnectionWrapper):
        def begin(self) -> None:
            pass

        def commit(self) -> None:
            pass

        def rollback(self) -> None:
            pass

    return ReadOnly(con.cursor())


def run_suite(
    con: duckdb.DuckDBPyConnection, raw_table: str, suite: Path,
    relations: list[str] | None = None,
) -> SuiteOutcome:  # fmt: skip
    """Validate ``raw.<raw_table>`` (or the ``relations`` that make it up, e.g. the parts a
    load just wrote, one after the other) against the suite in ``suite``.

    Great Expectations runs the suite as SQL in the warehouse (its SQLAlchemy execution engine
    over duckdb_engine, on a cursor of ``con``): DuckDB scans the columns each expectation
    names, in parallel and within its memory limit, and only counts and a few examples come
    back. A real BACI year took 31 s and 2 GB in pandas batches. Parts are validated one by
    one, as each file was loaded: a key is unique within its file (a part), and grouping one
    year of BACI fits in memory where seven spill to disk."""
    import_great_expectations()
    definition = load_suite_definition(suite)
    _context()  # GX builds a suite only once a context exists
    expectations = _build_suite(definition)
    merged: list[ExpectationOutcome] | None = None
    rows = 0
    for relation in relations or [f"raw.{raw_table}"]:
        query = f"select * from {relation}"
        rows += con.execute(f"select count(*) from ({query})").fetchall()[0][0]
        merged = _merge(merged, _validate(con, raw_table, query, expectations))
    return SuiteOutcome(suite=definition["name"], rows=rows, outcomes=merged or [])


def _validate(con: duckdb.DuckDBPyConnection, name: str, query: str, expectations):
    from sqlalchemy.pool import StaticPool

    context = _context()
    source = context.data_sources.add_or_update_sql(
        name="warehouse",
        connection_string="duckdb:///:memory:",  # not opened: the creator gives the connection
        kwargs={
            "creator": lambda: _read_only_connection(con),
            "poolclass": StaticPool,
            "pool_reset_on_return": None,
        },
    )
    try:
        batch = (
            source.add_query_asset(name=name, query=query)
            .add_batch_definition_whole_table("all")
            .get_batch()
        )
        # First only whether each expectation holds: that skips the query per expectation that
        # fetches examples of unexpected values. Only a suite that fails is run again for its
        # counts and examples.
        result = batch.validate(expectations, result_format="BOOLEAN_ONLY")
        if not result.success:
            result = batch.validate(expectations, result_format="SUMMARY")
    finally:
        source.get_engine().dispose()
        context.data_sources.delete("warehouse")
    return [_outcome(r, con, query) for r in result.results]


def _merge(
    merged: list[ExpectationOutcome] | None, part: list[ExpectationOutcome]
) -> list[ExpectationOutcome]:
    """The outcome of several parts: an expectation passes when it passes on each part."""
    if merged is None:
        return part
    return [
        ExpectationOutcome(
            expectation=a.expectation,
            column=a.column,
            success=a.success and b.success,
            unexpected_count=None
            if a.unexpected_count is None and b.unexpected_count is None
            else (a.unexpected_count or 0) + (b.unexpected_count or 0),
            examples=(a.examples + b.examples)[:5],
        )
        for a, b in zip(merged, part, strict=True)
    ]


def _outcome(result, con: duckdb.DuckDBPyConnection, query: str) -> ExpectationOutcome:
    config = result.expectation_config
    if config.type == UNEXPECTED_ROW_COUNT:  # a translated expectation: report it as such
        kind, kwargs = config.meta["type"], config.meta["kwargs"]
        examples = []
        if not result.success:
            failing = _unexpected_rows_query(kind, kwargs, query)
            examples = [
                str(row[0] if len(row) == 1 else row)
                for row in con.execute(f"select distinct * from ({failing}) limit 5").fetchall()
            ]
        return ExpectationOutcome(
            expectation=kind,
            column=kwargs.get("column"),
            success=bool(result.success),
            unexpected_count=result.result.get("observed_value", 0 if result.success else None),
            examples=examples,
        )
    # An expectation GX could not evaluate fails, with its error as the example.
    errors = [
        info.get("exception_message")
        for info in (result.exception_info or {}).values()
        if isinstance(info, dict) and info.get("raised_exception")
    ]
    if result.exception_info.get("raised_exception"):
        errors.append(result.exception_info.get("exception_message"))
    success = bool(result.success) and not errors
    # A suite that passed was asked only whether each expectation holds (no suite uses
    # ``mostly``, so holding means no unexpected row).
    count = result.result.get("unexpected_count", 0 if success else None)
    return ExpectationOutcome(
        expectation=config.type,
        column=config.kwargs.get("column"),
        success=success,
        unexpected_count=count,
        examples=[str(e) for e in errors][:5]
        or [str(v) for v in (result.result.get("partial_unexpected_list") or [])[:5]],
    )
