-- Compact Comtrade pulls in the shape shared by the three Comtrade layouts. Annual, HS "as
-- reported" (hs_version: the edition in force in the year); qtyunit is Comtrade's unit code.
select
    'compact' as source_table,
    frequency,
    period_year as year,
    period_month as month,
    reporter as reporter_code,
    reporter_iso3,
    reporter_area,
    reporter_is_aggregate,
    partner as partner_code,
    partner_iso3,
    partner_area,
    partner_is_aggregate,
    upper(trim(flow)) as flow,
    cast(null as string) as classification,
    case when coalesce(hs6, '') <> 'TOTAL' then {{ hs_edition_in_force('period_year') }}
    end as hs_version,
    coalesce(hs6, '') <> 'TOTAL' as hs_version_inferred,
    {{ padded_hs_code('cmd') }} as product_code,
    code_digits,
    hs6,
    value_usd,
    net_weight_kg,
    quantity,
    case trim(quantity_unit)
        when '8' then 'kg'
        when '5' then 'u'
        when '-1' then null
        when '' then null
        else 'comtrade unit ' || trim(quantity_unit)
    end as quantity_unit,
    total_role,
    counts_in_total,
    release_date,
    source_file,
    source_line
from {{ source('comtrade', 'compact') }}
