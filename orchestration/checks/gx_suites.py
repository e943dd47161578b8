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


def run_suite(con: duckdb.DuckDBPyConnection, raw_table: str, suite: Path) -> SuiteOutcome:
    """Validate ``raw.<raw_table>`` against the suite in ``suite``."""
    import_great_expectations()
    import great_expectations as gx

    definition = load_suite_definition(suite)
    columns = _columns_used(definition) or ["*"]
    selected = ", ".join(c if c == "*" else f'"{c}"' for c in columns)
    frame = con.execute(f"select {selected} from raw.{raw_table}").df()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    # Metric progress bars would flood the console once per suite.
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch = (
        context.data_sources.add_pandas(name="warehouse")
        .add_dataframe_asset(name=raw_table)
        .add_batch_definition_whole_dataframe("all")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    result = batch.validate(_build_suite(definition), result_format="SUMMARY")
    outcomes = [
        ExpectationOutcome(
            expectation=r.expectation_config.type,
            column=r.expectation_config.kwargs.get("column"),
            success=bool(r.success),
            unexpected_count=r.result.get("unexpected_count"),
            examples=[str(v) for v in (r.result.get("partial_unexpected_list") or [])[:5]],
        )
        for r in result.results
    ]
    return SuiteOutcome(suite=definition["name"], rows=len(frame), outcomes=outcomes)
