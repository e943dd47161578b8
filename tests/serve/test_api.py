"""`roundabout serve` over HTTP: a real server process on 127.0.0.1, a real HTTP client.

The warehouse is a DuckDB file holding the four sanctions marts built from the shipped evaluation
reference (real listings of OFAC, UK, UN, Canada and BIS); expected entities are read from those
files with polars, not from the service.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import polars as pl
import pytest

from orchestration.cli import main
from orchestration.settings import BUILD_DB_VAR, FRESH_VAR, HOME_VAR, INPUTS_VAR

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "data/eval/reference"
INACTIVE = "ofac_sdn:36"  # AEROCARIBBEAN AIRLINES, marked delisted in the test warehouse


def entities() -> pl.DataFrame:
    return pl.read_parquet(REFERENCE / "entities.parquet")


def keys_named(name: str) -> set[str]:
    return set(entities().filter(pl.col("primary_name") == name)["entity_key"])


def build_warehouse(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        for part, table in (("entities", "entity"), ("names", "name"),
                            ("addresses", "address"), ("identifiers", "identifier")):  # fmt: skip
            frame = pl.read_parquet(REFERENCE / f"{part}.parquet")
            if part == "entities":
                frame = frame.with_columns((pl.col("entity_key") != INACTIVE).alias("is_active"))
            con.register("frame", frame.to_arrow())
            con.execute(f"create table marts.dim_sanctioned_{table} as select * from frame")
            con.unregister("frame")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("serve")
    warehouse = work / "warehouse.duckdb"
    build_warehouse(warehouse)
    digest = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    port = free_port()
    command = [
        sys.executable, "-m", "orchestration.cli", "--home", str(work), "serve", "--port",
        str(port), "--warehouse", str(warehouse), "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "DAGSTER_HOME": str(work)})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            while True:
                assert process.poll() is None, "server exited"
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "server did not start in 120 s"
                time.sleep(0.5)
            yield client, warehouse, digest
    finally:
        process.terminate()
        process.wait(timeout=30)


def match(client, queries: dict, dataset: str = "default", **params) -> httpx.Response:
    return client.post(f"/match/{dataset}", json={"queries": queries}, params=params)


def test_company_in_cyrillic_with_country_in_russian(server):
    client, _, _ = server
    response = match(
        client,
        {
            "q1": {
                "schema": "Company",
                "properties": {"name": ["ОАО «Криогенмаш»"], "country": ["Россия"]},
            }
        },  # fmt: skip
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["limit"] == 5
    answer = body["responses"]["q1"]
    assert answer["status"] == 200
    assert answer["query"]["schema"] == "Company"
    assert answer["query"]["properties"]["country"] == ["ru"]
    expected = keys_named("KRIOGENMASH OAO")
    assert len(expected) == 2  # listed by OFAC SDN and OFAC consolidated
    top = answer["results"][: len(expected)]
    assert {r["id"] for r in top} == expected
    assert answer["total"] == {"value": len(answer["results"]), "relation": "eq"}
    for result in top:
        assert result["caption"] == "KRIOGENMASH OAO"
        assert result["schema"] == "Organization"
        assert result["datasets"] == [result["id"].split(":")[0]]
        assert result["match"] is True and result["decision"] == "alert"
        assert result["score"] >= 0.9
        assert result["features"]["name_similarity"] >= 0.9
        assert result["features"]["country_agreement"] == 1.0
        assert result["explanations"]["name_similarity"]["detail"].startswith("matched ")
        assert result["properties"]["country"] == ["ru"]
        assert "KRIOGENMASH OAO" in result["properties"]["name"]


def test_identifier_finds_the_listing_whatever_the_name(server):
    client, _, _ = server
    with_inn = pl.read_parquet(REFERENCE / "identifiers.parquet").filter(
        pl.col("id_value") == "5001000066"
    )
    answer = match(
        client,
        {
            "q": {
                "schema": "Company",
                "properties": {"name": "Zeta Holdings", "innCode": "5001000066"},
            }
        },  # fmt: skip
    ).json()["responses"]["q"]
    assert {r["id"] for r in answer["results"]} == set(with_inn["entity_key"])
    assert all(r["score"] == 1.0 and r["features"]["identifier_match"] == 1.0
               for r in answer["results"])  # fmt: skip


def test_unlisted_company_has_no_result_and_batches_answer_each_query(server):
    client, _, _ = server
    body = match(
        client,
        {
            "a": {"schema": "Company", "properties": {"name": "Quiet Meadow Bakery GmbH"}},
            "b": {"schema": "Organization", "properties": {"name": ["KRIOGENMASH OAO"]}},
        },  # fmt: skip
    ).json()
    assert body["responses"]["a"]["results"] == []
    assert body["responses"]["a"]["total"]["value"] == 0
    assert body["responses"]["b"]["total"]["value"] >= 2


def test_dataset_limit_threshold_and_errors(server):
    client, _, _ = server
    query = {"q": {"schema": "Company", "properties": {"name": "KRIOGENMASH OAO"}}}
    only_sdn = match(client, query, "ofac_sdn").json()["responses"]["q"]["results"]
    assert {r["id"] for r in only_sdn} == keys_named("KRIOGENMASH OAO") & {
        k for k in keys_named("KRIOGENMASH OAO") if k.startswith("ofac_sdn:")
    }
    one = match(client, query, limit=1).json()["responses"]["q"]
    assert len(one["results"]) == 1 and one["total"]["value"] >= 2
    strict = match(client, query, threshold=1.0, cutoff=0.85).json()["responses"]["q"]
    assert all(r["match"] == (r["score"] >= 1.0) for r in strict["results"])
    assert match(client, query, "no_such_list").status_code == 404
    bad = match(client, {"q": {"schema": "Banana", "properties": {"name": "X"}}})
    assert bad.status_code == 400 and "Banana" in bad.json()["detail"]
    assert match(client, {"q": {"properties": {"name": "X"}}}).status_code == 422
    nameless = match(client, {"q": {"schema": "Company", "properties": {"country": "RU"}}})
    assert nameless.status_code == 400


def test_unreadable_country_is_reported_and_delisted_entities_are_not_served(server):
    client, _, _ = server
    answer = match(
        client,
        {
            "q": {
                "schema": "Company",
                "properties": {"name": "AEROCARIBBEAN AIRLINES", "country": "Narnia"},
            }
        },  # fmt: skip
    ).json()["responses"]["q"]
    assert INACTIVE not in {r["id"] for r in answer["results"]}
    assert answer["input_issues"] == [
        "country: 'Narnia' is not a country code or name known here, left empty"
    ]


def test_openapi_docs_catalog_and_read_only(server):
    client, warehouse, digest = server
    spec = client.get("/openapi.json").json()
    assert "/match/{dataset}" in spec["paths"]
    assert "EntityMatchResponse" in spec["components"]["schemas"]
    assert client.get("/docs").status_code == 200
    catalog = client.get("/catalog").json()
    counts = {d["name"]: d["entities"] for d in catalog["datasets"]}
    expected = entities().filter(pl.col("entity_key") != INACTIVE).group_by("list").len()
    assert counts == dict(expected.iter_rows())
    # The server read the warehouse and let it go: a writer can open it, and nothing changed.
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == digest
    duckdb.connect(str(warehouse)).close()


def test_serve_without_a_warehouse(tmp_path, capsys, monkeypatch):
    # A test may set settings in the environment: the environment as it was afterwards.
    for var in (HOME_VAR, INPUTS_VAR, BUILD_DB_VAR, FRESH_VAR):
        monkeypatch.setenv(var, os.environ.get(var, ""))
        if var not in os.environ:
            monkeypatch.delenv(var)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    assert main(["--home", str(tmp_path), "serve"]) == 2
    assert "no published warehouse" in capsys.readouterr().err
