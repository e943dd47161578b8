"""Garbage collection around a run: off while the run loads its libraries and definitions
(they only grow), back on for the run itself; and the process's last collection at exit left
out (orchestration/pipeline.py, orchestration/cli.py)."""

from __future__ import annotations

import gc

import pytest

from orchestration import cli, pipeline
from orchestration.settings import from_environment


def test_a_run_loads_without_collections_and_turns_them_back_on(monkeypatch, tmp_path):
    seen = []

    def prepare():
        seen.append(gc.isenabled())
        raise RuntimeError("stopped while loading")

    monkeypatch.setattr(pipeline, "_prepare_dbt", prepare)
    assert gc.isenabled()
    with pytest.raises(RuntimeError, match="stopped while loading"):
        pipeline._run_locked(from_environment(), False, None, None)
    assert seen == [False]
    assert gc.isenabled()


def test_a_command_ends_with_everything_frozen(monkeypatch, tmp_path, capsys):
    frozen = []
    monkeypatch.setattr(cli.gc, "freeze", lambda: frozen.append(True))
    # A query on a home without a warehouse fails at once, and still freezes on its way out.
    cli.main(["--home", str(tmp_path), "query", "select 1"])
    assert frozen == [True]
