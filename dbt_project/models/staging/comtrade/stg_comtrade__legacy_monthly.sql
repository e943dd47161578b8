-- comtradr CSVs in the shape shared by the three Comtrade layouts. They name no HS edition
-- (the pulls asked for HS "as reported"): hs_version is the edition in force in the year.
select
    'legacy_monthly' as source_table,
    frequency,
    period_year as year,
    period_month as month,
    reporter_code,
    reporter_iso3,
    reporter_area,
    reporter_is_aggregate,
    partner_code,
    partner_iso3,
    partner_area,
    partner_is_aggregate,
    flow,
    cast(null as string) as classification,
    case when coalesce(hs6, '') <> 'TOTAL' then {{ hs_edition_in_force('period_year') }}
    end as hs_version,
    coalesce(hs6, '') <> 'TOTAL' as hs_version_inferred,
    {{ padded_hs_code('commodity_code') }} as product_code,
    code_digits,
    hs6,
    value_usd,
    net_weight_kg,
    quantity,
    quantity_unit,
    total_role,
    counts_in_total,
    release_date,
    source_file,
    source_line
from {{ source('comtrade', 'legacy_monthly') }}
