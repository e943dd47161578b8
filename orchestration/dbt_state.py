"""The dbt state of the published warehouse, and what changed in the project since.

An incremental model keeps rows built by earlier runs. When its SQL, or anything upstream of it
(a model, a macro it calls, a seed, a config), changed since those rows were written, the rows
are stale: the model must be rebuilt in full. dbt finds such models itself by comparing the
project with the manifest of an earlier build (``state:modified``, https://docs.getdbt.com/
reference/node-selection/methods#state), so a run keeps the manifest of the build it publishes
and the next run selects ``state:modified+`` against it.

What dbt's comparison does not see: the value of a ``var()`` read in a model's SQL (only configs
are compared). No model upstream of an incremental one reads a var (tests/test_dbt_state.py
checks it).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, Settings

MANIFEST = "manifest.json"
PARSE_STATE = "partial_parse.msgpack"
CHANGED_INCREMENTAL = "state:modified+,config.materialized:incremental"


def kept_manifest(settings: Settings) -> Path:
    return settings.dbt_state_dir / MANIFEST


def keep_manifest(manifest: Path, settings: Settings) -> None:
    """Keep ``manifest`` as the state of the published warehouse, replacing the previous one in
    one rename. Called right after the warehouse is published: a run that fails before leaves
    the previous pair, and a crash between the two renames leaves an older manifest, against
    which the next run can only find more changes (a full rebuild too many, never too few)."""
    kept = kept_manifest(settings)
    kept.parent.mkdir(parents=True, exist_ok=True)
    partial = kept.with_name(f"{MANIFEST}.{os.getpid()}")
    shutil.copyfile(manifest, partial)
    os.replace(partial, kept)


def changed_incremental_models(
    state_dir: Path,
    work_dir: Path,
    project_dir: Path = DBT_PROJECT_DIR,
    parse_state: Path | None = None,
) -> list[str]:
    """The incremental models of ``project_dir`` that are ``state:modified+`` against the
    manifest in ``state_dir``: ``dbt ls`` run in this process (dbt's programmatic
    invocation), which spares starting a dbt process (several seconds) for a question that
    needs no warehouse. ``work_dir`` takes dbt's target files; a parse state left by an
    earlier build (``parse_state``: the home's; by default the project's target folder) is
    copied there so that dbt need not parse the project again."""
    from dbt.cli.main import dbtRunner

    work_dir.mkdir(parents=True, exist_ok=True)
    if parse_state is None or not parse_state.exists():
        parse_state = project_dir / "target" / PARSE_STATE
    if parse_state.exists() and not (work_dir / PARSE_STATE).exists():
        shutil.copyfile(parse_state, work_dir / PARSE_STATE)
    result = dbtRunner().invoke(
        [
            "ls",
            "--select", CHANGED_INCREMENTAL,
            "--resource-type", "model",
            "--state", str(state_dir),
            "--output", "name",
            "--project-dir", str(project_dir),
            "--profiles-dir", str(project_dir),
            "--target-path", str(work_dir),
            "--log-path", str(work_dir),
            "--log-level", "none",  # ls prints its list otherwise
            "--log-level-file", "debug",
            "--no-write-json",
        ]
    )  # fmt: skip
    if not result.success:
        raise RuntimeError(f"dbt ls --select {CHANGED_INCREMENTAL} failed: {result.exception}")
    return sorted(result.result or [])
