-- Every name of every listed entity per release, with the script it is written in.
with names as (
    select list, source_id, release_date, primary_name as name, 'primary' as name_kind,
           'record' as origin
    from {{ ref('int_sanctioned_entity_releases') }}
    union all
    select 'ofac_sdn' as list, source_id, release_date, name, name_kind, origin
    from {{ ref('stg_ofac_sdn__aliases') }}
)

select
    list,
    source_id,
    release_date,
    name,
    name_kind,
    origin,
    case
        when regexp_matches(name, '\p{Cyrillic}') then 'cyrillic'
        when regexp_matches(name, '\p{Han}') then 'han'
        when regexp_matches(name, '\p{Arabic}') then 'arabic'
        when regexp_matches(name, '^[\x00-\x7F\p{Latin}\p{P}\p{N}\s]*$') then 'latin'
        else 'other'
    end as script
from names
where name is not null and trim(name) <> ''
