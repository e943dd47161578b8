-- The periods each source covers, per frequency and HS version, with the baseline each period
-- is compared with (docs/metrics.md, "Baseline"):
-- - months_covered: 12 for a source's own annual rows, else the months summed into the year
--   (a year still being published, e.g. Comext 2022 to November, shows fewer);
-- - baseline_hs_version: the period's own HS version when the source has it in the baseline
--   years (BACI HS17 from 2017); otherwise the version the source used then (Comext and
--   Comtrade switched to HS2022 in 2022), whose codes the baskets and the CHPL concordance map;
-- - has_declarants: the source says who declared each flow (reporter_iso3); false for BACI,
--   whose reconciled flows count as observed for every country.
{% set base_start = var('baseline_start_year') %}
{% set base_end = var('baseline_end_year') %}

with flows as (
    select * from {{ ref('int_metric_trade_flows') }}
),

periods as (
    select
        source, frequency, year, month, period_key, hs_version,
        bool_or(is_derived_annual) as is_derived_annual,
        bool_or(value_side <> 'reconciled') as has_declarants
    from flows
    group by source, frequency, year, month, period_key, hs_version
),

months as (
    select source, year, count(distinct month) as month_count
    from flows
    where frequency = 'M'
    group by source, year
),

in_window as (
    select source, frequency, hs_version, count(*) as period_count
    from periods
    where year between {{ base_start }} and {{ base_end }}
    group by source, frequency, hs_version
),

-- A source without a version in the baseline years takes the version it used most then.
fallback as (
    select source, frequency, hs_version
    from (
        select
            source, frequency, hs_version,
            row_number() over (
                partition by source, frequency order by period_count desc, hs_version desc
            ) as rank_in_window
        from in_window
    ) as ranked
    where rank_in_window = 1
),

versions as (
    select distinct
        p.source, p.frequency, p.hs_version,
        coalesce(w.hs_version, f.hs_version) as baseline_hs_version
    from periods as p
    left join in_window as w
        on p.source = w.source and p.frequency = w.frequency and p.hs_version = w.hs_version
    left join fallback as f on p.source = f.source and p.frequency = f.frequency
)

select
    p.source,
    p.frequency,
    p.year,
    p.month,
    p.period_key,
    p.hs_version,
    case
        when p.frequency = 'M' then 1
        when p.is_derived_annual then m.month_count
        else 12
    end as months_covered,
    p.is_derived_annual,
    p.has_declarants,
    v.baseline_hs_version
from periods as p
inner join versions as v
    on p.source = v.source and p.frequency = v.frequency and p.hs_version = v.hs_version
left join months as m on p.source = m.source and p.year = m.year
