"""Great Expectations suites over raw tables.

Each suite is a JSON file in expectations/suites named after the raw table it guards
(``ofac_sdn__sdn.json`` guards ``raw.ofac_sdn__sdn``). Suites run on pandas frames that DuckDB
hands over with only the columns the suite names, so a large table costs what its checks need.
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


def suite_path(raw_table: str) -> Path:
    return EXPECTATIONS_DIR / f"{raw_table}.json"


def suite_names() -> list[str]:
    return sorted(p.stem for p in EXPECTATIONS_DIR.glob("*.json"))


def load_suite_definition(raw_table: str) -> dict:
    return json.loads(suite_path(raw_table).read_text())


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


def run_suite(con: duckdb.DuckDBPyConnection, raw_table: str) -> SuiteOutcome:
    """Validate ``raw.<raw_table>`` against its suite."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx  # costs seconds: only when a check runs

    definition = load_suite_definition(raw_table)
    columns = _columns_used(definition) or ["*"]
    selected = ", ".join(c if c == "*" else f'"{c}"' for c in columns)
    frame = con.execute(f"select {selected} from raw.{raw_table}").df()
    context = gx.get_context(mode="ephemeral")
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
