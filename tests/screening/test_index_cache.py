"""The screening index kept on disk (index_cache.py): reused for the same listings, never for
changed ones, rebuilt when the file is damaged; on the hand-made reference of conftest.py."""

from __future__ import annotations

import pickle

import polars as pl
import pytest

from orchestration.screening import index_cache
from orchestration.screening.index import ScreeningIndex
from orchestration.screening.index_cache import SUFFIX, cached_index, index_key
from orchestration.screening.normalize import normalize_name
from orchestration.screening.reference import Reference
from orchestration.screening.score import Query, match_query

from .conftest import small_frames


def found(index: ScreeningIndex, name: str) -> dict[str, str]:
    """entity_key -> decision for a query name."""
    query = Query(id="q", name=name, norm=normalize_name(name))
    return {index.entities[m.entity].key: m.decision for m in match_query(query, index)}


def renamed(reference: Reference, key: str, primary: str, alias: str) -> Reference:
    """The same listings with one entity's primary name and alias changed."""
    entities = reference.entities.with_columns(
        pl.when(pl.col("entity_key") == key)
        .then(pl.lit(primary))
        .otherwise(pl.col("primary_name"))
        .alias("primary_name")
    )
    names = reference.names.with_columns(
        pl.when(pl.col("entity_key") == key)
        .then(pl.lit(alias))
        .otherwise(pl.col("name"))
        .alias("name")
    )
    return Reference(entities, names, reference.addresses, reference.identifiers)


def cache_files(folder) -> list:
    return sorted(p for p in folder.glob(f"*{SUFFIX}") if not p.name.startswith("."))


def test_built_once_then_read_back(tmp_path, monkeypatch):
    folder = tmp_path / "index"
    first = cached_index(Reference(*small_frames()), folder)
    assert len(cache_files(folder)) == 1
    # Identical listings read afresh (as the next command reads them): nothing is built.
    monkeypatch.setattr(ScreeningIndex, "from_frames", pytest.fail)  # a build fails the test
    second = cached_index(Reference(*small_frames()), folder)
    assert second is not first
    assert [e.key for e in second.entities] == ["t:1", "t:2", "t:3", "t:4"]
    assert second.name_cache == {}  # a process's own names are not stored
    # "KRIOGENMASH OAO" is t:1's listed name, word for word.
    assert found(second, "Kriogenmash OAO") == {"t:1": "alert"}


def test_changed_listings_are_not_read_from_a_stale_index(tmp_path):
    folder = tmp_path / "index"
    before = Reference(*small_frames())
    old = cached_index(before, folder)
    assert found(old, "Omega Shipping FZE") == {}
    # The next warehouse lists t:3 as "OMEGA SHIPPING FZE" (alias "OMEGA"): a new key, a new
    # index that finds it, and the old entry stays for the old warehouse.
    after = renamed(before, "t:3", "OMEGA SHIPPING FZE", "OMEGA")
    assert index_key(after) != index_key(before)
    new = cached_index(after, folder)
    assert found(new, "Omega Shipping FZE") == {"t:3": "alert"}
    assert found(new, "Alpha Trading FZE") == {}
    assert len(cache_files(folder)) == 2
    # An entity delisted (t:4 gone) is another set of listings again.
    fewer = Reference(
        before.entities.filter(pl.col("entity_key") != "t:4"),
        before.names,
        before.addresses,
        before.identifiers.filter(pl.col("entity_key") != "t:4"),
    )
    assert index_key(fewer) not in {index_key(before), index_key(after)}
    assert [e.key for e in cached_index(fewer, folder).entities] == ["t:1", "t:2", "t:3"]


def test_changed_code_changes_the_key(monkeypatch):
    reference = Reference(*small_frames())
    key = index_key(reference)
    monkeypatch.setattr(index_cache, "code_digest", lambda: "another version of the code")
    assert index_key(reference) != key


def test_damaged_file_is_rebuilt_and_replaced(tmp_path):
    folder = tmp_path / "index"
    reference = Reference(*small_frames())
    cached_index(reference, folder)
    (path,) = cache_files(folder)
    path.write_bytes(path.read_bytes()[:100])  # a write cut short
    index = cached_index(reference, folder)
    assert found(index, "Kriogenmash OAO") == {"t:1": "alert"}
    with path.open("rb") as handle:
        assert isinstance(pickle.load(handle), ScreeningIndex)
    assert not list(folder.glob(".tmp-*"))


def test_old_entries_are_removed(tmp_path):
    folder = tmp_path / "index"
    reference = Reference(*small_frames())
    for n in range(index_cache.KEEP + 2):
        cached_index(renamed(reference, "t:3", f"NAME {n} FZE", f"NAME {n}"), folder)
    assert len(cache_files(folder)) == index_cache.KEEP


def test_lists_without_any_entity_give_an_index_that_finds_nothing(tmp_path):
    # A warehouse whose runs have ingested no list yet (trade only): the run that publishes it
    # builds the index too (asset screening/index), and a screening finds no one.
    empty = Reference(*(frame.clear() for frame in small_frames()))
    key, built = index_cache.ensure_index(empty, tmp_path / "index")
    assert built and cache_files(tmp_path / "index")[0].name == key + SUFFIX
    assert found(cached_index(empty, tmp_path / "index"), "Kriogenmash OAO") == {}
