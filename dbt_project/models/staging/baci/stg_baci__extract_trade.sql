-- BACI-shaped extracts, one row per file, year, exporter, importer and HS6, value in USD.
-- Countries the parser could not map (BACI's own codes for areas, such as S19 "Other Asia, nes")
-- are mapped here through BACI's country table, as the yearly files' numeric codes are.
with extracts as (
    select * from {{ source('baci', 'extract_trade') }}
)

select
    e.year,
    e.exporter,
    e.importer,
    coalesce(e.exporter_iso3, ec.iso3, ea.iso3, e.exporter) as exporter_iso3,
    coalesce(e.importer_iso3, ic.iso3, ia.iso3, e.importer) as importer_iso3,
    e.hs6,
    {{ baci_hs_version('e.hs_revision') }} as hs_version,
    e.value_usd,
    e.quantity_tonnes,
    e.hs_revision,
    e.baci_version,
    e.release_from,
    e.release_date,
    e.source_file,
    e.source_line
from extracts as e
left join {{ ref('stg_baci__countries') }} as ec
    on regexp_full_match(e.exporter, '[0-9]+') and try_cast(e.exporter as integer) = ec.baci_code
left join {{ ref('stg_baci__countries') }} as ea
    on not regexp_full_match(e.exporter, '[0-9]+') and e.exporter = ea.baci_iso3
left join {{ ref('stg_baci__countries') }} as ic
    on regexp_full_match(e.importer, '[0-9]+') and try_cast(e.importer as integer) = ic.baci_code
left join {{ ref('stg_baci__countries') }} as ia
    on not regexp_full_match(e.importer, '[0-9]+') and e.importer = ia.baci_iso3
