-- Each group flow of int_metric_group_flows per HS6 and period against its pre-war baseline
-- (docs/metrics.md, "Baseline"). Every period of the source gets a row for every flow seen in
-- any period: zero where the flow is absent but observed, NULL where it is not observed.
-- baseline = sum over the baseline years the flow was observed (for monthly rows: the same
-- calendar month) / the number of those years. Taken in baseline_hs_version; when that is not
-- the row's own version, the code is mapped through the CHPL concordance (HS2022 -> HS2017)
-- or kept as is, and a code the concordance keeps out (the solar-cell trap) has no baseline.
{% set base_start = var('baseline_start_year') %}
{% set base_end = var('baseline_end_year') %}

with flows as (
    select * from {{ ref('int_metric_group_flows') }}
),

periods as (
    select * from {{ ref('int_metric_source_periods') }}
),

observed as (
    select * from {{ ref('int_metric_group_observed') }}
),

keys as (
    select distinct source, frequency, hs_version, hs6, measure, country_iso3 from flows
),

spine as (
    select
        k.source, k.frequency, p.year, p.month, p.period_key, k.hs_version, k.hs6, k.measure,
        k.country_iso3,
        p.months_covered, p.baseline_hs_version,
        coalesce(o.observed, false) as observed
    from keys as k
    inner join periods as p
        on k.source = p.source and k.frequency = p.frequency and k.hs_version = p.hs_version
    left join observed as o
        on k.source = o.source and k.frequency = o.frequency and p.period_key = o.period_key
        and k.measure = o.measure
        and k.country_iso3 is not distinct from o.country_iso3
),

valued as (
    select
        s.*,
        case when s.observed then coalesce(f.value_usd, 0) end as value_usd,
        case when s.observed then f.mirror_only_usd end as mirror_only_usd,
        case when s.observed then coalesce(f.quantified_usd, 0) end as quantified_usd,
        case when s.observed then coalesce(f.quantity_kg, 0) end as quantity_kg
    from spine as s
    left join flows as f
        on s.source = f.source and s.frequency = f.frequency and s.period_key = f.period_key
        and s.hs_version = f.hs_version
        and s.hs6 = f.hs6 and s.measure = f.measure
        and s.country_iso3 is not distinct from f.country_iso3
),

-- Per calendar month (period_key % 100; 0 for years): a month compares with the same month of
-- the baseline years.
base_sums as (
    select
        source, frequency, period_key % 100 as month_key, hs_version, hs6, measure,
        country_iso3,
        sum(value_usd) as value_usd,
        sum(quantified_usd) as quantified_usd,
        sum(quantity_kg) as quantity_kg
    from valued
    where year between {{ base_start }} and {{ base_end }} and observed
    group by source, frequency, period_key % 100, hs_version, hs6, measure, country_iso3
),

-- Baseline years in which the flow was observed, per version (the divisor of the mean).
base_years as (
    select
        p.source, p.frequency, p.period_key % 100 as month_key, p.hs_version, o.measure,
        o.country_iso3, count(distinct p.year) as year_count
    from periods as p
    inner join observed as o
        on p.source = o.source and p.frequency = o.frequency and p.period_key = o.period_key
    where p.year between {{ base_start }} and {{ base_end }} and o.observed
    group by p.source, p.frequency, p.period_key % 100, p.hs_version, o.measure, o.country_iso3
),

mapped as (
    select
        v.*,
        case
            when v.baseline_hs_version = v.hs_version then v.hs6
            when c.relationship = 'excluded_trap' then null
            else coalesce(c.hs6, v.hs6)
        end as baseline_hs6
    from valued as v
    left join {{ ref('ref_chpl_hs_concordance') }} as c
        on v.hs6 = c.chpl_hs6 and v.hs_version = c.chpl_hs_version
        and v.baseline_hs_version = c.hs_version
)

select
    m.source,
    m.frequency,
    m.year,
    m.month,
    m.period_key,
    m.hs_version,
    m.hs6,
    m.measure,
    m.country_iso3,
    m.observed,
    m.months_covered,
    m.value_usd,
    m.mirror_only_usd,
    m.quantified_usd,
    m.quantity_kg,
    m.baseline_hs_version,
    m.baseline_hs6,
    y.year_count as baseline_year_count,
    case when m.baseline_hs6 is not null and y.year_count > 0
         then coalesce(b.value_usd, 0) / y.year_count end as baseline_usd,
    case when m.baseline_hs6 is not null and y.year_count > 0
         then coalesce(b.quantified_usd, 0) / y.year_count end as baseline_quantified_usd,
    case when m.baseline_hs6 is not null and y.year_count > 0
         then coalesce(b.quantity_kg, 0) / y.year_count end as baseline_kg
from mapped as m
left join base_years as y
    on m.source = y.source and m.frequency = y.frequency
    and m.period_key % 100 = y.month_key and m.baseline_hs_version = y.hs_version
    and m.measure = y.measure and m.country_iso3 is not distinct from y.country_iso3
left join base_sums as b
    on m.source = b.source and m.frequency = b.frequency
    and m.period_key % 100 = b.month_key and m.baseline_hs_version = b.hs_version
    and m.baseline_hs6 = b.hs6 and m.measure = b.measure
    and m.country_iso3 is not distinct from b.country_iso3
