"""Acquisition of the monthly trade sources against publishers imitated on 127.0.0.1: Eurostat's
Comext bulk files (7-Zip archives, one per month) and UN Comtrade's data API (one call per
reporter and month, the key from the environment): 304, a new release, an error page, a broken
archive, and what lands in the archive is what the parsers read."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dagster as dg
import py7zr
import pytest

from orchestration.acquire.catalogue import CATALOGUE, fetch_sources, recent_months, remote_files
from orchestration.acquire.fetch import ClientOptions
from orchestration.partitions import file_period
from orchestration.sources.common.metadata import RecentMonths
from orchestration.sources.common.registry import discover
from tests.sources.test_fetch import Publisher, publisher, reply, seven_zip, static  # noqa: F401

FIXTURES = Path(__file__).parent / "fixtures" / "trade"
BULK = FIXTURES / "comext_bulk"
COMTRADE_ANSWER = FIXTURES / "comtrade" / "api" / "comtrade_C_M_HS_202201_r51.json"
HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Service unavailable</title></head></html>\n"
COMEXT = next(d for d in CATALOGUE if d.name == "eurostat_comext")
COMTRADE = next(d for d in CATALOGUE if d.name == "comtrade")
# The fetch day: the YAML asks the three months ending two months before it.
DAY = datetime(2022, 4, 15, 9, 0, tzinfo=UTC)
MONTHS = ["202112", "202201", "202202"]


def bulk_rows(path: Path) -> int:
    """Data rows of a bulk file, counted with the csv module."""
    with path.open(newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def options(day: datetime = DAY) -> ClientOptions:
    return ClientOptions(
        max_attempts=2, timeout=5.0, backoff_base=0.01, sleep=lambda s: None, clock=lambda: day
    )


def comext_overrides(pub: Publisher) -> dict[str, str]:
    return {f"eurostat_comext/full_v2_{m}.7z": pub.url(f"/full_v2_{m}.7z") for m in MONTHS}


def serve_comext(
    pub: Publisher, etag: str = '"r1"', modified: str = "Wed, 13 Apr 2022 11:00:00 GMT"
):
    bodies = {}
    for month in MONTHS:
        member = f"full_v2_{month}.dat"
        bodies[month] = seven_zip(member, (BULK / member).read_bytes())
        pub.routes[f"/full_v2_{month}.7z"] = static(bodies[month], etag, modified)
    return bodies


def test_the_recent_months_end_the_lag_before_the_fetch():
    assert recent_months(RecentMonths(recent=3, lag=2), date(2022, 4, 15)) == MONTHS
    assert recent_months(RecentMonths(recent=2, lag=0), date(2023, 1, 1)) == ["202212", "202301"]
    names = [f.file_name for f in remote_files(COMEXT, date(2022, 4, 15))]
    assert names == [f"full_v2_{m}.7z" for m in MONTHS]
    # Each file states its month, for the trade partitions.
    assert file_period("full_v2_202201.7z") == (date(2022, 1, 1), date(2022, 2, 1))


def test_comext_months_arrive_checked_dated_and_readable(publisher, tmp_path):  # noqa: F811
    archive = tmp_path / "raw"
    bodies = serve_comext(publisher)
    results = fetch_sources(
        ["eurostat_comext"], archive, options(), url_overrides=comext_overrides(publisher)
    )
    assert [r.status for r in results] == ["downloaded"] * 3, [r.reason for r in results]
    # The release is the date the publisher's Last-Modified states.
    folder = archive / "trade" / "eurostat_comext" / "2022-04-13"
    for month in MONTHS:
        path = folder / f"full_v2_{month}.7z"
        assert path.read_bytes() == bodies[month]
        meta = json.loads((folder / f"full_v2_{month}.7z.meta.json").read_text())
        assert meta["sha256"] == hashlib.sha256(bodies[month]).hexdigest()
        assert (meta["release_date"], meta["release_date_from"]) == ("2022-04-13", "Last-Modified")

    # The archive is an inputs directory: the comext parser reads each month from its archive.
    from orchestration.sources import source_specs

    spec = source_specs("comext")[0]
    files = discover(archive).for_source("comext")
    assert sorted(f.path.name for f in files) == [f"full_v2_{m}.7z" for m in MONTHS]
    for file in files:
        parsed = spec.parse(file)
        assert not parsed.quarantine
        assert parsed.tables["bulk"].height == bulk_rows(
            BULK / file.path.name.replace(".7z", ".dat")
        )

    # Asked again: conditional requests, answered 304, nothing new.
    again = fetch_sources(
        ["eurostat_comext"], archive, options(), url_overrides=comext_overrides(publisher)
    )
    assert [r.status for r in again] == ["not_modified"] * 3
    assert all(h.get("If-None-Match") == '"r1"' for _, h in publisher.requests[-3:])

    # Eurostat revises February: new bytes, a later Last-Modified, a new release folder.
    revised = (BULK / "full_v2_202202.dat").read_bytes() + b"LV,KG,01012100,2,T,202202,1000\n"
    publisher.routes["/full_v2_202202.7z"] = static(
        seven_zip("full_v2_202202.dat", revised), '"r2"', "Fri, 15 Apr 2022 07:00:00 GMT"
    )
    third = fetch_sources(
        ["eurostat_comext"], archive, options(), url_overrides=comext_overrides(publisher)
    )
    assert [r.status for r in third] == ["not_modified", "not_modified", "downloaded"]
    assert (archive / "trade/eurostat_comext/2022-04-15/full_v2_202202.7z").exists()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (HTML_PAGE, "served an HTML page instead of 7z data"),
        (b"REPORTER,PARTNER\nDE,RU\n", "not a 7z archive"),
        ("broken", "broken 7z archive"),
    ],
    ids=["html-error-page", "not-7z", "damaged-archive"],
)
def test_a_bad_month_fails_the_source_and_archives_nothing(publisher, tmp_path, body, reason):  # noqa: F811
    serve_comext(publisher)
    if body == "broken":
        whole = seven_zip("full_v2_202201.dat", (BULK / "full_v2_202201.dat").read_bytes())
        # The packed data damaged in the middle: the signature and length are right.
        middle = len(whole) // 2
        body = (
            whole[:middle]
            + bytes(b ^ 0xFF for b in whole[middle : middle + 16])
            + whole[middle + 16 :]
        )
    publisher.routes["/full_v2_202201.7z"] = static(body)
    results = fetch_sources(
        ["eurostat_comext"], tmp_path / "raw", options(), url_overrides=comext_overrides(publisher)
    )
    failed = [r for r in results if not r.ok]
    assert [r.file_name for r in failed] == ["full_v2_202201.7z"]
    assert reason in failed[0].reason
    assert not list((tmp_path / "raw").rglob("full_v2_202201.7z"))


def comtrade_api(pub: Publisher, body: bytes, etag: str = '"c1"'):
    def route(h, hit):
        if h.headers.get("If-None-Match") == etag:
            reply(h, 304, length=None)
            return
        query = parse_qs(urlsplit(h.path).query)
        if query.get("subscription-key") != ["test-key"]:
            answer = {
                "statusCode": 401,
                "message": "Access denied due to invalid subscription key.",
            }
            reply(h, 401, json.dumps(answer).encode(), headers={"Content-Type": "application/json"})
            return
        reply(h, 200, body, headers={"Content-Type": "application/json", "ETag": etag})

    pub.routes["/data/v1/get/C/M/HS"] = route


def comtrade_overrides(pub: Publisher) -> dict[str, str]:
    """Each call of the query, pointed at the test server with its own parameters."""
    overrides = {}
    for remote in remote_files(COMTRADE, DAY.date()):
        query = urlsplit(remote.url).query
        overrides[f"comtrade/{remote.file_name}"] = (
            pub.url("/data/v1/get/C/M/HS") + "?" + query.replace("{token}", "test-key")
        )
    return overrides


def test_comtrade_query_is_asked_per_reporter_and_month(publisher, tmp_path):  # noqa: F811
    body = COMTRADE_ANSWER.read_bytes()
    comtrade_api(publisher, body)
    archive = tmp_path / "raw"
    env = {"COMTRADE_API_KEY": "test-key"}
    overrides = comtrade_overrides(publisher)
    results = fetch_sources(["comtrade"], archive, options(), env=env, url_overrides=overrides)
    assert [r.status for r in results] == ["downloaded"] * 6, [r.reason for r in results]
    # Every call asked the configured reporters, partner, codes and flows for one month.
    asked = [parse_qs(urlsplit(path).query) for path, _ in publisher.requests]
    assert sorted((q["reporterCode"][0], q["period"][0]) for q in asked) == sorted(
        (r, m) for r in ("51", "268") for m in MONTHS
    )
    assert {q["partnerCode"][0] for q in asked} == {"643"}
    assert {q["cmdCode"][0] for q in asked} == {"8703,851713"}
    # The key never reaches the archive.
    assert not any(b"test-key" in p.read_bytes() for p in archive.rglob("*") if p.is_file())
    # The answer is archived under the name that states its query's month.
    path = results[0].path
    assert path.name.startswith("comtrade_M_51_202112_") and path.read_bytes() == body
    assert file_period(path.name) == (date(2021, 12, 1), date(2022, 1, 1))
    assert sorted(f.path for f in discover(archive).for_source("comtrade")) == sorted(
        r.path for r in results
    )

    # Again: a conditional request for every call, answered 304.
    again = fetch_sources(["comtrade"], archive, options(), env=env, url_overrides=overrides)
    assert [r.status for r in again] == ["not_modified"] * 6


def test_scheduled_comtrade_calls_count_against_the_daily_allowance(publisher, tmp_path):  # noqa: F811
    comtrade_api(publisher, COMTRADE_ANSWER.read_bytes())
    archive = tmp_path / "raw"
    archive.mkdir()
    # 498 of the 500 calls a day already spent (by `roundabout comtrade`, say): two calls left.
    today = datetime.now(UTC).date().isoformat()
    (archive / ".comtrade-usage.json").write_text(json.dumps({today: 498}))
    env = {"COMTRADE_API_KEY": "test-key"}
    results = fetch_sources(
        ["comtrade"], archive, options(), env=env, url_overrides=comtrade_overrides(publisher)
    )
    assert [r.status for r in results] == ["downloaded"] * 2 + ["failed"] * 4
    assert all("daily allowance of 500 Comtrade calls used" in r.reason for r in results[2:])
    assert len(publisher.requests) == 2
    assert json.loads((archive / ".comtrade-usage.json").read_text()) == {today: 500}


def test_a_capped_comtrade_answer_is_not_archived_and_asked_again_by_hs_code(publisher, tmp_path):  # noqa: F811
    # A publisher holding 60,000 records per HS code for each reporter and month: a call for
    # both of the YAML's codes reaches the 100,000 cap, a call for one code fits.
    def route(h, hit):
        codes = parse_qs(urlsplit(h.path).query)["cmdCode"][0].split(",")
        body = json.dumps({"count": min(60_000 * len(codes), 100_000), "data": []}).encode()
        reply(h, 200, body, headers={"Content-Type": "application/json"})

    publisher.routes["/data/v1/get/C/M/HS"] = route
    archive = tmp_path / "raw"
    env = {"COMTRADE_API_KEY": "test-key"}
    results = fetch_sources(
        ["comtrade"], archive, options(), env=env, url_overrides=comtrade_overrides(publisher)
    )
    asked = [parse_qs(urlsplit(path).query) for path, _ in publisher.requests]
    # Each of the 6 calls (2 reporters x 3 months) capped, then asked once per code.
    assert len(asked) == 18
    assert [q["cmdCode"][0] for q in asked] == ["8703,851713", "8703", "851713"] * 6
    assert all(q["subscription-key"] == ["test-key"] for q in asked)
    assert [r.status for r in results] == ["split", "downloaded", "downloaded"] * 6
    assert all("per-call maximum of 100,000" in r.reason for r in results if r.status == "split")
    assert all(r.ok for r in results)  # the source succeeds: every part was had
    # What the archive holds: the 12 answers that fit, each named for its month.
    found = sorted(f.path for f in discover(archive).for_source("comtrade"))
    assert found == sorted(r.path for r in results if r.status == "downloaded") and len(found) == 12
    assert sorted(file_period(path.name)[0].strftime("%Y%m") for path in found) == sorted(
        MONTHS * 4
    )


def test_comtrade_without_a_key_is_skipped_with_a_line_saying_so(tmp_path):
    results = fetch_sources(["comtrade"], tmp_path / "raw", options(), env={})
    assert [(r.status, r.reason) for r in results] == [
        ("skipped", "set COMTRADE_API_KEY to fetch comtrade")
    ]


def test_comtrade_error_answer_fails_the_source(publisher, tmp_path):  # noqa: F811
    comtrade_api(publisher, COMTRADE_ANSWER.read_bytes())
    env = {"COMTRADE_API_KEY": "wrong-key"}
    overrides = {
        k: v.replace("test-key", "wrong-key") for k, v in comtrade_overrides(publisher).items()
    }
    results = fetch_sources(
        ["comtrade"], tmp_path / "raw", options(), env=env, url_overrides=overrides
    )
    assert results and all(r.status == "failed" for r in results)
    assert "HTTP 401" in results[0].reason


def test_monthly_schedules_for_comext_and_comtrade():
    from orchestration.definitions import defs

    schedules = {s.name: s for s in defs.schedules}
    for name in ("acquire_comext_monthly", "acquire_comtrade_monthly"):
        assert schedules[name].cron_schedule == "0 4 5 * *"
        assert schedules[name].default_status == dg.DefaultScheduleStatus.STOPPED
    graph = defs.resolve_asset_graph()
    raw = graph.get(dg.AssetKey(["raw", "comext__bulk"]))
    assert dg.AssetKey(["acquire", "comext"]) in raw.parent_keys


def test_a_damaged_archive_in_the_inputs_is_refused_by_name(tmp_path):
    from orchestration.sources import source_specs
    from orchestration.sources.common.base import SourceParseError

    folder = tmp_path / "trade" / "eurostat_comext"
    folder.mkdir(parents=True)
    whole = seven_zip("full_v2_202201.dat", (BULK / "full_v2_202201.dat").read_bytes())
    (folder / "full_v2_202201.7z").write_bytes(whole[: len(whole) // 2])
    two = io.BytesIO()
    with py7zr.SevenZipFile(two, mode="w") as archive:
        archive.writestr(b"a", "a.dat")
        archive.writestr(b"b", "b.dat")
    (folder / "full_v2_202202.7z").write_bytes(two.getvalue())
    spec = source_specs("comext")[0]
    damaged, doubled = sorted(discover(tmp_path).for_source("comext"), key=lambda f: f.path.name)
    with pytest.raises(SourceParseError, match="not a valid 7z archive") as err:
        spec.parse(damaged)
    assert "trade/eurostat_comext/full_v2_202201.7z" in str(err.value)
    with pytest.raises(
        SourceParseError, match="expected one file in the 7z archive, found 2"
    ) as err:
        spec.parse(doubled)
    # Said as what it is, not wrapped as a broken archive.
    assert "not a valid 7z archive" not in str(err.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("months"), "download.query needs download.months"),
        (lambda d: d["query"].update(frequency="A"), "frequency must be M"),
        (lambda d: d["query"].update(reporters=[]), "reporters must be a non-empty list"),
        (lambda d: d.update(files=[{"url": "https://x", "file": "x.json", "content": "json"}]),
         "both files and query"),
        (lambda d: d["months"].update(recent=0), "months.recent must be a whole number"),
    ],
)  # fmt: skip
def test_a_wrong_query_or_months_entry_is_named(tmp_path, change, message):
    import yaml

    from orchestration.sources.common.metadata import SOURCES_DIR, SourceMetadataError, load

    source = SOURCES_DIR / "comtrade" / "comtrade.yml"
    data = yaml.safe_load(source.read_text())
    change(data["download"])
    path = tmp_path / "comtrade" / "comtrade.yml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(SourceMetadataError, match=message) as err:
        load(path)
    assert str(path) in str(err.value)


def test_a_monthly_download_left_out_names_the_months_it_would_have_asked(tmp_path):
    # Comext as if it were fetched only when named: left out, each month's file said by name.
    opt_in = replace(COMEXT, opt_in="named only, for this test")
    results = fetch_sources(None, tmp_path / "raw", options(), catalogue=[opt_in])
    assert [(r.file_name, r.status) for r in results] == [
        (f"full_v2_{month}.7z", "skipped") for month in MONTHS
    ]
    assert not any("{month}" in r.url for r in results)
