"""The catalogue of official downloads, and fetching a selection of it into the raw archive.

The catalogue is generated from the source YAMLs (their ``download`` entries, see
:mod:`orchestration.sources.common.metadata`). Each entry names the folder its files land in
(``<kind>/<name>/<release>/<file name>``, the same folders the parsers read in an inputs
directory), the publisher's URLs and what each file should contain. Two kinds of entry are
fetched only when named: OpenSanctions (CC BY-NC 4.0, so never pulled by default) and BACI
(gigabytes, released once a year). Credentials come from the environment only and never reach
the archive: see :func:`orchestration.acquire.fetch.redact_url`.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import httpx

from orchestration.acquire.comtrade_api import (
    CallBudget,
    ComtradeApiError,
    ComtradeQuery,
    capped,
    check_answer,
    split,
    split_result,
    unsplittable,
)
from orchestration.acquire.fetch import (
    ClientOptions,
    FetchResult,
    FetchTarget,
    fetch_url,
    make_client,
    redact_url,
)
from orchestration.sources.common.metadata import (
    ApiQuery,
    RecentMonths,
    RemoteFile,
    SourceMetadata,
    all_metadata,
)

TOKEN_PLACEHOLDER = "{token}"


@dataclass(frozen=True)
class OfficialDownload:
    name: str  # the folder under <kind>/, e.g. "ofac_sdn" or "opensanctions/sanctions"
    kind: str  # "sanctions" | "trade"
    files: tuple[RemoteFile, ...]
    publisher: str
    licence: str
    cadence: str
    max_bytes: int
    token_env: str | None = None
    opt_in: str = ""  # when set: fetched only if named, for this reason
    months: RecentMonths | None = None  # one file per month: {month} filled at fetch time
    query: ApiQuery | None = None  # an API asked per reporter and month instead of files


def downloads_of(meta: SourceMetadata) -> list[OfficialDownload]:
    """A source's downloads: one, or one per dataset (into ``<folder>/<dataset>``)."""
    download = meta.download
    if download is None:
        return []

    def entry(name: str, files: tuple[RemoteFile, ...]) -> OfficialDownload:
        return OfficialDownload(
            name=name,
            kind=meta.kind,
            files=files,
            publisher=meta.publisher,
            licence=meta.licence,
            cadence=meta.cadence,
            max_bytes=download.max_bytes,
            token_env=download.token_env,
            opt_in=download.opt_in,
            months=download.months,
            query=download.query,
        )

    if not download.datasets:
        return [entry(meta.inputs_folder, download.files)]
    return [
        entry(
            f"{meta.inputs_folder}/{dataset}",
            tuple(
                RemoteFile(
                    f.url.replace("{dataset}", dataset),
                    f.file_name.replace("{dataset}", dataset),
                    f.content,
                )
                for f in download.files
            ),
        )
        for dataset in download.datasets
    ]


def _catalogue() -> tuple[OfficialDownload, ...]:
    # Sanctions lists first, then trade: the big opt-in trade files come last in a listing.
    sources = sorted(all_metadata(), key=lambda m: (m.kind != "sanctions", m.folder))
    return tuple(d for meta in sources for d in downloads_of(meta))


CATALOGUE: tuple[OfficialDownload, ...] = _catalogue()


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


def _skipped(download: OfficialDownload, reason: str, today: date) -> list[FetchResult]:
    if download.query is not None:  # its calls depend on the day: one line for the source
        return [
            FetchResult(download.name, "(API query)", download.query.api, "skipped", reason=reason)
        ]
    # A monthly publisher's files as they would have been asked today, not with {month} in them.
    return [
        FetchResult(download.name, f.file_name, redact_url(f.url), "skipped", reason=reason)
        for f in remote_files(download, today)
    ]


MONTH_PLACEHOLDER = "{month}"


def recent_months(months: RecentMonths, today: date) -> list[str]:
    """The months (``YYYYMM``) a monthly publisher is asked for on ``today``, oldest first."""
    last = today.year * 12 + today.month - 1 - months.lag
    return [
        f"{index // 12:04d}{index % 12 + 1:02d}"
        for index in range(last - months.recent + 1, last + 1)
    ]


def query_calls(query: ApiQuery, periods: Sequence[str]) -> list[ComtradeQuery]:
    """One call per reporter and period."""
    return [
        ComtradeQuery(
            frequency=query.frequency,
            reporter_code=reporter,
            periods=(period,),
            cmd_codes=query.cmd_codes,
            flow_codes=query.flows,
            partner_codes=query.partners,
        )
        for reporter in query.reporters
        for period in periods
    ]


def query_file(query: ApiQuery, call: ComtradeQuery) -> RemoteFile:
    """A call as a file: the answer is named for its query (reporter, period, a digest of the
    parameters), which states its period for the trade partitions. The key stays a ``{token}``
    placeholder, filled from the environment when the call is made."""
    url = f"{query.api}/{call.frequency}/HS?{urlencode(call.params())}"
    return RemoteFile(f"{url}&subscription-key={TOKEN_PLACEHOLDER}", call.file_name(), "json")


def query_files(query: ApiQuery, periods: Sequence[str]) -> list[RemoteFile]:
    """One call per reporter and period (query_calls), as files."""
    return [query_file(query, call) for call in query_calls(query, periods)]


def remote_files(download: OfficialDownload, today: date) -> tuple[RemoteFile, ...]:
    """The files of a download as asked on ``today``: the recent months of a monthly
    publisher filled in, the calls of an API query."""
    if download.months is None:
        return download.files
    months = recent_months(download.months, today)
    if download.query is not None:
        return tuple(query_files(download.query, months))
    return tuple(
        RemoteFile(
            f.url.replace(MONTH_PLACEHOLDER, month),
            f.file_name.replace(MONTH_PLACEHOLDER, month),
            f.content,
        )
        for month in months
        for f in download.files
    )


def _target(
    download: OfficialDownload,
    remote: RemoteFile,
    token: str | None,
    url_overrides: Mapping[str, str],
) -> FetchTarget:
    url = url_overrides.get(f"{download.name}/{remote.file_name}", remote.url)
    if token is not None:
        url = url.replace(TOKEN_PLACEHOLDER, quote(token, safe=""))
    return FetchTarget(
        url,
        download.kind,
        download.name,
        remote.file_name,
        remote.content,
        download.max_bytes,
        # An API answer at the record cap may be cut short: refused before it is archived.
        check=check_answer if download.query is not None else None,
    )


def _work(
    download: OfficialDownload,
    token: str | None,
    url_overrides: Mapping[str, str],
    today: date,
) -> list[tuple[FetchTarget, ComtradeQuery | None]]:
    """The targets of a download, each with the API call it makes (``None`` for a file)."""
    if download.query is not None and download.months is not None:
        calls = query_calls(download.query, recent_months(download.months, today))
        return [(_call_target(download, call, token, url_overrides), call) for call in calls]
    return [
        (_target(download, remote, token, url_overrides), None)
        for remote in remote_files(download, today)
    ]


def _call_target(
    download: OfficialDownload,
    call: ComtradeQuery,
    token: str | None,
    url_overrides: Mapping[str, str],
) -> FetchTarget:
    assert download.query is not None
    return _target(download, query_file(download.query, call), token, url_overrides)


def _part_target(
    download: OfficialDownload,
    parent: FetchTarget,
    part: ComtradeQuery,
    token: str | None,
    url_overrides: Mapping[str, str],
) -> FetchTarget:
    """A part of a split call, asked where the call was asked (a mirror or test server named
    for the call in ``url_overrides``) unless named there itself."""
    target = _call_target(download, part, token, url_overrides)
    if f"{download.name}/{target.file_name}" in url_overrides:
        return target
    where = urlsplit(parent.url)
    url = urlunsplit((where.scheme, where.netloc, where.path, urlsplit(target.url).query, ""))
    return replace(target, url=url)


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
        results += _skipped(
            download, f"fetched only when named ({download.opt_in})", options.clock().date()
        )
    unreachable: dict[str, str] = {}  # host -> why: asked once, not once per file
    # API calls are spaced and counted against the daily allowance in the same file as
    # `roundabout comtrade`'s, so a scheduled fetch and the command share one allowance.
    budget = CallBudget(Path(archive_root), sleep=options.sleep)
    with make_client(options) as client:
        for download in chosen:
            token = env.get(download.token_env) if download.token_env else None
            if download.token_env and not token:
                reason = f"set {download.token_env} to fetch {download.name}"
                results += _skipped(download, reason, options.clock().date())
                continue
            today = options.clock().date()
            overrides = url_overrides or {}
            pending = deque(_work(download, token, overrides, today))
            while pending:
                target, call = pending.popleft()
                host = httpx.URL(target.url).host
                if host in unreachable:
                    results.append(_not_tried(target, unreachable[host]))
                    continue
                if call is not None:
                    try:
                        budget.spend()
                    except ComtradeApiError as err:  # the day's allowance is used up
                        results.append(_not_tried(target, str(err), unreachable=False))
                        continue
                result = fetch_url(target, Path(archive_root), options, client)
                if result.unreachable:
                    unreachable[host] = result.reason
                if call is not None and capped(result):
                    # Asked again in two parts, each archived under its own query's name.
                    parts = split(call)
                    if parts is None:
                        result = replace(result, reason=f"{result.reason}; {unsplittable(call)}")
                    else:
                        targets = [_part_target(download, target, p, token, overrides)
                                   for p in parts]  # fmt: skip
                        pending.extendleft(reversed(list(zip(targets, parts, strict=True))))
                        result = split_result(result, parts)
                results.append(result)
    return results


def _not_tried(target: FetchTarget, reason: str, unreachable: bool = True) -> FetchResult:
    return FetchResult(
        target.source,
        target.file_name,
        redact_url(target.url),
        "failed",
        reason=reason,
        unreachable=unreachable,
    )
