"""The report of the published warehouse, rewritten after each published run."""

import dagster as dg

from orchestration.assets.warehouse import PUBLISHED_KEY
from orchestration.report import REPORT_NAME, build_report, report_dir
from orchestration.settings import RoundaboutSettings

REPORT_KEY = dg.AssetKey(["warehouse", "report"])


@dg.asset(
    key=REPORT_KEY,
    group_name="warehouse",
    kinds={"html"},
    deps=[PUBLISHED_KEY],
    description="One self-contained HTML report of the published marts "
    "(<home>/report/report.html; `roundabout report` writes the same, with PNGs on request).",
)
def warehouse_report(
    context: dg.AssetExecutionContext, settings: RoundaboutSettings
) -> dg.MaterializeResult:
    """Reads only the published file, which the run has just renamed into place."""
    settings = settings.resolve()
    report = build_report(
        settings.published_db, report_dir(settings.home) / REPORT_NAME, settings.inputs
    )
    context.log.info(f"report: {report.path}")
    notes = {p.id: p.notes for p in report.pages if p.notes}
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(report.path)),
            "charts": report.charts,
            "pages_without_data": dg.MetadataValue.json(notes),
        }
    )
