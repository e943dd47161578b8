select distinct
    e.entity_key,
    i.id_type,
    i.id_type_raw,
    i.id_value,
    i.issuing_country
from {{ ref('int_sanctioned_identifiers') }} as i
inner join {{ ref('int_sanctioned_entity_latest') }} as e
    on i.list = e.list and i.source_id = e.source_id and i.release_date = e.release_date
