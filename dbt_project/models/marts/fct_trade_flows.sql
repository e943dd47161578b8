-- All trade flows in one shape. BACI reconciles both declarations, so it has no reporter side.
select
    'baci' as source,
    'A' as frequency,
    t.year,
    cast(null as integer) as month,
    e.iso3 as exporter_iso3,
    i.iso3 as importer_iso3,
    cast(null as varchar) as reporter_iso3,
    t.hs6,
    t.hs_version,
    t.hs6 as product_code,
    t.value_usd,
    cast(null as double) as value_eur,
    t.quantity_tonnes as quantity,
    't' as quantity_unit,
    t.baci_version as source_version,
    t.source_file,
    t.source_line
from {{ ref('stg_baci__trade') }} as t
inner join {{ ref('stg_baci__countries') }} as e on t.exporter_baci_code = e.baci_code
inner join {{ ref('stg_baci__countries') }} as i on t.importer_baci_code = i.baci_code
