"""The dbt layers follow the graph: what each folder of models/ may read, from the manifest."""

from __future__ import annotations

import json

import pytest

from orchestration.project import dbt_project

# The folders of models/ that each layer's models may depend on (seeds and sources always).
MAY_READ = {
    "staging": {"staging"},
    "intermediate": {"staging", "intermediate", "core"},
    "core": {"staging", "intermediate", "core"},
    "marts": {"staging", "intermediate", "core", "marts"},
}


def layer(node: dict) -> str:
    """The top folder under models/ of a model: staging, intermediate, core or marts."""
    return node["original_file_path"].split("/")[1]


@pytest.fixture(scope="module")
def models() -> dict[str, dict]:
    manifest = json.loads(dbt_project.manifest_path.read_text())
    return {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}


def reads_outside_its_layer(models: dict[str, dict]) -> list[str]:
    found = []
    for node in models.values():
        for upstream in node["depends_on"]["nodes"]:
            if upstream in models and layer(models[upstream]) not in MAY_READ[layer(node)]:
                found.append(f"{node['name']} ({layer(node)}) reads {upstream}")
    return found


def test_every_model_is_in_a_known_layer(models):
    assert {layer(node) for node in models.values()} == set(MAY_READ)


def test_no_intermediate_reads_a_mart(models):
    assert reads_outside_its_layer(models) == []


def test_the_check_sees_a_mart_read_by_an_intermediate(models):
    """The check itself: an intermediate model made to read a mart is reported."""
    mart = next(k for k, v in models.items() if layer(v) == "marts")
    intermediate = next(k for k, v in models.items() if layer(v) == "intermediate")
    changed = dict(models)
    node = json.loads(json.dumps(models[intermediate]))
    node["depends_on"]["nodes"].append(mart)
    changed[intermediate] = node
    assert reads_outside_its_layer(changed) == [f"{node['name']} (intermediate) reads {mart}"]


def test_core_models_are_built_in_the_marts_schema(models):
    core = {v["name"]: v["config"]["schema"] for v in models.values() if layer(v) == "core"}
    assert {"fct_trade_flows", "dim_product", "dim_country", "dim_country_group"} <= set(core)
    assert set(core.values()) == {"marts"}


def test_every_model_has_a_consumer_or_is_for_analysts(models):
    """A model no other model reads is a published table (core/, marts/) or says in its YAML
    (meta analyst_facing) why analysts read it."""
    read = {upstream for node in models.values() for upstream in node["depends_on"]["nodes"]}
    unread = [
        node["name"]
        for unique_id, node in models.items()
        if unique_id not in read
        and layer(node) not in ("core", "marts")
        and not node["config"].get("meta", {}).get("analyst_facing")
    ]
    assert unread == []
