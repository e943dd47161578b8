"""Real listed persons and companies found from the name variants analysts write.

The reference is built from real rows of OFAC SDN and the UK list (tests/screening/fixtures/named,
read here with the csv module); every expected outcome is worked out by hand from those rows.
As the warehouse does for a release without ``alt.csv``, the aliases of OFAC's 2021-04-25
``alt.csv`` (``alt_2021.csv``) are carried for the entities still listed, and the tax and
registration numbers of the remarks are identifiers.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import polars as pl
import pytest

from orchestration.screening.index import ScreeningIndex
from orchestration.screening.score import Query, match_query
from orchestration.screening.screen import to_queries

FIXTURES = Path(__file__).parent / "fixtures" / "named"
_AKA = re.compile(r"a\.k\.a\. '([^']+)'")
_IDS = re.compile(r"(Tax ID No\.|Registration Number|Registration ID) (\d+)")


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    entities, names, ids = [], [], []
    with (FIXTURES / "sdn.csv").open(encoding="cp1252", newline="") as handle:
        for row in csv.reader(handle):
            ent, name, kind, program, *_, remarks = row
            key = f"ofac_sdn:{ent}"
            schema = "person" if kind == "individual" else "organization"
            entities.append((key, "ofac_sdn", ent, schema, name, [program], None, remarks))
            names += [(key, alias, "alias") for alias in _AKA.findall(remarks)]
            ids += [(key, id_type, value) for id_type, value in _IDS.findall(remarks)]
    with (FIXTURES / "alt_2021.csv").open(encoding="cp1252", newline="") as handle:
        for ent, _, alt_type, alt_name, _ in csv.reader(handle):
            names.append((f"ofac_sdn:{ent}", alt_name, "former" if alt_type == "fka" else "alias"))
    with (FIXTURES / "uk.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = f"uk:{row['Unique ID']}"
            schema = "person" if row["Type"] == "Individual" else "organization"
            entities.append((key, "uk", row["Unique ID"], schema, row["Name"], [], None, None))
    columns = ["entity_key", "list", "source_id", "schema", "primary_name", "programs",
               "listed_on", "remarks"]  # fmt: skip
    frame = pl.DataFrame(entities, schema=columns, orient="row")
    return ScreeningIndex.from_frames(
        frame,
        pl.DataFrame(names, schema=["entity_key", "name", "name_kind"], orient="row"),
        pl.DataFrame(
            schema={c: pl.String for c in ("entity_key", "full_address", "city", "country_iso2")}
        ),  # fmt: skip
        pl.DataFrame(ids, schema=["entity_key", "id_type", "id_value"], orient="row"),
    )


def decisions(index: ScreeningIndex, name: str, birth_date: str | None = None) -> dict:
    query = to_queries(pl.DataFrame({"name": [name]}))[0]
    query = Query(query.id, name, query.norm, identifiers=query.identifiers, birth_date=birth_date)
    return {index.entities[m.entity].key: m.decision for m in match_query(query, index)}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # order-free, patronymic left out: review on both lists' listings of the same person
        ("Vladimir Putin", {"ofac_sdn:35096": "review", "uk:RUS0251": "review"}),
        ("PUTIN Vladimir", {"ofac_sdn:35096": "review", "uk:RUS0251": "review"}),
        # initials
        ("V. Putin", {"ofac_sdn:35096": "review", "uk:RUS0251": "review"}),
        ("Putin V.V.", {"ofac_sdn:35096": "review", "uk:RUS0251": "review"}),
        # every name, any order, any script
        ("Vladimir Vladimirovich Putin", {"ofac_sdn:35096": "alert", "uk:RUS0251": "alert"}),
        ("Путин Владимир Владимирович", {"ofac_sdn:35096": "alert", "uk:RUS0251": "alert"}),
        # Sergei / Sergey, Mikhail Mishustin without patronymic, Nabiullina given name first
        ("Sergey Kuzhugetovich Shoigu", {"ofac_sdn:35173": "alert"}),
        ("Mikhail Mishustin", {"ofac_sdn:35282": "review"}),
        ("Elvira Nabiullina", {"ofac_sdn:35797": "review"}),
        # another Putin on the UK list: not Vladimir
        ("Igor Putin", {"uk:RUS1424": "review"}),
        ("Ivan Putin", {}),
    ],
)
def test_named_persons(index, name, expected):
    assert decisions(index, name) == expected


def test_birth_date_evidence(index):
    # DOB 07 Oct 1952 in the OFAC remarks: the same date lifts the partial name to an alert;
    # another date rules the OFAC listing out (the UK row has no date of birth).
    assert decisions(index, "Vladimir Putin", "1952-10-07")["ofac_sdn:35096"] == "alert"
    assert "ofac_sdn:35096" not in decisions(index, "Vladimir Putin", "1960-01-01")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # abbreviations and L.L.C. for CONNECT TELECOM GENERAL TRADING LLC
        ("Connect Telecom Gen. Trading L.L.C.", "ofac_sdn:12584"),
        ("CONNECT TELECOM GEN TRDG LLC", "ofac_sdn:12584"),
        # cut at 50 and 35 characters by fixed-width fields
        ("JOINT STOCK COMPANY PRODUCTION ASSOCIATION NORTHER", "ofac_sdn:36056"),
        ("AKTSIONERNOYE OBSHCHESTVO VLADIVOST", "ofac_sdn:40586"),
        # the listing's own alias, another legal form spelling
        ("ERA JSC", "ofac_sdn:40586"),
    ],
)
def test_named_companies(index, name, key):
    assert key in decisions(index, name)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # as the Russian register writes it, with the INN of the remarks (Tax ID No. 7707327719)
        ('ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "МАРКУС", ИНН 7707327719', "alert"),
        ('OOO "Markus" (INN 7707327719)', "alert"),
        # the name alone: OOO is the same form as Obshchestvo s Ogranichennoi Otvetstvennostyu
        ('ООО "Маркус"', "alert"),
        # another company's INN in the name: the identifiers conflict, no match
        ('ООО "Маркус", ИНН 7701234567', None),
    ],
)
def test_registry_forms(index, name, expected):
    assert decisions(index, name).get("ofac_sdn:38580") == expected


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # aliases of the 2021-04-25 alt.csv, carried for entities still listed on 2023-12-28
        ("BANK TAATTA AKTSIONERNOE OBSHCHESTVO", "ofac_sdn:22503"),
        ("JSC Taatta Bank", "ofac_sdn:22503"),
        ("SOBINBANK", "ofac_sdn:16812"),
        # "S A" written without dots, as the 2021 alias had it
        ("Kave Coffee S A", "ofac_sdn:30629"),
    ],
)
def test_earlier_release_aliases(index, name, key):
    assert decisions(index, name).get(key) == "alert"
