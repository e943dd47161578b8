"""Acquisition as assets, against a publisher imitated on 127.0.0.1: `roundabout fetch`
materialises the acquisition assets; 304, a new release, 503 then 200, an HTML error page and a
truncated body; offline sources fail at once with one line each; the schedules per cadence; the
release sensor; the failure webhook."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import dagster as dg
import pytest

from orchestration.acquire.run import fetch
from orchestration.settings import Settings
from tests.sources.test_fetch import (
    UN_XML,
    UN_XML_V2,
    Publisher,
    _closed_port,
    reply,
    static,
    truncated,
)

UN_KEY = dg.AssetKey(["acquire", "un"])
HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Maintenance</title></head></html>\n"


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
def settings(tmp_path) -> Settings:
    return Settings(home=tmp_path / "home", inputs=tmp_path / "inputs")


def un_downloads(pub: Publisher, path: str = "/un.xml") -> dict:
    return {
        "url_overrides": {"un/consolidated.xml": pub.url(path)},
        "backoff_base": 0.01,
        "timeout": 5.0,
    }


def test_fetch_materialises_the_acquisition_asset(publisher, settings):
    publisher.routes["/un.xml"] = static(UN_XML, '"v1"')
    instance = dg.DagsterInstance.ephemeral()
    run = fetch(settings, ["un"], downloads=un_downloads(publisher), instance=instance)
    assert run.ok and run.fetched_any
    # The release is the date the list states (dateGenerated="2026-11-20...").
    path = settings.raw_archive / "sanctions/un/2026-11-20/consolidated.xml"
    assert path.read_bytes() == UN_XML
    [record] = instance.fetch_materializations(UN_KEY, limit=10).records
    metadata = record.asset_materialization.metadata
    assert metadata["new_release"].value is True
    assert metadata["latest_release"].value == "2026-11-20"
    assert metadata["sha256"].value == {"un/consolidated.xml": hashlib.sha256(UN_XML).hexdigest()}

    # The same publication again: a conditional request, answered 304, no new release.
    again = fetch(settings, ["un"], downloads=un_downloads(publisher), instance=instance)
    assert again.ok and again.lines[0].startswith("not_modified")
    assert publisher.requests[-1][1].get("If-None-Match") == '"v1"'
    latest = instance.fetch_materializations(UN_KEY, limit=1).records[0]
    assert latest.asset_materialization.metadata["new_release"].value is False

    # A new release (200 with new bytes, stating 2026-11-22) lands beside the first.
    publisher.routes["/un.xml"] = static(UN_XML_V2, '"v2"')
    third = fetch(settings, ["un"], downloads=un_downloads(publisher), instance=instance)
    assert third.ok and third.lines[0].startswith("downloaded")
    assert (settings.raw_archive / "sanctions/un/2026-11-22/consolidated.xml").exists()
    latest = instance.fetch_materializations(UN_KEY, limit=1).records[0]
    assert latest.asset_materialization.metadata["new_release"].value is True


def test_503_then_200_is_retried(publisher, settings):
    def flaky(h: BaseHTTPRequestHandler, hit: int) -> None:
        if hit == 1:
            reply(h, 503, b"busy")
        else:
            static(UN_XML)(h, hit)

    publisher.routes["/un.xml"] = flaky
    run = fetch(settings, ["un"], downloads=un_downloads(publisher))
    assert run.ok and publisher.hits["/un.xml"] == 2


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (static(HTML_PAGE), "served an HTML page instead of xml data"),
        (truncated(UN_XML[:100], declared=len(UN_XML)), "body truncated or interrupted"),
    ],
    ids=["html-error-page", "truncated-body"],
)
def test_bad_bodies_fail_the_asset_and_archive_nothing(publisher, settings, route, reason):
    publisher.routes["/un.xml"] = route
    run = fetch(settings, ["un"], downloads={**un_downloads(publisher), "max_attempts": 2})
    assert not run.ok and not run.fetched_any
    [line] = run.failed
    assert line.startswith("un: ") and reason in line
    assert not list(settings.raw_archive.rglob("consolidated.xml"))


def test_offline_fails_fast_with_one_line_per_source(settings):
    port = _closed_port()
    overrides = {
        f"ofac_sdn/{name}": f"http://127.0.0.1:{port}/{name}" for name in ("sdn.csv", "add.csv",
                                                                          "alt.csv")
    }  # fmt: skip
    overrides["un/consolidated.xml"] = f"http://127.0.0.1:{port}/un.xml"
    started = time.monotonic()
    run = fetch(settings, ["un", "ofac_sdn"], downloads={"url_overrides": overrides})
    assert time.monotonic() - started < 60
    assert not run.ok and not run.fetched_any
    assert sorted(line.split(":")[0] for line in run.failed) == ["ofac_sdn", "un"]
    assert all("cannot reach 127.0.0.1" in line for line in run.failed)
    assert not settings.raw_archive.exists() or not any(settings.raw_archive.rglob("*.csv"))


def test_cli_fetch_offline_names_each_source_and_suggests_nothing(tmp_path, capsys, monkeypatch):
    from orchestration import cli

    port = _closed_port()
    # The CLI reaches the same assets; the publisher URL is pointed at a closed port.
    import orchestration.acquire.run as run_module

    real = run_module.fetch

    def offline(settings, names, archive=None, downloads=None, instance=None):
        urls = {"un/consolidated.xml": f"http://127.0.0.1:{port}/un.xml"}
        return real(settings, names, archive, {"url_overrides": urls}, instance)

    monkeypatch.setattr(run_module, "fetch", offline)
    code = cli.main(["--home", str(tmp_path / "home"), "fetch", "--source", "un"])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.strip().splitlines() == [
        f"roundabout fetch: FAILED un: cannot reach 127.0.0.1: [Errno 111] Connection refused "
        f"(http://127.0.0.1:{port}/un.xml)"
    ]
    assert "ingest it with" not in out


# --- schedules ----------------------------------------------------------------------------------


def test_one_schedule_per_source_at_its_cadence_off_by_default():
    from orchestration.assets.acquisition import SOURCES
    from orchestration.definitions import defs

    schedules = {s.name: s for s in defs.schedules if s.name.startswith("acquire_")}
    assert len(schedules) == len(SOURCES)
    assert schedules["acquire_un_daily"].cron_schedule == "0 4 * * *"
    assert schedules["acquire_ofac_sdn_daily"].cron_schedule == "0 4 * * *"
    assert schedules["acquire_baci_yearly"].cron_schedule == "0 4 1 2 *"
    for schedule in schedules.values():
        assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    assert schedules["acquire_un_daily"].job_name == "acquire_un"


def test_cadence_words_of_the_yaml():
    from dataclasses import replace

    from orchestration.assets.schedules import cadence_of
    from orchestration.sources.common.metadata import all_metadata

    comext = next(m for m in all_metadata() if m.folder == "comext")  # "monthly"
    assert cadence_of(comext) == "monthly"
    assert (
        cadence_of(replace(comext, cadence="monthly and annual as countries report")) == "monthly"
    )
    assert cadence_of(replace(comext, cadence="yearly (January release)")) == "yearly"
    un = next(m for m in all_metadata() if m.folder == "un")
    assert cadence_of(un) == "daily"  # "irregular, on each committee decision"


# --- the release sensor -------------------------------------------------------------------------


def _sensor(instance, settings, cursor=None):
    from orchestration.assets.sensors import ingest_new_releases
    from orchestration.resources import Downloads
    from orchestration.settings import RoundaboutSettings

    with dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources={"settings": RoundaboutSettings.of(settings), "downloads": Downloads()},
    ) as context:
        return ingest_new_releases(context), context


def test_sensor_requests_a_refresh_only_for_a_new_release(publisher, settings):
    instance = dg.DagsterInstance.ephemeral()
    publisher.routes["/un.xml"] = static(UN_XML, '"v1"')
    fetch(settings, ["un"], downloads=un_downloads(publisher), instance=instance)

    request, context = _sensor(instance, settings)
    assert isinstance(request, dg.RunRequest)
    config = request.run_config["resources"]["settings"]["config"]
    assert config["inputs"] == str(settings.raw_archive)  # ingest what was fetched
    assert config["home"] == str(settings.home)
    assert request.tags["roundabout/new_releases"] == "acquire/un"

    # Nothing new since: the 304 materialisation records no release.
    fetch(settings, ["un"], downloads=un_downloads(publisher), instance=instance)
    skipped, context = _sensor(instance, settings, context.cursor)
    assert isinstance(skipped, dg.SkipReason)


def test_refresh_job_is_everything_but_acquisition():
    from orchestration.definitions import defs

    refresh = defs.resolve_job_def("refresh")
    keys = refresh.asset_layer.executable_asset_keys
    assert dg.AssetKey(["exports", "marts"]) in keys
    assert dg.AssetKey(["raw", "screening__runs"]) in keys
    assert dg.AssetKey(["warehouse", "published"]) in keys
    assert not any(k.path[0] == "acquire" for k in keys)
    pipeline_keys = defs.resolve_job_def("pipeline").asset_layer.executable_asset_keys
    assert pipeline_keys == keys - {dg.AssetKey(["exports", "marts"])}


# --- failure notification -----------------------------------------------------------------------


class Webhook:
    def __init__(self) -> None:
        self.posts: list[dict] = []

    def handler(self):
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.posts.append(json.loads(body))
                reply(self, 204)

            def log_message(self, *args) -> None:
                pass

        return Handler


def test_failed_run_is_posted_to_the_webhook(tmp_path):
    from orchestration.assets.sensors import notify_on_failure
    from orchestration.resources import Notifier

    hook = Webhook()
    server = ThreadingHTTPServer(("127.0.0.1", 0), hook.handler())
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    try:

        @dg.asset
        def broken():
            raise ValueError("the publisher's file has no header line")

        instance = dg.DagsterInstance.ephemeral()
        result = dg.materialize([broken], instance=instance, raise_on_error=False)
        assert not result.success
        [failure] = [
            e
            for e in instance.all_logs(result.run_id)
            if e.dagster_event and e.dagster_event.event_type == dg.DagsterEventType.RUN_FAILURE
        ]
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        context = dg.build_run_status_sensor_context(
            sensor_name="notify_on_failure",
            dagster_event=failure.dagster_event,
            dagster_instance=instance,
            dagster_run=instance.get_run_by_id(result.run_id),
            resources={"notifier": Notifier(webhook_url=url)},
        ).for_run_failure()
        notify_on_failure(context)
    finally:
        server.shutdown()
        server.server_close()
    [post] = hook.posts
    assert post["run_id"] == result.run_id
    assert post["failed_steps"] == [
        {"step": "broken", "reason": "ValueError: the publisher's file has no header line"}
    ]
    assert "ValueError: the publisher's file has no header line" in post["text"]


def test_no_webhook_configured_posts_nothing():
    from orchestration.resources import Notifier

    assert Notifier().notify({"text": "x"}) is False


def test_schedules_and_release_sensor_switch_on_for_a_service():
    from orchestration.assets.schedules import automation_on

    assert automation_on({"ROUNDABOUT_SCHEDULES": "on"})
    assert not automation_on({})
    assert not automation_on({"ROUNDABOUT_SCHEDULES": "off"})


def test_full_refresh_is_a_settings_flag(tmp_path):
    from dataclasses import replace
    from types import SimpleNamespace

    from orchestration.assets.transform import ASKED, dbt_models, full_refresh_reasons

    trade_flows = dg.AssetKey(["marts", "fct_trade_flows"])
    context = SimpleNamespace(selected_asset_keys=set(dbt_models.keys))
    settings = Settings(home=tmp_path, inputs=tmp_path)
    # No published warehouse: nothing to rebuild unless asked.
    assert full_refresh_reasons(context, tmp_path / "target", settings) == {}
    asked = full_refresh_reasons(context, tmp_path / "target", replace(settings, full_refresh=True))
    assert asked[trade_flows] == ("fct_trade_flows", ASKED)
