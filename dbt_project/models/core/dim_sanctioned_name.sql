-- Every name variant of each entity, as its latest release gives them.
select distinct
    e.entity_key,
    n.name,
    n.name_kind,
    n.script
from {{ ref('int_sanctioned_name_releases') }} as n
inner join {{ ref('int_sanctioned_entity_latest') }} as e
    on n.list = e.list and n.source_id = e.source_id and n.release_date = e.release_date
