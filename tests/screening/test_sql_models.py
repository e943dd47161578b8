"""The screening models as `roundabout screen` runs them without dbt."""

from __future__ import annotations

import re

import yaml

from orchestration.screening.sql_models import MODELS, Renderer
from orchestration.settings import DBT_PROJECT_DIR

MODELS_DIR = DBT_PROJECT_DIR / "models"


def tagged_screening() -> set[str]:
    """Model paths (without .sql) whose YAML tags them screening, read from the YAML files."""
    found = set()
    for path in MODELS_DIR.rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []):
            if "screening" in (model.get("config") or {}).get("tags", []):
                sql = path.with_name(f"{model['name']}.sql")
                found.add(str(sql.relative_to(MODELS_DIR).with_suffix("")))
    return found


def test_model_list_is_the_tagged_models_in_dependency_order():
    assert set(MODELS) == tagged_screening()
    seen: set[str] = set()
    names = {m.split("/")[-1] for m in MODELS}
    for model in MODELS:
        text = (MODELS_DIR / f"{model}.sql").read_text()
        refs = set(re.findall(r"ref\('([a-z0-9_]+)'\)", text))
        assert refs & names <= seen, f"{model} reads a screening model built after it"
        seen.add(model.split("/")[-1])


def test_rendering_refs_sources_vars_and_macros():
    renderer = Renderer()
    risk = renderer.render("intermediate/screening/int_screening_country_risk")
    assert "from pub.marts.dim_country_group" in risk
    assert "group_version = '2022-06-28'" in risk and "group_version = '2023-09-26'" in risk
    matches = renderer.render("intermediate/screening/int_screening_matches")
    assert "from intermediate.int_screening_latest_run" in matches
    assert "from staging.stg_screening__matches as m" in matches
    assert "string_agg(case when s.is_owned_50 then s.regime end, ';' order by s.regime)" in (
        matches
    )
    assert "raw.screening__runs" in renderer.render("staging/screening/stg_screening__runs")
    exposure = renderer.render("marts/fct_company_exposure")
    assert "case when t.chpl_tier_1_value_usd is null or t.chpl_tier_1_value_usd = 0" in exposure
    assert "{{" not in exposure
