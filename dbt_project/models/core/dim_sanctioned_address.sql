-- Addresses of each entity from the latest release that gives addresses for it (an OFAC release
-- published without add.csv carries those of the latest release that had one: is_carried).
with latest_with_addresses as (
    select list, source_id, max(release_date) as release_date
    from {{ ref('int_sanctioned_addresses') }}
    group by list, source_id
)

select distinct
    {{ entity_key('a.list', 'a.source_id') }} as entity_key,
    a.full_address,
    a.street,
    a.city,
    a.region,
    a.postal_code,
    a.country_name,
    a.country_iso2,
    c.iso3 as country_iso3,
    a.release_date as address_release,
    a.is_carried,
    a.carried_from_release
from {{ ref('int_sanctioned_addresses') }} as a
inner join latest_with_addresses as l
    on a.list = l.list and a.source_id = l.source_id and a.release_date = l.release_date
inner join {{ ref('int_sanctioned_entity_latest') }} as e
    on e.list = a.list and e.source_id = a.source_id
left join {{ ref('ref_country_codes') }} as c on a.country_iso2 = c.iso2
