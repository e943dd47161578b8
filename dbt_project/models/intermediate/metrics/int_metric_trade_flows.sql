{{ config(
    materialized=metric_years_materialization(),
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_metric_years_to_rebuild(ref('fct_trade_flows')) }}",
) }}
-- Trade flows ready for the metrics (docs/metrics.md, "Conventions"), one row per source, period,
-- exporter, importer, HS6 and HS version:
-- - country to country only: aggregates (EU27, World) and unallocated areas are not in
--   ref_country_codes and drop out, so an aggregate is never added to its members;
-- - HS6 rows only (TOTAL rows feed int_metric_reported_totals); re-exports and re-imports
--   (flow RX, RM) are kept out, as their values are already inside X and M;
-- - one value per cell: BACI's reconciled value, else the exporter's declaration (FOB), else
--   the importer's (CIF), which is then counted in mirror_only_usd;
-- - sources that publish months only also get annual rows (the sum of the months present);
-- - period_key (macros/periods.sql) is computed here, once, for the metric models to join on.
-- Built incrementally by source and year (macros/metric_years.sql): a run rebuilds the sources
-- and years whose fct_trade_flows rows changed since (count or build time), the pre-hook having
-- deleted their rows, and keeps the others; built whole on a full refresh, as fct_trade_flows.
{% set flow = optional_column(ref('fct_trade_flows'), 'flow', 'string') %}
{#- The sources and years to rebuild, asked before the build (none: every one). -#}
{% set rebuilt = metric_years_to_rebuild(this, ref('fct_trade_flows')) %}

with fact_years as (
    {{ trade_fact_years_sql(ref('fct_trade_flows'), rebuilt) }}
),

countries as (
    select c.iso3 from {{ ref('ref_country_codes') }} as c
),

flows as {{ not_materialized() }} (
    select
        f.source,
        f.frequency,
        f.year,
        f.month,
        {{ period_key('f.year', 'f.month') }} as period_key,
        f.exporter_iso3,
        f.importer_iso3,
        f.hs6,
        f.hs_version,
        f.value_usd,
        case f.quantity_unit
            when 't' then f.quantity * 1000
            when 'kg' then f.quantity
        end as quantity_kg,
        case
            when f.reporter_iso3 is null then 'reconciled'
            when f.reporter_iso3 = f.exporter_iso3 then 'exporter'
            when f.reporter_iso3 = f.importer_iso3 then 'importer'
        end as declared_by
    from {{ ref('fct_trade_flows') }} as f
    where f.in_hs6_rollup
      and f.hs6 <> 'TOTAL'
      and f.exporter_iso3 in (select iso3 from countries)
      and f.importer_iso3 in (select iso3 from countries)
      and f.exporter_iso3 <> f.importer_iso3
      and coalesce({{ flow }}, 'X') in ('X', 'M')
      {% if rebuilt is not none %}and {{ metric_years_filter(rebuilt, 'f.source', 'f.year') }}{% endif %}
),

-- BACI's reconciled rows are one per cell already: fct_trade_flows' key test on its default
-- series (in_hs6_rollup is is_latest_vintage for BACI), which dbt runs before this model, and
-- this model's own key test below, prove it. So they skip the grouping, which over BACI's
-- eleven million rows a year was most of this model's time; the values are what one row's sums
-- would be.
reconciled_cells as (
    select
        source, frequency, year, month, period_key, exporter_iso3, importer_iso3, hs6, hs_version,
        'reconciled' as value_side,
        value_usd,
        cast(null as double) as mirror_only_usd,
        case when quantity_kg > 0 then value_usd end as quantified_usd,
        case when quantity_kg > 0 then quantity_kg end as quantity_kg,
        cast(null as double) as exporter_reported_usd,
        cast(null as double) as importer_reported_usd
    from flows
    where declared_by = 'reconciled' and value_usd is not null
),

-- Each side of the declared sources summed apart (a CN8 source has several rows per HS6).
sides as (
    select
        source, frequency, year, month, period_key, exporter_iso3, importer_iso3, hs6, hs_version,
        sum(case when declared_by = 'exporter' then value_usd end) as exporter_usd,
        sum(case when declared_by = 'exporter' and quantity_kg > 0 then value_usd end)
            as exporter_quantified_usd,
        sum(case when declared_by = 'exporter' and quantity_kg > 0 then quantity_kg end)
            as exporter_kg,
        sum(case when declared_by = 'importer' then value_usd end) as importer_usd,
        sum(case when declared_by = 'importer' and quantity_kg > 0 then value_usd end)
            as importer_quantified_usd,
        sum(case when declared_by = 'importer' and quantity_kg > 0 then quantity_kg end)
            as importer_kg
    from flows
    where declared_by in ('exporter', 'importer')
    group by source, frequency, year, month, period_key, exporter_iso3, importer_iso3, hs6,
        hs_version
),

chosen as (
    select
        s.*,
        case
            when s.exporter_usd is not null then 'exporter'
            when s.importer_usd is not null then 'importer'
        end as value_side
    from sides as s
),

declared_cells as (
    select
        source, frequency, year, month, period_key, exporter_iso3, importer_iso3, hs6, hs_version,
        value_side,
        case value_side when 'exporter' then exporter_usd else importer_usd end as value_usd,
        case value_side when 'importer' then importer_usd else 0 end as mirror_only_usd,
        case value_side
            when 'exporter' then exporter_quantified_usd
            else importer_quantified_usd
        end as quantified_usd,
        case value_side when 'exporter' then exporter_kg else importer_kg end as quantity_kg,
        exporter_usd as exporter_reported_usd,
        importer_usd as importer_reported_usd
    from chosen
    where value_side is not null
),

-- Read three times (the annual sources, the months summed to years, the rows): left to itself
-- DuckDB would compute it once into a temporary result of every row (86 million at eight BACI
-- years, spilled to disk), which cost more than reading fct_trade_flows again each time
-- (docs/benchmarks.md, "One year's build reads one year").
cells as {{ not_materialized() }} (
    select * from reconciled_cells
    union all
    select * from declared_cells
),

annual_sources as (
    select distinct source, year from cells where frequency = 'A'
),

-- Months summed to the year where the source has no annual rows of its own; the side is
-- chosen month by month, so a year can mix exporter and importer declarations.
months_to_year as (
    select
        c.source, 'A' as frequency, c.year, cast(null as integer) as month,
        {{ period_key('c.year', 'null') }} as period_key,
        c.exporter_iso3, c.importer_iso3, c.hs6, c.hs_version,
        case when min(c.value_side) = max(c.value_side) then min(c.value_side) else 'mixed' end
            as value_side,
        sum(c.value_usd) as value_usd,
        sum(c.mirror_only_usd) as mirror_only_usd,
        sum(c.quantified_usd) as quantified_usd,
        sum(c.quantity_kg) as quantity_kg,
        sum(c.exporter_reported_usd) as exporter_reported_usd,
        sum(c.importer_reported_usd) as importer_reported_usd
    from cells as c
    left join annual_sources as a on c.source = a.source and c.year = a.year
    where c.frequency = 'M' and a.source is null
    group by c.source, c.year, c.exporter_iso3, c.importer_iso3, c.hs6, c.hs_version
),

metric_rows as (
    select
        source, frequency, year, month, period_key, exporter_iso3, importer_iso3, hs6,
        hs_version, value_side, value_usd, mirror_only_usd, quantified_usd, quantity_kg,
        exporter_reported_usd, importer_reported_usd, false as is_derived_annual
    from cells
    union all
    select
        source, frequency, year, month, period_key, exporter_iso3, importer_iso3, hs6,
        hs_version, value_side, value_usd, mirror_only_usd, quantified_usd, quantity_kg,
        exporter_reported_usd, importer_reported_usd, true as is_derived_annual
    from months_to_year
)

select
    r.*,
    y.fact_rows,
    y.fact_built_at,
    {{ trade_build_time() }} as built_at
from metric_rows as r
inner join fact_years as y on r.source = y.source and r.year = y.year
