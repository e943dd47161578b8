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


@pytest.fixture(scope="module")
def sources(warehouse) -> str:
    """The charts show the annual source combination with the most rows."""
    return warehouse.execute(
        "select sources from marts.fct_russia_chpl_suppliers where basket = 'chpl' "
        "and frequency = 'A' group by sources order by count(*) desc, sources limit 1"
    ).fetchone()[0]


def test_largest_supplier_share_equals_the_mart(opened, warehouse, sources):
    origin, share = warehouse.execute(
        "select origin_iso3, supplier_share from marts.fct_russia_chpl_suppliers "
        "where basket = 'chpl' and frequency = 'A' and sources = $s and supplier_rank = 1 "
        "and year = (select max(year) from marts.fct_russia_chpl_suppliers "
        "  where basket = 'chpl' and frequency = 'A' and sources = $s and not is_partial_year)",
        {"s": sources},
    ).fetchone()
    assert float(opened.values["top-supplier-share"]) == pytest.approx(share, rel=1e-12)
    assert opened.figures["top-supplier-share"] == f"{origin}: {100 * share:.1f}%"


def test_hhi_line_equals_the_mart(opened, warehouse, sources):
    expected = warehouse.execute(
        "select year, min(hhi) from marts.fct_russia_chpl_suppliers "
        "where basket = 'chpl' and frequency = 'A' and sources = ? group by year order by year",
        [sources],
    ).fetchall()
    trace = opened.traces["suppliers-hhi-chart"][0]
    assert trace["x"] == [y for y, _ in expected]
    assert trace["y"] == pytest.approx([h for _, h in expected], rel=1e-12)


def test_list_changes_total_equals_the_mart(opened, warehouse):
    (total,) = warehouse.execute("select count(*) from marts.fct_sanctions_list_changes").fetchone()
    assert opened.figures["list-changes-total"] == f"{total:,}"
