-- Countries with their code in each source's scheme, from ref_country_codes (ISO 3166, UN M49,
-- BACI and Comtrade codes, Eurostat labels), plus the areas BACI publishes that are no ISO
-- country (dissolved states, BACI's own groups), so that every BACI flow finds its country.
with seed as (
    select * from {{ ref('ref_country_codes') }}
),

baci as (
    select * from {{ ref('stg_baci__countries') }}
),

memberships as (
    select
        iso3,
        max(case when group_name = 'coalition' then 1 else 0 end) as is_coalition,
        max(case when group_name = 'transit' then 1 else 0 end) as is_transit,
        {{ ordered_listagg("group_name || '@' || group_version", "'|'",
                           ['group_name', 'group_version']) }} as group_memberships
    from {{ ref('ref_country_group') }}
    group by iso3
),

countries as (
    select
        s.iso3,
        s.iso2,
        s.m49,
        s.baci_code,
        s.baci_codes_other,
        s.comtrade_code,
        s.comtrade_codes_other,
        s.name,
        b.baci_name,
        s.eurostat_labels,
        s.aliases,
        true as is_iso_country,
        s.is_eu27
    from seed as s
    left join baci as b on s.baci_code = b.baci_code
),

-- BACI areas without an ISO country; one row per ISO3 BACI gives them (the lowest code).
baci_only as (
    select
        iso3,
        iso2,
        cast(null as integer) as m49,
        baci_code,
        cast(null as string) as baci_codes_other,
        cast(null as integer) as comtrade_code,
        cast(null as string) as comtrade_codes_other,
        name,
        baci_name,
        cast(null as string) as eurostat_labels,
        cast(null as string) as aliases,
        false as is_iso_country,
        false as is_eu27,
        row_number() over (partition by iso3 order by baci_code nulls last) as code_rank
    from baci
    where not in_country_reference
)

select
    c.iso3,
    c.iso2,
    c.m49,
    c.baci_code,
    c.baci_codes_other,
    c.comtrade_code,
    c.comtrade_codes_other,
    c.name,
    c.baci_name,
    c.eurostat_labels,
    c.aliases,
    c.is_iso_country,
    c.is_eu27,
    coalesce(m.is_coalition, 0) = 1 as is_coalition,
    coalesce(m.is_transit, 0) = 1 as is_transit,
    m.group_memberships
from (
    select * from countries
    union all
    select
        iso3, iso2, m49, baci_code, baci_codes_other, comtrade_code, comtrade_codes_other,
        name, baci_name, eurostat_labels, aliases, is_iso_country, is_eu27
    from baci_only
    where code_rank = 1
) as c
left join memberships as m on c.iso3 = m.iso3
