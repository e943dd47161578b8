-- One row per year, exporter, importer and HS6 as BACI publishes it; value in USD (v * 1000).
select
    t as year,
    i as exporter_baci_code,
    j as importer_baci_code,
    k as hs6,
    {{ baci_hs_version('hs_revision') }} as hs_version,
    v as value_kusd,
    v * 1000 as value_usd,
    q as quantity_tonnes,
    baci_version,
    source_file,
    source_line
from {{ source('baci', 'trade') }}
