"""The dbt screening models, run without dbt: `roundabout screen` computes the marts from the
same SQL files the pipeline builds them from, so the command's output and the warehouse's
``marts.fct_screening_matches`` / ``fct_company_exposure`` can never disagree.

Starting dbt costs seconds and needs a writable warehouse; these models only use ``ref``,
``source``, ``var``, ``dbt.listagg`` and the project macro ``safe_divide``, so a small Jinja
rendering is enough. Upstream models (``dim_product``, ``dim_country_group``,
``dim_sanctioned_*``) are read from the published warehouse attached read-only as ``pub``; the
screening models are created in an in-memory database in dependency order.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import jinja2
import polars as pl
import yaml

from orchestration.settings import DBT_PROJECT_DIR

# The tag:screening models in dependency order (tests/screening/test_sql_models.py checks the
# list against the project).
MODELS = (
    "staging/screening/stg_screening__runs",
    "staging/screening/stg_screening__counterparties",
    "staging/screening/stg_screening__shipments",
    "staging/screening/stg_screening__matches",
    "staging/screening/stg_screening__ownership_shares",
    "intermediate/screening/int_screening_latest_run",
    "intermediate/screening/int_screening_country_risk",
    "intermediate/screening/int_screening_matches",
    "intermediate/screening/int_screening_counterparty_flags",
    "intermediate/screening/int_screening_shipments",
    "intermediate/screening/int_screening_shipment_tiers",
    "marts/fct_company_exposure",
    "marts/fct_screening_matches",
    "marts/fct_screening_new_hits",
)
MACROS = ("safe_divide.sql", "country_groups.sql")
SCHEMA_OF_PREFIX = {"stg_": "staging", "int_": "intermediate", "dim_": "marts", "fct_": "marts",
                    "ref_": "reference"}  # fmt: skip
PUBLISHED = "pub"


def _schema(name: str) -> str:
    for prefix, schema in SCHEMA_OF_PREFIX.items():
        if name.startswith(prefix):
            return schema
    raise ValueError(f"cannot tell the schema of model {name!r}")


class _Dbt:
    """The two cross-database macros the models use, as dbt-duckdb renders them."""

    @staticmethod
    def listagg(measure: str, delimiter_text: str = "','", order_by_clause: str = "") -> str:
        return f"string_agg({measure}, {delimiter_text} {order_by_clause})"


class Renderer:
    """Renders a model file to DuckDB SQL for the in-memory screening database."""

    def __init__(self, project: Path = DBT_PROJECT_DIR):
        self.project = project
        config = yaml.safe_load((project / "dbt_project.yml").read_text())
        self.vars = config.get("vars", {})
        self.mine = {Path(m).name for m in MODELS}
        self.macros = "".join((project / "macros" / m).read_text() for m in MACROS)
        self.env = jinja2.Environment(undefined=jinja2.StrictUndefined)

    def ref(self, name: str) -> str:
        schema = _schema(name)
        return f"{schema}.{name}" if name in self.mine else f"{PUBLISHED}.{schema}.{name}"

    def source(self, source_name: str, table: str) -> str:
        if source_name != "screening":
            raise ValueError(f"source {source_name!r} is not available outside dbt")
        return f"raw.screening__{table}"

    def var(self, name: str) -> object:
        return self.vars[name]

    def render(self, model: str) -> str:
        text = (self.project / "models" / f"{model}.sql").read_text()
        template = self.env.from_string(self.macros + text)
        return template.render(ref=self.ref, source=self.source, var=self.var, dbt=_Dbt).strip()


def run_models(con: duckdb.DuckDBPyConnection, renderer: Renderer | None = None) -> None:
    """Create every screening model in ``con`` (raw.screening__* must be there, and the
    published warehouse attached as ``pub``)."""
    renderer = renderer or Renderer()
    for schema in ("staging", "intermediate", "marts"):
        con.execute(f"create schema if not exists {schema}").fetchall()
    for model in MODELS:
        name = Path(model).name
        kind = "view" if model.startswith("staging/") else "table"
        sql = renderer.render(model)
        con.execute(f"create or replace {kind} {_schema(name)}.{name} as {sql}").fetchall()


def write_raw(con: duckdb.DuckDBPyConnection, tables: dict[str, pl.DataFrame]) -> None:
    con.execute("create schema if not exists raw").fetchall()
    for name, frame in tables.items():
        con.register("_frame", frame.to_arrow())
        try:
            con.execute(
                f"create or replace table raw.screening__{name} as select * from _frame"
            ).fetchall()
        finally:
            con.unregister("_frame")


def attach_published(con: duckdb.DuckDBPyConnection, published: Path) -> None:
    path = str(published).replace("'", "''")
    con.execute(f"attach '{path}' as {PUBLISHED} (read_only)").fetchall()
