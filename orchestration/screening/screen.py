"""Screening a counterparty table against the listed-entity index.

:func:`screen` returns the columns of ``marts.fct_screening_matches``: one row per counterparty and
listed entity scoring at or above the review threshold, highest score first. The work is split
over processes when ``workers > 1`` (the index is shared by fork, not copied per task).
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from orchestration.cell_safety import csv_safe_frame
from orchestration.screening.candidates import prepare_names
from orchestration.screening.counterparties import (
    SCHEMAS,
    cell_text,
    read_counterparties,
    validate_rows,
)
from orchestration.screening.identifiers import COUNTERPARTY_ID_COLUMNS, canonical_value
from orchestration.screening.index import ScreeningIndex
from orchestration.screening.name_identifiers import split_name_identifiers
from orchestration.screening.normalize import fold, normalize_name
from orchestration.screening.persons import normal_birth_date
from orchestration.screening.score import DEFAULT_PARAMS, Query, ScoreParams, match_query
from orchestration.xlsx_writer import write_frames

__all__ = ["MATCH_SCHEMA", "read_counterparties", "screen", "screen_file", "to_queries"]

# A counterparty's date of birth, when the file has one (persons): evidence for or against.
BIRTH_DATE_COLUMNS = ("date_of_birth", "birth_date", "dob")

MATCH_SCHEMA = {
    "counterparty_id": pl.String,
    "counterparty_name": pl.String,
    "entity_key": pl.String,
    "list": pl.String,
    "source_id": pl.String,
    "matched_name": pl.String,
    "score": pl.Float64,
    "decision": pl.String,
    "features": pl.String,
}


def checked_counterparties(counterparties: pl.DataFrame) -> pl.DataFrame:
    """The frame as :func:`read_counterparties` returns it; a frame built in code gets the same
    checks as a file (same columns out, same errors)."""
    if "source_line" in counterparties.columns and "id" in counterparties.columns:
        return counterparties
    columns = [c.strip().lower() for c in counterparties.columns]
    if "name" not in columns:
        raise ValueError("counterparty frame has no 'name' column")
    rows = [
        (i, [cell_text(v) for v in values])
        for i, values in enumerate(counterparties.iter_rows(), start=1)
    ]
    return validate_rows("<counterparty frame>", columns, rows)


def to_queries(counterparties: pl.DataFrame) -> list[Query]:
    """Queries from a counterparty frame (as returned by ``read_counterparties`` or similar)."""
    frame = checked_counterparties(counterparties)
    id_columns = [c for c in frame.columns if c in COUNTERPARTY_ID_COLUMNS]
    queries = []
    for row in frame.iter_rows(named=True):
        ids: dict[str, set[str]] = {}
        for column in id_columns:
            id_type = COUNTERPARTY_ID_COLUMNS[column]
            value = canonical_value(id_type, row[column] or "")
            if value:
                ids.setdefault(id_type, set()).add(value)
        # "ООО «Маркус», ИНН 7707327719": the number is evidence, not a word of the name.
        name, in_name = split_name_identifiers(row["name"] or "")
        for id_type, values in in_name.items():
            ids.setdefault(id_type, set()).update(values)
        queries.append(
            Query(
                id=str(row["id"]),
                name=row["name"],
                norm=normalize_name(name),
                country=row.get("country"),
                address=fold(row["address"]) if row.get("address") else None,
                identifiers={t: frozenset(v) for t, v in ids.items()},
                schema=SCHEMAS.get(row.get("type") or ""),
                birth_date=normal_birth_date(
                    next((row[c] for c in BIRTH_DATE_COLUMNS if row.get(c)), None)
                ),
            )
        )
    return queries


def screen_queries(
    queries: Sequence[Query], index: ScreeningIndex, params: ScoreParams = DEFAULT_PARAMS
) -> list[tuple]:
    """Rows (in ``MATCH_SCHEMA`` order) for every candidate at or above review."""
    rows = []
    for number, query in enumerate(queries):
        if number % _BATCH == 0:
            # the candidate step of the next queries at once, in numpy and rapidfuzz
            prepare_names(queries[number : number + _BATCH], index, params)
        for match in match_query(query, index, params):
            listed = index.entities[match.entity]
            rows.append(
                (
                    query.id,
                    query.name,
                    listed.key,
                    listed.list,
                    listed.source_id,
                    match.matched_name,
                    match.score,
                    match.decision,
                    match.features_json(),
                )
            )
    return rows


# queries whose candidates are found together (far below the name cache's size, score.py)
_BATCH = 2000

_SHARED: tuple[ScreeningIndex, ScoreParams] | None = None


def _screen_chunk(chunk: pl.DataFrame) -> list[tuple]:
    assert _SHARED is not None
    return screen_queries(to_queries(chunk), *_SHARED)


def screen(
    counterparties: pl.DataFrame,
    index: ScreeningIndex,
    params: ScoreParams = DEFAULT_PARAMS,
    workers: int = 1,
) -> pl.DataFrame:
    """Screen counterparties; the ``fct_screening_matches`` columns, highest score first."""
    frame = checked_counterparties(counterparties)
    if workers > 1 and frame.height >= 2000:
        rows = _screen_parallel(frame, index, params, workers)
    else:
        rows = screen_queries(to_queries(frame), index, params)
    frame = pl.DataFrame(rows, schema=MATCH_SCHEMA, orient="row")
    return frame.sort(["score", "counterparty_id", "entity_key"], descending=[True, False, False])


def _screen_parallel(
    frame: pl.DataFrame, index: ScreeningIndex, params: ScoreParams, workers: int
) -> list[tuple]:
    # Chunks of rows, not queries, go to the workers: names are normalised in parallel too.
    global _SHARED
    _SHARED = (index, params)
    size = max(500, frame.height // (workers * 8))
    chunks = [frame.slice(i, size) for i in range(0, frame.height, size)]
    # Objects frozen before the fork are left alone by the children's garbage collector, so
    # the index pages they share with the parent are not copied (gc.freeze documentation).
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_screen_chunk, chunks)
    finally:
        gc.unfreeze()
        _SHARED = None
    return [row for part in parts for row in part]


def screen_file(
    path: Path | str,
    index: ScreeningIndex,
    out: Path | str | None = None,
    params: ScoreParams = DEFAULT_PARAMS,
    workers: int = 1,
) -> pl.DataFrame:
    """Read a counterparty file, screen it and, with ``out``, write the matches (.csv, .parquet
    or .xlsx by extension). Entry point of ``roundabout screen FILE --out OUT``."""
    matches = screen(read_counterparties(path), index, params, workers)
    if out is not None:
        write_matches(matches, Path(out))
    return matches


def write_matches(matches: pl.DataFrame, out: Path) -> None:
    suffix = out.suffix.lower()
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        csv_safe_frame(matches).write_csv(out)
    elif suffix == ".parquet":
        matches.write_parquet(out)
    elif suffix == ".xlsx":
        write_frames(out, {"screening_matches": matches})
    else:
        raise ValueError(f"{out}: output must end in .csv, .parquet or .xlsx")
