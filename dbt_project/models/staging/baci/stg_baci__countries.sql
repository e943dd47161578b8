-- The latest BACI country table (loose file or release zip), each code mapped to ISO3 through
-- ref_country_codes: BACI's current and historical codes (58 Belgium-Luxembourg, 280 West
-- Germany ...) and 490 "Other Asia, nes", which BACI codes S19, as Taiwan. Areas the seed does
-- not know (dissolved states, BACI's own groups) keep BACI's ISO3.
with tables as (
    select country_code, country_name, iso2, iso3, baci_version, source_file, source_line
    from {{ source('baci', 'country_codes') }}
    union all
    select country_code, country_name, iso2, iso3, baci_version, source_file, source_line
    from {{ source('baci', 'release_country_codes') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by country_code order by baci_version desc, source_file nulls last
        ) as version_rank
    from tables
),

seed_codes as (
    select iso3, iso2, name, baci_code, true as is_current_code
    from {{ ref('ref_country_codes') }}
    where baci_code is not null
    union all
    select iso3, iso2, name, cast(code as integer) as baci_code, false as is_current_code
    from (
        select iso3, iso2, name, {{ unnest_split('baci_codes_other', "'|'") }} as code
        from {{ ref('ref_country_codes') }}
    ) as o
    where code <> ''
)

select
    r.country_code as baci_code,
    coalesce(s.iso3, r.iso3) as iso3,
    coalesce(s.iso2, r.iso2) as iso2,
    coalesce(s.name, r.country_name) as name,
    r.country_name as baci_name,
    r.iso3 as baci_iso3,
    s.iso3 is not null as in_country_reference,
    coalesce(s.is_current_code, false) as is_current_code,
    r.baci_version,
    r.source_file,
    r.source_line
from ranked as r
left join seed_codes as s on r.country_code = s.baci_code
where r.version_rank = 1
