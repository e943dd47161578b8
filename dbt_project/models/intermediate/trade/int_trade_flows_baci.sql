{{ config(materialized='view') }}
-- BACI flows in the shape of fct_trade_flows. BACI reconciles the exporter's and the importer's
-- declarations into one FOB value, so there is no reporter, reporter side or flow.
select
    'baci' as source,
    'A' as frequency,
    t.year,
    cast(null as integer) as month,
    e.iso3 as exporter_iso3,
    i.iso3 as importer_iso3,
    cast(null as varchar) as reporter_iso3,
    cast(null as varchar) as reporter_side,
    cast(null as varchar) as flow,
    t.hs6,
    t.hs_version,
    false as hs_version_inferred,
    t.hs6 as product_code,
    6 as product_code_digits,
    1 as product_code_count,
    t.value_usd,
    cast(null as double) as value_eur,
    cast(null as double) as usd_per_eur,
    'FOB' as valuation,
    t.quantity_tonnes as quantity,
    't' as quantity_unit,
    t.quantity_tonnes * 1000 as net_weight_kg,
    t.baci_version as source_version,
    case when t.source_member is null then 'baci__trade' else 'baci_release__trade' end
        as source_table,
    t.source_file,
    t.source_member,
    t.source_line,
    cast(null as varchar) as source_lines,
    1 as source_row_count,
    {{ trade_load_partition("'baci'", 't.hs_version', "'A'", 't.year', 'null') }}
        as load_partition
from {{ ref('stg_baci__trade') }} as t
left join {{ ref('stg_baci__countries') }} as e on t.exporter_baci_code = e.baci_code
left join {{ ref('stg_baci__countries') }} as i on t.importer_baci_code = i.baci_code
