{# The shape the three Comext layouts share. They differ only in the layout's name, its rank
   (where two layouts hold the same cell, the lower rank is kept: codes before labels), the
   column names of flow and procedure, and whether quantities exist. #}
{% macro comext_layout(table, rank, flow='flow', stat_procedure='stat_procedure',
                       quantity='cast(null as double)') %}
select
    '{{ table }}' as source_table,
    {{ rank }} as layout_rank,
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
    {{ flow }} as flow,
    {{ stat_procedure }} as stat_procedure,
    product_code,
    code_digits,
    hs6,
    -- The Combined Nomenclature of a year is built on the HS edition in force that year.
    case when coalesce(hs6, '') <> 'TOTAL' then {{ hs_edition_in_force('period_year') }}
    end as hs_version,
    value_eur,
    usd_per_eur,
    value_usd,
    {{ quantity }} as quantity_kg,
    release_date,
    {{ optional_column(source("comext", table), "vintage_in_file", "date") }} as vintage_in_file,
    source_file,
    source_line
from {{ source('comext', table) }}
{% endmacro %}
