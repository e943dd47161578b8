"""`roundabout screen FILE [--shipments FILE] [--out OUT]`: screen a counterparty file against the
published warehouse and write the results ranked by risk, with the evidence.

Nothing is written to the warehouse and no Dagster machinery is involved: the engine screens
against the published marts (read-only), and dbt builds the screening models on the result in a
scratch database (:mod:`orchestration.screening.marts`), so the output has exactly the columns
and values of ``marts.fct_screening_matches`` and ``marts.fct_company_exposure``.

Output by extension of OUT: ``.csv`` writes the matches to OUT and the exposure summary to
``<OUT stem>.exposure.csv`` beside it; ``.xlsx`` writes one workbook with the sheets
``screening_matches`` and ``company_exposure``; ``.parquet`` like CSV.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from orchestration.cell_safety import csv_safe_frame
from orchestration.screening.index_cache import cached_index, index_folder
from orchestration.screening.marts import ModelsFailed, scratch_marts
from orchestration.screening.run import (
    RunInputs,
    ScreeningRun,
    read_inputs,
    read_lists,
    run_time,
    screen_checked,
)
from orchestration.xlsx_writer import write_frames

MATCH_ORDER = "risk_rank, score desc, entity_key"
__all__ = ["ModelsFailed", "NoWarehouse", "ScreenOutput", "screen_published", "write_output"]


class NoWarehouse(FileNotFoundError):
    """No published warehouse to screen against."""


@dataclass
class ScreenOutput:
    matches: pl.DataFrame
    exposure: pl.DataFrame
    run: ScreeningRun

    def summary(self) -> str:
        cps, hits = self.exposure, self.matches
        alerts = hits.filter(pl.col("decision") == "alert").height
        text = (
            f"screened {cps.height:,} counterparties against "
            f"{self.run.runs['reference_entities'][0]:,} listed entities: "
            f"{alerts:,} alert(s), {hits.height - alerts:,} review(s); "
            f"{cps.filter(pl.col('is_sanctioned')).height:,} counterparty(ies) listed or owned 50%"
        )
        return text + self.input_issues_summary()

    def input_issues_summary(self) -> str:
        """The rows of the file that could not be read in full, one line each (first 20)."""
        rows = self.run.counterparties.filter(pl.col("input_issues").is_not_null())
        if rows.is_empty():
            return ""
        lines = [
            f"\n{rows.height:,} row(s) kept with fields that could not be read "
            "(column input_issues of the exposure summary):"
        ]
        source = self.run.runs["counterparties_file"][0] or ""
        unit = "line" if source.lower().endswith(".csv") else "row"
        for line, issues in rows.select("source_line", "input_issues").head(20).iter_rows():
            lines.append(f"\n  {unit} {line}: {issues}")
        if rows.height > 20:
            lines.append(f"\n  ... and {rows.height - 20:,} more")
        return "".join(lines)


def screen_published(
    published: Path,
    counterparties: Path,
    shipments: Path | None = None,
    workers: int = 1,
    screened_at: datetime | None = None,
    workdir: Path | None = None,
) -> ScreenOutput:
    """Screen against the published warehouse; the two marts' rows, ranked by risk.

    ``workdir``: where dbt builds the marts and the screening index is kept (default:
    ``screen/`` beside the warehouse, in the home)."""
    if not published.is_file():
        raise NoWarehouse(f"no published warehouse at {published}; run `roundabout run` first")
    checked = read_inputs(RunInputs(counterparties=counterparties, shipments=shipments))
    screened_at = screened_at or run_time()
    with duckdb.connect(str(published), read_only=True) as con:
        lists = read_lists(con, screened_at.date())
    # built once per set of listings and kept in the home (index_cache.py): by the run that
    # published them, else by the first command
    index_dir = index_folder(published) if workdir is None else workdir / "index"
    index = cached_index(lists.reference, index_dir)
    workdir = workdir or index_dir.parent
    run_id = f"cli-{uuid.uuid4()}"
    run = screen_checked(lists, checked, run_id, screened_at, None, workers, index=index)
    with scratch_marts(published, workdir, run.tables()) as con:
        matches = con.sql(f"select * from marts.fct_screening_matches order by {MATCH_ORDER}").pl()
        exposure = con.sql("select * from marts.fct_company_exposure order by risk_rank").pl()
    return ScreenOutput(matches=matches, exposure=exposure, run=run)


def exposure_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}.exposure{out.suffix}")


OUTPUT_SUFFIXES = (".csv", ".xlsx", ".parquet")


def check_output(out: Path) -> None:
    """Refuse an output name the command cannot write, before any screening is done."""
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise ValueError(f"{out}: output must end in .csv, .xlsx or .parquet")


def write_output(result: ScreenOutput, out: Path) -> list[Path]:
    """Write the results by OUT's extension (module docstring); the paths written."""
    check_output(out)
    suffix = out.suffix.lower()
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        # Typed cells; a counterparty's text is never written as a formula (cell_safety).
        frames = {"screening_matches": result.matches, "company_exposure": result.exposure}
        write_frames(out, frames)
        return [out]
    second = exposure_path(out)
    if suffix == ".csv":
        csv_safe_frame(result.matches).write_csv(out)
        csv_safe_frame(result.exposure).write_csv(second)
    else:
        result.matches.write_parquet(out)
        result.exposure.write_parquet(second)
    return [out, second]
