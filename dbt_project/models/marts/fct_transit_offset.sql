-- The substitution (offset) ratio (docs/metrics.md; EBRD "The Eurasian roundabout"): how much of
-- the fall in the coalition's exports to Russia reappears as growth of its exports to the
-- transit countries, per period and basket, and per HS6 of each basket:
--   coalition_drop_to_ru_usd = baseline - value of X(C -> RUS)
--   transit_increase_usd     = sum over transit countries t of
--                              max(0, value - baseline of X(C -> t))
--   transit_offset_ratio     = transit_increase_usd / coalition_drop_to_ru_usd, when the drop > 0
-- flagged above the var transit_offset_flag_threshold (0.5). Basket rows have hs6 NULL.
{% set base_start = var('baseline_start_year') %}
{% set base_end = var('baseline_end_year') %}

with basket_rows as (
    select * from {{ ref('int_metric_basket_vs_baseline') }}
    where measure in ('coalition_to_russia', 'coalition_to_country')
),

hs6_rows as (
    select * from {{ ref('int_metric_hs6_vs_baseline') }}
    where measure in ('coalition_to_russia', 'coalition_to_country')
),

basket_russia as (
    select
        source, frequency, year, month, period_key, hs_version, basket, basket_kind,
        basket_version, hs_mapping_flag, months_covered, baseline_hs_version,
        baseline_year_count, observed, value_usd, baseline_usd
    from basket_rows
    where measure = 'coalition_to_russia'
),

hs6_russia as (
    select
        source, frequency, year, month, period_key, hs_version, hs6, months_covered,
        baseline_hs_version, baseline_year_count, observed, value_usd, baseline_usd
    from hs6_rows
    where measure = 'coalition_to_russia'
),

-- The coalition's exports to each transit country, basket rows (hs6 NULL) and HS6 rows
-- (basket NULL) together, so that one set of sums serves both.
to_transit as (
    select
        source, frequency, year, month, period_key, hs_version, basket,
        cast(null as {{ dbt.type_string() }}) as hs6, months_covered, baseline_hs_version,
        observed, value_usd, baseline_usd
    from basket_rows
    where measure = 'coalition_to_country'
    union all
    select
        source, frequency, year, month, period_key, hs_version,
        cast(null as {{ dbt.type_string() }}) as basket, hs6, months_covered, baseline_hs_version,
        observed, value_usd, baseline_usd
    from hs6_rows
    where measure = 'coalition_to_country'
),

transit as (
    select
        source, frequency, year, month, period_key, hs_version, basket, hs6,
        max(months_covered) as months_covered,
        max(baseline_hs_version) as baseline_hs_version,
        sum({{ positive_part('value_usd - baseline_usd') }}) as transit_increase_usd,
        sum(value_usd - baseline_usd) as transit_net_change_usd,
        sum(case when value_usd - baseline_usd > 0 then 1 else 0 end)
            as transit_countries_increasing,
        sum(case when observed and baseline_usd is not null then 1 else 0 end)
            as transit_countries_observed
    from to_transit
    group by source, frequency, year, month, period_key, hs_version, basket, hs6
),

basket_transit as (
    select * from transit where hs6 is null
),

hs6_transit as (
    select * from transit where basket is null
),

hs6_joined as (
    select
        coalesce(r.source, t.source) as source,
        coalesce(r.frequency, t.frequency) as frequency,
        coalesce(r.year, t.year) as year,
        coalesce(r.month, t.month) as month,
        coalesce(r.hs_version, t.hs_version) as hs_version,
        coalesce(r.hs6, t.hs6) as hs6,
        coalesce(r.months_covered, t.months_covered) as months_covered,
        coalesce(r.baseline_hs_version, t.baseline_hs_version) as baseline_hs_version,
        r.baseline_year_count,
        r.value_usd,
        r.baseline_usd,
        t.transit_increase_usd,
        t.transit_net_change_usd,
        t.transit_countries_increasing,
        t.transit_countries_observed
    from hs6_russia as r
    full outer join hs6_transit as t
        on r.source = t.source and r.frequency = t.frequency and r.period_key = t.period_key
        and r.hs_version = t.hs_version and r.hs6 = t.hs6
),

all_rows as (
    select
        r.source, r.frequency, r.year, r.month, r.hs_version, r.basket, r.basket_kind,
        r.basket_version, 'basket' as product_level,
        cast(null as {{ dbt.type_string() }}) as hs6,
        r.hs_mapping_flag, r.months_covered, r.baseline_hs_version, r.baseline_year_count,
        r.value_usd, r.baseline_usd,
        t.transit_increase_usd, t.transit_net_change_usd, t.transit_countries_increasing,
        t.transit_countries_observed
    from basket_russia as r
    left join basket_transit as t
        on r.source = t.source and r.frequency = t.frequency and r.period_key = t.period_key
        and r.hs_version = t.hs_version and r.basket = t.basket
    union all
    select
        h.source, h.frequency, h.year, h.month, h.hs_version, b.basket, b.basket_kind,
        b.basket_version, 'hs6', h.hs6,
        case when b.hs_mapping in ('identical', 'renumbered') then 'exact' else 'approximate' end,
        h.months_covered, h.baseline_hs_version, h.baseline_year_count,
        h.value_usd, h.baseline_usd,
        h.transit_increase_usd, h.transit_net_change_usd, h.transit_countries_increasing,
        h.transit_countries_observed
    from hs6_joined as h
    inner join {{ ref('int_country_baskets') }} as b
        on h.hs6 = b.hs6 and h.hs_version = b.hs_version
)

select
    source as sources,
    frequency,
    year,
    month,
    hs_version,
    basket,
    basket_kind,
    basket_version,
    product_level,
    hs6,
    value_usd as coalition_exports_to_russia_usd,
    baseline_usd as coalition_exports_to_russia_baseline_usd,
    baseline_usd - value_usd as coalition_drop_to_ru_usd,
    transit_increase_usd,
    transit_net_change_usd,
    transit_countries_increasing,
    transit_countries_observed,
    case when baseline_usd - value_usd > 0
         then transit_increase_usd / (baseline_usd - value_usd) end as transit_offset_ratio,
    case when baseline_usd - value_usd > 0
         then transit_increase_usd / (baseline_usd - value_usd)
              > {{ var('transit_offset_flag_threshold') }} end as offset_flag,
    months_covered,
    frequency = 'A' and months_covered < 12 as is_partial_year,
    '{{ base_start }}-{{ base_end }}' as baseline_years,
    baseline_hs_version,
    baseline_year_count,
    hs_mapping_flag,
    '{{ var("chpl_list_version") }}' as chpl_list_version,
    '{{ var("eu_sanctions_list_version") }}' as eu_sanctions_list_version,
    '{{ var("coalition_group_version") }}' as coalition_group_version,
    '{{ var("transit_group_version") }}' as transit_group_version,
    {{ synthetic_flag('source', 'year') }} as is_synthetic
from all_rows
