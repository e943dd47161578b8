"""`roundabout screen` end to end against the bundled-sample warehouse."""

from __future__ import annotations

import csv
import json
import os
import re

import duckdb
import openpyxl
import pytest

from orchestration.cli import main
from orchestration.reference.fx import FX_TABLE
from orchestration.settings import BUILD_DB_VAR, FRESH_VAR, HOME_VAR, INPUTS_VAR

pytestmark = pytest.mark.slow

RADIO_CITY = "15/F Radio City, 505 Hennessy Rd, Causeway Bay, Hong Kong, Hong Kong"
COUNTERPARTIES = (
    "id,name,country,registration_number,address,incorporation_date\n"
    "veb,VEB Asia Limited,HK,1886537,,\n"
    "blue,Harbour Blue Trading Co,HKG,,,2023-05-01\n"
    f'crim,Crimson Harbour Ventures Limited,HK,,"{RADIO_CITY.upper().replace(",", "", 2)}",\n'
    "bake,Quiet Meadow Bakery GmbH,DE,,,\n"
)
SHIPMENTS = (
    "counterparty,date,hs6,cn8,value,currency,destination\n"
    "veb,2023-05-10,854231,,1000,USD,RU\n"  # tier 1 to Russia
    "blue,2023-05-20,,85176200,500,EUR,KGZ\n"  # tier 2 to Kyrgyzstan, in EUR
    "blue,2023-06-01,847150,,300,USD,DEU\n"  # tier 3.A to Germany
    "blue,2021-04-01,854140,,400,USD,KAZ\n"  # HS2017 854140 holds solar cells: not counted
    "bake,2023-07-01,010121,,200,USD,ARM\n"  # horses
)


@pytest.fixture()
def cli_env(monkeypatch):
    """`main` sets DAGSTER_HOME when it is unset, and a test may set the other settings: the
    environment as it was afterwards (the settings reach dbt only for its call)."""
    for var in (HOME_VAR, INPUTS_VAR, BUILD_DB_VAR, FRESH_VAR, "DAGSTER_HOME"):
        if var in os.environ:
            monkeypatch.setenv(var, os.environ[var])
        else:
            monkeypatch.delenv(var, raising=False)


@pytest.fixture()
def files(tmp_path):
    cp, sh = tmp_path / "counterparties.csv", tmp_path / "shipments.csv"
    cp.write_text(COUNTERPARTIES)
    sh.write_text(SHIPMENTS)
    return cp, sh


def screen(sample_run, *args: str) -> int:
    return main(["--home", str(sample_run.published_db.parent), "screen", *args])


def published(sample_run) -> duckdb.DuckDBPyConnection:
    """A connection to the published warehouse opened after the command: one held open while
    the command's dbt attaches the same file in another DuckDB instance of this process left
    that attach spinning (the session's shared connection is not used here)."""
    return duckdb.connect(str(sample_run.published_db), read_only=True)


def read_rows(path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def usd_per_eur(year: int, month: int) -> float:
    prefix = f"{year},{month},"
    line = next(x for x in FX_TABLE.read_text().splitlines() if x.startswith(prefix))
    return float(line.split(",")[2])


def addresses_like(warehouse, address: str) -> set[str]:
    """Active listed entities at the address, compared in Python (not the mart's SQL)."""

    def norm(text: str) -> str:
        return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())

    rows = warehouse.execute(
        "select a.entity_key, a.full_address from marts.dim_sanctioned_address a "
        "join marts.dim_sanctioned_entity e using (entity_key) where e.is_active"
    ).fetchall()
    return {key for key, text in rows if text and norm(text) == norm(address)}


def test_listed_hong_kong_company_alerts_with_its_registration_number(
    sample_run, files, tmp_path, cli_env
):
    out = tmp_path / "results.csv"
    assert screen(sample_run, str(files[0]), "--shipments", str(files[1]), "--out", str(out)) == 0
    matches = read_rows(out)
    assert {m["counterparty_id"] for m in matches} == {"veb"}  # the unlisted names: no row
    veb = matches[0]
    with published(sample_run) as warehouse:
        listed = warehouse.execute(
            "select entity_key from marts.dim_sanctioned_identifier "
            "where id_type = 'registration_number' and id_value = '1886537'"
        ).fetchall()
    assert [(veb["entity_key"],)] == listed == [("ofac_sdn:18295",)]
    assert (veb["decision"], float(veb["score"]), veb["matched_name"]) == (
        "alert", 1.0, "VEB ASIA LIMITED"
    )  # fmt: skip
    features = json.loads(veb["features"])
    assert features["identifier_match"] == ["registration_number"]
    assert features["identifier_conflict"] == []
    assert veb["risk_rank"] == "1" and veb["source_line"] == "2"
    assert set(veb["programs"].split(";")) == {"RUSSIA-EO14024", "UKRAINE-EO13662"}


def test_exposure_kpis_against_hand_computed_values(sample_run, files, tmp_path, cli_env):
    out = tmp_path / "results.csv"
    assert screen(sample_run, str(files[0]), "--shipments", str(files[1]), "--out", str(out)) == 0
    rows = {r["counterparty_id"]: r for r in read_rows(tmp_path / "results.exposure.csv")}
    rate = usd_per_eur(2023, 5)
    eur = 500 * rate
    portfolio = 1000 + eur + 300 + 400 + 200

    def num(cp: str, column: str) -> float | None:
        return float(rows[cp][column]) if rows[cp][column] != "" else None

    # veb: listed (alert, score 1.0), Hong Kong, tier 1 to Russia; established 2013 per OFAC.
    assert rows["veb"]["is_listed"] == "true" and rows["veb"]["lists"] == "ofac_sdn"
    assert num("veb", "chpl_tier_1_value_high_risk_usd") == 1000
    assert num("veb", "revenue_at_risk_usd") == 1000
    assert num("veb", "revenue_at_risk_share") == pytest.approx(1000 / portfolio)
    assert rows["veb"]["incorporation_date"] == "2013-04-08"
    assert rows["veb"]["incorporation_date_source"] == "list_remarks"
    assert num("veb", "risk_score") == pytest.approx(35 + 10 * 1.0 + 8 + 6 * 1.0)

    # blue: not listed; Hong Kong, incorporated 2023, "Trading"; CHPL: tier 2 in EUR to
    # Kyrgyzstan (high risk) and tier 3.A to Germany; the HS2017 854140 shipment is not CHPL.
    assert num("blue", "n_shipments") == 3
    assert num("blue", "shipments_value_usd") == pytest.approx(eur + 700)
    assert num("blue", "chpl_value_usd") == pytest.approx(eur + 300)
    assert num("blue", "chpl_value_high_risk_usd") == pytest.approx(eur)
    share = eur / (eur + 300)
    assert num("blue", "chpl_share_high_risk") == pytest.approx(share)
    assert num("blue", "chpl_tier_2_share_high_risk") == pytest.approx(1.0)
    assert num("blue", "chpl_tier_3_value_usd") == 300
    assert num("blue", "chpl_tier_3_share_high_risk") == 0
    assert num("blue", "chpl_tier_1_share_high_risk") is None
    assert num("blue", "revenue_at_risk_share") == pytest.approx(eur / portfolio)
    assert [rows["blue"][f"red_flag_{f}"] for f in ("high_risk_jurisdiction", "new_entity",
            "forwarder_name", "shared_address")] == ["true", "true", "true", "false"]  # fmt: skip
    assert rows["blue"]["forwarder_name_word"] == "trading"
    assert num("blue", "risk_score") == pytest.approx(8 + 7 + 4 + 6 * share, abs=1e-4)

    # crim: shares OFAC's Radio City address (written in capitals, fewer commas).
    with published(sample_run) as warehouse:
        sharing = addresses_like(warehouse, RADIO_CITY)
    assert sharing and num("crim", "shared_address_listed_n") == len(sharing)
    assert set(rows["crim"]["shared_address_entity_keys"].split(";")) == sharing
    assert num("crim", "risk_score") == 8 + 10 and num("crim", "n_shipments") == 0
    assert num("crim", "chpl_share_high_risk") is None

    # bake: German bakery shipping horses: nothing.
    assert num("bake", "risk_score") == 0 and num("bake", "revenue_at_risk_usd") == 0
    assert [rows[c]["risk_rank"] for c in ("veb", "blue", "crim", "bake")] == ["1", "2", "3", "4"]
    total = sum(num(c, "revenue_at_risk_share") for c in rows)
    assert total == pytest.approx((1000 + eur) / portfolio)


def test_xlsx_holds_both_sheets_and_stdout_without_out(
    sample_run, files, tmp_path, cli_env, capsys
):
    out = tmp_path / "results.xlsx"
    assert screen(sample_run, str(files[0]), "--out", str(out)) == 0
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["screening_matches", "company_exposure"]
    matches = list(book["screening_matches"].iter_rows(values_only=True))
    exposure = list(book["company_exposure"].iter_rows(values_only=True))
    assert matches[0][:4] == ("risk_rank", "counterparty_risk_score", "counterparty_id",
                              "counterparty_name")  # fmt: skip
    assert [row[2] for row in matches[1:]] == ["veb"]
    assert len(exposure) == 5 and exposure[0][:2] == ("risk_rank", "risk_score")
    column = exposure[0].index("shipments_value_usd")
    assert {row[column] for row in exposure[1:]} == {None}  # no shipments file given

    capsys.readouterr()
    assert screen(sample_run, str(files[0])) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].startswith("risk_rank,counterparty_risk_score,counterparty_id")
    assert len(lines) == 2 and ",veb,VEB Asia Limited,ofac_sdn:18295," in lines[1]
    assert "screened 4 counterparties" in captured.err and "1 alert(s)" in captured.err


def test_bad_shipments_file_and_missing_warehouse(sample_run, files, tmp_path, cli_env, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        SHIPMENTS.replace("blue,2023-06-01,847150,,300,USD", "blue,2023-06-01,847150,,300,CNY")
    )
    capsys.readouterr()
    assert screen(sample_run, str(files[0]), "--shipments", str(bad)) == 2
    err = capsys.readouterr().err
    assert f"{bad}:4: line 4, field 'currency': currency 'CNY' not supported" in err

    assert main(["--home", str(tmp_path / "nowhere"), "screen", str(files[0])]) == 2
    assert "run `roundabout run` first" in capsys.readouterr().err


def _screening_runs(database) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("select * from raw.screening__runs order by all").fetchall()


def test_published_warehouse_is_left_untouched(sample_run, files, tmp_path, cli_env):
    before = sample_run.published_db.stat().st_mtime_ns
    # The sample run screened the sample's own counterparty file: one configured run is there.
    runs_before = _screening_runs(sample_run.published_db)
    assert screen(sample_run, str(files[0]), "--out", str(tmp_path / "r.parquet")) == 0
    assert sample_run.published_db.stat().st_mtime_ns == before
    assert _screening_runs(sample_run.published_db) == runs_before
    assert (tmp_path / "r.exposure.parquet").exists()
    # dbt built the marts in a scratch database beside it, which held the counterparty list.
    assert not list((sample_run.published_db.parent / "screen").glob("*.duckdb*"))
    # The scratch database's paths reached dbt for its call only.
    assert "ROUNDABOUT_SCREEN_DB" not in os.environ
    assert "ROUNDABOUT_PUBLISHED_DB" not in os.environ


def test_an_output_name_it_cannot_write_is_refused_before_screening(
    sample_run, files, tmp_path, cli_env, capsys, monkeypatch
):
    import orchestration.screening.command as command

    def never(*args, **kwargs):
        raise AssertionError("screened although the output cannot be written")

    monkeypatch.setattr(command, "screen_published", never)
    capsys.readouterr()
    out = tmp_path / "sub" / "r.json"
    assert screen(sample_run, str(files[0]), "--out", str(out)) == 2
    assert f"{out}: output must end in .csv, .xlsx or .parquet" in capsys.readouterr().err
    assert not out.parent.exists()
