"""Resources shared by the assets: the run's settings, the build warehouse, the dbt command line,
the downloads and the failure notifications."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import httpx
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from orchestration.dbt_parse_ahead import dbt_executable
from orchestration.duckdb_config import connection_config
from orchestration.project import dbt_project
from orchestration.settings import RoundaboutSettings, Settings, current


class BuildWarehouse(DuckDBResource):
    """A connection to the run's build warehouse. The path is taken when a step connects, from
    the settings the run started with (the ``settings`` resource, which every asset writing the
    warehouse also requires), so a run configured with another home writes there."""

    database: str = ""  # empty: the build warehouse of the run's settings

    @contextlib.contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        database = self.database or str(current().build_db)
        con = duckdb.connect(database, config=connection_config(Path(database)))
        try:
            yield con
        finally:
            con.close()


def warehouse() -> BuildWarehouse:
    return BuildWarehouse()


def dbt_cli() -> DbtCliResource:
    # The DbtProject carries the profiles folder (the project's own).
    return DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())


def settings_resource(settings: Settings | None = None) -> RoundaboutSettings:
    """The settings resource, its defaults from the environment of the loading process."""
    return RoundaboutSettings.of(settings or current())


class Downloads(dg.ConfigurableResource):
    """How acquisition talks to publishers. ``url_overrides`` maps ``<source>/<file name>`` to
    another URL (a mirror, a test server)."""

    url_overrides: dict[str, str] = {}
    archive: str | None = None  # where files land; default <home>/raw
    timeout: float = 60.0
    max_attempts: int = 4
    backoff_base: float = 2.0


class Notifier(dg.ConfigurableResource):
    """Where a failed run is announced: a webhook receiving a JSON POST (Slack, Teams, Matrix
    bridges and most chat tools accept one), or nowhere when ``webhook_url`` is unset."""

    webhook_url: str | None = None
    timeout: float = 10.0

    def notify(self, payload: dict) -> bool:
        """POST ``payload``; False when no webhook is configured. Raises for a refused post."""
        if not self.webhook_url:
            return False
        response = httpx.post(
            self.webhook_url,
            content=json.dumps(payload),
            headers={"Content-Type": "application/json"},
            timeout=self.timeout,
        )
        response.raise_for_status()
        return True
