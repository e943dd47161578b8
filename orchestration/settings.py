"""Where things live: the warehouse files, the inputs directory, the dbt project.

Dagster, dbt and the command line read the same environment variables, so every process agrees on
one absolute warehouse path (a relative DuckDB path in a dbt profile would resolve against the dbt
project folder instead).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_INPUTS = REPO_ROOT / "data" / "sample"
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
EXPECTATIONS_DIR = REPO_ROOT / "expectations" / "suites"

HOME_VAR = "ROUNDABOUT_HOME"
INPUTS_VAR = "ROUNDABOUT_INPUTS"
BUILD_DB_VAR = "ROUNDABOUT_BUILD_DB"
FRESH_VAR = "ROUNDABOUT_FRESH"


@dataclass(frozen=True)
class Settings:
    home: Path
    inputs: Path
    fresh: bool = False  # build from empty instead of from the published warehouse

    @property
    def published_db(self) -> Path:
        """The warehouse analysts read, replaced atomically after every blocking check passed."""
        return self.home / "warehouse.duckdb"

    @property
    def build_db(self) -> Path:
        """The warehouse a run writes; it starts as a copy of the published one. Always under
        the home: the environment variable only tells dbt where it is."""
        return self.home / "build" / "warehouse.duckdb"

    @property
    def raw_archive(self) -> Path:
        return self.home / "raw"

    @property
    def runs_dir(self) -> Path:
        return self.home / "runs"

    @property
    def dbt_state_dir(self) -> Path:
        """The dbt manifest of the build that produced the published warehouse, kept beside it:
        the next run compares the project with it (dbt's ``--state``)."""
        return self.home / "dbt_state"


def current() -> Settings:
    home = Path(os.environ.get(HOME_VAR) or Path.cwd() / "var").resolve()
    inputs = Path(os.environ.get(INPUTS_VAR) or SAMPLE_INPUTS).resolve()
    fresh = os.environ.get(FRESH_VAR, "") not in ("", "0", "false")
    return Settings(home=home, inputs=inputs, fresh=fresh)


def export_environment(settings: Settings) -> None:
    """Make the settings visible to dbt (profiles.yml reads ROUNDABOUT_BUILD_DB)."""
    os.environ[HOME_VAR] = str(settings.home)
    os.environ[INPUTS_VAR] = str(settings.inputs)
    os.environ[BUILD_DB_VAR] = str(settings.build_db)
    os.environ[FRESH_VAR] = "1" if settings.fresh else ""
