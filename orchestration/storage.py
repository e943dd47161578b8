"""The storage format of the warehouse file: written so that DuckDB 1.x clients open it too.

DuckDB 2 writes files that DuckDB 1.x cannot read ("version number 999"), and many BI drivers
still bundle a 1.x library. A database created with a storage compatibility version keeps it
(DuckDB records it in the file and every later writer, dbt's included, respects it), so the
build file is created with one, and a file written without it (by an earlier release of
Roundabout) is rewritten once with ``COPY FROM DATABASE``.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

# The oldest format DuckDB 2 still writes; DuckDB 1.0 and every later release read it.
STORAGE_VERSION = "v1.0.0"


def create_empty(path: Path) -> None:
    with duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_VERSION}):
        pass


def storage_version(con: duckdb.DuckDBPyConnection) -> str:
    """The storage version recorded in the connection's main database (``v1.0.0+``)."""
    rows = con.execute(
        "select tags['storage_version'] from duckdb_databases() "
        "where database_name = current_database()"
    ).fetchall()
    return str(rows[0][0] or "") if rows else ""


def is_compatible(path: Path) -> bool:
    with duckdb.connect(str(path), read_only=True) as con:
        return storage_version(con) == STORAGE_VERSION + "+"


def make_compatible(path: Path) -> bool:
    """Rewrite ``path`` in the compatible format unless it is already; whether it was rewritten.
    The copy is written beside the file and renamed over it whole."""
    if is_compatible(path):
        return False
    rewritten = path.with_name(path.name + ".v1")
    rewritten.unlink(missing_ok=True)
    create_empty(rewritten)
    with duckdb.connect(str(rewritten)) as con:
        con.execute("attach ? as source_db (read_only)", [str(path)])
        target = con.execute("select current_database()").fetchall()[0][0]
        con.execute(f'copy from database source_db to "{target}"')
        con.execute("detach source_db")
        con.execute("checkpoint")
    os.replace(rewritten, path)
    return True
