with source as (
    select * from {{ source('ofac_sdn', 'add') }}
)

select
    cast(ent_num as string) as source_id,
    cast(add_num as string) as address_id,
    release_date,
    address as street,
    city_state_postal as city,
    country as country_name,
    country_iso2,
    concat_ws(', ', address, city_state_postal, country) as full_address,
    add_remarks as remarks,
    source_file,
    file_sha256,
    source_line
from source
