-- Armstat's monthly table, one row per partner and month, as two flows: exports (X) and imports
-- by country of origin (M). Imports by country of consignment describe the same goods by
-- another partner and stay in import_consignment_usd; adding them would count imports twice.
with months as (
    select * from {{ source('armstat', 'trade_by_country') }}
)

select
    'X' as flow, frequency, period_year as year, period_month as month,
    reporter_iso3, reporter_area, partner_area_code, partner_iso3, partner_area,
    partner_is_aggregate, product_code, hs6, export_usd as value_usd,
    import_consignment_usd, release_date, source_file, source_line
from months
union all
select
    'M' as flow, frequency, period_year as year, period_month as month,
    reporter_iso3, reporter_area, partner_area_code, partner_iso3, partner_area,
    partner_is_aggregate, product_code, hs6, import_origin_usd as value_usd,
    import_consignment_usd, release_date, source_file, source_line
from months
