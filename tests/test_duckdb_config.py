"""DuckDB's memory limit follows the machine, within the bounds a 4 GB run needs."""

from orchestration import duckdb_config as dc

GB = 2**30


def test_limit_is_an_eighth_of_the_machine_within_bounds():
    assert dc.default_memory_limit(16 * GB) == "2048MB"  # 16 GB / 8
    assert dc.default_memory_limit(4 * GB) == "1024MB"  # 512 MB raised to the floor
    assert dc.default_memory_limit(24 * GB) == "2560MB"  # 3 GB capped at 2.5 GB
    assert dc.default_memory_limit(256 * GB) == "2560MB"


def test_unknown_machine_memory_falls_back():
    assert dc.default_memory_limit(0) == dc.FALLBACK_LIMIT


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv(dc.MEMORY_LIMIT_VAR, "6GB")
    assert dc.memory_limit() == "6GB"
    monkeypatch.delenv(dc.MEMORY_LIMIT_VAR)
    assert dc.memory_limit() == dc.default_memory_limit()
