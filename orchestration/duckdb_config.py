"""DuckDB's memory limit and spill folder, the same for the run's Python connections and dbt's.

DuckDB's default limit is 80% of the machine's memory: on several years of BACI the dbt
process grew to 12 GB. With a limit, DuckDB spills what does not fit to its temporary folder
instead (sorts, hash joins and aggregates all can). The limit is a share of the machine's
memory, capped so that a whole run (DuckDB plus the Dagster and dbt processes around it)
stays within 4 GB; ``ROUNDABOUT_DUCKDB_MEMORY_LIMIT`` overrides it. The dbt profile
(dbt_project/profiles.yml) reads the same variable, which orchestration/project.py sets for dbt.
"""

from __future__ import annotations

import os
from pathlib import Path

MEMORY_LIMIT_VAR = "ROUNDABOUT_DUCKDB_MEMORY_LIMIT"
# One eighth of the machine, at least 1 GB and at most 2.5 GB: 2.5 GB on a 24 GB machine. A
# limit of 2 GB made fct_trade_flows over seven BACI years spill 4 GB to disk; with 3 GB a run
# over one real-scale BACI year peaked at 3.8 GB for the whole process tree (DuckDB allocates
# some memory beyond its limit, and the Dagster process holds about 0.7 GB), too close to 4 GB.
MEMORY_SHARE = 1 / 8
MIN_LIMIT_MB, MAX_LIMIT_MB = 1024, 2560
FALLBACK_LIMIT = "2GB"  # where the machine's memory cannot be read


def physical_memory_bytes() -> int | None:
    """The machine's physical memory (POSIX ``sysconf``), or None where it cannot be read."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def default_memory_limit(physical: int | None = None) -> str:
    """The limit for a machine with ``physical`` bytes of memory (this machine's by default)."""
    physical = physical if physical is not None else physical_memory_bytes()
    if not physical:
        return FALLBACK_LIMIT
    share_mb = int(physical * MEMORY_SHARE) // 2**20
    return f"{max(MIN_LIMIT_MB, min(MAX_LIMIT_MB, share_mb))}MB"


def memory_limit() -> str:
    return os.environ.get(MEMORY_LIMIT_VAR) or default_memory_limit()


def temp_directory(database: Path) -> Path:
    """Beside the database file, on the disk that holds the warehouse, as dbt's profile has it."""
    return database.with_name(database.name + ".tmp")


def connection_config(database: Path) -> dict[str, str]:
    """DuckDB settings for a connection that writes ``database``."""
    return {"memory_limit": memory_limit(), "temp_directory": str(temp_directory(database))}
