"""The Dagster instance configuration (``$DAGSTER_HOME/dagster.yaml``) the command line uses.

DuckDB allows one writing process per database file. Every job runs its steps in one process
(``in_process_executor`` on the jobs and on ``Definitions``), and every step that writes is in
the pool ``warehouse``; only a pool limit in the instance makes two runs (a schedule's and one
launched from the UI, say) take turns at writing. So the instance the command line sets up always
carries one: written with the file when there is none, added to a file that sets no limit of its
own. A limit the file sets is left as it is.

Dagster creates a pool's slots in the instance's storage lazily, when a step first claims one:
it counts the slots and adds the missing ones, so two runs claiming the pool for the very first
time at the same instant can each add a slot and both pass. The pool is therefore created as
soon as the configuration is in place (:func:`ensure_write_pool`), before any run can claim it,
through the storage's own concurrency interface (the one ``dagster instance concurrency set``
uses), one process at a time.
"""

from __future__ import annotations

import fcntl
from pathlib import Path

import yaml

WRITE_POOL = "warehouse"

# Steps of a pool (every step that writes is in WRITE_POOL) one at a time, across runs.
POOLS = {"granularity": "op", "default_limit": 1}

_NEW = """\
# Written by roundabout: runs are stored here; usage statistics stay off (runs are often offline).
telemetry:
  enabled: false
"""

_POOLS_BLOCK = """\
# Added by roundabout: one writing step at a time (DuckDB allows one writing process).
concurrency:
  pools:
    granularity: op
    default_limit: 1
"""


def pool_limit(config: dict | None) -> int | None:
    """The default pool limit an instance configuration sets, if any (either spelling Dagster
    reads: ``concurrency.pools.default_limit`` or ``concurrency.default_op_concurrency_limit``)."""
    concurrency = (config or {}).get("concurrency") or {}
    pools = concurrency.get("pools") or {}
    limit = pools.get("default_limit", concurrency.get("default_op_concurrency_limit"))
    return int(limit) if limit is not None else None


def ensure_instance_config(dagster_home: Path, create_pool: bool = True) -> bool:
    """Make ``dagster_home/dagster.yaml`` limit the write pool and, with ``create_pool``, create
    the pool in the instance (:func:`ensure_write_pool`); True when the file was written or
    changed. A command whose runs stay in memory passes ``create_pool=False``: it never claims
    the instance's pool, and creating the instance's storage costs seconds the first time."""
    changed = _ensure_config_file(dagster_home)
    if create_pool:
        ensure_write_pool(dagster_home)
    return changed


_POOL_LOCK = ".roundabout-pool.lock"


def ensure_write_pool(dagster_home: Path) -> int | None:
    """Create the write pool's slots in the instance of ``dagster_home`` at the limit its
    configuration sets (none when it sets no limit); the pool's limit.

    Idempotent and cheap when the pool exists. Processes starting together take turns on a file
    lock in the instance folder, so the pool is created exactly once. The turn is taken before
    the instance is opened: opening a new instance creates its SQLite storage, and two processes
    creating it at the same instant fail ("table alembic_version already exists")."""
    from dagster import DagsterInstance

    with open(dagster_home / _POOL_LOCK, "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            with DagsterInstance.from_config(str(dagster_home)) as instance:
                storage = instance.event_log_storage
                if not storage.supports_global_concurrency_limits:
                    return None
                limits = {pool.name: pool for pool in storage.get_pool_limits()}
                default = instance.global_op_concurrency_default_limit
                pool = limits.get(WRITE_POOL)
                if pool is None or (pool.from_default and pool.limit != default):
                    storage.initialize_concurrency_limit_to_default(WRITE_POOL)
                    limits = {pool.name: pool for pool in storage.get_pool_limits()}
                pool = limits.get(WRITE_POOL)
                return pool.limit if pool else None
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _ensure_config_file(dagster_home: Path) -> bool:
    """Make ``dagster_home/dagster.yaml`` limit the write pool; True when the file was written
    or changed. A file without a ``concurrency`` section keeps its text and comments: the
    section is appended. One with a ``concurrency`` section but no pool limit is rewritten with
    the limit added (YAML comments in it are lost)."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    path = dagster_home / "dagster.yaml"
    if not path.exists():
        path.write_text(_NEW + _POOLS_BLOCK)
        return True
    text = path.read_text()
    try:
        config = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        raise ValueError(f"{path}: not valid YAML: {err}") from err
    if not isinstance(config, dict):
        raise ValueError(f"{path}: expected a mapping of Dagster instance settings")
    if pool_limit(config) is not None:
        return False
    if "concurrency" not in config:
        path.write_text(text.rstrip("\n") + ("\n" if text.strip() else "") + _POOLS_BLOCK)
        return True
    concurrency = config["concurrency"] or {}
    pools = concurrency.get("pools") or {}
    concurrency["pools"] = {**POOLS, **pools}
    config["concurrency"] = concurrency
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return True
