-- Every name of every listed entity per release, from the preferred source, with its script.
with names as (
    select 'ofac_sdn_csv' as source_name, 'ofac_sdn' as list, source_id, release_date,
           sdn_name as name, 'primary' as name_kind, cast(null as varchar) as script,
           'record' as origin
    from (select source_id, release_date, primary_name as sdn_name
          from {{ ref('stg_ofac_sdn__entries') }}) as e
    union all
    select 'ofac_sdn_csv' as source_name, 'ofac_sdn' as list, source_id, release_date, name,
           name_kind, cast(null as varchar) as script, origin
    from {{ ref('stg_ofac_sdn__aliases') }}
    union all
    select source_name, list, source_id, release_date, name, name_kind, script,
           'record' as origin
    from {{ ref('stg_sanctions_lists__names') }}
)

select
    n.list,
    n.source_id,
    n.release_date,
    n.name,
    n.name_kind,
    n.origin,
    coalesce(n.script, case
        when regexp_matches(n.name, '\p{Cyrillic}') then 'cyrillic'
        when regexp_matches(n.name, '\p{Han}') then 'han'
        when regexp_matches(n.name, '\p{Arabic}') then 'arabic'
        when regexp_matches(n.name, '^[\x00-\x7F\p{Latin}\p{P}\p{N}\s]*$') then 'latin'
        else 'other'
    end) as script
from names as n
inner join {{ ref('int_sanctions_release_sources') }} as s
    on n.list = s.list and n.release_date = s.release_date and n.source_name = s.source_name
where n.name is not null and trim(n.name) <> ''
