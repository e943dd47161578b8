"""The multilingual country names table and the resolver that reads it."""

from __future__ import annotations

import csv

from babel import Locale

from orchestration.reference.countries import NAMES_TABLE, resolve_country
from tools.reference import build_country_names


def test_committed_table_is_what_the_builder_writes(tmp_path):
    out = tmp_path / "names.csv"
    assert build_country_names.main(["--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == NAMES_TABLE.read_text(encoding="utf-8")


def test_every_cldr_name_of_the_main_languages_resolves_to_its_own_country():
    # Read from Babel's CLDR data directly, not through the table: each display name in these
    # languages gives back its own territory, except names the table leaves out as shared.
    with NAMES_TABLE.open(encoding="utf-8", newline="") as handle:
        kept = {row["name"] for row in csv.DictReader(handle)}
    wrong = []
    for language in ("en", "de", "fr", "ru", "tr", "zh_Hans"):
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha() and name in kept:
                found = resolve_country(name)
                if found != code:
                    wrong.append((language, code, name, found))
    assert wrong == []


def test_codes_come_before_names_and_unknowns_give_none():
    assert resolve_country("NA") == "NA"  # Namibia, never a null
    assert resolve_country("CHN") == "CN"
    assert resolve_country(" russia ") == "RU"
    assert resolve_country("Atlantis") is None
    assert resolve_country("") is None
    assert resolve_country(None) is None
