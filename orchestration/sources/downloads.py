"""The catalogue of official downloads, and fetching a selection of it into the raw archive.

Each entry names the folder its files land in (``<kind>/<name>/<release>/<file name>``, the same
folders the parsers read in an inputs directory), the publisher's URLs and what each file should
contain. Two kinds of entry are fetched only when named: OpenSanctions (CC BY-NC 4.0, so never
pulled by default) and BACI (gigabytes, released once a year). Credentials come from the
environment only and never reach the archive: see :func:`orchestration.sources.fetch.redact_url`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from orchestration.sources.fetch import (
    ClientOptions,
    ContentKind,
    FetchResult,
    FetchTarget,
    fetch_url,
    make_client,
    redact_url,
)

EU_FSF_TOKEN_ENV = "ROUNDABOUT_EU_FSF_TOKEN"
DEFAULT_ARCHIVE = Path("var/raw")
TOKEN_PLACEHOLDER = "{token}"

MiB = 1 << 20
GiB = 1 << 30

OFAC_SLS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"
EU_FSF = "https://webgate.ec.europa.eu/fsd/fsf/public/files"
OPENSANCTIONS = "https://data.opensanctions.org/datasets/latest"
OPENSANCTIONS_DATASETS = (
    "ua_war_sanctions",
    "sanctions",
    "us_ofac_sdn",
    "eu_fsf",
    "us_trade_csl",
    "gb_fcdo_sanctions",
)
# BACI's file name carries its HS revision and yearly version; move both on when CEPII publishes.
BACI_HS = "HS17"
BACI_VERSION = "V202601"


@dataclass(frozen=True)
class RemoteFile:
    url: str  # may hold TOKEN_PLACEHOLDER, filled from the source's token variable
    file_name: str  # the name it is archived under: the publisher's, as contracts.md lists it
    content: ContentKind


@dataclass(frozen=True)
class OfficialDownload:
    name: str  # the folder under <kind>/, e.g. "ofac_sdn" or "opensanctions/sanctions"
    kind: str  # "sanctions" | "trade"
    files: tuple[RemoteFile, ...]
    publisher: str
    licence: str
    cadence: str
    max_bytes: int = 256 * MiB
    token_env: str | None = None
    opt_in: str = ""  # when set: fetched only if named, for this reason


def _opensanctions(dataset: str) -> OfficialDownload:
    return OfficialDownload(
        name=f"opensanctions/{dataset}",
        kind="sanctions",
        files=(
            RemoteFile(
                f"{OPENSANCTIONS}/{dataset}/targets.simple.csv", "targets.simple.csv", "csv"
            ),
        ),
        publisher="OpenSanctions",
        licence="CC BY-NC 4.0: non-commercial use with attribution; commercial use needs a licence",
        cadence="daily",
        max_bytes=2 * GiB,
        opt_in="CC BY-NC 4.0 licence: name it to accept the non-commercial terms",
    )


CATALOGUE: tuple[OfficialDownload, ...] = (
    OfficialDownload(
        name="ofac_sdn",
        kind="sanctions",
        files=(
            RemoteFile(f"{OFAC_SLS}/SDN.CSV", "sdn.csv", "csv"),
            RemoteFile(f"{OFAC_SLS}/ADD.CSV", "add.csv", "csv"),
            RemoteFile(f"{OFAC_SLS}/ALT.CSV", "alt.csv", "csv"),
        ),
        publisher="US Treasury, Office of Foreign Assets Control (Sanctions List Service)",
        licence="US government work, public domain (17 U.S.C. 105)",
        cadence="irregular, often several times a week",
    ),
    OfficialDownload(
        name="ofac_cons",
        kind="sanctions",
        files=(RemoteFile(f"{OFAC_SLS}/CONSOLIDATED.XML", "consolidated.xml", "xml"),),
        publisher="US Treasury, Office of Foreign Assets Control (Sanctions List Service)",
        licence="US government work, public domain (17 U.S.C. 105)",
        cadence="irregular",
    ),
    OfficialDownload(
        name="un",
        kind="sanctions",
        files=(
            RemoteFile(
                "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
                "consolidated.xml",
                "xml",
            ),
        ),
        publisher="United Nations Security Council",
        licence="UN public information, free to reuse with attribution to the UN Security Council",
        cadence="irregular, on each committee decision",
    ),
    OfficialDownload(
        name="uk",
        kind="sanctions",
        files=(
            RemoteFile(
                "https://docs.fcdo.gov.uk/docs/UK-Sanctions-List.csv",
                "UK-Sanctions-List.csv",
                "csv",
            ),
        ),
        publisher="UK Foreign, Commonwealth and Development Office (UK Sanctions List)",
        licence="Crown copyright, Open Government Licence v3.0",
        cadence="irregular, often daily",
    ),
    OfficialDownload(
        name="canada_sema",
        kind="sanctions",
        files=(
            RemoteFile(
                "https://www.international.gc.ca/world-monde/assets/office_docs/"
                "international_relations-relations_internationales/sanctions/sema-lmes.xml",
                "sema-lmes.xml",
                "xml",
            ),
        ),
        publisher="Global Affairs Canada (Special Economic Measures Act consolidated list)",
        licence="Open Government Licence - Canada",
        cadence="irregular",
    ),
    OfficialDownload(
        name="csl",
        kind="sanctions",
        files=(
            RemoteFile(
                "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
                "consolidated.csv",
                "csv",
            ),
        ),
        publisher="US International Trade Administration (Consolidated Screening List)",
        licence="US government work, public domain",
        cadence="daily",
    ),
    OfficialDownload(
        name="eu_fsf",
        kind="sanctions",
        files=(
            RemoteFile(
                f"{EU_FSF}/xmlFullSanctionsList_1_1/content?token={TOKEN_PLACEHOLDER}",
                "xmlFullSanctionsList_1_1.xml",
                "xml",
            ),
        ),
        publisher="European Commission, Financial Sanctions Files (FSF)",
        licence="Commission reuse policy (Decision 2011/833/EU): free reuse with attribution",
        cadence="irregular, often several times a week",
        token_env=EU_FSF_TOKEN_ENV,
    ),
    *(_opensanctions(d) for d in OPENSANCTIONS_DATASETS),
    OfficialDownload(
        name="baci",
        kind="trade",
        files=(
            RemoteFile(
                f"https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_{BACI_HS}_{BACI_VERSION}.zip",
                f"BACI_{BACI_HS}_{BACI_VERSION}.zip",
                "zip",
            ),
        ),
        publisher="CEPII (BACI, reconciled bilateral trade flows)",
        licence="free download from CEPII; cite Gaulier and Zignago (2010), CEPII WP 2010-23",
        cadence="annual",
        max_bytes=6 * GiB,
        opt_in="a zip of several gigabytes, released once a year",
    ),
)


def select(
    names: Sequence[str] | None, catalogue: Sequence[OfficialDownload] = CATALOGUE
) -> tuple[list[OfficialDownload], list[OfficialDownload]]:
    """(to fetch, left out because opt-in) for the names given; none given means every source.

    A name is a source (``un``, ``opensanctions/sanctions``) or the first part of several
    (``opensanctions``); naming a source is what opts it in.
    """
    if not names:
        return [d for d in catalogue if not d.opt_in], [d for d in catalogue if d.opt_in]
    chosen: list[OfficialDownload] = []
    for name in names:
        matches = [d for d in catalogue if d.name == name or d.name.startswith(f"{name}/")]
        if not matches:
            known = ", ".join(d.name for d in catalogue)
            raise ValueError(f"unknown source {name!r}; known sources: {known}")
        chosen.extend(d for d in matches if d not in chosen)
    return chosen, []


def _skipped(download: OfficialDownload, reason: str) -> list[FetchResult]:
    return [
        FetchResult(download.name, f.file_name, redact_url(f.url), "skipped", reason=reason)
        for f in download.files
    ]


def _targets(
    download: OfficialDownload, token: str | None, url_overrides: Mapping[str, str]
) -> list[FetchTarget]:
    targets = []
    for remote in download.files:
        url = url_overrides.get(f"{download.name}/{remote.file_name}", remote.url)
        if token is not None:
            url = url.replace(TOKEN_PLACEHOLDER, quote(token, safe=""))
        targets.append(
            FetchTarget(
                url,
                download.kind,
                download.name,
                remote.file_name,
                remote.content,
                download.max_bytes,
            )
        )
    return targets


def fetch_sources(
    names: Sequence[str] | None,
    archive_root: Path,
    client_options: ClientOptions | None = None,
    *,
    env: Mapping[str, str] | None = None,
    url_overrides: Mapping[str, str] | None = None,
    catalogue: Sequence[OfficialDownload] = CATALOGUE,
) -> list[FetchResult]:
    """Fetch every file of the named sources (all default ones when ``names`` is empty).

    ``url_overrides`` maps ``"<source>/<file name>"`` to another URL (a mirror, or a test
    server); ``env`` defaults to the process environment. Raises ValueError for an unknown name;
    a download that fails is reported in its result, never raised.
    """
    env = os.environ if env is None else env
    options = client_options or ClientOptions()
    chosen, left_out = select(names, catalogue)
    results: list[FetchResult] = []
    for download in left_out:
        results += _skipped(download, f"fetched only when named ({download.opt_in})")
    with make_client(options) as client:
        for download in chosen:
            token = env.get(download.token_env) if download.token_env else None
            if download.token_env and not token:
                results += _skipped(download, f"set {download.token_env} to fetch {download.name}")
                continue
            for target in _targets(download, token, url_overrides or {}):
                results.append(fetch_url(target, Path(archive_root), options, client))
    return results
