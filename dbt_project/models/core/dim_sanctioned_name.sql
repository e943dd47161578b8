-- Every name variant of each entity, as its latest release gives them (OFAC alt.csv names
-- carried into a release published without alt.csv are marked is_carried).
select distinct
    e.entity_key,
    n.name,
    n.name_kind,
    n.script,
    n.is_carried,
    n.carried_from_release
from {{ ref('int_sanctioned_name_releases') }} as n
inner join {{ ref('int_sanctioned_entity_latest') }} as e
    on n.list = e.list and n.source_id = e.source_id and n.release_date = e.release_date
