"""The HTML report on a small hand-made warehouse: self-contained, drawn in a real browser
(headless Chromium), the headline figures those worked out from tests/report/small_warehouse.py."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import main
from orchestration.report import build_report
from tests.report import small_warehouse
from tests.report.browser import open_report, require_chromium

CHARTS = 8  # transit hubs 3, suppliers 2, lines 1, list changes 1, screening 1


@pytest.fixture(autouse=True)
def cli_env(monkeypatch):
    for name in ("ROUNDABOUT_HOME", "ROUNDABOUT_INPUTS", "ROUNDABOUT_BUILD_DB", "DAGSTER_HOME"):
        monkeypatch.setenv(name, os.environ.get(name, ""))
        monkeypatch.delenv(name)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("home")
    small_warehouse.write(home / "warehouse.duckdb")
    return home


@pytest.fixture(scope="module")
def report(home, tmp_path_factory) -> Path:
    return build_report(home / "warehouse.duckdb", tmp_path_factory.mktemp("r") / "r.html").path


def test_report_needs_no_network(report):
    text = report.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", text), "a script is loaded from elsewhere"
    assert not re.search(r"<link[^>]+href=", text)
    assert "Plotly" in text and len(text) > 1_000_000  # the library itself is inlined


def test_report_renders_every_chart_in_chromium(report):
    opened = open_report(report, sort_table="suppliers-shares", sort_column=10)
    assert opened.console_errors == []
    assert opened.requests == []
    assert len(opened.marks) == CHARTS
    assert all(chart["marks"] > 0 for chart in opened.marks), opened.marks
    # Worked from small_warehouse.py: Kyrgyzstan 300 against a baseline of 100 (+200%); China
    # 60 of Russia's 100 in 2023 (2024 is a partial year); 854231 rose 5 m; Beta Trading 0.92.
    assert opened.figures["top-hub-growth"] == "KGZ: +200%"
    assert opened.figures["top-supplier-share"] == "CHN: 60.0%"
    assert float(opened.values["top-supplier-share"]) == 0.60
    assert opened.figures["second-supplier-share"] == "HKG: 25.0%"
    assert opened.figures["top-line-change"] == "HS 854231: $5.0m"
    assert opened.figures["list-changes-total"] == "3"
    assert opened.figures["top-risk-score"] == "Beta Trading: 0.92"
    shares = opened.traces["suppliers-shares-chart"][0]
    assert shares["x"] == ["CHN", "HKG", "DEU"] and shares["y"] == [0.6, 0.25, 0.15]
    # A click on the share column's header sorts the table ascending.
    assert [float(v) for v in opened.sorted_column] == [0.15, 0.25, 0.6]


def test_report_escapes_what_the_marts_hold(report):
    text = report.read_text(encoding="utf-8")
    assert "=HYPERLINK(&quot;http://example.invalid/x&quot;,&quot;click me&quot;)" in text
    # The file and line behind a counterparty's row link to the file.
    assert '<a href="file:///data/counterparties.csv">/data/counterparties.csv:3</a>' in text


def test_paths_are_written_relative_to_the_inputs_and_the_home(tmp_path):
    """A counterparty file in the inputs directory is written as the other sources' files are
    (relative to the inputs), the warehouse as $ROUNDABOUT_HOME/...: no path of the machine
    that wrote the report is shown; the link still opens the file."""
    home, inputs = tmp_path / "home", tmp_path / "inputs"
    home.mkdir()
    db = small_warehouse.write(home / "warehouse.duckdb")
    customers = inputs / "screening" / "counterparties.csv"
    with duckdb.connect(str(db)) as con:
        for table in ("fct_company_exposure", "fct_screening_matches"):
            con.execute(f"update marts.{table} set source_file = ?", [str(customers)])
    text = build_report(db, tmp_path / "r.html", inputs).path.read_text(encoding="utf-8")
    assert f'<a href="{customers.as_uri()}">screening/counterparties.csv:2</a>' in text
    assert "Read from the published warehouse $ROUNDABOUT_HOME/warehouse.duckdb." in text
    shown = re.sub(r'href="[^"]*"', "", text)
    assert str(tmp_path) not in shown
    # Without the inputs directory, a path outside the home is written as it is.
    text = build_report(db, tmp_path / "r2.html").path.read_text(encoding="utf-8")
    assert f">{customers}:2</a>" in text


def test_a_missing_mart_is_named_on_its_page(home, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    small_warehouse.write(db)
    with duckdb.connect(str(db)) as con:
        con.execute("drop table marts.fct_transit_offset")
        con.execute("delete from marts.fct_company_exposure")
    pages = {p.id: p for p in build_report(db, tmp_path / "r.html").pages}
    assert pages["growing-lines"].charts == []
    assert "marts.fct_transit_offset" in pages["growing-lines"].notes[0]
    assert "is empty" in pages["screening"].notes[0]
    assert len(pages["suppliers"].charts) == 2


def test_report_command_writes_the_report_and_pngs(home, tmp_path, capsys):
    require_chromium()
    png, shot = tmp_path / "png", tmp_path / "img" / "report.png"
    code = main(["--home", str(home), "report", "--png", str(png), "--screenshot", str(shot)])
    assert code == 0
    out = capsys.readouterr().out
    assert f"report: {home / 'report' / 'report.html'}" in out
    images = sorted(png.glob("*.png"))
    assert len(images) == CHARTS
    for image in [*images, shot]:
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and image.stat().st_size > 5_000
    # The first screen of one page: another picture than the report's top.
    page = tmp_path / "img" / "screening.png"
    code = main(["--home", str(home), "report", "--screenshot", str(page),
                 "--screenshot-page", "screening"])  # fmt: skip
    assert code == 0 and page.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.read_bytes() != shot.read_bytes()


def test_a_screenshot_of_an_unknown_page_is_refused(home, tmp_path, capsys):
    shot = tmp_path / "shot.png"
    code = main(["--home", str(home), "report", "--screenshot", str(shot),
                 "--screenshot-page", "nowhere"])  # fmt: skip
    assert code == 2 and not shot.exists()
    assert "no page 'nowhere'; the pages: transit-hubs, suppliers" in capsys.readouterr().err
    # A page without --screenshot would be ignored silently: refused instead.
    assert main(["--home", str(home), "report", "--screenshot-page", "screening"]) == 2
    assert "--screenshot-page goes with --screenshot" in capsys.readouterr().err


def test_report_without_a_warehouse(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "report"]) == 2
    assert "run `roundabout run` first" in capsys.readouterr().err


def test_report_asset_follows_the_published_warehouse():
    from orchestration.assets.report import REPORT_KEY, warehouse_report
    from orchestration.assets.warehouse import PUBLISHED_KEY
    from orchestration.definitions import defs

    assert PUBLISHED_KEY in warehouse_report.dependency_keys
    assert REPORT_KEY in {k for a in defs.assets for k in getattr(a, "keys", [])}


def test_synthetic_trade_rows_are_named_on_the_first_line(tmp_path):
    db = small_warehouse.write(tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(db)) as con:
        con.execute("alter table marts.fct_country_exposure add column is_synthetic boolean")
        con.execute("update marts.fct_country_exposure set is_synthetic = country_iso3 = 'KGZ'")
    text = build_report(db, tmp_path / "r.html").path.read_text(encoding="utf-8")
    first = re.search(r'<p class="banner">(.*?)</p>', text).group(1)
    assert first.startswith("Synthetic data: rows of marts.fct_country_exposure")
    assert text.index(first) < text.index("<h1>")


def test_run_ends_by_printing_where_the_report_is(home, monkeypatch, capsys):
    from orchestration import pipeline

    class Summary:
        published = success = True

        def render(self):
            return "result: success"

    def fake_run(settings, record=False, wait=False, partitions=None):
        build_report(settings.published_db, settings.home / "report" / "report.html")
        return Summary()

    monkeypatch.setattr(pipeline, "run_pipeline", fake_run)
    assert main(["--home", str(home), "run", "--inputs", str(home)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith(f"report: {home / 'report' / 'report.html'}")
