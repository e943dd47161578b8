"""Fetching into the raw archive, against a publisher imitated on 127.0.0.1.

Every test talks to a threading http.server started here on an ephemeral port; nothing reaches
the internet. Catalogue entries are pointed at it through ``url_overrides``.
"""

from __future__ import annotations

import hashlib
import io
import json
import socket
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import polars as pl
import pytest

from orchestration.acquire.catalogue import (
    CATALOGUE,
    fetch_sources,
    remote_files,
    select,
)
from orchestration.acquire.content_check import ContentError, check_head
from orchestration.acquire.fetch import (
    STATE_FILE,
    ClientOptions,
    FetchResult,
    FetchTarget,
    fetch_url,
    latest_release,
    load_state,
    parse_retry_after,
    redact_url,
)
from orchestration.sources.common.base import ParsedFile, SourceSpec
from orchestration.sources.common.registry import discover

# Small hand-written files in the publishers' documented formats.
UN_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<CONSOLIDATED_LIST dateGenerated="2026-11-20T03:00:04Z">\n'
    b"<INDIVIDUALS><INDIVIDUAL><DATAID>6908555</DATAID><FIRST_NAME>TEST</FIRST_NAME>"
    b"</INDIVIDUAL></INDIVIDUALS>\n<ENTITIES/>\n</CONSOLIDATED_LIST>\n"
)
UN_XML_V2 = UN_XML.replace(b"2026-11-20", b"2026-11-22")
SDN_CSV = b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Service unavailable</title></head></html>\n"
ETAG = '"un-v1"'
LAST_MODIFIED = "Wed, 18 Nov 2026 10:00:00 GMT"

Route = Callable[[BaseHTTPRequestHandler, int], None]

EU_FSF_TOKEN_ENV = next(d.token_env for d in CATALOGUE if d.name == "eu_fsf")


def reply(h: BaseHTTPRequestHandler, status: int, body: bytes = b"", **opts) -> None:
    """Write a response; ``length`` overrides Content-Length, ``length=None`` leaves it out."""
    h.send_response(status)
    for name, value in opts.get("headers", {}).items():
        h.send_header(name, value)
    length = opts.get("length", len(body))
    if length is not None:
        h.send_header("Content-Length", str(length))
    h.end_headers()
    h.wfile.write(body)


def static(body: bytes, etag: str | None = None, last_modified: str | None = None) -> Route:
    def route(h: BaseHTTPRequestHandler, hit: int) -> None:
        if etag and h.headers.get("If-None-Match") == etag:
            reply(h, 304, length=None)
            return
        headers = {"Content-Type": "application/octet-stream"}
        if etag:
            headers["ETag"] = etag
        if last_modified:
            headers["Last-Modified"] = last_modified
        reply(h, 200, body, headers=headers)

    return route


def failing(status: int, times: int, then: Route, headers: dict | None = None) -> Route:
    def route(h: BaseHTTPRequestHandler, hit: int) -> None:
        if hit <= times:
            reply(h, status, b"busy", headers=headers or {})
        else:
            then(h, hit)

    return route


def truncated(body: bytes, declared: int) -> Route:
    return lambda h, hit: reply(h, 200, body, length=declared)


def unsized(body: bytes) -> Route:
    # HTTP/1.0 without Content-Length: the body ends when the connection closes.
    return lambda h, hit: reply(h, 200, body, length=None)


def slow(seconds: float, then: Route) -> Route:
    def route(h: BaseHTTPRequestHandler, hit: int) -> None:
        time.sleep(seconds)
        then(h, hit)

    return route


class Publisher:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.port = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def handler(self) -> type[BaseHTTPRequestHandler]:
        publisher = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                path = urlsplit(self.path).path
                publisher.hits[path] += 1
                publisher.requests.append((self.path, dict(self.headers)))
                route = publisher.routes.get(path)
                try:
                    if route is None:
                        reply(self, 404, b"not found")
                    else:
                        route(self, publisher.hits[path])
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def log_message(self, *args) -> None:
                pass

        return Handler


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    pub = Publisher()
    server = ThreadingHTTPServer(("127.0.0.1", 0), pub.handler())
    server.daemon_threads = True
    pub.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield pub
    server.shutdown()
    server.server_close()


@pytest.fixture
def sleeps() -> list[float]:
    return []


def options(sleeps: list[float], day: int = 20, **kw) -> ClientOptions:
    kw.setdefault("max_attempts", 3)
    kw.setdefault("timeout", 5.0)
    return ClientOptions(
        backoff_base=0.01,
        sleep=sleeps.append,
        clock=lambda: datetime(2026, 11, day, 9, 30, tzinfo=UTC),
        **kw,
    )


def un_target(pub: Publisher, path: str = "/un.xml", content="xml", max_bytes=10_000):
    return FetchTarget(pub.url(path), "sanctions", "un", "consolidated.xml", content, max_bytes)


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*.part"))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- a plain download ----------------------------------------------------------------------------


def test_download_archives_bytes_meta_and_state(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = static(UN_XML, ETAG, LAST_MODIFIED)
    result = fetch_url(un_target(publisher), tmp_path, options(sleeps))

    expected = tmp_path / "sanctions" / "un" / "2026-11-20" / "consolidated.xml"
    assert result.status == "downloaded"
    assert result.path == expected
    assert expected.read_bytes() == UN_XML
    assert result.sha256 == sha(UN_XML) == sha(expected.read_bytes())
    assert result.bytes == len(UN_XML) == 235
    assert result.attempts == 1 and result.http_status == 200

    meta = json.loads((expected.parent / "consolidated.xml.meta.json").read_text())
    assert meta["url"] == publisher.url("/un.xml")
    assert meta["retrieved_at"] == "2026-11-20T09:30:00+00:00"
    assert meta["etag"] == ETAG
    assert meta["last_modified"] == LAST_MODIFIED
    assert meta["sha256"] == sha(UN_XML)
    assert meta["bytes"] == 235
    assert meta["http_status"] == 200

    state = json.loads((tmp_path / STATE_FILE).read_text())["urls"][publisher.url("/un.xml")]
    assert state["etag"] == ETAG
    assert state["path"] == "sanctions/un/2026-11-20/consolidated.xml"
    assert leftovers(tmp_path) == []


def test_archive_is_an_inputs_directory(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = static(UN_XML)
    fetch_url(un_target(publisher), tmp_path, options(sleeps))
    spec = SourceSpec(
        name="un",
        kind="sanctions",
        tables=("entity",),
        patterns=(r"\d{4}-\d{2}-\d{2}/consolidated\.xml",),
        parse=lambda f: ParsedFile(tables={"entity": pl.DataFrame()}),
        title="UN",
        publisher="UN",
        url="",
        licence="",
    )
    found = discover(tmp_path, [spec]).for_source("un")
    assert [(f.relative_path, f.release_date) for f in found] == [
        ("sanctions/un/2026-11-20/consolidated.xml", date(2026, 11, 20))
    ]
    assert found[0].sha256 == sha(UN_XML)


# --- conditional requests ------------------------------------------------------------------------


def test_304_to_a_conditional_request_is_not_modified(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = static(UN_XML, ETAG, LAST_MODIFIED)
    first = fetch_url(un_target(publisher), tmp_path, options(sleeps, day=20))
    second = fetch_url(un_target(publisher), tmp_path, options(sleeps, day=21))

    sent = publisher.requests[1][1]
    assert sent["If-None-Match"] == ETAG
    assert sent["If-Modified-Since"] == LAST_MODIFIED
    assert "If-None-Match" not in publisher.requests[0][1]
    assert second.status == "not_modified" and second.http_status == 304
    assert second.path == first.path and second.sha256 == sha(UN_XML)
    assert not (tmp_path / "sanctions" / "un" / "2026-11-21").exists()


def test_no_conditional_request_once_the_archived_file_is_gone(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = static(UN_XML, ETAG, LAST_MODIFIED)
    first = fetch_url(un_target(publisher), tmp_path, options(sleeps, day=20))
    first.path.unlink()
    second = fetch_url(un_target(publisher), tmp_path, options(sleeps, day=21))
    assert "If-None-Match" not in publisher.requests[1][1]
    assert second.status == "downloaded"
    assert second.path.read_bytes() == UN_XML


def test_damaged_state_file_means_an_unconditional_download(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = static(UN_XML, ETAG)
    fetch_url(un_target(publisher), tmp_path, options(sleeps, day=20))
    (tmp_path / STATE_FILE).write_text("{not json")
    assert load_state(tmp_path) == {}
    second = fetch_url(un_target(publisher), tmp_path, options(sleeps, day=21))
    assert "If-None-Match" not in publisher.requests[1][1]
    assert second.status == "unchanged"  # same bytes as the 2026-11-20 release
    assert load_state(tmp_path)[publisher.url("/un.xml")]["etag"] == ETAG


# --- retries -------------------------------------------------------------------------------------


def test_500_twice_then_recovers(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = failing(500, 2, static(UN_XML))
    result = fetch_url(un_target(publisher), tmp_path, options(sleeps))
    assert result.status == "downloaded"
    assert result.attempts == 3 == publisher.hits["/un.xml"]
    assert sleeps == [0.01, 0.02]  # exponential: base, then twice the base
    assert result.path.read_bytes() == UN_XML


def test_gives_up_after_the_last_attempt(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = failing(503, 99, static(UN_XML))
    result = fetch_url(un_target(publisher), tmp_path, options(sleeps, max_attempts=4))
    assert result.status == "failed"
    assert publisher.hits["/un.xml"] == 4 == result.attempts
    assert result.reason == "HTTP 503 Service Unavailable (gave up after 4 attempts)"
    assert result.http_status == 503
    assert not (tmp_path / "sanctions").exists()


def test_429_waits_as_long_as_retry_after_says(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = failing(429, 1, static(UN_XML), {"Retry-After": "7"})
    result = fetch_url(un_target(publisher), tmp_path, options(sleeps))
    assert result.status == "downloaded" and result.attempts == 2
    assert sleeps == [7.0]


def test_retry_after_beyond_the_limit_gives_up_at_once(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = failing(503, 1, static(UN_XML), {"Retry-After": "3600"})
    result = fetch_url(un_target(publisher), tmp_path, options(sleeps, retry_after_max=60))
    assert result.status == "failed" and publisher.hits["/un.xml"] == 1
    assert "retry after 3600 s" in result.reason
    assert sleeps == []


def test_404_is_not_retried(publisher, sleeps, tmp_path):
    result = fetch_url(un_target(publisher, "/missing.xml"), tmp_path, options(sleeps))
    assert result.status == "failed" and result.http_status == 404
    assert result.reason == "HTTP 404 Not Found"
    assert publisher.hits["/missing.xml"] == 1 and sleeps == []


def _closed_port() -> int:
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_refused_connection_fails_at_once(sleeps, tmp_path):
    port = _closed_port()
    target = FetchTarget(
        f"http://127.0.0.1:{port}/x.xml", "sanctions", "un", "consolidated.xml", "xml", 100
    )
    result = fetch_url(target, tmp_path, options(sleeps))
    assert result.status == "failed" and result.attempts == 1 and result.unreachable
    assert result.reason.startswith("cannot reach 127.0.0.1: ")
    assert sleeps == []
    assert list(tmp_path.iterdir()) == []  # no folder left behind to ingest


def test_unresolvable_host_fails_at_once(sleeps, tmp_path):
    # .invalid never resolves (RFC 2606): the offline case, answered by the resolver at once.
    target = FetchTarget(
        "http://publisher.invalid/x.xml", "sanctions", "un", "consolidated.xml", "xml", 100
    )
    started = time.monotonic()
    result = fetch_url(target, tmp_path, options(sleeps))
    assert result.status == "failed" and result.attempts == 1 and result.unreachable
    assert result.reason.startswith("cannot reach publisher.invalid: ")
    assert sleeps == [] and time.monotonic() - started < 30


def test_unreachable_host_is_asked_once_per_run(sleeps, tmp_path):
    port = _closed_port()
    overrides = {
        f"ofac_sdn/{name}": f"http://127.0.0.1:{port}/{name}"
        for name in ("sdn.csv", "add.csv", "alt.csv")
    }
    results = fetch_sources(
        ["ofac_sdn"], tmp_path, options(sleeps), env={}, url_overrides=overrides
    )
    assert [r.status for r in results] == ["failed"] * 3
    assert [r.attempts for r in results] == [1, 0, 0]
    assert len({r.reason for r in results}) == 1 and sleeps == []


def test_timeout_is_retried(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = slow(0.6, static(UN_XML))
    opts = options(sleeps, timeout=0.15, max_attempts=2)
    result = fetch_url(un_target(publisher), tmp_path, opts)
    assert result.status == "failed"
    assert result.reason == "timed out (ReadTimeout) (gave up after 2 attempts)"
    assert publisher.hits["/un.xml"] == 2


def test_retry_after_as_an_http_date():
    now = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert parse_retry_after("Fri, 20 Nov 2026 09:31:15 GMT", now) == 75.0
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


# --- bodies that must not be archived ------------------------------------------------------------


def test_a_body_cut_short_is_retried_like_a_5xx(publisher, sleeps, tmp_path):
    cut = truncated(UN_XML[:100], declared=len(UN_XML))
    publisher.routes["/un.xml"] = lambda h, hit: (cut if hit == 1 else static(UN_XML))(h, hit)
    result = fetch_url(un_target(publisher), tmp_path, options(sleeps))
    assert result.status == "downloaded" and result.attempts == 2 == publisher.hits["/un.xml"]
    assert sleeps == [0.01]  # the same backoff as a 5xx
    assert result.path.read_bytes() == UN_XML
    assert leftovers(tmp_path) == []


def test_truncated_body_fails_and_keeps_the_earlier_file(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = static(UN_XML)
    earlier = fetch_url(un_target(publisher), tmp_path, options(sleeps, day=20))
    publisher.routes["/un.xml"] = truncated(UN_XML_V2[:100], declared=len(UN_XML_V2))
    publisher.hits.clear()

    same_day = fetch_url(un_target(publisher), tmp_path, options(sleeps, day=20))
    next_day = fetch_url(un_target(publisher), tmp_path, options(sleeps, day=21))

    for result in (same_day, next_day):
        assert result.status == "failed"
        assert result.reason.startswith("body truncated or interrupted")
        assert "expected 235" in result.reason and "gave up after 3 attempts" in result.reason
    assert publisher.hits["/un.xml"] == 6
    assert earlier.path.read_bytes() == UN_XML
    assert not (tmp_path / "sanctions" / "un" / "2026-11-21").exists()
    assert leftovers(tmp_path) == []


def test_html_page_served_as_xml_fails_with_the_reason(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = static(UN_XML)
    earlier = fetch_url(un_target(publisher), tmp_path, options(sleeps, day=20))
    publisher.routes["/un.xml"] = static(HTML_PAGE)
    result = fetch_url(un_target(publisher), tmp_path, options(sleeps, day=20))
    assert result.status == "failed"
    assert result.reason == "served an HTML page instead of xml data"
    assert publisher.hits["/un.xml"] == 2  # no retry: the same page would come back
    assert earlier.path.read_bytes() == UN_XML
    assert leftovers(tmp_path) == []


def test_size_limit_from_content_length(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = static(UN_XML)
    result = fetch_url(un_target(publisher, max_bytes=100), tmp_path, options(sleeps))
    assert result.status == "failed"
    assert result.reason == "Content-Length 235 exceeds the limit of 100"
    assert not (tmp_path / "sanctions").exists()


def test_size_limit_while_streaming(publisher, sleeps, tmp_path):
    big = b"<?xml version='1.0'?><list>" + b"<e/>" * 20_000 + b"</list>"
    publisher.routes["/un.xml"] = unsized(big)
    result = fetch_url(un_target(publisher, max_bytes=50_000), tmp_path, options(sleeps))
    assert result.status == "failed"
    assert result.reason == "larger than the size limit of 50000 bytes"
    assert leftovers(tmp_path) == [] and not (tmp_path / "sanctions").exists()


def test_xml_without_its_end_fails(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = unsized(UN_XML[:120])
    result = fetch_url(un_target(publisher), tmp_path, options(sleeps))
    assert result.status == "failed"
    assert result.reason == "XML does not end with a closing tag: body incomplete"


def _zip(members: dict[str, bytes]) -> bytes:
    """A zip of ``members`` with a fixed member date: the same bytes in every process (the test
    workers each collect the parametrised tests and must name them alike)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


ODS = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<a/>"})


@pytest.mark.parametrize(
    ("body", "content", "reason"),
    [
        (ODS, "ods", None),
        (_zip({"xl/workbook.xml": b"<w/>"}), "xlsx", None),
        (_zip({"BACI.csv": b"t,i,j,k,v,q\n"}), "zip", None),
        (_zip({"content.xml": b"<a/>"}), "ods", "not an OpenDocument spreadsheet"),
        (ODS, "xlsx", "not an xlsx workbook"),
        (ODS[:-30], "zip", "broken zip file"),
    ],
)
def test_zip_family_checked_whole(publisher, sleeps, tmp_path, body, content, reason):
    publisher.routes["/file"] = static(body)
    target = FetchTarget(publisher.url("/file"), "trade", "baci", "f.zip", content, 10_000)
    result = fetch_url(target, tmp_path, options(sleeps))
    if reason is None:
        assert result.status == "downloaded" and result.path.read_bytes() == body
    else:
        assert result.status == "failed" and reason in result.reason
        assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("head", "content", "reason"),
    [
        (b"", "csv", "empty body"),
        (b'<?xml version="1.0"?>\n<!DOCTYPE html><html>', "xml", "HTML page instead of xml"),
        (b"\xef\xbb\xbf  <HTML><body>", "csv", "HTML page instead of csv"),
        (b"id,name\n", "xml", "not XML"),
        (b"<list/>", "json", "not JSON"),
        (b"{}", "zip", "not a zip (zip) file"),
        (b"PK\x03\x04\x00\x00", "csv", "not CSV text"),
    ],
)
def test_content_check_rejects(head, content, reason):
    with pytest.raises(ContentError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        check_head(head, content)


@pytest.mark.parametrize(
    ("head", "content"),
    [
        (b'\xef\xbb\xbf<?xml version="1.0"?><CONSOLIDATED_LIST/>', "xml"),
        (b'  [{"id": 1}]', "json"),
        (b'{"id": "NK-1"}\n', "json"),
        (SDN_CSV, "csv"),
        (ODS[:64], "ods"),
    ],
)
def test_content_check_accepts(head, content):
    check_head(head, content)


# --- unchanged bytes and replacements ------------------------------------------------------------


def test_unchanged_redownload_writes_no_new_release(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = static(UN_XML)  # no validators: the server always sends 200
    first = fetch_url(un_target(publisher), tmp_path, options(sleeps, day=20))
    again = fetch_url(un_target(publisher), tmp_path, options(sleeps, day=21))
    assert again.status == "unchanged"
    assert again.path == first.path and again.sha256 == sha(UN_XML)
    assert again.reason == "same sha256 as release 2026-11-20"
    assert sorted(p.name for p in (tmp_path / "sanctions" / "un").iterdir()) == ["2026-11-20"]

    publisher.routes["/un.xml"] = static(UN_XML_V2)
    changed = fetch_url(un_target(publisher), tmp_path, options(sleeps, day=22))
    assert changed.status == "downloaded"
    assert changed.path == tmp_path / "sanctions" / "un" / "2026-11-22" / "consolidated.xml"
    assert changed.path.read_bytes() == UN_XML_V2
    assert latest_release(tmp_path / "sanctions" / "un", "consolidated.xml") == changed.path


def test_same_day_change_replaces_the_file_and_its_meta(publisher, sleeps, tmp_path):
    publisher.routes["/un.xml"] = static(UN_XML)
    first = fetch_url(un_target(publisher), tmp_path, options(sleeps, day=20))
    publisher.routes["/un.xml"] = static(UN_XML_V2, '"un-v2"')
    second = fetch_url(un_target(publisher), tmp_path, options(sleeps, day=20))
    assert second.status == "downloaded" and second.path == first.path
    assert first.path.read_bytes() == UN_XML_V2
    meta = json.loads(first.path.with_name("consolidated.xml.meta.json").read_text())
    assert meta["sha256"] == sha(UN_XML_V2) and meta["etag"] == '"un-v2"'
    assert leftovers(tmp_path) == []


# --- the catalogue -------------------------------------------------------------------------------


def seven_zip(member: str, data: bytes) -> bytes:
    """A 7z archive holding ``member``, as Eurostat packs a month."""
    import py7zr

    out = io.BytesIO()
    with py7zr.SevenZipFile(out, mode="w") as archive:
        archive.writestr(data, member)
    return out.getvalue()


def _serve_catalogue(pub: Publisher) -> dict[str, str]:
    """Routes and overrides for every default file, each served a body of its kind."""
    month = seven_zip("full_v2_202609.dat", b"REPORTER,PARTNER\nDE,RU\n")
    bodies = {"csv": SDN_CSV, "xml": UN_XML, "7z": month}
    overrides = {}
    for download in CATALOGUE:
        # The files as asked on the day options() pins: monthly ones for their recent months.
        for remote in remote_files(download, date(2026, 11, 20)):
            path = f"/{download.name}/{remote.file_name}"
            pub.routes[path] = static(bodies.get(remote.content, ODS))
            overrides[f"{download.name}/{remote.file_name}"] = pub.url(path)
    return overrides


def test_fetch_sources_defaults(publisher, sleeps, tmp_path):
    overrides = _serve_catalogue(publisher)
    results = fetch_sources(None, tmp_path, options(sleeps), env={}, url_overrides=overrides)
    by_file = {f"{r.source}/{r.file_name}": r for r in results}

    downloaded = sorted(k for k, r in by_file.items() if r.status == "downloaded")
    assert downloaded == [
        "canada_sema/sema-lmes.xml",
        "csl/consolidated.csv",
        # Comext's three latest months, two months behind the fetch (20 November 2026).
        "eurostat_comext/full_v2_202607.7z",
        "eurostat_comext/full_v2_202608.7z",
        "eurostat_comext/full_v2_202609.7z",
        "ofac_cons/consolidated.xml",
        "ofac_sdn/add.csv",
        "ofac_sdn/alt.csv",
        "ofac_sdn/sdn.csv",
        "uk/UK-Sanctions-List.csv",
        "un/consolidated.xml",
    ]
    sdn = tmp_path / "sanctions" / "ofac_sdn" / "2026-11-20" / "sdn.csv"
    assert by_file["ofac_sdn/sdn.csv"].path == sdn and sdn.read_bytes() == SDN_CSV

    skipped = {k: r.reason for k, r in by_file.items() if r.status == "skipped"}
    assert (
        skipped["eu_fsf/xmlFullSanctionsList_1_1.xml"] == f"set {EU_FSF_TOKEN_ENV} to fetch eu_fsf"
    )
    assert skipped["opensanctions/sanctions/targets.simple.csv"].startswith(
        "fetched only when named (CC BY-NC 4.0"
    )
    assert skipped["baci/BACI_HS17_V202601.zip"].startswith("fetched only when named")
    # Comtrade's API needs its key: one line for the source.
    assert skipped["comtrade/(API query)"] == "set COMTRADE_API_KEY to fetch comtrade"
    assert len(skipped) == 9 and len(results) == 20
    # Neither the opt-in sources nor the token-less ones were asked for anything.
    assert not any(
        p.startswith(("/opensanctions", "/baci", "/eu_fsf", "/comtrade")) for p in publisher.hits
    )
    assert not (tmp_path / "sanctions" / "opensanctions").exists()


def test_opensanctions_only_when_named(publisher, sleeps, tmp_path):
    overrides = _serve_catalogue(publisher)
    results = fetch_sources(
        ["opensanctions/ua_war_sanctions"], tmp_path, options(sleeps), url_overrides=overrides
    )
    assert [(r.source, r.status) for r in results] == [
        ("opensanctions/ua_war_sanctions", "downloaded")
    ]
    expected = "sanctions/opensanctions/ua_war_sanctions/2026-11-20/targets.simple.csv"
    assert results[0].path == tmp_path / expected


def test_eu_fsf_token_from_the_environment_is_never_recorded(publisher, sleeps, tmp_path):
    publisher.routes["/fsf/content"] = static(UN_XML)
    overrides = {"eu_fsf/xmlFullSanctionsList_1_1.xml": publisher.url("/fsf/content?token={token}")}
    env = {EU_FSF_TOKEN_ENV: "s3cr/et&x"}
    [result] = fetch_sources(
        ["eu_fsf"], tmp_path, options(sleeps), env=env, url_overrides=overrides
    )

    query = parse_qs(urlsplit(publisher.requests[0][0]).query)
    assert query == {"token": ["s3cr/et&x"]}
    assert result.status == "downloaded"
    assert result.path == tmp_path / "sanctions/eu_fsf/2026-11-20/xmlFullSanctionsList_1_1.xml"
    assert result.url == publisher.url("/fsf/content?token=REDACTED")
    meta = result.path.with_name(result.path.name + ".meta.json").read_text()
    for text in (meta, (tmp_path / STATE_FILE).read_text()):
        assert "s3cr" not in text and "token=REDACTED" in text


def test_select_by_name_and_group():
    everything, opt_in = select(None)
    assert "un" in [d.name for d in everything]
    assert sorted(d.name for d in opt_in) == [
        "baci",
        "opensanctions/eu_fsf",
        "opensanctions/gb_fcdo_sanctions",
        "opensanctions/sanctions",
        "opensanctions/ua_war_sanctions",
        "opensanctions/us_ofac_sdn",
        "opensanctions/us_trade_csl",
    ]
    group, none_left = select(["opensanctions", "opensanctions/sanctions", "un"])
    assert len(group) == 7 and none_left == []
    assert group[-1].name == "un"
    with pytest.raises(ValueError, match="unknown source 'ofac'"):
        select(["ofac"])


def test_catalogue_folders_follow_the_contract():
    folders = {d.name.split("/")[0] for d in CATALOGUE}
    assert folders == {
        "ofac_sdn",
        "ofac_cons",
        "un",
        "uk",
        "canada_sema",
        "csl",
        "eu_fsf",
        "opensanctions",
        "baci",
        "eurostat_comext",
        "comtrade",
    }
    assert all(f.url.startswith("https://") for d in CATALOGUE for f in d.files)
    assert all(d.query.api.startswith("https://") for d in CATALOGUE if d.query)


def test_redaction_and_summary_line():
    assert (
        redact_url("https://x.org/f?Token=abc&lang=en") == "https://x.org/f?Token=REDACTED&lang=en"
    )
    assert redact_url("https://x.org/f?lang=en") == "https://x.org/f?lang=en"
    failed = FetchResult("un", "consolidated.xml", "u", "failed", reason="HTTP 404 Not Found")
    assert failed.describe() == "failed       un/consolidated.xml (HTTP 404 Not Found)"
    assert not failed.ok
    done = FetchResult("un", "consolidated.xml", "u", "downloaded", path=Path("a/b.xml"))
    assert done.describe() == "downloaded   un/consolidated.xml -> a/b.xml" and done.ok


# --- the release date the publication states -----------------------------------------------------


def sdn_target(pub: Publisher, content="csv", name="sdn.csv"):
    return FetchTarget(pub.url(f"/{name}"), "sanctions", "ofac_sdn", name, content, 10_000)


def test_release_from_last_modified_when_the_file_states_none(publisher, sleeps, tmp_path):
    # A CSV carries no date; the server's Last-Modified (18 Nov) names the release, not the day
    # of the fetch (20 Nov).
    publisher.routes["/sdn.csv"] = static(SDN_CSV, None, LAST_MODIFIED)
    result = fetch_url(sdn_target(publisher), tmp_path, options(sleeps))
    assert result.path == tmp_path / "sanctions/ofac_sdn/2026-11-18/sdn.csv"
    meta = json.loads(result.path.with_name("sdn.csv.meta.json").read_text())
    assert meta["release_date"] == "2026-11-18" and meta["release_date_from"] == "Last-Modified"
    assert meta["retrieved_at"] == "2026-11-20T09:30:00+00:00"
    assert not (tmp_path / "sanctions/ofac_sdn/2026-11-20").exists()


def test_release_stated_in_the_file_wins_over_last_modified(publisher, sleeps, tmp_path):
    ofac = b'<?xml version="1.0"?>\n<sdnList><publshInformation><Publish_Date>11/17/2026'
    ofac += b"</Publish_Date></publshInformation></sdnList>\n"
    publisher.routes["/sdn.xml"] = static(ofac, None, LAST_MODIFIED)
    result = fetch_url(sdn_target(publisher, "xml", "sdn.xml"), tmp_path, options(sleeps))
    assert result.path == tmp_path / "sanctions/ofac_sdn/2026-11-17/sdn.xml"


def test_release_after_the_fetch_falls_back_to_the_day_fetched(publisher, sleeps, tmp_path):
    publisher.routes["/sdn.csv"] = static(SDN_CSV, None, "Thu, 26 Nov 2026 10:00:00 GMT")
    result = fetch_url(sdn_target(publisher), tmp_path, options(sleeps))
    assert result.path == tmp_path / "sanctions/ofac_sdn/2026-11-20/sdn.csv"
