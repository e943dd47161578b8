-- Every listed entity as each release of each list shows it, from the preferred source.
select
    c.list,
    c.source_id,
    c.release_date,
    c.schema,
    c.primary_name,
    c.programs,
    c.listed_on,
    c.remarks,
    c.country_iso2,
    c.source_name,
    c.source_file,
    c.source_line
from {{ ref('int_sanctioned_entity_candidates') }} as c
inner join {{ ref('int_sanctions_release_sources') }} as s
    on c.list = s.list and c.release_date = s.release_date and c.source_name = s.source_name
