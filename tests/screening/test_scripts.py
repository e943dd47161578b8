"""Names in Arabic script and in Han characters against listings that write them in Latin.

Real rows of Canada's SEMA list (tests/screening/fixtures/scripts/sema_extract.xml, cut from
shared/data/sanctions/canada_sema/2025-05-25/sema-lmes.xml, read here with ElementTree): the
list gives the Arabic, Persian or Chinese name of each of these listings beside its Latin one.
The reference holds the Latin names only; each name in the other script is a query that must
find its own listing, as the list pairs them. The consonant skeletons and Latin readings below
are worked out by hand from the rules of skeleton.py and han_glossary.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pytest

from orchestration.screening.han_glossary import translate, translations
from orchestration.screening.index import ENTITY_COLUMNS, ScreeningIndex
from orchestration.screening.score import Query, match_query
from orchestration.screening.screen import to_queries
from orchestration.screening.skeleton import (
    arabic_name_skeleton,
    arabic_name_words,
    arabic_skeleton,
    latin_name_skeleton,
    latin_name_words,
    latin_skeleton,
    long_vowels_conflict,
    skeleton_similarity,
    vowels_agree,
)

FIXTURE = Path(__file__).parent / "fixtures" / "scripts" / "sema_extract.xml"
_OTHER_SCRIPT = re.compile("[\u0600-\u06ff\u4e00-\u9fff]")
_ARABIC = re.compile("[\u0600-\u06ff][\u0600-\u06ff\u200c ]*")


def _records() -> list[dict[str, str]]:
    root = ET.parse(FIXTURE).getroot()
    return [{child.tag: (child.text or "").strip() for child in record} for record in root]


def _key(record: dict[str, str]) -> str:
    return f"canada_sema:{record['Country'].split(' / ')[0]}|{record['Schedule']}|{record['Item']}"


def _latin_name(record: dict[str, str]) -> str:
    if record.get("EntityOrShip"):
        return record["EntityOrShip"]
    return f"{record['LastName']}, {record['GivenName']}"


def _other_script_name(record: dict[str, str]) -> str:
    aliases = record["Aliases"]
    arabic = _ARABIC.search(aliases)
    return arabic.group().strip() if arabic else aliases.strip()


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    rows = []
    for record in _records():
        schema = "organization" if record.get("EntityOrShip") else "person"
        rows.append((_key(record), "canada_sema", record["Item"], schema, _latin_name(record),
                     [], None))  # fmt: skip
    entities = pl.DataFrame(rows, schema=list(ENTITY_COLUMNS), orient="row")
    empty = {c: pl.String for c in ("entity_key", "full_address", "city", "country_iso2")}
    return ScreeningIndex.from_frames(
        entities,
        pl.DataFrame(schema={"entity_key": pl.String, "name": pl.String, "name_kind": pl.String}),
        pl.DataFrame(schema=empty),
        pl.DataFrame(schema={c: pl.String for c in ("entity_key", "id_type", "id_value")}),
    )


def decisions(index: ScreeningIndex, name: str) -> dict[str, str]:
    query = to_queries(pl.DataFrame({"name": [name]}))[0]
    query = Query(query.id, name, query.norm)
    return {index.entities[m.entity].key: m.decision for m in match_query(query, index)}


def _pairs() -> dict[str, str]:
    """The list's own pairs: name in the other script -> listing key."""
    return {_other_script_name(r): _key(r) for r in _records()}


def test_the_fixture_pairs_are_the_lists_own():
    pairs = _pairs()
    assert pairs["محمد حمدان دقلو موسى"] == "canada_sema:Sudan|Part 1|5"
    assert pairs["深圳市羅約科技有限公司"] == "canada_sema:Russia|1, Part 2|684"
    assert all(_OTHER_SCRIPT.search(name) for name in pairs)


@pytest.mark.parametrize(
    "name",
    [
        "محمد حمدان دقلو موسى",  # Mousa, Mohamed Hamdan Dagalo
        "القوني حمدان دقلو موسى",  # Hamdan Dagalo Musa, Algoney
        "عبدالرحيم دقلو",  # Hamdan Dagalo, Abdelrahim (Hamdan left out)
        "أحمد شملخ",  # Shamlakh, Ahmed
        "زهير شملخ",  # Shamlakh, Zuhair
        "عماد شملاخ",  # Shamlakh, Imad
        "حسن روحانی",  # Rouhani, Hassan
    ],
)
def test_arabic_script_names_find_their_latin_listing_for_review(index, name):
    found = decisions(index, name)
    assert found.get(_pairs()[name]) == "review"
    # the other Shamlakh brothers share the surname, not the given name
    if "شمل" in name:
        assert sum(1 for key in found if key.startswith("canada_sema:Hamas")) == 1


@pytest.mark.parametrize(
    "name",
    [
        "علاء شملخ",  # Alaa: 'l' + 'smlk', five consonants, too few to tell apart
        "علی لاریجانی",  # Ali: 'l' + 'lrjn', five consonants
        "سعید جلیلی",  # Saeed Jalili: 'sd' + 'jl', four
        "صادق آملی لاریجانی",  # Amoli is not in the listing, Ardeshir not in the query
    ],
)
def test_arabic_script_names_with_too_little_agreement_are_not_matched(index, name):
    assert _pairs()[name] not in decisions(index, name)


def test_an_unlisted_arabic_name_matches_nothing(index):
    # Khaled Mashal: 'kld' 'msl', no listed name has these consonants
    assert decisions(index, "خالد مشعل") == {}


@pytest.mark.parametrize(
    "name",
    [
        "恒燁科技有限公司",  # Hengye Tech Limited.
        "新全電子(香港)有限公司",  # Xin Quan Electronics Co Limited
        "金华市海润动力科技有限公司",  # Jinhua Hairun Power Technology Co Ltd
        "青岛合汇鑫国际贸易有限公司",  # Qingdao Hehuixin International Trade Co Ltd
    ],
)
def test_chinese_names_find_their_english_listing_for_review(index, name):
    assert decisions(index, name) == {_pairs()[name]: "review"}


def test_a_chinese_brand_the_glossary_cannot_know_is_not_found(index):
    # 羅約 is read luo yue; the company chose "Royo"
    assert _pairs()["深圳市羅約科技有限公司"] not in decisions(index, "深圳市羅約科技有限公司")


def test_latin_skeletons_by_hand():
    assert latin_skeleton("mohamed") == "mhmd"
    assert latin_skeleton("hamdan") == "hmdn"
    assert latin_skeleton("dagalo") == "dkl"  # g and q one class
    assert latin_skeleton("zahar") == "dhr"  # z and d one class
    assert latin_skeleton("hassan") == "hsn"  # doubled letters collapse
    assert latin_skeleton("fatemeh") == "ftm"  # the final h goes
    assert latin_skeleton("shamlakh") == "smlk"  # sh with s, kh with k
    assert latin_skeleton("vahidi") == "hd"  # v, like w and the vowels, is left out
    assert latin_name_skeleton(("al", "zahar", "bin", "laden")) == ("dhr", "ldn")


def test_arabic_skeletons_by_hand():
    assert arabic_skeleton("محمد") == "mhmd"
    assert arabic_skeleton("دقلو") == "dkl"  # ق is k, و left out
    assert arabic_skeleton("الزهار") == "dhr"  # the article at the start goes
    assert arabic_skeleton("حسن") == "hsn"
    assert arabic_skeleton("فاطمه") == "ftm"  # ا left out, the final ه goes
    assert arabic_skeleton("عبدالرحيم") == "bdlrhm"  # ع left out, the article inside kept
    # the legal-form words of a company name are left out
    assert arabic_name_skeleton("شركة بنك الخليج المحدودة") == ("bnk", "klj")


def test_skeleton_similarity_by_hand():
    listed = ("mhmd", "hmdn", "dkl", "ms")
    # every query word agrees: the share of the listed consonants matched, 11 of 13
    assert skeleton_similarity(("mhmd", "hmdn", "dkl"), listed) == pytest.approx(11 / 13)
    assert skeleton_similarity(("ms", "mhmd", "hmdn", "dkl"), listed) == 1.0
    # a word joined on one side and split on the other ("Abdulrahman", "Abd al-Rahman")
    assert skeleton_similarity(("bd", "rhmn", "msr"), ("bdrhmn", "msr")) == 1.0
    # one query word the listing lacks, every listed word found: 0.1 less
    assert skeleton_similarity(("mhmd", "jd", "drf", "knsr"), ("drf", "mhmd", "jd")) == (
        pytest.approx(0.9)
    )
    # too few consonants (5 < 6), one word only, a query word that agrees with nothing
    assert skeleton_similarity(("l", "lrjn"), ("lrjn", "l")) == 0.0
    assert skeleton_similarity(("mhmdhmdn",), ("mhmd", "hmdn")) == 0.0
    assert skeleton_similarity(("mhmd", "ktb"), ("mhmd", "hmdn", "dkl")) == 0.0


def test_han_readings_by_hand():
    # place by its Latin name (市 left out), table words translated, the brand as one Pinyin word
    assert translate("深圳市羅約科技") == "shenzhen luoyue technology"
    assert translate("青岛合汇鑫国际贸易") == "qingdao hehuixin international trade"
    # Hong Kong by its English name, not the Pinyin xianggang; legal forms kept as written
    assert translations("新全電子(香港)有限公司", frozenset({"有限公司"})) == [
        "xinquan electronics ( hong kong ) 有限公司",
        "xinquan electronics 有限公司",
    ]
    assert translations("Royo Technology") == []


def test_long_vowels_by_hand():
    # ا after ل: Salami writes the a, Salimi does not
    assert vowels_agree("سلامی", "salami")
    assert not vowels_agree("سلامی", "salimi")
    # و is o/u/v/w, ی is i/e/y; the Latin short vowels are free
    assert vowels_agree("روحانی", "rouhani")
    assert vowels_agree("حسین", "hossein")
    assert not vowels_agree("حسین", "hosn")
    # the article inside a word and a final ی read as a (Persian alef maqsura) need nothing more
    assert vowels_agree("عبدالرحيم", "abdelrahim")
    assert vowels_agree("مرتضی", "morteza")
    # a listed word of the same skeleton without the long vowels vetoes the comparison
    query = arabic_name_words("محمد سلامی")
    assert long_vowels_conflict(query, latin_name_words(("salimi", "mohammad")))
    assert not long_vowels_conflict(query, latin_name_words(("salami", "mohammad")))
