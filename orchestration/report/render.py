"""The report as one HTML file: Plotly's JavaScript inlined (no network), each chart followed by
its data table (sortable), the metric's definition and the input files behind the page."""

from __future__ import annotations

import html
import json
import math
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import plotly.io as pio
from plotly.offline import get_plotlyjs

from orchestration.report.model import Figure, Page, Table
from orchestration.report.paths import PathLabels

# Sorting a table by a header click needs twenty lines; a table library would add more script
# than the tables themselves.
SORT_JS = """
document.querySelectorAll('table.data').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, col) {
    th.addEventListener('click', function () {
      var body = table.tBodies[0];
      var rows = Array.from(body.rows);
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.sort, y = b.cells[col].dataset.sort;
        var nx = parseFloat(x), ny = parseFloat(y);
        var r = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : String(x).localeCompare(String(y));
        return asc ? r : -r;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""

CSS = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 0 1em;
       color: #222; }
nav a { margin-right: 1em; }
.banner { background: #fff3cd; border: 1px solid #e0b000; padding: .6em 1em; font-weight: bold; }
section.page { border-top: 2px solid #ddd; margin-top: 2em; }
.figure { display: inline-block; margin: .3em 1.5em .3em 0; }
.figure .value { font-size: 1.4em; font-weight: bold; }
.note { background: #f4f4f4; border-left: 4px solid #888; padding: .5em 1em; }
.definition { font-size: .92em; color: #333; }
details { margin: .5em 0 1.5em; }
.scroll { max-height: 420px; overflow: auto; }
table.data { border-collapse: collapse; font-size: .82em; }
table.data th { position: sticky; top: 0; background: #eef; cursor: pointer; }
table.data th, table.data td { border: 1px solid #ccc; padding: 2px 6px; white-space: nowrap; }
table.data td.num { text-align: right; }
th[aria-sort=ascending]::after { content: " \\25B2"; }
th[aria-sort=descending]::after { content: " \\25BC"; }
"""


def _sort_key(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | float | Decimal):
        return "" if isinstance(value, float) and math.isnan(value) else repr(float(value))
    return str(value)


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if math.isnan(value):
            return "—"
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value) if 1900 <= value <= 2100 else f"{value:,}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


def _file_link(path: str | None, line: object, paths: PathLabels | None = None) -> str:
    if not path:
        return "—"
    target = Path(path)
    shown = paths.label(path) if paths is not None else path
    label = f"{shown}:{line}" if line is not None else shown
    if not target.is_absolute():
        return html.escape(label)
    return f'<a href="{html.escape(target.as_uri())}">{html.escape(label)}</a>'


def render_table(table: Table, paths: PathLabels | None = None) -> str:
    head = "".join(
        f'<th title="{html.escape(table.descriptions.get(c, ""))}">{html.escape(c)}</th>'
        for c in table.columns
    )
    index = {c: i for i, c in enumerate(table.columns)}
    body = []
    for row in table.rows:
        cells = []
        for column, value in zip(table.columns, row, strict=True):
            numeric = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
            css = ' class="num"' if numeric else ""
            if column in table.links:
                content = _file_link(value, row[index[table.links[column]]], paths)
                if value and paths is not None:
                    value = paths.label(value)  # sorted as shown
            else:
                content = html.escape(_text(value))
            cells.append(f'<td{css} data-sort="{html.escape(_sort_key(value))}">{content}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    shown = f"{len(table.rows):,} rows"
    if table.total_rows is not None and table.total_rows > len(table.rows):
        shown += f" of {table.total_rows:,}"
    described = [f"<dt>{html.escape(c)}</dt><dd>{html.escape(d)}</dd>"
                 for c, d in table.descriptions.items()]  # fmt: skip
    columns = f"<details><summary>Columns</summary><dl>{''.join(described)}</dl></details>"
    return (
        f'<details class="table" open><summary>{html.escape(table.caption)} ({shown})</summary>'
        f'<div class="scroll"><table class="data" id="{table.id}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
        f"{columns if described else ''}</details>"
    )


def _figure(figure: Figure) -> str:
    value = "" if figure.value is None else _sort_key(figure.value)
    return (
        f'<div class="figure"><div>{html.escape(figure.label)}</div>'
        f'<div class="value" data-figure="{figure.id}" data-value="{html.escape(value)}">'
        f"{html.escape(figure.text)}</div></div>"
    )


def render_page(page: Page, paths: PathLabels | None = None) -> str:
    parts = [f'<section class="page" id="{page.id}"><h2>{html.escape(page.title)}</h2>',
             f"<p><em>{html.escape(page.question)}</em></p>"]  # fmt: skip
    parts += [_figure(f) for f in page.figures]
    parts += [f'<p class="note">{html.escape(n)}</p>' for n in page.notes]
    parts.append(
        f'<p class="definition"><strong>Definition.</strong> {html.escape(page.definition)} '
        f"Marts: {', '.join(page.marts)}.</p>"
    )
    for chart in page.charts:
        spec = pio.to_html(
            chart.figure,
            include_plotlyjs=False,
            full_html=False,
            div_id=chart.id,
            config={"displaylogo": False, "responsive": True},
        )
        parts.append(f'<div class="chart" data-chart="{chart.id}">{spec}</div>')
        parts.append(render_table(chart.table, paths))
    parts += [render_table(t, paths) for t in page.tables]
    if page.sources is not None:
        parts.append("<h3>Sources and vintages</h3>" + render_table(page.sources, paths))
    parts.append("</section>")
    return "\n".join(parts)


def render_report(
    pages: list[Page],
    header: list[str],
    title: str = "Roundabout report",
    paths: PathLabels | None = None,
) -> str:
    nav = "".join(f'<a href="#{p.id}">{html.escape(p.title)}</a>' for p in pages)
    banner = "".join(f'<p class="banner">{html.escape(h)}</p>' for h in header[:1])
    rest = "".join(f"<p>{html.escape(h)}</p>" for h in header[1:])
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{CSS}</style>"
        # Inlined so that the file opens offline and nothing is fetched from a CDN.
        f'<script type="text/javascript">{get_plotlyjs()}</script></head><body>'
        f"{banner}<h1>{html.escape(title)}</h1>{rest}<nav>{nav}</nav>"
        + "\n".join(render_page(p, paths) for p in pages)
        + f"<script>{SORT_JS}</script>"
        + f'<script type="application/json" id="report-meta">{_meta(pages)}</script>'
        + "</body></html>\n"
    )


def _meta(pages: list[Page]) -> str:
    """The page and chart ids, for scripts and tests that read the file."""
    meta = {p.id: {"charts": [c.id for c in p.charts], "notes": p.notes} for p in pages}
    return json.dumps(meta).replace("</", "<\\/")
