{{ config(materialized='view') }}
-- National offices' rows in the shape int_trade_flows_reported reads: Armstat's monthly
-- exports and imports by country of origin, and the yearly import tables. Every partner is kept
-- (World, CIS, EAEU, continents flagged as not countries). Left out by design, with the reason
-- in excluded_reason: rows without a value (a month a partner is not published).
with reported as (
    select
        'armstat' as source, frequency, year, month, reporter_iso3 as reporter_code,
        reporter_iso3, reporter_area, partner_area_code, partner_iso3, partner_area, flow,
        product_code, hs6, value_usd,
        cast(null as double) as value_eur, cast(null as double) as usd_per_eur,
        'armstat__trade_by_country' as source_table, release_date, source_file, source_line
    from {{ ref('stg_armstat__trade_by_country') }}
    union all
    select
        'national_yearly' as source, frequency, year, month, reporter_iso3 as reporter_code,
        reporter_iso3, reporter_area, partner_area_code, partner_iso3, partner_area, flow,
        product_code, hs6, value_usd, value_eur, usd_per_eur,
        'national_yearly__imports_by_partner' as source_table, release_date, source_file,
        source_line
    from {{ ref('stg_national_yearly__imports_by_partner') }}
)

select
    r.source,
    r.frequency,
    r.year,
    r.month,
    r.reporter_code,
    r.reporter_iso3,
    r.reporter_area,
    r.partner_area_code as partner_code,
    r.partner_iso3,
    r.partner_area,
    r.flow,
    r.hs6,
    cast(null as string) as hs_version,
    false as hs_version_inferred,
    r.product_code,
    cast(null as integer) as code_digits,
    r.value_usd,
    r.value_eur,
    r.usd_per_eur,
    cast(null as double) as quantity,
    cast(null as string) as quantity_unit,
    cast(null as double) as net_weight_kg,
    r.source_table,
    cast(null as date) as vintage_in_file,
    r.release_date,
    r.source_file,
    r.source_line,
    0 as tie_rank,
    case when r.value_usd is null then 'no value' end as excluded_reason
from reported as r
