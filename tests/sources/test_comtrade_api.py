"""The Comtrade API client against a server on 127.0.0.1: key, totals-only query, spacing,
daily allowance, retries, record cap, and the archive the comtrade parser reads."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from orchestration.acquire.comtrade_api import (
    CallBudget,
    ComtradeApiError,
    ComtradeQuery,
    fetch_queries,
)
from orchestration.acquire.fetch import ClientOptions
from orchestration.sources.common.registry import discover

FIXTURE = Path("tests/fixtures/trade/comtrade/api/comtrade_C_M_HS_202201_r51.json")
QUERY = ComtradeQuery(frequency="M", reporter_code=51, periods=["202201"], cmd_codes=["8703"])


class Api(BaseHTTPRequestHandler):
    requests: list[dict] = []
    plan: list[int] = []  # statuses to answer before the data, e.g. [429]
    body: bytes = FIXTURE.read_bytes()

    def do_GET(self):  # noqa: N802 - the handler's protocol name
        url = urlparse(self.path)
        type(self).requests.append({"path": url.path, **parse_qs(url.query)})
        if type(self).plan:
            status = type(self).plan.pop(0)
            self.send_response(status)
            self.send_header("Retry-After", "0")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(type(self).body)))
        self.end_headers()
        self.wfile.write(type(self).body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def api_root():
    Api.requests, Api.plan, Api.body = [], [], FIXTURE.read_bytes()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/data/v1/get/C"
    server.shutdown()


FAST = ClientOptions(backoff_base=0.0, sleep=lambda s: None)
ENV = {"COMTRADE_API_KEY": "secret-key"}


def test_query_is_totals_only_with_the_key_from_the_environment(api_root, tmp_path):
    results = fetch_queries([QUERY], tmp_path, options=FAST, env=ENV, api_root=api_root)
    assert [r.status for r in results] == ["downloaded"]
    sent = Api.requests[0]
    assert sent["path"] == "/data/v1/get/C/M/HS"
    assert sent["subscription-key"] == ["secret-key"]
    assert sent["reporterCode"] == ["51"] and sent["period"] == ["202201"]
    assert sent["partner2Code"] == ["0"] and sent["customsCode"] == ["C00"]
    assert sent["motCode"] == ["0"] and sent["flowCode"] == ["X,M"]
    assert "secret-key" not in results[0].url
    path = results[0].path
    assert path.read_bytes() == FIXTURE.read_bytes()
    # Archived where the comtrade parser finds it.
    found = discover(tmp_path)
    assert [f.path for f in found.for_source("comtrade")] == [path]


def test_without_a_key_nothing_is_sent(api_root, tmp_path):
    with pytest.raises(ComtradeApiError, match="set COMTRADE_API_KEY"):
        fetch_queries([QUERY], tmp_path, options=FAST, env={}, api_root=api_root)
    assert Api.requests == []


def test_calls_are_spaced_and_counted_per_day(api_root, tmp_path):
    slept: list[float] = []
    ticks = iter([0.0, 0.2, 0.2, 5.0, 5.0])
    budget = CallBudget(
        tmp_path,
        min_interval=1.0,
        sleep=slept.append,
        clock=lambda: next(ticks),
        today=lambda: "2026-11-28",
    )
    queries = [
        QUERY,
        ComtradeQuery("M", 51, ["202202"], ["8703"]),
        ComtradeQuery("M", 51, ["202203"], ["8703"]),
    ]
    fetch_queries(queries, tmp_path, budget=budget, options=FAST, env=ENV, api_root=api_root)
    assert slept == [pytest.approx(0.8)]  # the second call came 0.2 s after the first
    assert budget.used_today() == 3
    full = CallBudget(tmp_path, per_day=3, today=lambda: "2026-11-28")
    with pytest.raises(ComtradeApiError, match="daily allowance of 3 Comtrade calls used"):
        fetch_queries([QUERY], tmp_path, budget=full, options=FAST, env=ENV, api_root=api_root)
    assert len(Api.requests) == 3


def test_rate_limited_answer_is_retried(api_root, tmp_path):
    Api.plan = [429, 503]
    results = fetch_queries([QUERY], tmp_path, options=FAST, env=ENV, api_root=api_root)
    assert results[0].status == "downloaded" and results[0].attempts == 3


def test_an_answer_at_the_record_cap_fails(api_root, tmp_path):
    Api.body = json.dumps({"count": 100000, "data": []}).encode()
    with pytest.raises(ComtradeApiError, match="per-call maximum"):
        fetch_queries([QUERY], tmp_path, options=FAST, env=ENV, api_root=api_root)


def test_command_without_a_key_says_so(tmp_path, monkeypatch, capsys):
    from orchestration.cli import main

    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    args = [
        "--home",
        str(tmp_path),
        "comtrade",
        "--reporter",
        "51",
        "--period",
        "2022",
        "--cmd",
        "8703",
    ]
    assert main(args) == 2
    assert "set COMTRADE_API_KEY" in capsys.readouterr().err
    assert not (tmp_path / "raw" / "trade").exists()
