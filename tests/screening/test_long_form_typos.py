"""Long words of multi-word legal forms and Russian designations read through one typing error
in their fingerprint (normalize._form_key_tolerant, abbreviations._phrase_key). Names are OFAC
listings of the shipped evaluation reference; the typos are worked by hand."""

from orchestration.screening.normalize import normalize_name


def test_a_mistyped_word_of_a_russian_form_still_makes_the_form():
    listed = normalize_name("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU SIGNAL-INVEST")
    # "ograinchennoi": two letters swapped; the table writes "ogranichennoy"
    typed = normalize_name("OBSHCHESTVO S OGRAINCHENNOI OTVETSTVENNOSTYU SIGNAL-INVEST")
    assert typed.legal_forms == listed.legal_forms == ("llc",)
    assert typed.tokens == listed.tokens


def test_a_mistyped_word_of_a_designation_still_makes_the_acronym():
    # "proizvodstennoe": the v dropped from "proizvodstvennoe"
    typed = normalize_name("NAUCHNO PROIZVODSTENNOE PREDPRIYATIE ISTOCHNIK")
    assert typed.tokens == ("npp", "istochnik")
    typed = normalize_name("AO SPETSIALNOE KONSTRUKTORSOKE BYURO VYCHISLITELNOI TEKHNIKI")
    assert typed.tokens[0] == "skb"


def test_a_close_word_outside_a_whole_phrase_stays_a_word():
    # the designation is not whole: the word is the name's own
    assert normalize_name("PROIZVODSTENNOE ISTOCHNIK").tokens == ("proizvodstennoe", "istochnik")
    # "kompaniya" ends many Russian names; it is one edit from the one-word form "kompanii" in
    # its fingerprint, but only words of multi-word forms are read through a typing error
    name = normalize_name("LIMITED LIABILITY COMPANY OZERNAYA ENERGETICHESKAYA KOMPANIYA")
    assert name.tokens == ("ozernaya", "energeticheskaya", "kompaniya")
