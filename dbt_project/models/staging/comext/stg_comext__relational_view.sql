-- Comext relational-view exports in the shape shared by the Comext layouts.
select
    'relational_view' as source_table,
    -- Where two layouts hold the same cell, the lower rank is kept (codes before labels).
    3 as layout_rank,
    frequency,
    period_year as year,
    period_month as month,
    reporter_area_code,
    reporter_iso3,
    reporter_area,
    reporter_is_aggregate,
    reporter_is_eu27,
    partner_area_code,
    partner_iso3,
    partner_area,
    partner_is_aggregate,
    flow_1 as flow,
    stat_procedure_1 as stat_procedure,
    product_code,
    code_digits,
    hs6,
    -- The Combined Nomenclature of a year is built on the HS edition in force that year.
    case when coalesce(hs6, '') <> 'TOTAL' then {{ hs_edition_in_force('period_year') }}
    end as hs_version,
    value_eur,
    usd_per_eur,
    value_usd,
    cast(null as double) as quantity_kg,
    source_file,
    source_line
from {{ source('comext', 'relational_view') }}
