"""Fetch one publisher file into the raw archive.

The archive is laid out exactly like an inputs directory,
``<archive_root>/<kind>/<source>/<release YYYY-MM-DD>/<file name>``, so ``roundabout run --inputs
<archive_root>`` ingests what was fetched. The release is the date the publication states
(orchestration/acquire/release_date.py). Beside each file sits
``<file>.meta.json`` (where, when and what was fetched, the release and where its date came
from), and the archive root holds a small state file with the validators (ETag, Last-Modified)
of the last good download of each URL, for conditional requests.

Only trouble that another attempt may cure is retried, with backoff: timeouts, 5xx and 429
answers, and bodies cut short. A host that cannot be resolved or refuses the connection fails at
once (offline, a DNS failure, a wrong URL): retrying would only make the user wait.

A download either lands whole, checked and fsynced, or leaves nothing behind: bytes go to a
temporary file in the release folder and are moved into place with ``os.replace`` only after the
length, size limit and content checks pass.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO, Literal

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from orchestration.acquire.content_check import ContentError, ContentKind, check_head, check_whole
from orchestration.acquire.release_date import latest_release, release_of
from orchestration.sources.common.base import file_sha256

log = logging.getLogger(__name__)

# "split": an API answer refused at its record cap whose query was asked again in parts (their
# own results follow it).
Status = Literal["downloaded", "not_modified", "unchanged", "failed", "skipped", "split"]

STATE_FILE = ".fetch-state.json"
META_SUFFIX = ".meta.json"
_SNIFF_BYTES = 1024
_CHUNK = 1 << 16
# Query parameters that carry credentials: never written to meta, state or messages.
_SECRET_PARAMS = {"token", "key", "apikey", "api_key", "subscription-key", "access_token"}


@dataclass(frozen=True)
class ClientOptions:
    """How to talk to publishers. ``sleep`` and ``clock`` are injectable so tests run fast and
    pin the release date."""

    timeout: float = 60.0
    max_attempts: int = 5
    backoff_base: float = 2.0  # seconds before the 2nd attempt; doubles each time
    backoff_max: float = 120.0
    retry_after_max: float = 600.0  # a longer Retry-After gives up instead of waiting
    user_agent: str = "roundabout-fetch/0.1 (open data warehouse; sanctions and trade lists)"
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class FetchTarget:
    """One remote file and where it belongs in the archive."""

    url: str
    kind: str  # "sanctions" | "trade"
    source: str  # folder under <kind>/, may be two levels ("opensanctions/sanctions")
    file_name: str
    content: ContentKind
    max_bytes: int
    # The publisher's own check of a complete body (the Comtrade record cap), run before the
    # file is archived; it raises FetchError for a body that must not be kept.
    check: Callable[[Path], None] | None = None


@dataclass(frozen=True)
class FetchResult:
    source: str
    file_name: str
    url: str  # credentials redacted
    status: Status
    path: Path | None = None
    sha256: str | None = None
    bytes: int | None = None
    reason: str = ""
    attempts: int = 0
    http_status: int | None = None
    unreachable: bool = False  # the host could not be resolved or refused the connection

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    def describe(self) -> str:
        """One line for a command-line summary."""
        where = f" -> {self.path}" if self.path else ""
        detail = f" ({self.reason})" if self.reason else ""
        return f"{self.status:<12} {self.source}/{self.file_name}{where}{detail}"


class _Transient(Exception):
    """Worth another attempt: network trouble, a truncated body, 429 or 5xx."""

    def __init__(
        self, reason: str, retry_after: float | None = None, http_status: int | None = None
    ):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.http_status = http_status


class FetchError(Exception):
    """Another attempt would get the same answer: 4xx, wrong content, too large, a host that
    cannot be reached (``unreachable``)."""

    def __init__(self, reason: str, http_status: int | None = None, unreachable: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.http_status = http_status
        self.unreachable = unreachable


@dataclass
class _Received:
    http_status: int
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    tmp: Path | None = None
    sha256: str | None = None
    size: int = 0


# --- small helpers -------------------------------------------------------------------------------


def redact_url(url: str) -> str:
    """The URL with credential-bearing query parameters masked."""
    parsed = httpx.URL(url)
    if not any(k.lower() in _SECRET_PARAMS for k in parsed.params):
        return url
    params = [
        (k, "REDACTED" if k.lower() in _SECRET_PARAMS else v)
        for k, v in parsed.params.multi_items()
    ]
    return str(parsed.copy_with(params=params))


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _fsync_dir(path: Path) -> None:
    # Makes the rename itself durable on POSIX; directories cannot be opened this way on Windows.
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_json_atomic(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=2, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


# --- the state file ------------------------------------------------------------------------------


def load_state(archive_root: Path) -> dict[str, dict]:
    path = archive_root / STATE_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        # A damaged state file only costs one unconditional download per URL.
        log.warning("ignoring unreadable fetch state %s: %s", path, err)
        return {}
    return data.get("urls", {}) if isinstance(data, dict) else {}


def _save_state_entry(archive_root: Path, url: str, entry: dict) -> None:
    urls = load_state(archive_root)
    urls[url] = entry
    _write_json_atomic(archive_root / STATE_FILE, {"version": 1, "urls": urls})


def _conditional_headers(archive_root: Path, entry: dict | None) -> dict[str, str]:
    # Without the archived file a 304 would leave us with nothing, so ask unconditionally.
    if not entry or not (archive_root / entry.get("path", "")).is_file():
        return {}
    headers = {}
    if entry.get("etag"):
        headers["If-None-Match"] = entry["etag"]
    if entry.get("last_modified"):
        headers["If-Modified-Since"] = entry["last_modified"]
    return headers


# --- one attempt ---------------------------------------------------------------------------------


def _stream_body(
    response: httpx.Response, target: FetchTarget, handle: BinaryIO, digest: hashlib._Hash
) -> int:
    """Write the body, enforcing the size limit and checking its first kilobyte."""
    size, head, checked = 0, b"", False
    for chunk in response.iter_bytes(_CHUNK):
        size += len(chunk)
        if size > target.max_bytes:
            raise FetchError(f"larger than the size limit of {target.max_bytes} bytes")
        if not checked:
            head += chunk
            if len(head) >= _SNIFF_BYTES:
                _check(check_head, head, target.content)
                checked = True
        digest.update(chunk)
        handle.write(chunk)
    if not checked:
        _check(check_head, head, target.content)
    return size


def _check(check: Callable[[bytes | Path, ContentKind], None], body, content: ContentKind) -> None:
    """A content check whose failure is final: the same body would be served again."""
    try:
        check(body, content)
    except ContentError as err:
        raise FetchError(err.reason) from err


def _status_error(response: httpx.Response, now: datetime, options: ClientOptions) -> Exception:
    code = response.status_code
    label = f"HTTP {code} {response.reason_phrase}".strip()
    if code == 429 or code >= 500:
        retry_after = parse_retry_after(response.headers.get("retry-after"), now)
        if retry_after is not None and retry_after > options.retry_after_max:
            return FetchError(f"{label}: server asks to retry after {retry_after:.0f} s", code)
        return _Transient(label, retry_after, code)
    return FetchError(label, code)


def _receive(response: httpx.Response, target: FetchTarget, folder: Path) -> _Received:
    """Stream a 200 body into a temporary file beside its final place and check it."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > target.max_bytes:
        raise FetchError(f"Content-Length {declared} exceeds the limit of {target.max_bytes}")
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{target.file_name}.", suffix=".part")
    tmp = Path(name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as handle:
            try:
                size = _stream_body(response, target, handle, digest)
            except (httpx.TransportError, httpx.DecodingError) as err:
                # The Content-Length check: httpx (h11) counts the body against the declared
                # length and raises RemoteProtocolError when the connection ends short of it.
                raise _Transient(f"body truncated or interrupted: {err}") from err
            handle.flush()
            os.fsync(handle.fileno())
        _check(check_whole, tmp, target.content)
        if target.check is not None:
            target.check(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return _Received(
        http_status=200,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        content_type=response.headers.get("content-type"),
        tmp=tmp,
        sha256=digest.hexdigest(),
        size=size,
    )


def _attempt(
    client: httpx.Client,
    target: FetchTarget,
    headers: dict[str, str],
    folder: Path,
    options: ClientOptions,
) -> _Received:
    try:
        with client.stream("GET", target.url, headers=headers) as response:
            if response.status_code == 304:
                if not headers:
                    raise FetchError("HTTP 304 to an unconditional request", 304)
                return _Received(http_status=304)
            if response.status_code != 200:
                raise _status_error(response, options.clock(), options)
            return _receive(response, target, folder)
    except httpx.TimeoutException as err:
        raise _Transient(f"timed out ({type(err).__name__})") from err
    except (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.InvalidURL) as err:
        raise FetchError(f"bad request: {type(err).__name__}: {err}") from err
    except httpx.ConnectError as err:
        # DNS failure, no route, connection refused: the same answer on every attempt.
        host = httpx.URL(target.url).host
        raise FetchError(f"cannot reach {host}: {err}", unreachable=True) from err
    except httpx.TransportError as err:
        raise _Transient(f"connection failed: {type(err).__name__}: {err}") from err
    except httpx.HTTPError as err:
        raise FetchError(f"request failed: {type(err).__name__}: {err}") from err


def _wait(options: ClientOptions) -> Callable[[RetryCallState], float]:
    backoff = wait_exponential(multiplier=options.backoff_base, max=options.backoff_max)

    def wait(state: RetryCallState) -> float:
        err = state.outcome.exception() if state.outcome else None
        if isinstance(err, _Transient) and err.retry_after is not None:
            return err.retry_after
        return backoff(state)

    return wait


# --- the archive ---------------------------------------------------------------------------------


def _meta(
    target: FetchTarget, got: _Received, retrieved_at: datetime, release: tuple[date, str]
) -> dict:
    return {
        "release_date": release[0].isoformat(),
        "release_date_from": release[1],
        "url": redact_url(target.url),
        "source": target.source,
        "kind": target.kind,
        "file_name": target.file_name,
        "retrieved_at": retrieved_at.isoformat(timespec="seconds"),
        "etag": got.etag,
        "last_modified": got.last_modified,
        "content_type": got.content_type,
        "sha256": got.sha256,
        "bytes": got.size,
        "http_status": got.http_status,
    }


def _remove_if_empty(folders: list[Path]) -> None:
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


@contextlib.contextmanager
def _client_for(client: httpx.Client | None, options: ClientOptions) -> Iterator[httpx.Client]:
    if client is not None:
        yield client
        return
    with make_client(options) as own:
        yield own


def make_client(options: ClientOptions) -> httpx.Client:
    """One client for many files, so connections to the same publisher are reused."""
    return httpx.Client(
        timeout=httpx.Timeout(options.timeout),
        follow_redirects=True,
        headers={"User-Agent": options.user_agent},
    )


def _download(
    client: httpx.Client,
    target: FetchTarget,
    headers: dict[str, str],
    folder: Path,
    options: ClientOptions,
) -> tuple[_Received | FetchError, int]:
    """Attempts with backoff; returns what arrived, or why it failed, and the attempts made."""
    attempts = 0

    def attempt() -> _Received:
        nonlocal attempts
        attempts += 1
        return _attempt(client, target, headers, folder, options)

    retrying = Retrying(
        stop=stop_after_attempt(options.max_attempts),
        wait=_wait(options),
        retry=retry_if_exception_type(_Transient),
        sleep=options.sleep,
        before_sleep=lambda s: log.warning(
            "%s: attempt %d failed (%s), retrying",
            redact_url(target.url),
            s.attempt_number,
            s.outcome.exception(),
        ),
        reraise=True,
    )
    try:
        return retrying(attempt), attempts
    except _Transient as err:
        reason = f"{err.reason} (gave up after {attempts} attempts)"
        return FetchError(reason, err.http_status), attempts
    except FetchError as err:
        return err, attempts


# --- the entry point -----------------------------------------------------------------------------


def fetch_url(
    target: FetchTarget,
    archive_root: Path,
    options: ClientOptions | None = None,
    client: httpx.Client | None = None,
) -> FetchResult:
    """Fetch ``target`` into ``archive_root``; never raises for a failed download."""
    options = options or ClientOptions()
    archive_root = Path(archive_root)
    public_url = redact_url(target.url)
    retrieved_at = options.clock().astimezone(UTC)
    folder = archive_root / target.kind / target.source / retrieved_at.date().isoformat()
    # Folders this call may create, deepest first: removed again if nothing lands in them.
    new_dirs = [p for p in (folder, *folder.parents) if p.is_relative_to(archive_root)]
    new_dirs = [p for p in new_dirs if p != archive_root and not p.exists()]
    state = load_state(archive_root).get(public_url)
    headers = _conditional_headers(archive_root, state)
    with _client_for(client, options) as client_:
        got, attempts = _download(client_, target, headers, folder, options)

    def result(status: Status, **kw) -> FetchResult:
        return FetchResult(
            target.source, target.file_name, public_url, status, attempts=attempts, **kw
        )

    if isinstance(got, FetchError):
        _remove_if_empty(new_dirs)
        return result(
            "failed", reason=got.reason, http_status=got.http_status, unreachable=got.unreachable
        )
    if got.http_status == 304:
        return result(
            "not_modified",
            path=archive_root / state["path"],
            sha256=state.get("sha256"),
            bytes=state.get("bytes"),
            reason="server answered 304 Not Modified",
            http_status=304,
        )
    status, final, reason = _archive(target, got, archive_root, folder, new_dirs, retrieved_at)
    _save_state_entry(
        archive_root, public_url, _state_entry(got, final, archive_root, retrieved_at)
    )
    return result(
        status, path=final, sha256=got.sha256, bytes=got.size, reason=reason, http_status=200
    )


def _archive(
    target: FetchTarget,
    got: _Received,
    archive_root: Path,
    folder: Path,
    new_dirs: list[Path],
    retrieved_at: datetime,
) -> tuple[Status, Path, str]:
    """Move a checked download into place, unless the latest release already has these bytes."""
    assert got.tmp is not None  # a 200 always carries its temporary file
    source_dir = archive_root / target.kind / target.source
    previous = latest_release(source_dir, target.file_name)
    if previous is not None and file_sha256(previous) == got.sha256:
        got.tmp.unlink(missing_ok=True)
        _remove_if_empty(new_dirs)
        return "unchanged", previous, f"same sha256 as release {previous.parent.name}"
    release = release_of(got.tmp, got.last_modified, retrieved_at)
    release_folder = source_dir / release[0].isoformat()
    release_folder.mkdir(parents=True, exist_ok=True)
    final = release_folder / target.file_name
    # Data first, then its meta: a crash in between leaves a file without meta, never a meta
    # describing bytes that are not there.
    os.replace(got.tmp, final)
    _fsync_dir(release_folder)
    meta = _meta(target, got, retrieved_at, release)
    _write_json_atomic(final.with_name(final.name + META_SUFFIX), meta)
    # The day's folder held the download while it arrived; gone again when the release is older.
    _remove_if_empty(new_dirs)
    return "downloaded", final, ""


def _state_entry(got: _Received, final: Path, archive_root: Path, retrieved_at: datetime) -> dict:
    return {
        "etag": got.etag,
        "last_modified": got.last_modified,
        "sha256": got.sha256,
        "bytes": got.size,
        "path": final.relative_to(archive_root).as_posix(),
        "retrieved_at": retrieved_at.isoformat(timespec="seconds"),
    }
