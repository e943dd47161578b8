{{ config(materialized='view') }}
-- Comext rows that make up flows (int_trade_flows_reported sums them to the shape of
-- fct_trade_flows): member states' declarations only (an EU, euro area or extra-EU aggregate is
-- never added beside its members; int_trade_comext_eu_check shows that the members add up to
-- the EU27 row), country partners only (not the "stores and
-- provisions", high seas or "not specified" buckets), monthly and annual rows apart (frequency),
-- CN8 codes summed to their HS6 without ever adding two code lengths, HS4 headings and HS2
-- chapters left out (they have no HS6). Values in EUR and in USD at the ECB monthly average.
with reported as (
    select * from {{ ref('stg_comext__bulk') }}
    union all
    select * from {{ ref('stg_comext__relational_view') }}
    union all
    select * from {{ ref('stg_comext__ds045409') }}
),

countable as (
    select *
    from reported
    where reporter_area = 'country'
      and partner_area = 'country'
      and not reporter_is_aggregate
      and not partner_is_aggregate
      and (hs6 = 'TOTAL' or code_digits >= 6)
),

-- Customs procedures are parts of a total (bulk files: 1 normal trade, 2 and 3 processing ...);
-- where a file also has the all-procedures row of a cell, that row alone is kept.
procedures as (
    select
        *,
        bool_or(stat_procedure = 'TOTAL') over (
            partition by source_file, frequency, year, month, reporter_iso3, partner_iso3, flow,
                product_code
        ) as has_total_procedure
    from countable
)

select
    'comext' as source,
    p.frequency,
    p.year,
    p.month,
    p.reporter_iso3,
    p.partner_iso3,
    p.flow,
    p.hs6,
    p.hs_version,
    false as hs_version_inferred,
    p.product_code,
    p.code_digits,
    p.value_usd,
    p.value_eur,
    p.usd_per_eur,
    p.quantity_kg as quantity,
    case when p.quantity_kg is not null then 'kg' end as quantity_unit,
    p.quantity_kg as net_weight_kg,
    'comext__' || p.source_table as source_table,
    p.source_file,
    p.source_line,
    p.layout_rank as tie_rank
from procedures as p
where not p.has_total_procedure or p.stat_procedure = 'TOTAL'
