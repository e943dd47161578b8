"""Entities caught by ownership come from the raw OpenSanctions tables, which carry no remarks:
adding them to a reference read from the marts (which do) keeps every listed entity's remarks
and leaves the added ones' null."""

import polars as pl

from orchestration.screening.reference import Reference


def _reference(entities: pl.DataFrame) -> Reference:
    names = pl.DataFrame({"entity_key": ["x"], "name": ["X"]})
    return Reference(entities, names, names.clear(), names.clear())


def test_an_added_reference_without_remarks_gets_null_remarks():
    listed = _reference(
        pl.DataFrame(
            {
                "entity_key": ["ofac:1"],
                "primary_name": ["PUTIN, Vladimir"],
                "remarks": ["DOB 07 Oct 1952"],
            }
        )  # fmt: skip
    )
    caught = _reference(pl.DataFrame({"entity_key": ["os:2"], "primary_name": ["Owned LLC"]}))
    combined = listed.extended(caught)
    assert combined.entities.rows() == [
        ("ofac:1", "PUTIN, Vladimir", "DOB 07 Oct 1952"),
        ("os:2", "Owned LLC", None),
    ]
    assert combined.names.height == 2
