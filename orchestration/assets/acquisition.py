"""Acquisition in the asset graph: one asset per source with official downloads (the ``download``
entry of its YAML), fetching the publisher's files into the archive under the home
(``raw/<kind>/<source>/<release>/<file>``, the layout of an inputs directory).

A download is conditional (ETag, Last-Modified), so an unchanged publication is not fetched
again; the release folder is the date the publication states where it states one; every file's
sha256 is recorded beside it and in the materialisation. The materialisation says whether a new
release arrived (``new_release``), which the release sensor (orchestration/assets/sensors.py)
turns into an ingest run. ``roundabout fetch`` materialises the same assets.
"""

import hashlib
from pathlib import Path

import dagster as dg

from orchestration.acquire.catalogue import fetch_sources
from orchestration.acquire.fetch import ClientOptions, FetchResult
from orchestration.resources import Downloads
from orchestration.settings import RoundaboutSettings
from orchestration.sources.common.base import SourceSpec
from orchestration.sources.common.metadata import SourceMetadata, all_metadata

GROUP = "acquisition"
NEW_RELEASE = "new_release"


def acquisition_key(meta: SourceMetadata) -> dg.AssetKey:
    return dg.AssetKey(["acquire", meta.folder])


def downloadable() -> list[SourceMetadata]:
    """The sources whose YAML names official downloads."""
    return [m for m in all_metadata() if m.download is not None]


def acquisition_key_of(spec: SourceSpec) -> list[dg.AssetKey]:
    """The acquisition asset feeding a source spec's ingest asset (none for a source without
    official downloads: its files are supplied by hand)."""
    for meta in downloadable():
        if any(f.name == spec.name for f in meta.formats):
            return [acquisition_key(meta)]
    return []


def client_options(downloads: Downloads) -> ClientOptions:
    return ClientOptions(
        timeout=downloads.timeout,
        max_attempts=downloads.max_attempts,
        backoff_base=downloads.backoff_base,
    )


def failure_lines(results: list[FetchResult]) -> list[str]:
    """One line per source that failed, with the first reason: a source whose host cannot be
    reached fails once, not once per file."""
    lines: dict[str, str] = {}
    for r in results:
        if not r.ok and r.source not in lines:
            lines[r.source] = f"{r.source}: {r.reason} ({r.url})"
    return list(lines.values())


def _file_rows(results: list[FetchResult]) -> dg.TableMetadataValue:
    columns = ("file", "status", "release", "sha256", "bytes", "reason")
    schema = dg.TableSchema(
        columns=[dg.TableColumn(c, "int" if c == "bytes" else "string") for c in columns]
    )
    records = [
        dg.TableRecord(
            {
                "file": f"{r.source}/{r.file_name}",
                "status": r.status,
                "release": r.path.parent.name if r.path else "",
                "sha256": r.sha256 or "",
                "bytes": r.bytes or 0,
                "reason": r.reason,
            }
        )
        for r in results
    ]
    return dg.MetadataValue.table(records=records, schema=schema)


def archive_of(settings: RoundaboutSettings, downloads: Downloads) -> Path:
    return (
        Path(downloads.archive).resolve() if downloads.archive else settings.resolve().raw_archive
    )


def acquire(
    meta: SourceMetadata, settings: RoundaboutSettings, downloads: Downloads
) -> tuple[list[FetchResult], dict]:
    """Fetch every file of ``meta`` into the home's archive; (results, materialisation
    metadata). Raises dg.Failure, one line per failed source, when a file could not be had."""
    archive = archive_of(settings, downloads)
    results = fetch_sources(
        [meta.inputs_folder],
        archive,
        client_options(downloads),
        url_overrides=downloads.url_overrides,
    )
    failed = failure_lines(results)
    if failed:
        raise dg.Failure(
            description="\n".join(failed),
            metadata={"files": _file_rows(results), "archive": str(archive)},
        )
    have = [r for r in results if r.path is not None]
    releases = sorted({r.path.parent.name for r in have})
    fingerprint = hashlib.sha256(
        "\n".join(sorted(f"{r.source}/{r.file_name}:{r.sha256}" for r in have)).encode()
    ).hexdigest()
    metadata = {
        NEW_RELEASE: any(r.status == "downloaded" for r in results),
        "releases": dg.MetadataValue.json(releases),
        "latest_release": releases[-1] if releases else "",
        "files": _file_rows(results),
        "sha256": dg.MetadataValue.json(
            {f"{r.source}/{r.file_name}": r.sha256 for r in have if r.sha256}
        ),
        "archive": str(archive),
        "fingerprint": fingerprint,
    }
    return results, metadata


def _acquisition_asset(meta: SourceMetadata) -> dg.AssetsDefinition:
    opt_in = meta.download.opt_in if meta.download else ""

    @dg.asset(
        key=acquisition_key(meta),
        group_name=GROUP,
        kinds={"python"},
        description=f"Download {meta.title} ({meta.publisher}; {meta.licence}) into "
        f"raw/{meta.inputs}/<release>/."
        + (f" Fetched only when asked: {opt_in}." if opt_in else ""),
        metadata={"cadence": meta.cadence, "source_url": meta.url, "licence": meta.licence},
    )
    def _acquire(
        context: dg.AssetExecutionContext, settings: RoundaboutSettings, downloads: Downloads
    ) -> dg.MaterializeResult:
        results, metadata = acquire(meta, settings, downloads)
        for r in results:
            context.log.info(r.describe())
        return dg.MaterializeResult(
            metadata=metadata, data_version=dg.DataVersion(metadata["fingerprint"])
        )

    return _acquire


SOURCES = downloadable()
acquisition_assets = [_acquisition_asset(meta) for meta in SOURCES]
# What `roundabout fetch` materialises without names: every source not marked opt-in.
DEFAULT_KEYS = [acquisition_key(m) for m in SOURCES if m.download and not m.download.opt_in]
