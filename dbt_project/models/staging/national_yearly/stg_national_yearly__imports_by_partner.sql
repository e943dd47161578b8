-- National yearly import tables (Comext layout, EUR at the compiler's fixed rates).
select
    frequency,
    period_year as year,
    period_month as month,
    reporter_iso3,
    reporter_area,
    reporter_is_aggregate,
    partner_area_code,
    partner_iso3,
    partner_area,
    partner_is_aggregate,
    flow_1 as flow,
    product_code,
    hs6,
    value_eur,
    usd_per_eur,
    value_usd,
    release_date,
    source_file,
    source_line
from {{ source('national_yearly', 'imports_by_partner') }}
