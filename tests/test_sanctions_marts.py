"""The sanctions marts built from the bundled OFAC extracts, checked against the raw files."""

from __future__ import annotations

import pytest

from orchestration.settings import SAMPLE_INPUTS

pytestmark = pytest.mark.slow

OFAC = SAMPLE_INPUTS / "sanctions" / "ofac_sdn"


def ent_nums(release: str) -> set[int]:
    data = (OFAC / release / "sdn.csv").read_bytes()[:-1]
    return {int(line.split(b",")[0]) for line in data.split(b"\r\n") if line}


def test_entity_counts_and_activity(warehouse):
    old, new = ent_nums("2021-04-25"), ent_nums("2023-12-28")
    rows = dict(
        warehouse.execute(
            "select is_active, count(*) from marts.dim_sanctioned_entity group by 1"
        ).fetchall()
    )
    assert rows[True] == len(new)
    assert rows[False] == len(old - new)


def test_changes_between_the_two_releases(warehouse):
    old, new = ent_nums("2021-04-25"), ent_nums("2023-12-28")
    changes = dict(
        warehouse.execute(
            "select change, count(*) from marts.fct_sanctions_list_changes "
            "where release_date = date '2023-12-28' and change <> 'modified' group by 1"
        ).fetchall()
    )
    assert changes == {"added": len(new - old), "removed": len(old - new)}


def test_named_entity_round_trip(warehouse):
    entity = warehouse.execute(
        "select primary_name, schema, programs, is_active, first_release, last_release "
        "from marts.dim_sanctioned_entity where entity_key = 'ofac_sdn:11275'"
    ).fetchall()
    assert entity[0][:4] == ("PO, Kong", "person", ["SDNTK"], True)
    assert str(entity[0][4]) == "2021-04-25" and str(entity[0][5]) == "2023-12-28"
    names = set(
        warehouse.execute(
            "select name, name_kind from marts.dim_sanctioned_name "
            "where entity_key = 'ofac_sdn:11275'"
        ).fetchall()
    )
    # The 2023 release comes without alt.csv: the weak aliases of its remarks, and the alias of
    # the 2021 alt.csv (ent_num 11275: "PU, Chiang"), carried since the entity is still listed.
    assert names == {
        ("PO, Kong", "primary"),
        ("P'U LI", "weak_alias"),
        ("PO KONG", "weak_alias"),
        ("PU, Chiang", "alias"),
    }
    addresses = warehouse.execute(
        "select count(*), min(country_name), max(country_name) from marts.dim_sanctioned_address "
        "where entity_key = 'ofac_sdn:11275'"
    ).fetchall()
    assert addresses == [(5, "Hong Kong", "Hong Kong")]
    ids = set(
        warehouse.execute(
            "select id_type, id_value, issuing_country from marts.dim_sanctioned_identifier "
            "where entity_key = 'ofac_sdn:11275'"
        ).fetchall()
    )
    assert ids == {
        ("passport", "H90011666", "Hong Kong"),
        ("national_id", "K357514(4)", "Hong Kong"),
    }


def test_hong_kong_company_registration_number(warehouse):
    # 2023 release line: ... "Organization Established Date 09 Dec 2020; Registration Number
    # 3000934 (Hong Kong)." for BELLATRIX ENERGY LIMITED, ent_num 47042.
    line = next(
        line
        for line in (OFAC / "2023-12-28" / "sdn.csv").read_bytes().split(b"\r\n")
        if line.startswith(b"47042,")
    )
    assert b"Registration Number 3000934 (Hong Kong)" in line
    ids = warehouse.execute(
        "select id_type, id_value, issuing_country from marts.dim_sanctioned_identifier "
        "where entity_key = 'ofac_sdn:47042'"
    ).fetchall()
    assert ("registration_number", "3000934", "Hong Kong") in ids
    programs = warehouse.execute(
        "select programs from marts.dim_sanctioned_entity where entity_key = 'ofac_sdn:47042'"
    ).fetchall()[0][0]
    assert programs == ["RUSSIA-EO14024"]
