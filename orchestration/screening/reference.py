"""Loading the listed-entity reference: four frames shaped like the sanctions marts.

Two sources: a folder of ``entities``, ``names``, ``addresses`` and ``identifiers`` files
(Parquet or CSV, as shipped in data/eval/reference/), or a DuckDB warehouse with the marts
``dim_sanctioned_entity``, ``dim_sanctioned_name``, ``dim_sanctioned_address`` and
``dim_sanctioned_identifier``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from orchestration.screening.index import (
    ADDRESS_COLUMNS,
    ENTITY_COLUMNS,
    IDENTIFIER_COLUMNS,
    NAME_COLUMNS,
    BlockingParams,
    ScreeningIndex,
)

if TYPE_CHECKING:
    import duckdb

PARTS = {
    "entities": ("dim_sanctioned_entity", ENTITY_COLUMNS),
    "names": ("dim_sanctioned_name", NAME_COLUMNS),
    "addresses": ("dim_sanctioned_address", ADDRESS_COLUMNS),
    "identifiers": ("dim_sanctioned_identifier", IDENTIFIER_COLUMNS),
}


@dataclass
class Reference:
    entities: pl.DataFrame
    names: pl.DataFrame
    addresses: pl.DataFrame
    identifiers: pl.DataFrame

    def extended(self, other: Reference) -> Reference:
        """This reference with the entities of ``other`` added, in the same column types; an
        optional column ``other`` lacks (an entity's remarks) is null for its rows."""
        parts = []
        for mine, theirs in zip(self.frames(), other.frames(), strict=True):
            missing = [c for c in mine.columns if c not in theirs.columns]
            theirs = theirs.with_columns(pl.lit(None).alias(c) for c in missing)
            parts.append(pl.concat([mine, theirs.select(mine.columns).cast(mine.schema)]))
        return Reference(*parts)

    def frames(self) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
        return self.entities, self.names, self.addresses, self.identifiers

    def index(self, blocking: BlockingParams | None = None) -> ScreeningIndex:
        return ScreeningIndex.from_frames(
            self.entities, self.names, self.addresses, self.identifiers, blocking
        )


def _read_part(folder: Path, part: str) -> pl.DataFrame:
    parquet, csv = folder / f"{part}.parquet", folder / f"{part}.csv"
    if parquet.is_file():
        return pl.read_parquet(parquet)
    if csv.is_file():
        # Every column is text (country code NA is Namibia); lists are ';'-joined in CSV.
        frame = pl.read_csv(csv, infer_schema=False)
        if part == "entities":
            frame = frame.with_columns(
                pl.col("programs").str.split(";"), pl.col("listed_on").str.to_date()
            )
        return frame
    raise FileNotFoundError(f"{folder}: no {part}.parquet or {part}.csv")


def load_folder(folder: Path | str) -> Reference:
    folder = Path(folder)
    return Reference(*(_read_part(folder, part) for part in PARTS))


def load_duckdb(path: Path | str, schema: str = "marts") -> Reference:
    """Read the four marts from a DuckDB file, read-only (see :func:`load_connection`)."""
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        return load_connection(con, schema)


def load_connection(con: duckdb.DuckDBPyConnection, schema: str = "marts") -> Reference:
    """Read the four marts through an open connection; only entities still listed
    (``is_active``) when the entity mart has that column."""
    frames = []
    entity_table = f"{schema}.{PARTS['entities'][0]}"
    columns = {r[0] for r in con.execute(f"describe {entity_table}").fetchall()}
    active = (
        f"entity_key in (select entity_key from {entity_table} where is_active)"
        if "is_active" in columns
        else "true"
    )
    for table, wanted in PARTS.values():
        if table == PARTS["entities"][0] and "remarks" in columns:
            # Remarks carry a person's dates of birth and nationalities (persons.py).
            wanted = (*wanted, "remarks")
        sql = f"select {', '.join(wanted)} from {schema}.{table} where {active}"
        frames.append(con.sql(sql).pl())
    return Reference(*frames)


def load_reference(path: Path | str) -> Reference:
    """A folder of reference files, or a ``.duckdb`` warehouse."""
    path = Path(path)
    if path.is_dir():
        return load_folder(path)
    if path.suffix in (".duckdb", ".db"):
        return load_duckdb(path)
    raise ValueError(f"{path}: expected a folder of reference files or a .duckdb file")
