-- Every listed entity as each release of each list shows it, in one shape.
select
    'ofac_sdn' as list,
    source_id,
    release_date,
    schema,
    primary_name,
    programs,
    cast(null as date) as listed_on,
    remarks,
    source_file,
    source_line
from {{ ref('stg_ofac_sdn__entries') }}
