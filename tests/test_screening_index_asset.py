"""The screening index of the published lists is built by the run that publishes them (asset
``screening/index``), so the first `roundabout screen` after a run reads it instead of building
it."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.screening.index_cache import SUFFIX, index_folder
from orchestration.screening.reference import Reference
from orchestration.settings import SAMPLE_INPUTS, RoundaboutSettings

pytestmark = pytest.mark.slow


def _not_built(*args, **kwargs):
    raise AssertionError("the screening index was built again")


def test_the_first_screen_command_after_a_run_reads_the_index_the_run_left(sample_run, monkeypatch):
    from orchestration.screening.command import screen_published

    published = sample_run.published_db
    assert len(list(index_folder(published).glob(f"*{SUFFIX}"))) == 1
    monkeypatch.setattr(Reference, "index", _not_built)
    result = screen_published(published, SAMPLE_INPUTS / "screening" / "counterparties.csv")
    assert result.run.runs["n_counterparties"][0] > 0


def _materialise(home) -> dict:
    from orchestration.assets.screening import INDEX_KEY, screening_index

    settings = RoundaboutSettings(home=str(home), inputs=str(SAMPLE_INPUTS))
    result = dg.materialize([screening_index], resources={"settings": settings})
    assert result.success
    [event] = result.asset_materializations_for_node(screening_index.op.name)
    assert event.asset_key == INDEX_KEY
    return {k: v.value for k, v in event.metadata.items()}


def test_the_index_asset_builds_once_per_set_of_lists(sample_home_copy):
    folder = index_folder(sample_home_copy / "warehouse.duckdb")
    assert not folder.exists()  # a copy of the published warehouse alone

    first = _materialise(sample_home_copy)
    assert first["built"] is True
    [stored] = folder.glob(f"*{SUFFIX}")
    assert stored.name == first["key"] + SUFFIX
    written = stored.stat().st_mtime_ns

    # The same lists again: the stored index is kept, not rebuilt.
    second = _materialise(sample_home_copy)
    assert second["built"] is False and second["key"] == first["key"]
    assert stored.stat().st_mtime_ns == written
    assert list(folder.glob(f"*{SUFFIX}")) == [stored]
