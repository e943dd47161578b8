-- Comtrade+ API records in the shape shared by the three Comtrade layouts.
select
    'records' as source_table,
    frequency,
    period_year as year,
    period_month as month,
    cast(reporterCode as string) as reporter_code,
    reporter_iso3,
    reporter_area,
    reporter_is_aggregate,
    cast(partnerCode as string) as partner_code,
    partner_iso3,
    partner_area,
    partner_is_aggregate,
    flow,
    classificationCode as classification,
    case
        when coalesce(hs6, '') <> 'TOTAL'
            then {{ comtrade_hs_version('classificationCode', 'period_year') }}
    end as hs_version,
    coalesce(upper(classificationCode) not in ('H0', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6'), true)
        and coalesce(hs6, '') <> 'TOTAL' as hs_version_inferred,
    {{ padded_hs_code('cmdCode') }} as product_code,
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
from {{ source('comtrade', 'records') }}
