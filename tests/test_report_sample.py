"""The report the pipeline wrote for the bundled sample, opened in headless Chromium: every chart
drew marks, the page raised no console error, and its figures equal the marts read here by
queries of their own."""

from __future__ import annotations

import pytest

from tests.report.browser import open_report

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def opened(sample_run):
    report = sample_run.published_db.parent / "report" / "report.html"
    assert report.exists(), "the pipeline run wrote no report"
    return open_report(report)


def test_every_chart_drew_marks_without_console_errors(opened):
    assert opened.console_errors == []
    assert opened.requests == []
    assert opened.marks, "no chart on the page"
    assert all(chart["marks"] > 0 for chart in opened.marks), opened.marks


def test_largest_supplier_share_equals_the_mart(opened, warehouse):
    year, origin, share = warehouse.execute(
        "select year, origin_iso3, supplier_share from marts.fct_russia_chpl_suppliers "
        "where basket = 'chpl' and frequency = 'A' and supplier_rank = 1 and year = ("
        "  select max(year) from marts.fct_russia_chpl_suppliers "
        "  where basket = 'chpl' and frequency = 'A' and not is_partial_year)"
    ).fetchone()
    assert float(opened.values["top-supplier-share"]) == pytest.approx(share, rel=1e-12)
    assert opened.figures["top-supplier-share"] == f"{origin}: {100 * share:.1f}%"


def test_hhi_line_equals_the_mart(opened, warehouse):
    expected = warehouse.execute(
        "select year, min(hhi) from marts.fct_russia_chpl_suppliers "
        "where basket = 'chpl' and frequency = 'A' group by year order by year"
    ).fetchall()
    trace = opened.traces["suppliers-hhi-chart"][0]
    assert trace["x"] == [y for y, _ in expected]
    assert trace["y"] == pytest.approx([h for _, h in expected], rel=1e-12)


def test_list_changes_total_equals_the_mart(opened, warehouse):
    (total,) = warehouse.execute("select count(*) from marts.fct_sanctions_list_changes").fetchone()
    assert opened.figures["list-changes-total"] == f"{total:,}"
