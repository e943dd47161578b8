"""Exports in the asset graph: the published marts written as files for BI tools, so a scheduled
run leaves fresh files behind (what ``roundabout export`` writes by hand)."""

import dagster as dg

from orchestration.assets.warehouse import PUBLISHED_KEY
from orchestration.exports import export_tables
from orchestration.settings import RoundaboutSettings

EXPORTS_KEY = dg.AssetKey(["exports", "marts"])


@dg.asset(key=EXPORTS_KEY, group_name="exports", kinds={"parquet"}, deps=[PUBLISHED_KEY])
def mart_exports(
    context: dg.AssetExecutionContext, settings: RoundaboutSettings
) -> dg.MaterializeResult:
    """Every mart of the published warehouse as ``<exports>/marts.<table>.<format>``; folder and
    format from the settings (``exports``, ``export_format``)."""
    resolved = settings.resolve()
    written = export_tables(resolved.published_db, resolved.exports_dir, resolved.export_format)
    context.log.info(f"exported {len(written)} table(s) to {resolved.exports_dir}")
    return dg.MaterializeResult(
        metadata={
            "folder": str(resolved.exports_dir),
            "format": resolved.export_format,
            "files": dg.MetadataValue.json(sorted(p.name for p in written)),
        }
    )
