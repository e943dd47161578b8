"""Great Expectations suites over raw tables.

Each suite is a JSON file in expectations/suites named after the raw table it guards
(``ofac_sdn__sdn.json`` guards ``raw.ofac_sdn__sdn``). Sources parsed into a shared shape share
one suite per table, ``shared/<kind>__<table>.json`` (every sanctions list's ``entities`` table
meets ``shared/sanctions__entities.json``), unless a suite of their own exists. Suites run on
pandas frames that DuckDB hands over with only the columns the suite names, so a large table
costs what its checks need.
"""

from __future__ import annotations

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


def _columns_used(definition: dict) -> list[str]:
    columns: list[str] = []
    for expectation in definition["expectations"]:
        kwargs = expectation["kwargs"]
        for name in [kwargs.get("column"), *kwargs.get("column_list", [])]:
            if name and name not in columns:
                columns.append(name)
    return columns


def _build_suite(definition: dict):
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    suite = gx.ExpectationSuite(name=definition["name"])
    for expectation in definition["expectations"]:
        suite.add_expectation_configuration(
            ExpectationConfiguration(type=expectation["type"], kwargs=expectation["kwargs"])
        )
    return suite


def import_great_expectations() -> None:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations  # noqa: F401  (seconds of imports: pandas, scipy, altair ...)


# Rows handed to Great Expectations at once: a real BACI year (11 million rows) in one pandas
# frame took 4 GB and 41 s; in batches memory stays bounded.
BATCH_ROWS = 1_000_000


def run_suite(
    con: duckdb.DuckDBPyConnection, raw_table: str, suite: Path,
    relations: list[str] | None = None, batch_rows: int = BATCH_ROWS,
) -> SuiteOutcome:  # fmt: skip
    """Validate ``raw.<raw_table>`` (or the ``relations`` that make it up, e.g. the parts a
    load just wrote) against the suite in ``suite``, ``batch_rows`` rows at a time.

    Rows are read in the order of the suite's compound key and a batch never ends inside a
    key, so duplicates always meet in one batch; the outcome adds up the batches'."""
    import_great_expectations()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    definition = load_suite_definition(suite)
    columns = _columns_used(definition) or ["*"]
    selected = ", ".join(c if c == "*" else f'"{c}"' for c in columns)
    keys = _compound_keys(definition)
    order = " order by " + ", ".join(f'"{k}"' for k in keys) if keys else ""
    context = gx.get_context(mode="ephemeral")
    # Metric progress bars would flood the console once per suite.
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batches = (
        context.data_sources.add_pandas(name="warehouse")
        .add_dataframe_asset(name=raw_table)
        .add_batch_definition_whole_dataframe("all")
    )
    expectations = _build_suite(definition)
    merged: list[ExpectationOutcome] | None = None
    rows = 0
    for relation in relations or [f"raw.{raw_table}"]:
        cursor = con.execute(f"select {selected} from {relation}{order}")
        for frame in _frames(cursor, keys, batch_rows):
            batch = batches.get_batch(batch_parameters={"dataframe": frame})
            result = batch.validate(expectations, result_format="SUMMARY")
            merged = _merge(merged, [_outcome(r) for r in result.results])
            rows += len(frame)
    return SuiteOutcome(suite=definition["name"], rows=rows, outcomes=merged or [])


def _compound_keys(definition: dict) -> list[str]:
    for expectation in definition["expectations"]:
        if expectation["type"] == "expect_compound_columns_to_be_unique":
            return list(expectation["kwargs"]["column_list"])
    return []


def _frames(cursor: duckdb.DuckDBPyConnection, keys: list[str], batch_rows: int):
    """Pandas frames of about ``batch_rows`` rows, at least one (maybe empty, typed). The rows
    of the last key of a chunk wait for the next one, where the rest of that key may be."""
    import pandas as pd

    vectors = max(1, batch_rows // 2048)
    held = None
    first = True
    while len(chunk := cursor.fetch_df_chunk(vectors)) or first:
        if not len(chunk):  # no rows at all: the typed empty frame
            yield chunk
            return
        first = False
        if held is not None:
            chunk = pd.concat([held, chunk], ignore_index=True)
        if keys:
            tail = (chunk[keys] == chunk.iloc[-1][keys]).all(axis=1)
            held, chunk = chunk[tail].reset_index(drop=True), chunk[~tail]
        if len(chunk):
            yield chunk
    if held is not None and len(held):
        yield held


def _outcome(result) -> ExpectationOutcome:
    config = result.expectation_config
    return ExpectationOutcome(
        expectation=config.type,
        column=config.kwargs.get("column"),
        success=bool(result.success),
        unexpected_count=result.result.get("unexpected_count"),
        examples=[str(v) for v in (result.result.get("partial_unexpected_list") or [])[:5]],
    )


def _merge(
    merged: list[ExpectationOutcome] | None, batch: list[ExpectationOutcome]
) -> list[ExpectationOutcome]:
    if merged is None:
        return batch
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
        for a, b in zip(merged, batch, strict=True)
    ]
