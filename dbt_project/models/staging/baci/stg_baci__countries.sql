-- The latest BACI country table, with ISO codes where BACI uses its own (Taiwan is 490 "Other
-- Asia, nes", ISO3 S19 in BACI).
with ranked as (
    select
        *,
        row_number() over (partition by country_code order by baci_version desc) as version_rank
    from {{ source('baci', 'country_codes') }}
)

select
    r.country_code as baci_code,
    coalesce(o.iso3, r.iso3) as iso3,
    coalesce(o.iso2, r.iso2) as iso2,
    coalesce(o.name, r.country_name) as name,
    r.baci_version,
    r.source_file,
    r.source_line
from ranked as r
left join {{ ref('ref_baci_country_override') }} as o on r.country_code = o.baci_code
where r.version_rank = 1
