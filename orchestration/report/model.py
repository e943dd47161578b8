"""What a report page is made of: charts, the tables behind them, definitions and sources."""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go


@dataclass
class Table:
    """Rows shown as a sortable HTML table. ``links`` maps a column holding a file path to the
    column holding its line, so the cell links to the file and line behind the row."""

    id: str
    columns: list[str]
    rows: list[tuple]
    caption: str = ""
    descriptions: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    total_rows: int | None = None  # when the table shows the first rows of a longer result


@dataclass
class Chart:
    id: str
    title: str
    figure: go.Figure
    table: Table


@dataclass
class Figure:
    """One headline number on a page, named so a reader (or a test) can find it."""

    id: str
    label: str
    value: float | str | None
    text: str


@dataclass
class Page:
    id: str
    title: str
    question: str
    definition: str
    marts: list[str]
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: Table | None = None
