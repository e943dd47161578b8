"""dbt seeds the reference tables from the files the Python code reads: one copy of each."""

from __future__ import annotations

import yaml

from orchestration.reference.countries import COUNTRY_TABLE
from orchestration.reference.fx import FX_TABLE
from orchestration.settings import DBT_PROJECT_DIR


def test_dbt_seed_paths_hold_the_reference_tables_once():
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    folders = [(DBT_PROJECT_DIR / p).resolve() for p in project["seed-paths"]]
    for table in (COUNTRY_TABLE, FX_TABLE):
        copies = [f for folder in folders for f in folder.rglob(table.name)]
        assert copies == [table.resolve()]
