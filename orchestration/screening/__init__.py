"""Counterparty screening: an analyst's customer list against sanctions and export-control lists.

Entry points (docs/screening.md):

- :func:`load_reference` (a folder of reference files or a DuckDB warehouse) and
  ``Reference.index()`` build the listed-entity index;
- :func:`read_counterparties` reads and checks a CSV, XLSX or Parquet counterparty file,
  :func:`read_shipments` a shipments file;
- :func:`screen` / :func:`screen_file` return the ``fct_screening_matches`` rows;
- :func:`company_exposure` rolls matches (and shipments) up per counterparty;
- :func:`apply_rule` applies a 50% ownership rule (OFAC, EU, UK, BIS affiliates);
- :mod:`orchestration.screening.run` screens a file against a warehouse into the
  ``raw.screening__*`` rows, :mod:`orchestration.screening.command` is ``roundabout screen``
  (its marts built by dbt: :mod:`orchestration.screening.marts`).

Precision and recall on data/eval are measured by ``tools/eval/evaluate.py``, outside the package.
"""

from orchestration.screening.counterparties import read_counterparties
from orchestration.screening.exposure import company_exposure
from orchestration.screening.index import ScreeningIndex
from orchestration.screening.ownership import REGIMES, Regime, apply_rule
from orchestration.screening.reference import Reference, load_reference
from orchestration.screening.score import DEFAULT_PARAMS, ScoreParams
from orchestration.screening.screen import MATCH_SCHEMA, screen, screen_file, write_matches
from orchestration.screening.shipments import read_shipments

__all__ = [
    "DEFAULT_PARAMS",
    "MATCH_SCHEMA",
    "REGIMES",
    "Reference",
    "Regime",
    "ScoreParams",
    "ScreeningIndex",
    "apply_rule",
    "company_exposure",
    "load_reference",
    "read_counterparties",
    "read_shipments",
    "screen",
    "screen_file",
    "write_matches",
]
