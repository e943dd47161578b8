{{ config(materialized='view') }}
-- National offices' all-goods rows (hs6 = 'TOTAL', no HS version), which
-- int_trade_flows_reported puts in the shape of fct_trade_flows: Armstat's monthly exports and
-- imports by country of origin, and the yearly import tables. Country partners only (World,
-- CIS, EAEU, continents are aggregates).
with reported as (
    select
        'armstat' as source, frequency, year, month, reporter_iso3, reporter_area,
        partner_iso3, partner_area, flow, product_code, hs6, value_usd,
        cast(null as double) as value_eur, cast(null as double) as usd_per_eur,
        'armstat__trade_by_country' as source_table, source_file, source_line
    from {{ ref('stg_armstat__trade_by_country') }}
    union all
    select
        'national_yearly' as source, frequency, year, month, reporter_iso3, reporter_area,
        partner_iso3, partner_area, flow, product_code, hs6, value_usd, value_eur, usd_per_eur,
        'national_yearly__imports_by_partner' as source_table, source_file, source_line
    from {{ ref('stg_national_yearly__imports_by_partner') }}
)

select
    r.source,
    r.frequency,
    r.year,
    r.month,
    r.reporter_iso3,
    r.partner_iso3,
    r.flow,
    r.hs6,
    cast(null as varchar) as hs_version,
    false as hs_version_inferred,
    r.product_code,
    cast(null as integer) as code_digits,
    r.value_usd,
    r.value_eur,
    r.usd_per_eur,
    cast(null as double) as quantity,
    cast(null as varchar) as quantity_unit,
    cast(null as double) as net_weight_kg,
    r.source_table,
    r.source_file,
    r.source_line,
    0 as tie_rank
from reported as r
where r.reporter_area = 'country'
  and r.partner_area = 'country'
  and r.hs6 = 'TOTAL'
  and r.value_usd is not null
