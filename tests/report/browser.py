"""Open a report in headless Chromium (Debian's package) through Playwright and collect what a
reader would see: console errors, network requests, and the marks each chart drew."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from orchestration.report.images import NoBrowser, chromium_path, launch

# The SVG elements Plotly draws for data: bars, markers and lines.
MARKS_JS = """() => Array.from(document.querySelectorAll('div.plotly-graph-div')).map(div => ({
  id: div.id,
  marks: div.querySelectorAll(
    '.barlayer .trace .point path, .scatterlayer .trace .points path, ' +
    '.scatterlayer .trace path.js-line').length,
  traces: (div.data || []).length,
}))"""


@dataclass
class Opened:
    marks: list[dict]
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    figures: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    traces: dict[str, list] = field(default_factory=dict)
    sorted_column: list[str] = field(default_factory=list)


def require_chromium() -> Path:
    try:
        return chromium_path()
    except NoBrowser as err:
        pytest.skip(f"browser test skipped: {err}")


def open_report(report: Path, sort_table: str | None = None, sort_column: int = 0) -> Opened:
    """Load the file from disk, wait for every chart, and read the page."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page()
            errors: list[str] = []
            requests: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(report.resolve().as_uri())
            page.wait_for_load_state("load")
            page.wait_for_function(
                "Array.from(document.querySelectorAll('div.plotly-graph-div'))"
                ".every(d => d.querySelector('.main-svg'))"
            )
            opened = Opened(marks=page.evaluate(MARKS_JS), console_errors=errors)
            opened.requests = [u for u in requests if not u.startswith("file://")]
            for element in page.query_selector_all("[data-figure]"):
                name = element.get_attribute("data-figure")
                opened.figures[name] = element.inner_text()
                opened.values[name] = element.get_attribute("data-value")
            opened.traces = page.evaluate(
                "() => Object.fromEntries(Array.from(document.querySelectorAll("
                "'div.plotly-graph-div')).map(d => [d.id, d.data.map(t => ({name: t.name, "
                "x: Array.from(t.x), y: Array.from(t.y)}))]))"
            )
            if sort_table:
                header = page.locator(f"table#{sort_table} th").nth(sort_column)
                header.click()
                opened.sorted_column = page.eval_on_selector_all(
                    f"table#{sort_table} tbody tr",
                    f"rows => rows.map(r => r.cells[{sort_column}].dataset.sort)",
                )
        finally:
            browser.close()
    return opened
