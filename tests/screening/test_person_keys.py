"""Blocking keys that find a listed person by an initial and a common surname, or by two of
the person's names, when each word alone is shared by more listings than the candidate cut."""

from datetime import date

import polars as pl

from orchestration.screening.index import (
    BlockingParams,
    ScreeningIndex,
    person_keys,
    query_person_keys,
)
from orchestration.screening.normalize import normalize_name


def test_person_keys_by_hand():
    assert person_keys(("kim", "pyong", "chan")) == {
        "@kim p", "@kim c", "@pyong k", "@pyong c", "@chan k", "@chan p",
        "&kim pyong", "&chan kim", "&chan pyong",
    }  # fmt: skip
    assert query_person_keys(normalize_name("P. Kim")) == {"@kim p"}
    # "V.V." folds to "vv": two initials
    assert query_person_keys(normalize_name("Putin V.V.")) == {"@putin v"}
    assert query_person_keys(normalize_name("Rahman Muhammad")) == {"&muhammad rahman"}
    # one word, or a long company name, has none
    assert query_person_keys(normalize_name("KIM")) == set()
    assert query_person_keys(normalize_name("A B C D E")) == set()


def _many_kims() -> ScreeningIndex:
    # forty listed "KIM, <given>" persons, the one wanted last: "kim" alone ranks them by
    # variant number and a cut of five keeps the first five
    given = [f"Given{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(40)] + ["Pyong Chan"]
    keys = [f"t:{i}" for i in range(len(given))]
    entities = pl.DataFrame(
        {
            "entity_key": keys,
            "list": ["test"] * len(keys),
            "source_id": [str(i) for i in range(len(keys))],
            "schema": ["person"] * len(keys),
            "primary_name": [f"KIM, {g}" for g in given],
            "programs": [["DPRK"]] * len(keys),
            "listed_on": [date(2020, 1, 1)] * len(keys),
        }
    )

    def empty(*columns: str) -> pl.DataFrame:
        return pl.DataFrame(schema=dict.fromkeys(columns, pl.String))

    return ScreeningIndex.from_frames(
        entities,
        empty("entity_key", "name", "name_kind"),
        empty("entity_key", "full_address", "city", "country_iso2"),
        empty("entity_key", "id_type", "id_value"),
        blocking=BlockingParams(max_candidates=5),
    )


def test_an_initial_with_a_common_surname_finds_the_person():
    index = _many_kims()
    wanted = len(index.entities) - 1
    assert wanted in index.candidates(normalize_name("P. Kim"), {})
    assert wanted in index.candidates(normalize_name("Chan Kim"), {})
    # an initial no listed KIM has in a given name: the cut keeps others, not this one
    assert wanted not in index.candidates(normalize_name("X. Kim"), {})
