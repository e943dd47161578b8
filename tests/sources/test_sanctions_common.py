"""The shared pieces of the sanctions parsers: countries, scripts, id types, safe XML, JSON lines,
record validation and duplicate formats."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from orchestration.reference.countries import country_iso2, iso2_code
from orchestration.sources.common.base import ParsedFile, SourceFile, SourceParseError
from orchestration.sources.common.json_array import iter_json_array
from orchestration.sources.common.sanctions import (
    Address,
    ListTables,
    Record,
    clean,
    detect_script,
    normalise_id_type,
    parse_date,
    parse_xs_date,
    schema_of,
    slugify,
    superseded,
    superseding_sibling,
    unique,
)
from orchestration.sources.common.xml import load_xml, xml_to_json

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE sdnList [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<sdnList><sdnEntry><uid>1</uid><lastName>&xxe;</lastName></sdnEntry></sdnList>
"""
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol4;</lolz>
"""


def make_file(tmp_path: Path, name: str, data: bytes, source: str = "test") -> SourceFile:
    path = tmp_path / name
    path.write_bytes(data)
    return SourceFile(path, source, date(2025, 1, 2), f"sanctions/{source}/2025-01-02/{name}")


# --- countries, scripts, id types ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "iso2"),
    [
        ("Russia", "RU"),
        ("Russia / Russie", "RU"),
        ("Russian Federation", "RU"),
        ("Belarus / Bélarus", "BY"),
        ("Myanmar (Burma) / Myanmar (Birmanie)", "MM"),
        ("Burma", "MM"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Democratic People's Republic of Korea", "KP"),
        ("Korea, North", "KP"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("China, Hong Kong Special Administrative Region", "HK"),
        ("Hong Kong", "HK"),
        ("United Kingdom of Great Britain and Northern Ireland", "GB"),
        ("Virgin Islands, British", "VG"),
        ("Crimea Region of Ukraine", "UA"),
        ("Region: Gaza", "PS"),
        ("U.A.E.", "AE"),
        ("Venezuela ", "VE"),
        ("Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR)", None),
        ("former Soviet Union", None),
        (None, None),
    ],
)
def test_country_names_map_to_iso2(name: str | None, iso2: str | None) -> None:
    assert country_iso2(name) == iso2


def test_explicit_codes_are_checked_against_iso() -> None:
    assert [iso2_code(c) for c in ("ru", "HK", "XK", "00", "ZZ", "RUS", None)] == [
        "RU", "HK", "XK", None, None, None, None,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("VTB BANK", "latin"),
        ("Иван Иванович ПРИМЕРОВ", "cyrillic"),
        ("محمد طاهر أنوري", "arabic"),
        ("亞洲建源有限公司", "han"),
        ("ООО BESOGON", "latin"),  # 3 Cyrillic letters, 7 Latin ones
        ("Μέγα Μέτωπο", "other"),
        ("12345", "latin"),
    ],
)
def test_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script


@pytest.mark.parametrize(
    ("raw", "country", "value", "expected"),
    [
        ("Passport", None, "1", "passport"),
        ("Numéro de passeport ", None, "1", "passport"),
        ("Tax ID No.", "RU", "5001000066", "inn"),
        ("Tax ID No.", "UA", "259597826652", "tax_id"),
        ("Registration ID", "RU", "1025000513878", "ogrn"),
        ("Registration ID", "RU", "12345", "registration_number"),
        ("Government Gazette Number", "RU", "05747985", "okpo"),
        ("Unified Social Credit Code (USCC)", "CN", "9144", "registration_number"),
        ("SWIFT/BIC", None, "SABRUAUK", "swift_bic"),
        ("BIK (RU)", None, "044525225", "other"),
        ("Legal Entity Number", None, "2534", "lei"),
        ("Vessel Registration Identification", None, "IMO 8674156", "imo"),
        ("IMONumber", None, "9000001", "imo"),
        ("National Identification Number", None, "1", "national_id"),
        ("ogrn", None, "1", "ogrn"),
        ("kpp", None, "1", "kpp"),
        ("ISIN", None, "RU000", "other"),
        (None, None, "x", "other"),
    ],
)
def test_identifier_types(raw: str | None, country: str | None, value: str, expected: str) -> None:
    assert normalise_id_type(raw, country, value) == expected


def test_schema_labels() -> None:
    labels = ["Individual", "Entity", "Ship", "Vessel", "enterprise", "Aircraft", "", "Bank"]
    assert [schema_of(x) for x in labels] == [
        "person", "organization", "vessel", "vessel", "organization", "aircraft", "unknown",
        "unknown",
    ]  # fmt: skip


def test_text_and_date_helpers() -> None:
    assert clean(" Special Research Bureau of Moscow\nPower Engineering Institute ") == (
        "Special Research Bureau of Moscow Power Engineering Institute"
    )
    assert clean("\n            ") is None
    assert unique(["A", " A ", None, "", "B"]) == ["A", "B"]
    assert slugify("Some New List (SNL)") == "some_new_list_snl"
    assert parse_date("29-06-2012", ("%d/%m/%Y", "%d-%m-%Y")) == date(2012, 6, 29)
    assert parse_date("2012", ("%Y-%m-%d",)) is None
    assert parse_xs_date("2015-03-27-04:00") == date(2015, 3, 27)
    assert parse_xs_date("2025-04-19T23:00:04.625Z") == date(2025, 4, 19)
    assert parse_xs_date("27/03/2015") is None


# --- safe XML -----------------------------------------------------------------------------------


def test_xxe_file_is_refused(tmp_path: Path) -> None:
    file = make_file(tmp_path, "SDN.XML", XXE)
    with pytest.raises(SourceParseError) as err:
        load_xml(file)
    assert err.value.line == 2
    assert "declares entities (xxe)" in err.value.reason
    assert err.value.path == file.relative_path


def test_billion_laughs_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceParseError, match=r"2: refused: the DOCTYPE declares entities"):
        load_xml(make_file(tmp_path, "consolidated.xml", BILLION_LAUGHS))


def test_external_dtd_is_refused(tmp_path: Path) -> None:
    data = b'<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd">\n<x/>\n'
    with pytest.raises(SourceParseError, match="references an external DTD"):
        load_xml(make_file(tmp_path, "x.xml", data))


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    data = b"<?xml version='1.0'?>\n<sdnList>\n  <sdnEntry>\n    <uid>1</uid>\n</sdnList>\n"
    with pytest.raises(SourceParseError) as err:
        load_xml(make_file(tmp_path, "SDN.XML", data))
    assert err.value.line == 5
    assert "malformed XML" in err.value.reason


def test_xml_encodings_and_namespaces(tmp_path: Path) -> None:
    body = '<export xmlns="http://eu.europa.ec/fpi/fsd/export">\n<a n="Société"/>\n</export>\n'
    bom = make_file(tmp_path, "bom.xml", b"\xef\xbb\xbf" + body.encode("utf-8"))
    cp1252 = make_file(tmp_path, "cp.xml", body.encode("cp1252"))
    declared = make_file(
        tmp_path,
        "decl.xml",
        b'<?xml version="1.0" encoding="windows-1252"?>\n' + body.encode("cp1252"),
    )
    for file in (bom, cp1252, declared):
        root = load_xml(file)
        assert root.tag == "export"
        assert root[0].tag == "a" and root[0].get("n") == "Société"
    assert load_xml(cp1252)[0].sourceline == 2
    assert load_xml(declared)[0].sourceline == 3


def test_xml_to_json_keeps_attributes_text_and_repeats(tmp_path: Path) -> None:
    data = b'<r><e id="1"><p>A</p><p>B</p><q/><s k="v">t</s></e></r>'
    element = load_xml(make_file(tmp_path, "r.xml", data))[0]
    assert xml_to_json(element) == (
        '{"@id": "1", "p": ["A", "B"], "q": null, "s": {"@k": "v", "#text": "t"}}'
    )


# --- JSON arrays with line numbers --------------------------------------------------------------


def test_json_array_items_come_with_their_lines() -> None:
    text = (
        '{\n "count": 2,\n "meta": {"x": [1, 2]},\n "entities": [\n  {"a": 1},\n\n  {"a": 2}\n ]\n}'
    )
    assert list(iter_json_array(text, "f.json", "entities")) == [(5, {"a": 1}), (7, {"a": 2})]
    assert list(iter_json_array('[{"a": 1}, {"a": 2}]', "f.json", "results")) == [
        (1, {"a": 1}),
        (1, {"a": 2}),
    ]
    assert list(iter_json_array('{"results": []}', "f.json", "results")) == []


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('{\n "entities": [\n  {"a": 1},\n  {"a": }\n ]\n}', 4, "malformed JSON"),
        ('{\n "other": []\n}', 3, "no top-level 'entities' array"),
        ('{\n "entities": {"a": 1}\n}', 2, "expected a JSON array"),
        ('{\n "entities": [\n  {"a": 1}\n  {"a": 2}\n ]\n}', 4, "expected ',' or ']'"),
    ],
)
def test_bad_json_names_line_and_reason(text: str, line: int, reason: str) -> None:
    with pytest.raises(SourceParseError) as err:
        list(iter_json_array(text, "f.json", "entities"))
    assert err.value.line == line
    assert reason in err.value.reason


# --- records and tables -------------------------------------------------------------------------


def _record(source_id: str | None, name: str | None, line: int) -> Record:
    return Record("un", source_id, "person", name, line, "{}", programs=["X", "X", " Y "])


def test_list_tables_reject_missing_and_duplicate_ids(tmp_path: Path) -> None:
    parsed, tables = ParsedFile(tables={}), ListTables()
    good = _record("QDi.1", "Some  Name", 10)
    good.add_name("Alias One", "alias", 12)
    good.add_name("Alias One", "alias", 13)  # a repeat is left out
    good.add_name("   ", "alias", 14)  # so is an empty name
    good.add_address(Address(line=15, city="Kabul", country_name="Afghanistan"))
    good.add_address(Address(line=16, city="Kabul", country_name="Afghanistan"))
    good.add_identifier("Passport", "A123", 17, "AF")
    assert tables.add(good, parsed, "good")
    assert not tables.add(_record(None, "No Id", 20), parsed, "no id")
    assert not tables.add(_record("QDi.2", " ", 30), parsed, "no name")
    assert not tables.add(_record("QDi.1", "Again", 40), parsed, "again")
    assert [(q["source_line"], q["reason"], q["raw_text"]) for q in parsed.quarantine] == [
        (20, "missing id", "no id"),
        (30, "missing name (id QDi.2)", "no name"),
        (40, "duplicate id QDi.1 (first at line 10)", "again"),
    ]
    file = make_file(tmp_path, "consolidated.xml", b"<x/>", "un")
    frames = tables.frames(file)
    entities = frames["entities"]
    assert entities.select("source_id", "primary_name", "programs", "country_iso2").rows() == [
        ("QDi.1", "Some Name", ["X", "Y"], ["AF"])
    ]
    assert entities["source"].to_list() == ["un"]
    assert entities["file_sha256"].to_list() == [file.sha256]
    assert frames["names"].select("name", "name_kind", "source_line").rows() == [
        ("Some Name", "primary", 10),
        ("Alias One", "alias", 12),
    ]
    assert frames["addresses"].select("full_address", "country_iso2", "source_line").rows() == [
        ("Kabul, Afghanistan", "AF", 15)
    ]
    assert frames["identifiers"].select("id_type", "id_value", "issuing_country").rows() == [
        ("passport", "A123", "AF")
    ]


def test_empty_tables_keep_their_types(tmp_path: Path) -> None:
    frames = ListTables().frames(make_file(tmp_path, "x.xml", b"<x/>"))
    assert frames["entities"].height == 0
    assert frames["entities"].schema["programs"] == pl.List(pl.String)
    assert frames["entities"].schema["listed_on"] == pl.Date
    assert frames["identifiers"].schema["source_line"] == pl.Int64


def test_duplicate_formats_are_recorded_not_loaded(tmp_path: Path) -> None:
    csv_file = make_file(tmp_path, "list.csv", b"a\n")
    assert superseding_sibling(csv_file, ["list.ods", "list.xml"]) is None
    (tmp_path / "LIST.XML").write_bytes(b"<x/>")
    (tmp_path / "list.ods").write_bytes(b"x")
    better = superseding_sibling(csv_file, ["list.xml", "list.ods"])
    assert better is not None and better.name == "LIST.XML"
    result = superseded(csv_file, better)
    assert {t: f.height for t, f in result.tables.items()} == {
        "entities": 0, "names": 0, "addresses": 0, "identifiers": 0,
    }  # fmt: skip
    assert result.quarantine == [
        {
            "raw_table": "entities",
            "source_line": 1,
            "reason": "duplicate format: this release is loaded from LIST.XML in the same folder",
            "raw_text": "",
        }
    ]
