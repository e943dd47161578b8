"""The Comtrade API client against a server on 127.0.0.1: key, totals-only query, spacing,
daily allowance, retries, the record cap (a capped answer is never archived; its query is split
until every part fits), and the archive the comtrade parser reads."""

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
    answer = None  # the body for a query's parameters, when set (instead of body)

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
        answer = type(self).answer
        body = answer(parse_qs(url.query)) if answer else type(self).body
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def api_root():
    Api.requests, Api.plan, Api.body, Api.answer = [], [], FIXTURE.read_bytes(), None
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


ROWS_PER_COMBINATION = 30_000


def sized_answer(params: dict) -> bytes:
    """An API that holds 30,000 records for every period, HS code, partner and flow asked, and
    answers at most 100,000 of them (a capped answer states the cap as its count)."""
    asked = 1
    for name in ("period", "cmdCode", "partnerCode", "flowCode"):
        asked *= len(params[name][0].split(","))
    held = ROWS_PER_COMBINATION * asked
    return json.dumps({"count": min(held, 100_000), "data": []}).encode()


def test_a_capped_answer_is_not_archived_and_its_query_is_split_until_it_fits(api_root, tmp_path):
    Api.answer = staticmethod(sized_answer)
    query = ComtradeQuery(
        "M", 51, ["202201", "202202"], ["8703", "851713"], partner_codes=[643, 112]
    )
    budget = CallBudget(tmp_path, min_interval=0.0, today=lambda: "2026-11-28")
    results = fetch_queries([query], tmp_path, budget=budget, options=FAST, env=ENV,
                            api_root=api_root)  # fmt: skip
    # Worked by hand: 2 periods x 2 codes x 2 partners x 2 flows x 30,000 records is capped; one
    # period (240,000) is capped, one period and code (120,000) too; one period, code and
    # partner (60,000) fits. Asked depth first: the whole query, a period, a code of it, its
    # two partners, the other code, its two partners; the same for the second period.
    asked = [(q["period"][0], q["cmdCode"][0], q["partnerCode"][0]) for q in Api.requests]
    both = "643,112"
    assert asked == [
        ("202201,202202", "8703,851713", both),
        ("202201", "8703,851713", both),
        ("202201", "8703", both),
        ("202201", "8703", "643"),
        ("202201", "8703", "112"),
        ("202201", "851713", both),
        ("202201", "851713", "643"),
        ("202201", "851713", "112"),
        ("202202", "8703,851713", both),
        ("202202", "8703", both),
        ("202202", "8703", "643"),
        ("202202", "8703", "112"),
        ("202202", "851713", both),
        ("202202", "851713", "643"),
        ("202202", "851713", "112"),
    ]
    assert budget.used_today() == 15
    # A call is capped unless it names one partner.
    fits = [partner in ("643", "112") for _, _, partner in asked]
    assert [r.status for r in results] == ["downloaded" if f else "split" for f in fits]
    assert fits.count(True) == 8
    assert all(r.ok for r in results)
    assert all(
        "per-call maximum of 100,000" in r.reason and "asked again in 2 parts" in r.reason
        for r in results
        if r.status == "split"
    )
    # Only the eight answers that fit are in the archive, each stating its month.
    archived = sorted(p for p in tmp_path.rglob("comtrade_*.json") if ".meta." not in p.name)
    assert (
        sorted(r.path for r in results if r.status == "downloaded") == archived
        and len(archived) == 8
    )
    for path in archived:
        assert json.loads(path.read_text())["count"] == 60_000
    months = sorted(path.name.split("_")[3] for path in archived)
    assert months == ["202201"] * 4 + ["202202"] * 4


def test_a_capped_answer_that_cannot_be_split_is_refused_and_not_archived(api_root, tmp_path):
    Api.body = json.dumps({"count": 100000, "data": []}).encode()
    # One period, one code, every partner: only the flows can be split.
    with pytest.raises(ComtradeApiError, match="name the partners") as refused:
        fetch_queries([QUERY], tmp_path, options=FAST, env=ENV, api_root=api_root)
    assert "per-call maximum of 100,000" in str(refused.value)
    assert [q["flowCode"][0] for q in Api.requests] == ["X,M", "X"]  # X alone: refused
    assert not list(tmp_path.rglob("comtrade_*"))
    assert not list(tmp_path.rglob("*.part"))


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
