"""Shared fixtures: the shipped evaluation reference, and a small hand-made reference."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from orchestration.screening.index import ScreeningIndex
from orchestration.screening.reference import load_reference

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "data/eval"


@pytest.fixture(scope="session")
def eval_index() -> ScreeningIndex:
    return load_reference(EVAL / "reference").index()


def small_frames() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Four listed entities written by hand (names modelled on real listings)."""
    entities = pl.DataFrame(
        {
            "entity_key": ["t:1", "t:2", "t:3", "t:4"],
            "list": ["test", "test", "test", "test"],
            "source_id": ["1", "2", "3", "4"],
            "schema": ["organization", "organization", "organization", "vessel"],
            "primary_name": [
                "KRIOGENMASH OAO",
                "LIMITED LIABILITY COMPANY ARKTIK LOGISTIK",
                "ALPHA TRADING FZE",
                "FORTUNA",
            ],
            "programs": [["RUSSIA-EO14024"], ["RUSSIA-EO14024"], ["IFSR"], ["CAATSA - RUSSIA"]],
            "listed_on": [date(2014, 9, 12), None, None, None],
        }
    )
    names = pl.DataFrame(
        {
            "entity_key": ["t:1", "t:2", "t:3"],
            "name": ["CRYOGENMASH", "ARKTIK LOGISTIK OOO", "ALPHA"],
            "name_kind": ["alias", "alias", "weak_alias"],
        }
    )
    addresses = pl.DataFrame(
        {
            "entity_key": ["t:1", "t:2", "t:3"],
            "full_address": ["Ulitsa Lenina 67, Balashikha, Moscow Region", None, "Jebel Ali"],
            "city": ["Balashikha", None, "Dubai"],
            "country_iso2": ["RU", "RU", "AE"],
        }
    )
    identifiers = pl.DataFrame(
        {
            "entity_key": ["t:1", "t:2", "t:4"],
            "id_type": ["Tax ID No", "Registration Number", "Vessel Registration Identification"],
            "id_value": ["5001000066", "1165032062326", "IMO 8674156"],
        }
    )
    return entities, names, addresses, identifiers


@pytest.fixture()
def small_index() -> ScreeningIndex:
    return ScreeningIndex.from_frames(*small_frames())
