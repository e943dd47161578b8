"""A living warehouse, end to end: the publisher (a server this test starts on 127.0.0.1) puts
out a new OFAC SDN release; the acquisition asset fetches it into the home's archive, the
release sensor asks for a refresh, and the refresh run ingests it, rebuilds what depends on it,
publishes, screens again and exports; the list-change mart shows what changed."""

from __future__ import annotations

import csv
import io
import threading

import dagster as dg
import duckdb
import pytest

from orchestration.acquire.run import fetch
from orchestration.settings import SAMPLE_INPUTS, RoundaboutSettings, Settings
from tests.sources.test_fetch import Publisher, static

pytestmark = pytest.mark.slow

SAMPLE_SDN = SAMPLE_INPUTS / "sanctions" / "ofac_sdn"
# A listing in OFAC's legacy CSV layout, written for this test (no such entity exists).
NEW_ENTRY = (
    b'99990001,"ROUNDABOUT TEST TRADING LLC",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,'
    b"-0- ,-0- ,-0- \r\n"
)
RELEASED = "Mon, 15 Jan 2024 18:00:00 GMT"  # the Last-Modified of the new release


def _ids(body: bytes) -> set[str]:
    text = body.decode("latin-1").removesuffix("\x1a")
    return {row[0] for row in csv.reader(io.StringIO(text)) if row}


# Two warehouse builds in one test when it is the first to need the sample: the sample itself
# (a shared fixture) and the refresh.
@pytest.mark.timeout(1800)
def test_new_release_flows_from_the_publisher_to_the_marts(sample_home_copy):
    previous = (SAMPLE_SDN / "2023-12-28" / "sdn.csv").read_bytes()
    # OFAC ends its files with an end-of-file byte (0x1A) after the last line.
    eof = b"\x1a" if previous.endswith(b"\x1a") else b""
    lines = previous.removesuffix(eof).splitlines(keepends=True)
    # The new release: the previous one without its first entry, plus one new entry.
    new_sdn = b"".join(lines[1:]) + NEW_ENTRY + eof
    added, removed = _ids(new_sdn) - _ids(previous), _ids(previous) - _ids(new_sdn)
    assert added == {"99990001"} and len(removed) == 1

    publisher = Publisher()
    server = dg_server(publisher)
    try:
        publisher.routes["/sdn.csv"] = static(new_sdn, '"sdn-2024"', RELEASED)
        for name in ("add", "alt"):
            body = (SAMPLE_SDN / "2021-04-25" / f"{name}.csv").read_bytes()
            publisher.routes[f"/{name}.csv"] = static(body, f'"{name}-2024"', RELEASED)
        overrides = {f"ofac_sdn/{n}.csv": publisher.url(f"/{n}.csv") for n in ("sdn", "add", "alt")}
        settings = Settings(home=sample_home_copy, inputs=SAMPLE_INPUTS)
        instance = dg.DagsterInstance.ephemeral()

        fetched = fetch(settings, ["ofac_sdn"], downloads={"url_overrides": overrides},
                        instance=instance)  # fmt: skip
        assert fetched.ok, fetched.failed
    finally:
        server.shutdown()
        server.server_close()
    archived = sample_home_copy / "raw" / "sanctions" / "ofac_sdn" / "2024-01-15" / "sdn.csv"
    assert archived.read_bytes() == new_sdn

    from orchestration.assets.sensors import ingest_new_releases
    from orchestration.definitions import defs
    from orchestration.resources import Downloads

    with dg.build_sensor_context(
        instance=instance,
        resources={"settings": RoundaboutSettings.of(settings), "downloads": Downloads()},
    ) as context:
        request = ingest_new_releases(context)
    assert isinstance(request, dg.RunRequest)

    result = defs.resolve_job_def("refresh").execute_in_process(
        run_config=request.run_config, instance=instance, tags=request.tags, raise_on_error=False
    )
    assert result.success, [e.message for e in result.get_step_failure_events()]
    done = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert {
        "raw/ofac_sdn__sdn",  # ingested
        "marts/dim_sanctioned_entity",  # rebuilt
        "marts/fct_sanctions_list_changes",
        "warehouse/published",  # published
        "raw/screening__runs",  # screened again
        "exports/marts",  # exported
    } <= done

    with duckdb.connect(str(sample_home_copy / "warehouse.duckdb"), read_only=True) as con:
        changes = con.execute(
            "select change, source_id from marts.fct_sanctions_list_changes "
            "where list = 'ofac_sdn' and release_date = date '2024-01-15' "
            "and change in ('added', 'removed')"
        ).fetchall()
        name = con.execute(
            "select count(*) from marts.dim_sanctioned_name "
            "where name ilike 'ROUNDABOUT TEST TRADING%'"
        ).fetchone()[0]
    assert {s for c, s in changes if c == "added"} == added
    assert {s for c, s in changes if c == "removed"} == removed
    assert name >= 1
    assert (sample_home_copy / "exports" / "marts.fct_sanctions_list_changes.parquet").exists()


def dg_server(publisher: Publisher):
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), publisher.handler())
    server.daemon_threads = True
    publisher.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    return server
