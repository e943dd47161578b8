"""DuckDB's memory limit and spill folder, the same for the run's Python connections and dbt's.

DuckDB's default limit is 80% of the machine's memory: on several years of BACI the dbt
process grew to 12 GB. With a limit, DuckDB spills what does not fit to its temporary folder
instead (sorts, hash joins and aggregates all can). The dbt profile (dbt_project/profiles.yml)
reads the same environment variable with the same default.
"""

from __future__ import annotations

import os
from pathlib import Path

MEMORY_LIMIT_VAR = "ROUNDABOUT_DUCKDB_MEMORY_LIMIT"
# Room for the rest of a run (Dagster, dbt, Python) within 4 GB.
DEFAULT_MEMORY_LIMIT = "2GB"


def memory_limit() -> str:
    return os.environ.get(MEMORY_LIMIT_VAR) or DEFAULT_MEMORY_LIMIT


def temp_directory(database: Path) -> Path:
    """Beside the database file, on the disk that holds the warehouse, as dbt's profile has it."""
    return database.with_name(database.name + ".tmp")


def connection_config(database: Path) -> dict[str, str]:
    """DuckDB settings for a connection that writes ``database``."""
    return {"memory_limit": memory_limit(), "temp_directory": str(temp_directory(database))}
