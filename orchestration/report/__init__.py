"""The Roundabout report: one self-contained HTML file read from the published warehouse's
marts (``roundabout report``, and the Dagster asset ``warehouse/report`` after each published
run); PNG images of its charts on request (``images.py``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.report.data import Marts
from orchestration.report.pages import build_pages
from orchestration.report.paths import PathLabels
from orchestration.report.render import render_report

REPORT_NAME = "report.html"
SYNTHETIC_TABLES = ("marts.fct_trade_flows", "marts.fct_country_exposure",
                    "marts.fct_russia_chpl_suppliers", "marts.fct_transit_offset",
                    "marts.fct_mirror_gaps")  # fmt: skip


class ReportError(RuntimeError):
    pass


@dataclass
class Report:
    path: Path
    pages: list
    charts: int


def report_dir(home: Path) -> Path:
    return home / "report"


def build_report(database: Path, out: Path, inputs: Path | None = None) -> Report:
    """Write the report of the warehouse at ``database`` to ``out`` (an HTML file), whole.
    Paths in the report are written relative to ``inputs`` (the inputs directory the warehouse
    was built from) or to the home (``database``'s folder) where they lie in them
    (:mod:`orchestration.report.paths`)."""
    if not database.exists():
        raise ReportError(f"no published warehouse at {database}; run `roundabout run` first")
    paths = PathLabels(home=database.resolve().parent, inputs=inputs.resolve() if inputs else None)
    with duckdb.connect(str(database), read_only=True) as con:
        marts = Marts(con)
        pages = build_pages(marts)
        header = _header(marts, database, paths)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(render_report(pages, header, paths=paths), encoding="utf-8")
    os.replace(partial, out)
    return Report(out, pages, sum(len(p.charts) for p in pages))


def _header(marts: Marts, database: Path, paths: PathLabels) -> list[str]:
    synthetic = [t for t in SYNTHETIC_TABLES if marts.any_synthetic(t)]
    lines = []
    if synthetic:
        lines.append(
            "Synthetic data: rows of " + ", ".join(synthetic) + " derive from synthetic trade "
            "data (is_synthetic = true); their figures illustrate the method, not real trade."
        )
    else:
        lines.append(f"Read from the published warehouse {paths.label(database.resolve())}.")
    when = datetime.fromtimestamp(database.stat().st_mtime, UTC).isoformat(timespec="seconds")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    lines.append(
        f"Warehouse {paths.label(database.resolve())}, published {when}; report generated {now}."
    )
    return lines
