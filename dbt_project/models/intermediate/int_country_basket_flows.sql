-- Per transit country, year and basket: CHPL imports from the coalition and CHPL exports to
-- Russia, with zero where the data has the year but no such flow.
{% set baskets_sql %}
    select 'chpl' as basket, tier from {{ ref('ref_chpl') }}
    union all
    select 'chpl_tier_' || lower(replace(tier, '.', '')) as basket, tier from {{ ref('ref_chpl') }}
{% endset %}

with transit as (
    select iso3 as country_iso3
    from {{ ref('ref_country_group') }}
    where group_name = 'transit' and group_version = '{{ var("transit_group_version") }}'
),

coalition as (
    select iso3
    from {{ ref('ref_country_group') }}
    where group_name = 'coalition' and group_version = '{{ var("coalition_group_version") }}'
),

baskets as (
    select distinct basket, tier from ({{ baskets_sql }}) as b
),

periods as (
    select distinct source, year, hs_version from {{ ref('fct_trade_flows') }}
),

spine as (
    select t.country_iso3, p.source, p.year, p.hs_version, b.basket
    from transit as t
    cross join periods as p
    cross join (select distinct basket from baskets) as b
),

imports as (
    select f.importer_iso3 as country_iso3, f.source, f.year, f.hs_version, b.basket,
           sum(f.value_usd) as value_usd
    from {{ ref('int_trade_flows_chpl') }} as f
    inner join baskets as b on f.tier = b.tier
    where f.exporter_iso3 in (select iso3 from coalition)
    group by f.importer_iso3, f.source, f.year, f.hs_version, b.basket
),

exports as (
    select f.exporter_iso3 as country_iso3, f.source, f.year, f.hs_version, b.basket,
           sum(f.value_usd) as value_usd
    from {{ ref('int_trade_flows_chpl') }} as f
    inner join baskets as b on f.tier = b.tier
    where f.importer_iso3 = 'RUS'
    group by f.exporter_iso3, f.source, f.year, f.hs_version, b.basket
)

select
    s.country_iso3,
    s.source,
    s.year,
    s.hs_version,
    s.basket,
    coalesce(i.value_usd, 0) as coalition_imports_usd,
    coalesce(e.value_usd, 0) as exports_to_russia_usd
from spine as s
left join imports as i
    on s.country_iso3 = i.country_iso3 and s.source = i.source and s.year = i.year
    and s.hs_version = i.hs_version and s.basket = i.basket
left join exports as e
    on s.country_iso3 = e.country_iso3 and s.source = e.source and s.year = e.year
    and s.hs_version = e.hs_version and s.basket = e.basket
