-- All-goods totals a source reports (hs6 = 'TOTAL') against the sum of its HS6 detail for the
-- same pair and period: coverage_ratio = sum of HS6 / reported total (docs/metrics.md, the
-- coverage_ratio row of fct_country_exposure). Below 1
-- where confidential or unallocated trade (Comtrade 9999, chapters 98-99) drops out of the
-- detail, or where the source was pulled for a list of codes only. Same country and side rules
-- as int_metric_trade_flows.
{% set flow = optional_column(ref('fct_trade_flows'), 'flow', 'string') %}

with countries as (
    select c.iso3 from {{ ref('ref_country_codes') }} as c
),

totals as (
    select
        f.source, f.frequency, f.year, f.month, {{ period_key('f.year', 'f.month') }} as period_key,
        f.exporter_iso3, f.importer_iso3,
        sum(case when f.reporter_iso3 is null then f.value_usd end) as reconciled_usd,
        sum(case when f.reporter_iso3 = f.exporter_iso3 then f.value_usd end) as exporter_usd,
        sum(case when f.reporter_iso3 = f.importer_iso3 then f.value_usd end) as importer_usd
    from {{ ref('fct_trade_flows') }} as f
    where f.in_hs6_rollup
      and f.hs6 = 'TOTAL'
      and f.exporter_iso3 in (select iso3 from countries)
      and f.importer_iso3 in (select iso3 from countries)
      and f.exporter_iso3 <> f.importer_iso3
      and coalesce({{ flow }}, 'X') in ('X', 'M')
    group by f.source, f.frequency, f.year, f.month, f.exporter_iso3, f.importer_iso3
),

chosen as (
    select
        source, frequency, year, month, period_key, exporter_iso3, importer_iso3,
        coalesce(reconciled_usd, exporter_usd, importer_usd) as total_usd
    from totals
),

annual_sources as (
    select distinct source, year from chosen where frequency = 'A'
),

all_periods as (
    select * from chosen
    union all
    select
        c.source, 'A', c.year, cast(null as integer), {{ period_key('c.year', 'null') }},
        c.exporter_iso3, c.importer_iso3, sum(c.total_usd)
    from chosen as c
    left join annual_sources as a on c.source = a.source and c.year = a.year
    where c.frequency = 'M' and a.source is null
    group by c.source, c.year, c.exporter_iso3, c.importer_iso3
),

detail as (
    select
        source, frequency, period_key, exporter_iso3, importer_iso3,
        sum(value_usd) as hs6_sum_usd
    from {{ ref('int_metric_trade_flows') }}
    group by source, frequency, period_key, exporter_iso3, importer_iso3
)

select
    t.source,
    t.frequency,
    t.year,
    t.month,
    t.period_key,
    t.exporter_iso3,
    t.importer_iso3,
    t.total_usd,
    coalesce(d.hs6_sum_usd, 0) as hs6_sum_usd,
    {{ safe_divide('coalesce(d.hs6_sum_usd, 0)', 't.total_usd') }} as coverage_ratio
from all_periods as t
left join detail as d
    on t.source = d.source and t.frequency = d.frequency and t.period_key = d.period_key
    and t.exporter_iso3 = d.exporter_iso3 and t.importer_iso3 = d.importer_iso3
