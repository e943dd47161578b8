-- Eurostat publishes the EU27 aggregate beside its member states. Per file and cell, the
-- aggregate's value against the sum of the members' rows: equal when every member is there,
-- never smaller. fct_trade_flows keeps the members only; this model shows that nothing is lost
-- by dropping the aggregate and that adding it would count the same trade twice.
with reported as (
    select * from {{ ref('stg_comext__bulk') }}
    union all
    select * from {{ ref('stg_comext__relational_view') }}
    union all
    select * from {{ ref('stg_comext__ds045409') }}
),

cells as (
    select
        source_file,
        partner_area_code,
        flow,
        stat_procedure,
        frequency,
        year,
        month,
        product_code,
        sum(case when reporter_area_code = 'EU27_2020' then value_eur end) as eu27_value_eur,
        count(case when reporter_area_code = 'EU27_2020' then 1 end) as eu27_rows,
        sum(case when reporter_is_eu27 then value_eur end) as members_value_eur,
        count(distinct case when reporter_is_eu27 then reporter_iso3 end) as member_count
    from reported
    group by source_file, partner_area_code, flow, stat_procedure, frequency, year, month,
        product_code
)

select
    *,
    members_value_eur - eu27_value_eur as members_minus_eu27_eur
from cells
where eu27_rows > 0 and member_count > 0
