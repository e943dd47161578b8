-- Each group flow of int_metric_group_flows summed per basket and period, against the basket's
-- pre-war baseline. Every basket, country and period of a source gets a row: zero where no
-- flow is seen but the flow is observed, NULL where it is not observed. A flow the declarants
-- would observe (int_metric_group_observed) still counts as unobserved where the source's files
-- cannot show it: none of the basket's codes appears in any of the source's group flows of the
-- period (an extract cut to other goods), or the transit country appears in none of them (an
-- extract cut to other partners). baseline = sum over the
-- baseline years the flow was observed / their number, taken in baseline_hs_version with the
-- basket's own codes in that version (basket totals need no code mapping; a basket with no
-- code in that version has no baseline). hs_mapping_flag: 'exact' when every code of the
-- basket in the row's version is the listed code or carries exactly its goods (identical,
-- renumbered, or split within one tier); 'approximate' when a code holds other goods too
-- (HS2017 852580 for the CHPL's 852589, or a code the EU list names only in part).
{% set base_start = var('baseline_start_year') %}
{% set base_end = var('baseline_end_year') %}

with baskets as (
    select * from {{ ref('int_country_baskets') }}
),

basket_versions as (
    select
        basket, basket_kind, basket_version, hs_version,
        count(*) as hs6_count,
        case when bool_and(hs_mapping in ('identical', 'renumbered', 'one_to_many_same_tier'))
             then 'exact' else 'approximate' end as hs_mapping_flag
    from baskets
    group by basket, basket_kind, basket_version, hs_version
),

periods as (
    select * from {{ ref('int_metric_source_periods') }}
),

observed as (
    select * from {{ ref('int_metric_group_observed') }}
),

sums as (
    select
        f.source, f.frequency, f.year, f.month, f.period_key, f.hs_version, b.basket, f.measure,
        f.country_iso3,
        sum(f.value_usd) as value_usd,
        sum(f.mirror_only_usd) as mirror_only_usd
    from {{ ref('int_metric_group_flows') }} as f
    inner join baskets as b on f.hs6 = b.hs6 and f.hs_version = b.hs_version
    group by f.source, f.frequency, f.year, f.month, f.period_key, f.hs_version, b.basket,
             f.measure, f.country_iso3
),

-- What the source's files hold at all in a period: the baskets with a code in some group flow,
-- and the transit countries in some group flow (any basket, any measure).
basket_scope as (
    select distinct source, frequency, period_key, hs_version, basket from sums
),

country_scope as (
    select distinct source, frequency, period_key, country_iso3
    from sums
    where measure in ('coalition_to_country', 'country_to_russia', 'country_to_world',
                      'country_to_rest')
),

spine as (
    select
        p.source, p.frequency, p.year, p.month, p.period_key, p.hs_version, p.months_covered,
        p.baseline_hs_version, v.basket, v.basket_kind, v.basket_version, v.hs6_count,
        v.hs_mapping_flag, o.measure, o.country_iso3,
        o.observed and bs.basket is not null
        and (o.measure not in ('coalition_to_country', 'country_to_russia', 'country_to_world',
                               'country_to_rest')
             or cs.country_iso3 is not null) as observed
    from periods as p
    inner join basket_versions as v on p.hs_version = v.hs_version
    inner join observed as o
        on p.source = o.source and p.frequency = o.frequency and p.period_key = o.period_key
    left join basket_scope as bs
        on p.source = bs.source and p.frequency = bs.frequency
        and p.period_key = bs.period_key and p.hs_version = bs.hs_version
        and v.basket = bs.basket
    left join country_scope as cs
        on p.source = cs.source and p.frequency = cs.frequency
        and p.period_key = cs.period_key and o.country_iso3 = cs.country_iso3
),

valued as (
    select
        s.*,
        case when s.observed then coalesce(x.value_usd, 0) end as value_usd,
        case when s.observed then x.mirror_only_usd end as mirror_only_usd
    from spine as s
    left join sums as x
        on s.source = x.source and s.frequency = x.frequency and s.period_key = x.period_key
        and s.hs_version = x.hs_version
        and s.basket = x.basket and s.measure = x.measure
        and s.country_iso3 is not distinct from x.country_iso3
),

-- Per calendar month (period_key % 100; 0 for years): a month compares with the same month of
-- the baseline years.
base as (
    select
        source, frequency, period_key % 100 as month_key, hs_version, basket, measure,
        country_iso3,
        sum(value_usd) as value_usd,
        count(distinct year) as year_count
    from valued
    where year between {{ base_start }} and {{ base_end }} and observed
    group by source, frequency, period_key % 100, hs_version, basket, measure, country_iso3
)

select
    v.source,
    v.frequency,
    v.year,
    v.month,
    v.period_key,
    v.hs_version,
    v.basket,
    v.basket_kind,
    v.basket_version,
    v.hs6_count,
    v.hs_mapping_flag,
    v.measure,
    v.country_iso3,
    v.observed,
    v.months_covered,
    v.value_usd,
    v.mirror_only_usd,
    v.baseline_hs_version,
    b.year_count as baseline_year_count,
    b.value_usd / nullif(b.year_count, 0) as baseline_usd
from valued as v
left join base as b
    on v.source = b.source and v.frequency = b.frequency
    and v.period_key % 100 = b.month_key and v.baseline_hs_version = b.hs_version
    and v.basket = b.basket and v.measure = b.measure
    and v.country_iso3 is not distinct from b.country_iso3
