-- BACI-shaped extracts, one row per file, year, exporter, importer and HS6, value in USD.
-- Countries the parser could not map (BACI's own codes for areas, such as S19 "Other Asia, nes")
-- are mapped here through BACI's country table, as the yearly files' numeric codes are.
with extracts as (
    select * from {{ source('baci', 'extract_trade') }}
),

-- BACI's own three-character codes, each to one ISO3 (BEL is both 56 and the retired 58).
by_baci_iso3 as (
    select baci_iso3, min(iso3) as iso3
    from {{ ref('stg_baci__countries') }}
    where baci_iso3 is not null
    group by baci_iso3
    having count(distinct iso3) = 1
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
    on e.exporter_iso3 is null and try_cast(e.exporter as integer) = ec.baci_code
left join by_baci_iso3 as ea
    on e.exporter_iso3 is null and e.exporter = ea.baci_iso3
left join {{ ref('stg_baci__countries') }} as ic
    on e.importer_iso3 is null and try_cast(e.importer as integer) = ic.baci_code
left join by_baci_iso3 as ia
    on e.importer_iso3 is null and e.importer = ia.baci_iso3
