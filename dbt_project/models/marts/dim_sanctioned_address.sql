-- Addresses of each entity from the latest release that gives addresses for its list.
with addresses as (
    select 'ofac_sdn' as list, source_id, release_date, street, city, country_name, full_address
    from {{ ref('stg_ofac_sdn__addresses') }}
),

latest_with_addresses as (
    select a.list, a.source_id, max(a.release_date) as release_date
    from addresses as a
    group by a.list, a.source_id
)

select distinct
    {{ entity_key('a.list', 'a.source_id') }} as entity_key,
    a.full_address,
    a.street,
    a.city,
    a.country_name,
    a.release_date as address_release
from addresses as a
inner join latest_with_addresses as l
    on a.list = l.list and a.source_id = l.source_id and a.release_date = l.release_date
