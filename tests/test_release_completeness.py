"""Partial OFAC releases on the real sample files: what a release lacks is carried or
quarantined, never silently dropped, and never blocks the rest.

Expected values are read from the raw files with the csv and re modules, not from the models.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import date, datetime

import duckdb
import pytest

from orchestration.settings import SAMPLE_INPUTS
from tests.conftest import run_in

pytestmark = pytest.mark.slow

OFAC = SAMPLE_INPUTS / "sanctions" / "ofac_sdn"
OLD, NEW = "2021-04-25", "2023-12-28"


def records(path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8").rstrip("\r\n").removesuffix("\x1a")
    return [r for r in csv.reader(io.StringIO(text, newline="")) if any(r)]


def ent_nums(release: str) -> set[str]:
    return {r[0] for r in records(OFAC / release / "sdn.csv")}


def test_a_release_without_alt_csv_keeps_the_aliases_of_entities_still_listed(warehouse):
    still_listed = ent_nums(OLD) & ent_nums(NEW)
    expected = {
        (f"ofac_sdn:{r[0]}", r[3].strip(), "former" if r[2].strip() == "fka" else "alias")
        for r in records(OFAC / OLD / "alt.csv")
        if r[0] in still_listed
    }
    carried = warehouse.execute(
        "select entity_key, name, name_kind, carried_from_release from marts.dim_sanctioned_name "
        "where is_carried"
    ).fetchall()
    assert {row[:3] for row in carried} == expected
    assert {row[3] for row in carried} == {date.fromisoformat(OLD)}
    # Entities delisted since keep the aliases of their own last release, not carried ones.
    delisted = warehouse.execute(
        "select count(*) from marts.dim_sanctioned_name as n join marts.dim_sanctioned_entity "
        "using (entity_key) where not is_active and n.is_carried"
    ).fetchall()
    assert delisted == [(0,)]


def test_a_release_without_add_csv_keeps_the_addresses_of_entities_still_listed(warehouse):
    still_listed = ent_nums(OLD) & ent_nums(NEW)
    expected = {
        r[1]: f"ofac_sdn:{r[0]}" for r in records(OFAC / OLD / "add.csv") if r[0] in still_listed
    }
    rows = warehouse.execute(
        "select entity_key, count(*), bool_and(is_carried), min(carried_from_release) "
        "from marts.dim_sanctioned_address join marts.dim_sanctioned_entity using (entity_key) "
        "where is_active group by 1"
    ).fetchall()
    assert {key for key, *_ in rows} == set(expected.values())
    assert all(carried and str(since) == OLD for _, _, carried, since in rows)


def test_entity_countries_come_from_the_addresses(warehouse):
    # Hong Kong for ent_num 11275: five addresses in the 2021 add.csv, all in Hong Kong.
    assert {r[4] for r in records(OFAC / OLD / "add.csv") if r[0] == "11275"} == {"Hong Kong"}
    countries = warehouse.execute(
        "select country_iso2 from marts.dim_sanctioned_entity where entity_key = 'ofac_sdn:11275'"
    ).fetchall()
    assert countries == [(["HK"],)]
    # Every still-listed entity with an address that names a country has a country.
    still_listed = ent_nums(OLD) & ent_nums(NEW)
    with_country = {
        f"ofac_sdn:{r[0]}"
        for r in records(OFAC / OLD / "add.csv")
        if r[0] in still_listed and r[4].strip() not in ("", "-0-")
    }
    filled = {
        key
        for (key,) in warehouse.execute(
            "select entity_key from marts.dim_sanctioned_entity "
            "where is_active and len(country_iso2) > 0"
        ).fetchall()
    }
    assert filled == with_country


def test_listing_dates_are_those_the_remarks_give(warehouse):
    pattern = re.compile(r"Listing Date \([^()]*\):? (\d{1,2} [A-Z][a-z]{2} \d{4})")
    expected = {}
    for r in records(OFAC / NEW / "sdn.csv"):
        days = [datetime.strptime(d, "%d %b %Y").date() for d in pattern.findall(r[11])]
        if days:
            expected[f"ofac_sdn:{r[0]}"] = min(days)
    assert expected  # the sample has directive listings
    listed = dict(
        warehouse.execute(
            "select entity_key, listed_on from marts.dim_sanctioned_entity "
            "where is_active and listed_on is not null"
        ).fetchall()
    )
    assert listed == expected


@pytest.fixture(scope="module")
def partial_runs(tmp_path_factory):
    """One home, three runs: trade files only on a fresh home; then the sample with a release
    folder holding add.csv and alt.csv but no sdn.csv; then the sample with sdn.csv cut short."""
    root = tmp_path_factory.mktemp("partial")
    home = root / "home"

    trade_only = root / "trade_only"
    shutil.copytree(SAMPLE_INPUTS / "trade", trade_only / "trade")
    first = run_in(home, inputs=trade_only, fresh=True)

    partial = root / "partial"
    shutil.copytree(SAMPLE_INPUTS, partial)
    release = partial / "sanctions/ofac_sdn/2024-01-05"
    release.mkdir()
    for name in ("add.csv", "alt.csv"):
        shutil.copy2(OFAC / OLD / name, release / name)
    second = run_in(home, inputs=partial)
    with duckdb.connect(str(second.published_db), read_only=True) as con:
        published = {
            "quarantine": con.execute(
                "select raw_table, count(*), min(reason), max(reason) from raw.quarantine "
                "where release_date = date '2024-01-05' group by 1 order by 1"
            ).fetchall(),
            "releases": con.execute(
                "select distinct release_date from marts.fct_sanctions_list_changes order by 1"
            ).fetchall(),
        }
    before = second.published_db.read_bytes()

    cut = root / "cut"
    shutil.copytree(SAMPLE_INPUTS, cut)
    sdn = cut / "sanctions/ofac_sdn/2023-12-28/sdn.csv"
    raw = sdn.read_bytes()
    sdn.write_bytes(raw[: len(raw) // 2])
    third = run_in(home, inputs=cut)
    after = third.published_db.read_bytes()
    return first, second, published, third, before == after, raw[: len(raw) // 2]


def test_a_source_absent_from_the_inputs_does_not_fail_its_checks(partial_runs):
    first = partial_runs[0]
    assert first.success, first.render()
    assert "ofac_sdn" in first.absent_sources
    assert "ofac_sdn" in first.render().split("sources absent from the inputs")[1]


def test_a_release_without_sdn_csv_is_reported_incomplete_and_the_rest_publishes(partial_runs):
    second, published = partial_runs[1], partial_runs[2]
    assert second.success, second.render()
    adds, alts = len(records(OFAC / OLD / "add.csv")), len(records(OFAC / OLD / "alt.csv"))
    reason = "is not in the sdn.csv of release 2024-01-05 (the release has no sdn.csv)"
    assert [(t, n) for t, n, _, _ in published["quarantine"]] == [("add", adds), ("alt", alts)]
    assert all(reason in low and reason in high for _, _, low, high in published["quarantine"])
    assert second.incomplete_releases == [
        f"ofac_sdn release 2024-01-05 is incomplete: no sdn.csv; {adds + alts:,} address or "
        "alias rows name entities its sdn.csv lacks (quarantined)"
    ]
    text = second.render()
    assert "INCOMPLETE ofac_sdn release 2024-01-05" in text
    assert (
        f"sanctions/ofac_sdn/2024-01-05/add.csv:1: entity {records(OFAC / OLD / 'add.csv')[0][0]}"
        in text
    )
    # The complete releases published as before: the incomplete one is no release of the list.
    assert published["releases"] == [(date.fromisoformat(NEW),)]


def test_a_cut_file_blocks_publishing_and_the_summary_leads_with_it(partial_runs):
    third, unchanged, cut = partial_runs[3], partial_runs[4], partial_runs[5]
    assert not third.success and not third.published
    assert unchanged
    first_line = third.render().splitlines()[0]
    line = cut.count(b"\n") + 1
    assert first_line.startswith(
        f"ERROR sanctions/ofac_sdn/2023-12-28/sdn.csv:{line}: no end-of-file byte (0x1A)"
    )
    assert "Traceback" not in third.render()
    log = third.log_file.read_text()
    assert "--- step ingest_ofac_sdn failed ---" in log and "raise SourceParseError" in log
