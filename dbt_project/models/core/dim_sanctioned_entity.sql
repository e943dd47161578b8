select
    entity_key,
    list,
    source_id,
    schema,
    primary_name,
    programs,
    listed_on,
    remarks,
    first_release,
    last_release,
    is_active,
    country_iso2,
    source_name,
    source_file,
    source_line
from {{ ref('int_sanctioned_entity_latest') }}
