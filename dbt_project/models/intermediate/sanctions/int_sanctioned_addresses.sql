-- Addresses per entity and release, from the preferred source. OFAC's legacy CSV gives them
-- through int_ofac_sdn_addresses: a release without add.csv carries those of the release before
-- (is_carried, carried_from_release).
with addresses as (
    select 'ofac_sdn_csv' as source_name, 'ofac_sdn' as list, source_id, release_date,
           full_address, street, city, cast(null as string) as region,
           cast(null as string) as postal_code, country_name, country_iso2,
           is_carried, carried_from_release
    from {{ ref('int_ofac_sdn_addresses') }}
    union all
    select source_name, list, source_id, release_date, full_address, street, city, region,
           postal_code, country_name, country_iso2,
           false as is_carried, cast(null as date) as carried_from_release
    from {{ ref('stg_sanctions_lists__addresses') }}
)

select a.*
from addresses as a
inner join {{ ref('int_sanctions_release_sources') }} as s
    on a.list = s.list and a.release_date = s.release_date and a.source_name = s.source_name
