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
    source_file,
    source_line
from {{ ref('int_sanctioned_entity_latest') }}
