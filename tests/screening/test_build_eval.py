"""The evaluation-set builder on tiny list files in the publishers' formats.

The builder normally reads the full snapshots of the lists; here each list is a few records
(OFAC lines copied byte for byte from the 2023-12-28 sdn.csv and the 2021 add.csv, the others
cut down from the real files' records) laid out the same way, so every parser and the whole
build run.
"""

from __future__ import annotations

import hashlib
import json

import polars as pl
import pytest

from tools.eval import build_screening_eval as build

SDN = (
    '16885,"URALVAGONZAVOD",-0- ,"UKRAINE-EO13661] [RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '-0- ,"Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 '
    "and/or 589.209; Tax ID No. 7706453206 (Russia); Registration Number 1187746432345 (Russia); "
    "a.k.a. 'UVZ'.\"\r\n"
    '44996,"LIMITED LIABILITY COMPANY ARKTIK LOGISTIK",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,'
    '-0- ,-0- ,-0- ,"Tax ID No. 5032265457 (Russia); Registration Number 1165032062326 (Russia); '
    'Linked To: LLC VU DIKSON."\r\n'
    '30823,"FORTUNA","vessel","CAATSA - RUSSIA] [PEESA-EO14039",-0- ,"UBDP8",-0- ,-0- ,-0- ,'
    '"Russia",-0- ,"Vessel Registration Identification IMO 8674156; Linked To: KVT-RUS."\r\n'
    '15892,"PROKOPENKO, Ivan Pavlovitch","individual","MAGNIT] [RUSSIA-EO14024",-0- ,-0- ,-0- ,'
    '-0- ,-0- ,-0- ,-0- ,"DOB 28 Sep 1973."\r\n'
    "\x1a"
)
ADD = (
    '16885,25573,"40, Bolshaya Yakimanka Street","Moscow 119049","Russia",-0- \r\n'
    '16885,25928,"Vistochnoye Shosse, 28","Nizhny Tagil 622007","Russia",-0- \r\n\x1a'
)
CONS = """<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">
  <sdnEntry><uid>20306</uid><lastName>KRIOGENMASH OAO</lastName><sdnType>Entity</sdnType>
    <programList><program>UKRAINE-EO13662</program></programList>
    <akaList><aka><uid>1</uid><type>a.k.a.</type><category>weak</category>
      <lastName>CRYOGENMASH</lastName></aka></akaList>
    <addressList><address><uid>2</uid><city>Balashikha</city><country>Russia</country></address>
    </addressList>
    <idList><id><uid>3</uid><idType>Tax ID No.</idType><idNumber>5001000066</idNumber></id>
      <id><uid>4</uid><idType>Website</idType><idNumber>www.cryogenmash.ru</idNumber></id></idList>
  </sdnEntry>
  <sdnEntry><uid>9639</uid><lastName>HANIYA</lastName><sdnType>Individual</sdnType></sdnEntry>
</sdnList>
"""
UN = """<CONSOLIDATED_LIST dateGenerated="2025-04-19T23:00:04.625Z"><ENTITIES><ENTITY>
<DATAID>113226</DATAID><FIRST_NAME>AFGHAN SUPPORT COMMITTEE (ASC)</FIRST_NAME>
<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDe.069</REFERENCE_NUMBER>
<LISTED_ON>2002-01-11</LISTED_ON>
<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Lajnat ul Masa Eidatul Afghania</ALIAS_NAME>
</ENTITY_ALIAS><ENTITY_ADDRESS><CITY> Peshawar</CITY><COUNTRY>Pakistan</COUNTRY></ENTITY_ADDRESS>
</ENTITY></ENTITIES></CONSOLIDATED_LIST>
"""
UK = (
    "Unique ID,OFSI Group ID,Name,Regime Name,Type,Designation source,Date Designated,"
    "Sanctions Imposed\n"
    "AFG0004,12814,RAHAT LTD.,Afghanistan,Entity,UN,21-11-2012,Asset freeze\n"
    'RUS0001,12944,Kiselyov Dmitry Konstantinovich,Russia,Individual,UK,31-12-2020,"Asset freeze"\n'
)
CANADA = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<data-set><record><Country>Belarus / Bélarus</Country>
<EntityOrShip>Belarusski Avtomobilnyi Zavod BelAZ (Belarusian Automobile Plant)</EntityOrShip>
<Aliases>Открытое акционерное общество "БЕЛАЗ"/ ОАО "БЕЛАЗ</Aliases>
<Schedule>1, Part 2</Schedule><Item>2</Item><DateOfListing>2021-06-17</DateOfListing></record>
<record><Country>Russia / Russie</Country><EntityOrShip>Balitiyskiy III</EntityOrShip>
<ShipIMONumber>7612448</ShipIMONumber><Schedule>1.1</Schedule><Item>1</Item>
<DateOfListing>2025-02-21</DateOfListing></record></data-set>
"""
BIS = {
    "list_id": "bis-entity-list",
    "entities": [
        {
            "name": "48th Central Scientific Research Institute, Kirov",
            "aliases": ["48th TsNII Kirov"],
            "country": "Russia",
            "address": "119 Oktyabrsky Prospekt, Kirov, Kirov Oblast, Russia.",
            "effective_date": None,
            "federal_register": "85 FR 52901, 8/27/20",
        }
    ],
}


@pytest.fixture()
def lists(tmp_path):
    root = tmp_path / "sanctions"
    files = {
        "ofac_sdn/2023-12-28/sdn.csv": SDN.encode("ascii"),
        "ofac_sdn/2021-04-25/add.csv": ADD.encode("ascii"),
        "ofac_cons/2024-05-06/consolidated.xml": CONS.encode(),
        "un/2025-04-19/consolidated.xml": UN.encode(),
        "uk/2025-08-11/uk_sanctions_list.csv": UK.encode(),
        "canada_sema/2025-05-25/sema-lmes.xml": CANADA.encode(),
        "bis_derived/2026-07-09/bis_entity_list.json": json.dumps(BIS).encode(),
        "bis_derived/2026-07-09/bis_meu.json": json.dumps({"entities": []}).encode(),
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_country_names():
    assert build.country_iso2("Russia / Russie") == "RU"
    assert build.country_iso2("Crimea Region of Ukraine") == "UA"
    assert build.country_iso2("Pakistan") == "PK"
    assert build.country_iso2(None) is None


def test_parsers(lists):
    records = {r.key: r for r in build.load_lists(lists)}
    bis_id = hashlib.sha1(b"48th Central Scientific Research Institute, Kirov|Russia").hexdigest()
    assert set(records) == {
        "ofac_sdn:16885", "ofac_sdn:44996", "ofac_sdn:30823", "ofac_cons:20306", "un:QDe.069",
        "uk:AFG0004", "canada_sema:Belarus|1, Part 2|2", "canada_sema:Russia|1.1|1",
        f"bis_entity_list:{bis_id[:12]}",
        # the individuals of the fixture: OFAC "PROKOPENKO, Ivan Pavlovitch", UK Kiselyov
        "ofac_sdn:15892", "uk:RUS0001",
    }  # fmt: skip
    assert records["ofac_sdn:15892"].schema == records["uk:RUS0001"].schema == "person"
    uvz = records["ofac_sdn:16885"]
    assert uvz.names == [("UVZ", "alias")]
    assert uvz.ids == [("Tax ID No", "7706453206"), ("Registration Number", "1187746432345")]
    assert (
        "40, Bolshaya Yakimanka Street, Moscow 119049, Russia",
        "Moscow 119049",
        "RU",
    ) in uvz.addresses
    assert records["ofac_sdn:30823"].schema == "vessel"
    krio = records["ofac_cons:20306"]
    assert krio.names == [("CRYOGENMASH", "weak_alias")]
    assert krio.ids == [("Tax ID No.", "5001000066")]  # the website is no identifier
    assert records["un:QDe.069"].addresses[0][1:] == ("Peshawar", "PK")
    belaz = records["canada_sema:Belarus|1, Part 2|2"]
    assert [k for _, k in belaz.names] == ["original_script", "original_script"]
    assert records["canada_sema:Russia|1.1|1"].ids == [("IMO", "7612448")]


def test_whole_build_on_tiny_lists(lists, tmp_path):
    out = tmp_path / "eval"
    (out / "sources").mkdir(parents=True)
    (out / "sources/sec_company_names.csv").write_text(
        "cik,ticker,title\n320193,AAPL,Apple Inc.\n1018724,AMZN,AMAZON COM INC\n", encoding="utf-8"
    )
    build.main(["--lists", str(lists), "--out", str(out), "--per-kind", "2"])
    entities = pl.read_parquet(out / "reference/entities.parquet")
    assert entities.height == 11  # 9 organisations and vessels, 2 persons
    names = pl.read_parquet(out / "reference/names.parquet")
    assert names.filter(pl.col("name_kind") == "primary").height == 11
    queries = pl.read_csv(out / "queries.csv", infer_schema=False)
    assert queries.columns == [
        "query_id", "query_name", "country", "expected_list", "expected_source_id",
        "expected_entity_key", "label", "variant_kind", "split", "birth_date",
    ]  # fmt: skip
    positives = queries.filter(pl.col("label") == "1")
    assert set(positives["expected_entity_key"]) <= set(entities["entity_key"])
    assert {"Apple Inc.", "AMAZON COM INC"} <= set(queries["query_name"])
    assert set(queries["split"]) <= {"dev", "test"}


def test_listed_names_rule():
    record = build.Record("x", "1", "organization", "KRIOGENMASH OAO")
    listed = build.ListedNames([record])
    assert listed.could_be_listed("Kriogenmash PAO")  # same family: could be the listing
    assert listed.could_be_listed("Kriogenmash")
    assert not listed.could_be_listed("Kriogenmash OOO")  # another legal person
    assert not listed.could_be_listed("Kriogenmash Kazan")
