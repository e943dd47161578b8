-- Flows between country groups per HS6 (long format, one row per measure), for the HS6 codes
-- of any basket. country_iso3 is the transit country t the measure is about (RUS for the
-- coalition's exports to Russia, NULL for the coalition's exports to the rest of the world):
--   coalition_to_country   X(C -> t)          coalition members' exports to t
--   country_to_russia      X(t -> RUS)
--   country_to_world       X(t -> any country)
--   country_to_rest        X(t -> R)          R = neither Russia nor a transit country
--   coalition_to_russia    X(C -> RUS)
--   coalition_to_rest      X(C -> R)
-- C = coalition, T = transit group (versions: dbt vars). Periods without the flow have no row.
with transit as (
    {{ group_members('transit') }}
),

coalition as (
    {{ group_members('coalition') }}
),

basket_codes as (
    select distinct b.hs6, b.hs_version from {{ ref('int_country_baskets') }} as b
),

flows as (
    select
        f.*,
        f.exporter_iso3 in (select iso3 from coalition) as from_coalition,
        f.exporter_iso3 in (select iso3 from transit) as from_transit,
        f.importer_iso3 in (select iso3 from transit) as to_transit,
        f.importer_iso3 = 'RUS' as to_russia
    from {{ ref('int_metric_trade_flows') }} as f
    inner join basket_codes as b on f.hs6 = b.hs6 and f.hs_version = b.hs_version
),

tagged as (
    select 'coalition_to_country' as measure, importer_iso3 as country_iso3, flows.*
    from flows where from_coalition and to_transit
    union all
    select 'country_to_russia', exporter_iso3, flows.* from flows where from_transit and to_russia
    union all
    select 'country_to_world', exporter_iso3, flows.* from flows where from_transit
    union all
    select 'country_to_rest', exporter_iso3, flows.*
    from flows where from_transit and not to_transit and not to_russia
    union all
    select 'coalition_to_russia', 'RUS', flows.* from flows where from_coalition and to_russia
    union all
    select 'coalition_to_rest', cast(null as string), flows.*
    from flows where from_coalition and not to_transit and not to_russia
)

select
    source,
    frequency,
    year,
    month,
    period_key,
    hs_version,
    hs6,
    measure,
    country_iso3,
    sum(value_usd) as value_usd,
    sum(mirror_only_usd) as mirror_only_usd,
    sum(quantified_usd) as quantified_usd,
    sum(quantity_kg) as quantity_kg
from tagged
group by source, frequency, year, month, period_key, hs_version, hs6, measure, country_iso3
