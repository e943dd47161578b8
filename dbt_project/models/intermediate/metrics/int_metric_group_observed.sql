-- Whether a source observes each group flow of int_metric_group_flows in a period: always for
-- reconciled sources (BACI); otherwise only when a country that would declare it did:
--   coalition_to_country(t)  t or a coalition member declared
--   country_to_russia(t)     t or Russia declared
--   country_to_world(t), country_to_rest(t)   t declared (partners' mirrors are incomplete)
--   coalition_to_russia      Russia or a coalition member declared
--   coalition_to_rest        a coalition member declared
-- An unobserved flow is NULL in the metrics, never zero.
with transit as (
    {{ group_members('transit') }}
),

coalition as (
    {{ group_members('coalition') }}
),

periods as (
    select source, frequency, year, month, period_key, bool_or(has_declarants) as has_declarants
    from {{ ref('int_metric_source_periods') }}
    group by source, frequency, year, month, period_key
),

declared as (
    select
        p.source, p.frequency, p.year, p.month, p.period_key, p.has_declarants,
        d.declarant_iso3,
        d.declarant_iso3 in (select iso3 from coalition) as by_coalition
    from periods as p
    left join {{ ref('int_metric_declarants') }} as d
        on p.source = d.source and p.frequency = d.frequency and p.period_key = d.period_key
),

by_period as (
    select
        source, frequency, year, month, period_key,
        max(case when has_declarants then 0 else 1 end) = 1 as reconciled,
        coalesce(bool_or(by_coalition), false) as coalition_declared,
        coalesce(bool_or(declarant_iso3 = 'RUS'), false) as russia_declared
    from declared
    group by source, frequency, year, month, period_key
),

by_country as (
    select
        p.source, p.frequency, p.year, p.month, p.period_key, p.reconciled, p.coalition_declared,
        p.russia_declared, t.iso3 as country_iso3,
        d.declarant_iso3 is not null as country_declared
    from by_period as p
    cross join transit as t
    left join (select distinct source, frequency, period_key, declarant_iso3
               from declared) as d
        on p.source = d.source and p.frequency = d.frequency and p.period_key = d.period_key
        and d.declarant_iso3 = t.iso3
)

select source, frequency, year, month, period_key, 'coalition_to_country' as measure,
       country_iso3,
       reconciled or country_declared or coalition_declared as observed
from by_country
union all
select source, frequency, year, month, period_key, 'country_to_russia', country_iso3,
       reconciled or country_declared or russia_declared
from by_country
union all
select source, frequency, year, month, period_key, 'country_to_world', country_iso3,
       reconciled or country_declared
from by_country
union all
select source, frequency, year, month, period_key, 'country_to_rest', country_iso3,
       reconciled or country_declared
from by_country
union all
select source, frequency, year, month, period_key, 'coalition_to_russia', 'RUS',
       reconciled or russia_declared or coalition_declared
from by_period
union all
select source, frequency, year, month, period_key, 'coalition_to_rest', cast(null as string),
       reconciled or coalition_declared
from by_period
