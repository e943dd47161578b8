select distinct
    e.entity_key,
    i.id_type,
    i.id_type_raw,
    i.id_value,
    i.issuing_country_name
from {{ ref('stg_ofac_sdn__identifiers') }} as i
inner join {{ ref('int_sanctioned_entity_latest') }} as e
    on e.list = 'ofac_sdn' and i.source_id = e.source_id and i.release_date = e.release_date
where i.id_value is not null and i.id_value <> ''
