"""The report's pages, each read from the published marts. A page whose mart is missing, lacks
a column it needs or holds no rows says so instead of drawing a chart."""

from __future__ import annotations

import plotly.graph_objects as go

from orchestration.report.data import Marts, split_sources
from orchestration.report.model import Chart, Figure, Page, Table

EXPOSURE = "marts.fct_country_exposure"
SUPPLIERS = "marts.fct_russia_chpl_suppliers"
OFFSET = "marts.fct_transit_offset"
CHANGES = "marts.fct_sanctions_list_changes"
ENTITY = "marts.dim_sanctioned_entity"
COMPANY = "marts.fct_company_exposure"
MATCHES = "marts.fct_screening_matches"
PRODUCT = "marts.dim_product"
BASKET = "chpl"  # every CHPL tier together; the tables name the basket of each row
TOP = 20
DETAIL_ROWS = 500


def _layout(title: str, y_title: str, **extra) -> go.Layout:
    return go.Layout(
        title=title,
        yaxis_title=y_title,
        template="plotly_white",
        height=420,
        margin={"l": 70, "r": 20, "t": 60, "b": 60},
        legend={"orientation": "v"},
        **extra,
    )


def _open_page(
    marts: Marts,
    page_id: str,
    title: str,
    question: str,
    definition: str,
    needs: dict[str, list[str]],
    also: tuple[str, ...] = (),
) -> tuple[Page, bool]:
    """A page reading the tables of ``needs`` (and ``also``, named in its sources but not
    required), and whether it can be drawn: when a table lacks a column it needs, the page
    says so in a note instead."""
    page = Page(page_id, title, question, definition, [*needs, *also])
    for table, columns in needs.items():
        if missing := marts.missing(table, *columns):
            page.notes.append(
                "This warehouse lacks " + ", ".join(missing) + ": the page cannot be drawn."
            )
            return page, False
    return page, True


def _preferred(marts: Marts, page: Page, table: str, observed: str) -> tuple[str, str] | None:
    """The (frequency, sources) of basket BASKET with the most observed rows (``observed``, an
    SQL condition: a source that cannot see the flows has rows of NULLs, nothing to draw):
    charts draw one series per country, so they show one source combination (annual first);
    the tables hold every row. None, with a note on the page, when no row is observed."""
    _, rows = marts.rows(
        f"select frequency, sources, count(*) from {table} where basket = ? and ({observed}) "
        "group by frequency, sources order by (frequency = 'A') desc, 3 desc, 2 limit 1",
        [BASKET],
    )
    if not rows:
        page.notes.append(f"{table} holds no observed row for basket {BASKET!r}.")
        return None
    return rows[0][0], rows[0][1]


# --- transit hubs --------------------------------------------------------------------------------

HUB_COLUMNS = ["country_iso3", "year", "month", "basket", "frequency", "sources",
               "coalition_imports_usd", "coalition_imports_baseline_usd",
               "coalition_imports_growth",
               "exports_to_russia_usd", "exports_to_russia_baseline_usd",
               "exports_to_russia_growth", "baseline_years", "coalition_imports_observed",
               "exports_to_russia_observed", "chpl_list_version", "hs_version"]  # fmt: skip


def transit_hubs(marts: Marts) -> Page:
    page, ready = _open_page(
        marts,
        "transit-hubs",
        "Transit hubs",
        "Do coalition exports of CHPL goods into a transit country rise with that country's "
        "exports of the same goods to Russia?",
        "coalition_imports_usd: exports of the basket's HS6 goods from the coalition (E5 "
        "guidance group) into the country, in USD. exports_to_russia_usd: the country's exports "
        "of the same goods to Russia. Growth: value / mean of the pre-war baseline years - 1 "
        "(NULL below the small-baseline floor, where the flow counts as new). A NULL value means "
        "the period was not observed, not zero (coverage flags *_observed). docs/metrics.md, "
        "marts.fct_country_exposure.",
        {EXPOSURE: HUB_COLUMNS},
    )
    observed = "coalition_imports_observed or exports_to_russia_observed"
    if not ready or (chosen := _preferred(marts, page, EXPOSURE, observed)) is None:
        return page
    frequency, sources = chosen
    columns, rows = marts.rows(
        f"select {', '.join(HUB_COLUMNS)} from {EXPOSURE} where basket = ? "
        "order by frequency, sources, country_iso3, year, month nulls first",
        [BASKET],
    )
    descriptions = marts.describe(EXPOSURE, columns)
    shown = [r for r in rows if r[4] == frequency and r[5] == sources]
    index = {c: i for i, c in enumerate(columns)}

    def period(row):
        return row[index["year"]] if frequency == "A" else f"{row[1]}-{row[2]:02d}"

    for measure, title in (
        ("coalition_imports_usd", "Coalition exports of CHPL goods into each transit country"),
        ("exports_to_russia_usd", "Each transit country's exports of the same goods to Russia"),
    ):
        # A country the source does not observe has no line to draw (its rows stay in the table).
        drawn = sorted({r[0] for r in shown if r[index[measure]] is not None})
        if not drawn:
            page.notes.append(
                f"{title}: not observed in {sources} ({measure} is NULL, its *_observed flag "
                "false, in every row): the inputs hold no such flows."
            )
            continue
        figure = go.Figure(layout=_layout(f"{title} ({sources}, {frequency})", "USD"))
        for country in drawn:
            series = [r for r in shown if r[0] == country]
            figure.add_trace(
                go.Scatter(
                    x=[period(r) for r in series],
                    y=[r[index[measure]] for r in series],
                    mode="lines+markers",
                    name=country,
                )
            )
        table = Table(
            f"{page.id}-{measure}",
            columns,
            rows,
            caption=f"{EXPOSURE}, basket {BASKET}: every row (all sources and frequencies)",
            descriptions=descriptions,
        )
        page.charts.append(Chart(f"{page.id}-{measure}-chart", title, figure, table))

    # The latest period: a year, or a month where the rows are monthly.
    last = max((r[1], r[2] or 0) for r in shown)
    last_label = period(next(r for r in shown if (r[1], r[2] or 0) == last))
    latest = sorted(
        (
            r
            for r in shown
            if (r[1], r[2] or 0) == last and r[index["coalition_imports_growth"]] is not None
        ),
        key=lambda r: -r[index["coalition_imports_growth"]],
    )
    growth = go.Figure(
        layout=_layout(
            f"Growth against the pre-war baseline, {last_label}",
            "growth (1 = +100%)",
            barmode="group",
        )
    )
    for measure, name in (
        ("coalition_imports_growth", "coalition exports into the country"),
        ("exports_to_russia_growth", "the country's exports to Russia"),
    ):
        growth.add_trace(
            go.Bar(x=[r[0] for r in latest], y=[r[index[measure]] for r in latest], name=name)
        )
    growth_columns = ["country_iso3", "year", "coalition_imports_growth",
                      "exports_to_russia_growth", "baseline_years", "sources"]  # fmt: skip
    growth_rows = [tuple(r[index[c]] for c in growth_columns) for r in latest]
    page.charts.append(
        Chart(
            f"{page.id}-growth-chart",
            f"Growth against the pre-war baseline, {last_label}",
            growth,
            Table(
                f"{page.id}-growth",
                growth_columns,
                growth_rows,
                caption=f"{EXPOSURE}, basket {BASKET}, {sources}, {last_label}; countries whose "
                "coalition-imports growth is NULL (small or missing baseline) are left out",
                descriptions=descriptions,
            ),  # fmt: skip
        )
    )
    if latest:
        top = latest[0]
        value = top[index["coalition_imports_growth"]]
        page.figures.append(
            Figure(
                "top-hub-growth",
                f"Fastest growth of coalition CHPL exports into a transit country, {last_label}",
                value,
                f"{top[0]}: {value:+.0%}",
            )
        )
    page.sources = marts.sources_table(page.id, split_sources([r[5] for r in rows]))
    return page


# --- Russia's CHPL suppliers ---------------------------------------------------------------------

SUPPLIER_COLUMNS = ["year", "month", "frequency", "sources", "basket", "origin_iso3",
                    "origin_is_coalition", "origin_is_transit", "exports_to_russia_usd",
                    "russia_imports_usd", "supplier_share", "supplier_rank", "hhi",
                    "is_partial_year", "chpl_list_version"]  # fmt: skip
# Read where the mart has it (warehouses published before it existed lack it).
ORIGIN_COVERAGE = "origin_coverage"


def suppliers(marts: Marts) -> Page:
    page, ready = _open_page(
        marts,
        "suppliers",
        "Russia's CHPL suppliers",
        "Who supplies Russia's imports of CHPL goods, and how concentrated is supply?",
        "supplier_share: an origin's exports of CHPL goods to Russia (partner-reported, Hong "
        "Kong apart from China) over Russia's CHPL imports from every origin; hhi: the sum of "
        "squared shares (1 = one supplier). docs/metrics.md, marts.fct_russia_chpl_suppliers.",
        {SUPPLIERS: SUPPLIER_COLUMNS},
    )
    observed = "exports_to_russia_usd is not null"
    if not ready or (chosen := _preferred(marts, page, SUPPLIERS, observed)) is None:
        return page
    frequency, sources = chosen
    _, years = marts.rows(
        f"select year, bool_or(is_partial_year) from {SUPPLIERS} "
        "where basket = ? and frequency = ? and sources = ? group by year order by year",
        [BASKET, frequency, sources],
    )
    complete = [y for y, partial in years if not partial]
    year = (complete or [y for y, _ in years])[-1]
    shown = SUPPLIER_COLUMNS + ([ORIGIN_COVERAGE] if marts.has(SUPPLIERS, ORIGIN_COVERAGE) else [])
    columns, rows = marts.rows(
        f"select {', '.join(shown)} from {SUPPLIERS} "
        "where basket = ? and frequency = ? and sources = ? and year = ? "
        "order by supplier_rank, origin_iso3",
        [BASKET, frequency, sources, year],
    )
    descriptions = marts.describe(SUPPLIERS, columns)
    index = {c: i for i, c in enumerate(columns)}
    if ORIGIN_COVERAGE in index and any(
        r[index[ORIGIN_COVERAGE]] == "declaring_origins" for r in rows
    ):
        page.notes.append(
            f"{sources} sees only the origins that declared to it (origin_coverage = "
            "declaring_origins): the shares are of those origins' exports to Russia, not of "
            "Russia's whole imports."
        )
    top = rows[:TOP]
    shares = go.Figure(layout=_layout(f"Shares of Russia's CHPL imports, {year}", "share"))
    shares.add_trace(
        go.Bar(
            x=[r[index["origin_iso3"]] for r in top],
            y=[r[index["supplier_share"]] for r in top],
            marker_color=["#c0392b" if r[index["origin_is_transit"]] else "#2c7fb8" for r in top],
            name="share",
        )
    )
    shares.update_yaxes(tickformat=".0%")
    page.charts.append(
        Chart(
            f"{page.id}-shares-chart",
            f"Shares of Russia's CHPL imports, {year} (red: transit countries)",
            shares,
            Table(
                f"{page.id}-shares",
                columns,
                rows,
                caption=f"{SUPPLIERS}, basket {BASKET}, {sources}, {year}: every origin",
                descriptions=descriptions,
            ),  # fmt: skip
        )
    )
    hhi_columns, hhi_rows = marts.rows(
        f"select year, any_value(hhi) as hhi, any_value(origin_count) as origin_count, "
        f"any_value(russia_imports_usd) as russia_imports_usd, bool_or(is_partial_year) "
        f"as is_partial_year from {SUPPLIERS} where basket = ? and frequency = ? "
        "and sources = ? group by year order by year",
        [BASKET, frequency, sources],
    )
    hhi = go.Figure(layout=_layout("Concentration of supply (HHI)", "HHI"))
    hhi.add_trace(go.Scatter(x=[r[0] for r in hhi_rows], y=[r[1] for r in hhi_rows],
                             mode="lines+markers", name="HHI"))  # fmt: skip
    page.charts.append(
        Chart(
            f"{page.id}-hhi-chart",
            "Concentration of supply (HHI)",
            hhi,
            Table(
                f"{page.id}-hhi",
                hhi_columns,
                hhi_rows,
                caption=f"{SUPPLIERS}, basket {BASKET}, {sources}, one row per year",
                descriptions=marts.describe(SUPPLIERS, hhi_columns),
            ),  # fmt: skip
        )
    )
    if rows:
        first = rows[0]
        second = rows[1] if len(rows) > 1 else None
        page.figures.append(
            Figure("top-supplier-share", f"Largest supplier's share, {year}",
                   first[index["supplier_share"]],
                   f"{first[index['origin_iso3']]}: {first[index['supplier_share']]:.1%}"),
        )  # fmt: skip
        if second:
            page.figures.append(
                Figure("second-supplier-share", f"Second supplier's share, {year}",
                       second[index["supplier_share"]],
                       f"{second[index['origin_iso3']]}: {second[index['supplier_share']]:.1%}"),
            )  # fmt: skip
    page.sources = marts.sources_table(page.id, split_sources([sources]))
    return page


# --- the HS6 lines that grew most ----------------------------------------------------------------

LINE_COLUMNS = ["year", "basket", "hs6", "hs_version", "sources", "transit_net_change_usd",
                "transit_increase_usd", "coalition_exports_to_russia_usd",
                "coalition_exports_to_russia_baseline_usd", "coalition_drop_to_ru_usd",
                "transit_offset_ratio", "offset_flag", "transit_countries_increasing",
                "baseline_years", "hs_mapping_flag"]  # fmt: skip


def growing_lines(marts: Marts) -> Page:
    page, ready = _open_page(
        marts,
        "growing-lines",
        "The CHPL lines that grew most",
        "Which HS6 lines of the CHPL grew most as coalition exports into the transit "
        "countries, against the pre-war baseline?",
        "transit_net_change_usd: the sum over transit countries of coalition exports of the "
        "line into the country minus the country's pre-war baseline, falls included; "
        "transit_offset_ratio: the increase in transit over the coalition's drop in direct "
        "exports to Russia (flagged above 0.5). CN8 lines appear where the mart carries them. "
        "docs/metrics.md, marts.fct_transit_offset.",
        {OFFSET: [*LINE_COLUMNS, "product_level", "frequency"]},
        also=(PRODUCT,),
    )
    if not ready:
        return page
    _, years = marts.rows(
        f"select max(year) from {OFFSET} where product_level <> 'basket' and frequency = 'A' "
        "and basket = ? and transit_net_change_usd is not null",
        [BASKET],
    )
    year = years[0][0]
    if year is None:
        page.notes.append(f"{OFFSET} holds no annual product line for basket {BASKET!r}.")
        return page
    description = (
        f"(select any_value(p.description) from {PRODUCT} p where p.hs6 = o.hs6)"
        if marts.has(PRODUCT, "hs6", "description")
        else "cast(null as varchar)"
    )
    columns, rows = marts.rows(
        f"select {', '.join('o.' + c for c in LINE_COLUMNS)}, {description} as description "
        f"from {OFFSET} o where o.product_level <> 'basket' and o.frequency = 'A' "
        "and o.basket = ? and o.year = ? and o.transit_net_change_usd is not null "
        "order by o.transit_net_change_usd desc, o.hs6",
        [BASKET, year],
    )
    descriptions = marts.describe(OFFSET, columns)
    top = rows[:TOP]
    figure = go.Figure(
        layout=_layout(f"Rise of coalition exports into transit countries by line, {year}", "USD")
    )
    figure.add_trace(go.Bar(x=[r[2] for r in top], y=[r[5] for r in top],
                            hovertext=[r[-1] for r in top], name="net change"))  # fmt: skip
    figure.update_xaxes(type="category")
    page.charts.append(
        Chart(
            f"{page.id}-chart",
            f"The {len(top)} lines that grew most, {year}",
            figure,
            Table(
                f"{page.id}-lines",
                columns,
                rows,
                caption=f"{OFFSET}, basket {BASKET}, {year}: every line, largest rise first",
                descriptions=descriptions,
            ),  # fmt: skip
        )
    )
    if top:
        page.figures.append(
            Figure("top-line-change", f"Largest rise of one line into transit countries, {year}",
                   top[0][5], f"HS {top[0][2]}: {_usd(top[0][5])}"),
        )  # fmt: skip
    page.sources = marts.sources_table(page.id, split_sources([r[4] for r in rows]))
    return page


# --- list releases -------------------------------------------------------------------------------


def list_changes(marts: Marts) -> Page:
    page, ready = _open_page(
        marts,
        "list-changes",
        "What changed in each list release",
        "Which entities did each sanctions or export-control list release add, remove or modify?",
        "One row per list, release and entity: added (absent from the list's previous release), "
        "removed (present before, absent now) or modified (fields_changed names the fields). A "
        "list's first release held by the warehouse has no previous one: it is not counted. "
        "marts.fct_sanctions_list_changes.",
        {
            CHANGES: ["list", "release_date", "entity_key", "source_id", "change", "fields_changed"]
        },  # fmt: skip
        also=(ENTITY,),
    )
    if not ready:
        return page
    columns, counts = marts.rows(
        f"select list, release_date, change, count(*) as entities from {CHANGES} "
        "group by all order by list, release_date, change"
    )
    if not counts:
        page.notes.append(f"{CHANGES} is empty: the warehouse holds no list with two releases yet.")
        return page
    figure = go.Figure(layout=_layout("Entities added, removed and modified per release",
                                      "entities", barmode="stack"))  # fmt: skip
    releases = sorted({f"{r[0]} {r[1]}" for r in counts})
    for change in ("added", "modified", "removed"):
        by_release = {f"{r[0]} {r[1]}": r[3] for r in counts if r[2] == change}
        figure.add_trace(go.Bar(x=releases, y=[by_release.get(k, 0) for k in releases],
                                name=change))  # fmt: skip
    figure.update_xaxes(type="category")
    page.charts.append(
        Chart(
            f"{page.id}-chart",
            "Entities added, removed and modified per release",
            figure,
            Table(
                f"{page.id}-counts",
                columns,
                counts,
                caption=f"{CHANGES}, counted by list, release and change",
            ),
        )  # fmt: skip
    )
    joined = marts.has(ENTITY, "entity_key", "primary_name", "source_file", "source_line")
    detail_columns, detail = marts.rows(
        "select c.list, c.release_date, c.change, c.source_id, "
        + ("e.primary_name, e.source_file, e.source_line, " if joined else "")
        + f"c.fields_changed from {CHANGES} c "
        + (f"left join {ENTITY} e on e.entity_key = c.entity_key " if joined else "")
        + "order by c.list, c.release_date desc, c.change, c.source_id limit ?",
        [DETAIL_ROWS],
    )
    total = sum(r[3] for r in counts)
    page.tables.append(
        Table(
            f"{page.id}-entities",
            detail_columns,
            detail,
            caption=f"The entities changed (first {min(DETAIL_ROWS, total):,} of {total:,}; "
            f"all in {CHANGES}); the file and line are those of the entity's latest listing",
            links={"source_file": "source_line"},
            total_rows=total,
        )  # fmt: skip
    )
    page.figures.append(Figure("list-changes-total", "Entity changes across all releases",
                               total, f"{total:,}"))  # fmt: skip
    page.sources = marts.sources_table(page.id, sorted({r[0] for r in counts}))
    return page


# --- screening -----------------------------------------------------------------------------------


COMPANY_COLUMNS = ["counterparty_id", "counterparty_name", "risk_rank", "risk_score", "is_listed",
                   "is_owned_50", "best_score", "best_list", "n_red_flags",
                   "revenue_at_risk_usd", "run_id", "source_file", "source_line"]  # fmt: skip
EVIDENCE_COLUMNS = ["counterparty_id", "counterparty_name", "list", "source_id", "matched_name",
                    "score", "decision", "features", "programs", "source_file",
                    "source_line"]  # fmt: skip


def screening(marts: Marts) -> Page:
    page, ready = _open_page(
        marts,
        "screening",
        "Highest-risk counterparties of the last screening",
        "Which counterparties of the last screening carry the most risk, and on what evidence?",
        "risk_score: the weighted company risk score of docs/metrics.md §4.3 (listing or 50% "
        "ownership, best match score, red flags, CHPL value to high-risk destinations); "
        "evidence: each listed entity matched at or above review, with the match score and the "
        "features that agreed, and the counterparty file's line. marts.fct_company_exposure, "
        "marts.fct_screening_matches.",
        {COMPANY: COMPANY_COLUMNS, MATCHES: EVIDENCE_COLUMNS},
    )
    if not ready:
        return page
    company, evidence = COMPANY_COLUMNS, EVIDENCE_COLUMNS
    columns, rows = marts.rows(
        f"select {', '.join(company)} from {COMPANY} order by risk_score desc nulls last, "
        "counterparty_id limit ?",
        [TOP],
    )
    if not rows:
        page.notes.append(
            f"{COMPANY} is empty: no counterparty file was screened in the run that built this "
            "warehouse (put one at screening/counterparties.csv in the inputs, or set "
            "ROUNDABOUT_COUNTERPARTIES, and run again; docs/screening.md)."
        )
        return page
    figure = go.Figure(layout=_layout("Risk score of the highest-risk counterparties", "score"))
    figure.add_trace(go.Bar(x=[f"{r[0]} {r[1]}" for r in rows], y=[r[3] for r in rows],
                            name="risk score"))  # fmt: skip
    figure.update_xaxes(type="category")
    page.charts.append(
        Chart(
            f"{page.id}-chart",
            "Risk score of the highest-risk counterparties",
            figure,
            Table(
                f"{page.id}-companies",
                columns,
                rows,
                caption=f"{COMPANY}: the {len(rows)} highest risk scores",
                descriptions=marts.describe(COMPANY, columns),
                links={"source_file": "source_line"},
            ),
        )  # fmt: skip
    )
    ev_columns, ev_rows = marts.rows(
        f"select {', '.join('m.' + c for c in evidence)} from {MATCHES} m "
        "where m.counterparty_id in (select unnest(?::varchar[])) "
        "order by m.counterparty_id, m.score desc, m.source_id",
        [[str(r[0]) for r in rows]],
    )
    page.tables.append(
        Table(
            f"{page.id}-evidence",
            ev_columns,
            ev_rows,
            caption=f"{MATCHES}: the listed entities each of them matched, with the evidence",
            descriptions=marts.describe(MATCHES, ev_columns),
            links={"source_file": "source_line"},
        )  # fmt: skip
    )
    page.figures.append(Figure("top-risk-score", "Highest risk score", rows[0][3],
                               f"{rows[0][1]}: {rows[0][3]:.2f}"))  # fmt: skip
    if marts.has("raw.screening__runs", "run_id", "list_releases"):
        _, runs = marts.rows(
            "select list_releases from raw.screening__runs where run_id = ?", [rows[0][10]]
        )
        if runs and runs[0][0]:
            page.notes.append(f"List releases screened against: {runs[0][0]}")
    lists = marts.rows(f"select distinct list from {MATCHES}")[1]
    page.sources = marts.sources_table(page.id, [r[0] for r in lists])
    return page


def _usd(value: float | None) -> str:
    if value is None:
        return "—"
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            return f"${value / size:,.1f}{suffix}"
    return f"${value:,.0f}"


PAGES = (transit_hubs, suppliers, growing_lines, list_changes, screening)


def build_pages(marts: Marts) -> list[Page]:
    return [make(marts) for make in PAGES]
