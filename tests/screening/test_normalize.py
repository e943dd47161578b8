"""Name normalisation (transliteration, legal forms, fingerprints): hand-written expectations."""

from __future__ import annotations

import pytest

from orchestration.screening.normalize import (
    fingerprint,
    fold,
    looks_like_form_word,
    normalize_name,
    transliterate,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ООО Ромашка", "OOO Romashka"),
        ("Щукин Жёлтый Юрий", "Shchukin Zheltyy Yuriy"),
        ("ЦЕНТР ХИМ", "TsENTR KhIM"),
        ("Қазақстан", "Qazaqstan"),
        ("Dış Ticaret A.Ş.", "Dis Ticaret A.S."),
        ("华为", " hua wei "),
        # Readings of the word, not of the character alone: 厦 is xia in 厦门 (Xiamen),
        # 重 chong and 长 chang in 重庆长安 (Chongqing Changan).
        ("厦门", " xia men "),
        ("重庆长安", " chong qing chang an "),
        ("ＡＢＣ", "ABC"),
    ],
)
def test_transliterate(text, expected):
    assert transliterate(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L.L.C.", "llc"),
        (
            "Obshchestvo s ogranichennoy otvetstvennost'yu",
            "obshchestvo s ogranichennoy otvetstvennostyu",
        ),
        ("AT&T", "at and t"),
        ("«Криогенмаш»", "kriogenmash"),
        ("Almaz-Antey  (Moscow)", "almaz antey moscow"),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ogranichennoy", "ograniCenoi"),
        ("ogranichennoi", "ograniCenoi"),
        ("tsentr", "Centr"),
        ("centr", "Centr"),
        ("polyus", "polius"),
        ("polius", "polius"),
        ("yelena", "elena"),
        ("khimprom", "himprom"),
        ("expobank", "ekspobank"),
        ("schukin", "Sukin"),
        ("shchukin", "Sukin"),
        ("7tv", "7tv"),
    ],
)
def test_fingerprint(word, expected):
    assert fingerprint(word) == expected


def test_fingerprint_keeps_vowels_apart():
    assert fingerprint("polis") != fingerprint("polius")


@pytest.mark.parametrize(
    ("name", "tokens", "forms"),
    [
        ("ООО «Ромашка»", ("romashka",), ("llc",)),
        ("KRIOGENMASH OAO", ("kriogenmash",), ("ojsc",)),
        ("Открытое акционерное общество «Криогенмаш»", ("kriogenmash",), ("ojsc",)),
        ("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU TEKHNOLOGII", ("tekhnologii",), ("llc",)),
        ("ТОО Казахмыс", ("kazakhmys",), ("llp",)),
        ("PAO Sberbank", ("sberbank",), ("pjsc",)),
        ("ЗАО Акута", ("akuta",), ("cjsc",)),
        ("JSC Almaz-Antey", ("almaz", "antey"), ("jsc",)),
        ("Huawei Technologies Co., Ltd.", ("huawei", "technology"), ("ltd",)),
        ("深圳市华为技术有限公司", ("shen", "zhen", "shi", "hua", "wei", "ji", "shu"), ("ltd",)),
        ("华为技术股份有限公司", ("hua", "wei", "ji", "shu"), ("cn_jsc",)),
        ("ABC Dış Ticaret Ltd. Şti.", ("abc", "dis", "ticaret"), ("ltd_sti",)),
        ("XYZ Makina A.Ş.", ("xyz", "makina"), ("as_tr",)),
        ("Gulf Star FZ-LLC", ("gulf", "star"), ("fz_llc",)),
        ("Alpha Trading DMCC", ("alpha", "trading"), ("dmcc",)),
        ("Beta Trading FZE", ("beta", "trading"), ("fze",)),
        ("Polska Sp. z o.o.", ("polska",), ("sp_zoo",)),
        ("Siemens Aktiengesellschaft", ("siemens",), ("ag",)),
        ("Acme GmbH", ("acme",), ("gmbh",)),
        ("Acme B.V.", ("acme",), ("bv",)),
        ("Acme S.A.", ("acme",), ("sa",)),
        ("Acme PLC", ("acme",), ("plc",)),
        ("Acme Inc.", ("acme",), ("inc",)),
        ("Acme Corp.", ("acme",), ("corp",)),
        ("Acme LLP", ("acme",), ("llp",)),
        ("FGUP Dixi", ("dixi",), ("fgup",)),
        ("The Bank of New York Mellon Corp", ("bank", "new", "york", "mellon"), ("corp",)),
    ],
)
def test_legal_forms_are_moved_out(name, tokens, forms):
    norm = normalize_name(name)
    assert norm.tokens == tokens
    assert norm.legal_forms == forms


def test_one_word_forms_only_at_the_ends():
    # "AO" and "SA" inside a name are words of the name, not legal forms.
    assert normalize_name("Banco AO Porto").tokens == ("banco", "ao", "porto")
    assert normalize_name("Made To Order LLC").tokens == ("made", "to", "order")
    # Pinyin syllables are never read as forms: 澳 is "ao".
    assert normalize_name("澳门银行").tokens[0] == "ao"


@pytest.mark.parametrize(
    ("name", "tokens", "forms"),
    [
        ("Joitn Stock Compnay Gorizont", ("gorizont",), ("jsc",)),
        ("TAGRAS BIZNESSERVIS LIITED LIABILITY COMPANY", ("tagras", "biznesservis"), ("llc",)),
        ("FaratelCompany", ("faratel",), ("co",)),
        ("LIMITEDLIABILITY COMPANY MFI SOFT", ("mfi", "soft"), ("llc",)),
        ("CHINA NUCLEAR CORPO RATION LIMITED", ("china", "nuclear"), ("corp", "ltd")),
        ("ROSNEFTLLC", ("rosneft",), ("llc",)),
    ],
)
def test_mistyped_glued_and_split_forms(name, tokens, forms):
    norm = normalize_name(name)
    assert norm.tokens == tokens
    assert norm.legal_forms == forms


def test_name_keys():
    norm = normalize_name("Aktsionernoye Obshchestvo Almaz-Antey")
    assert norm.sorted_text == "almaz antey"
    assert norm.compact == "almazantey"
    assert norm.full_compact == "aktsionernoyeobshchestvoalmazantey"
    assert norm.families == frozenset({"joint_stock"})
    assert norm.text == "almaz antey"


def test_a_name_made_only_of_a_form_keeps_its_words():
    assert normalize_name("Company Limited").tokens == ("company", "limited")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("limetd", True),  # LIMITED with two typing errors
        ("ottrytoye", True),  # OTKRYTOYE, one letter wrong
        ("pvtltd", True),  # PVT LTD glued
        ("llcjsc", True),  # two one-word forms glued
        ("corporativo", True),  # two edits from CORPORATION: a form-like word, not read as one
        ("rosneft", False),
        ("marange", False),
        ("ltd", False),  # a form itself is read by normalisation, not here
    ],
)
def test_looks_like_form_word(word, expected):
    assert looks_like_form_word(word) is expected


def test_legal_form_cut_at_the_end_of_a_long_name():
    # names of 30 characters or more, as fixed-width fields cut them, inside a trailing form
    assert normalize_name("ASCOTEC MINERAL MACHINERY Gesellsch").tokens == (
        "ascotec",
        "mineral",
        "machinery",
    )
    cut = normalize_name("UNITED AIRCRAFT Publichnoe Aktsione")
    assert cut.tokens == ("united", "aircraft") and cut.legal_forms == ()
    assert normalize_name("ROMASHKA TRADING AND INVESTMENT LIMITED LIAB").tokens == (
        "romashka",
        "trading",
        "investment",
    )
    # a whole word that starts a form, or a short piece that starts name words too, stays
    assert normalize_name("HIJAZ PROVINCE OF THE ISLAMIC STATE").tokens[-1] == "state"
    assert normalize_name("NATIONAL WEALTH FUND RUSSIAN FEDERA").tokens[-1] == "federa"
    # a short name is taken as written
    assert normalize_name("MACHINERY GESELLSCH").tokens == ("machinery", "gesellsch")


def test_older_romanisation_of_surname_endings():
    # -off/-eff for -ov/-ev, as French and German wrote Russian names (Smirnoff, Tupoleff)
    assert fingerprint("tupoleff") == fingerprint("tupolev")
    assert fingerprint("duhoff") == fingerprint("dukhov")
    assert fingerprint("smirnoff") == fingerprint("smirnov")
    # only at the end of a word, and the vowel stays
    assert fingerprint("offshore") != fingerprint("ovshore")
    assert fingerprint("tupoleff") != fingerprint("tupolov")
