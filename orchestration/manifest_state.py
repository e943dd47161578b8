"""Whether the dbt manifest must be parsed again, answered without importing dbt or Dagster."""

from __future__ import annotations

from orchestration.reference import DATA_DIR
from orchestration.settings import DBT_PROJECT_DIR

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
# What the manifest is parsed from; dbt's own output folders (target/, logs/) are not read. The
# reference tables are seeds kept outside the project folder (dbt_project.yml seed-paths).
_PARSED = (
    *(DBT_PROJECT_DIR / name for name in ("models", "macros", "seeds", "tests")),
    DATA_DIR,
    DBT_PROJECT_DIR / "dbt_project.yml",
    DBT_PROJECT_DIR / "profiles.yml",
)


def _newest_project_file() -> float:
    newest = 0.0
    for path in _PARSED:
        files = path.rglob("*") if path.is_dir() else [path]
        newest = max([newest, *(f.stat().st_mtime for f in files if f.is_file())])
    return newest


def manifest_is_stale() -> bool:
    """The manifest is missing or older than a file of the project."""
    return not MANIFEST.exists() or MANIFEST.stat().st_mtime < _newest_project_file()
