"""`roundabout screen` on a counterparty file as customers send them, and the matching API, both
against the bundled-sample warehouse."""

from __future__ import annotations

import csv
import os

import pytest

from orchestration.cli import main
from orchestration.settings import BUILD_DB_VAR, FRESH_VAR, HOME_VAR, INPUTS_VAR

pytestmark = pytest.mark.slow

# German headers, countries as names in German and Chinese, a date in the US order, an INN with
# a wrong check digit (7707083893 is valid), a country that does not exist and a repeated id.
COUNTERPARTIES = (
    "Kundennummer,Firma,Land,Steuernummer,Gründungsdatum\n"
    "veb,VEB Asia Limited,Hongkong,,\n"
    "blue,Harbour Blue Trading Co,香港,,01/05/2023\n"
    "bake,Quiet Meadow Bakery GmbH,Deutschland,,\n"
    "ru1,Arktik Logistik,Russland,7707083894,\n"
    "x,Unknown Land Co,Narnia,,\n"
    "veb,Repeat Ltd,RU,,\n"
)


@pytest.fixture()
def cli_env(monkeypatch):
    """A test may set settings in the environment (and `main` sets DAGSTER_HOME when it is unset):
    the environment as it was afterwards."""
    for var in (HOME_VAR, INPUTS_VAR, BUILD_DB_VAR, FRESH_VAR, "DAGSTER_HOME"):
        if var in os.environ:
            monkeypatch.setenv(var, os.environ[var])
        else:
            monkeypatch.delenv(var, raising=False)


def read_rows(path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_file_with_names_for_countries_and_synonym_headers_is_screened_whole(
    sample_run, tmp_path, cli_env, capsys
):
    path = tmp_path / "kunden.csv"
    path.write_text(COUNTERPARTIES, encoding="utf-8")
    out = tmp_path / "r.csv"
    home = str(sample_run.published_db.parent)
    capsys.readouterr()
    assert main(["--home", home, "screen", str(path), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    exposure = {r["counterparty_id"]: r for r in read_rows(tmp_path / "r.exposure.csv")}
    assert set(exposure) == {"veb", "blue", "bake", "ru1", "x", "veb (line 7)"}
    countries = {k: r["country_iso2"] for k, r in exposure.items()}
    assert countries == {"veb": "HK", "blue": "HK", "bake": "DE", "ru1": "RU", "x": "",
                         "veb (line 7)": "RU"}  # fmt: skip
    issues = {k: r["input_issues"] for k, r in exposure.items() if r["input_issues"]}
    assert issues == {
        "blue": "incorporation_date: '01/05/2023' is not a date (YYYY-MM-DD or DD.MM.YYYY), "
        "left empty",
        "ru1": "tax_id: '7707083894' fails the INN check (The number's checksum or check digit "
        "is invalid), screened as written",
        "x": "country: 'Narnia' is not a country code or name known here, left empty",
        "veb (line 7)": "id: 'veb' repeats line 2, screened as 'veb (line 7)'",
    }
    assert "4 row(s) kept with fields that could not be read" in err
    assert "  line 6: country: 'Narnia'" in err
    matches = read_rows(out)
    veb = next(m for m in matches if m["counterparty_id"] == "veb")
    assert veb["entity_key"] == "ofac_sdn:18295" and veb["decision"] == "alert"
    assert veb["fields_agreeing"].startswith("name 1.00 (primary)")
    assert veb["name_score"] == "1.0"


def test_api_over_the_published_warehouse(sample_run):
    # Imported here: Starlette's test client warns on import, and collection imports modules
    # even when slow tests are left out.
    from fastapi.testclient import TestClient

    from orchestration.serve import create_app

    client = TestClient(create_app(sample_run.published_db))
    properties = {"name": "Other Name", "registrationNumber": "1886537", "country": "Hong Kong"}
    body = {"queries": {"veb": {"schema": "Company", "properties": properties}}}
    answer = client.post("/match/ofac_sdn", json=body).json()["responses"]["veb"]
    assert [(r["id"], r["score"], r["match"]) for r in answer["results"]] == [
        ("ofac_sdn:18295", 1.0, True)
    ]
    assert answer["results"][0]["caption"] == "VEB ASIA LIMITED"
    assert "1886537" in answer["results"][0]["properties"]["registrationNumber"]
    assert answer["query"]["properties"]["country"] == ["hk"]
