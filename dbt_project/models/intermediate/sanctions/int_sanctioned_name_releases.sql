-- Every name of every listed entity per release, from the preferred source, with its script.
with names as (
    select 'ofac_sdn_csv' as source_name, 'ofac_sdn' as list, source_id, release_date,
           sdn_name as name, 'primary' as name_kind, cast(null as string) as script,
           'record' as origin, false as is_carried, cast(null as date) as carried_from_release
    from (select source_id, release_date, primary_name as sdn_name
          from {{ ref('stg_ofac_sdn__entries') }}) as e
    union all
    -- alt.csv names carried into releases published without alt.csv (is_carried)
    select 'ofac_sdn_csv' as source_name, 'ofac_sdn' as list, source_id, release_date, name,
           name_kind, cast(null as string) as script, origin, is_carried, carried_from_release
    from {{ ref('int_ofac_sdn_aliases') }}
    union all
    select source_name, list, source_id, release_date, name, name_kind, script,
           'record' as origin, false as is_carried, cast(null as date) as carried_from_release
    from {{ ref('stg_sanctions_lists__names') }}
)

select
    n.list,
    n.source_id,
    n.release_date,
    n.name,
    n.name_kind,
    n.origin,
    n.is_carried,
    n.carried_from_release,
    coalesce(n.script, case
        when {{ regexp_contains('n.name', "'\p{Cyrillic}'") }} then 'cyrillic'
        when {{ regexp_contains('n.name', "'\p{Han}'") }} then 'han'
        when {{ regexp_contains('n.name', "'\p{Arabic}'") }} then 'arabic'
        when {{ regexp_contains('n.name', "'^[\\x00-\\x7F\p{Latin}\p{P}\p{N}\s]*$'") }}
            then 'latin'
        else 'other'
    end) as script
from names as n
inner join {{ ref('int_sanctions_release_sources') }} as s
    on n.list = s.list and n.release_date = s.release_date and n.source_name = s.source_name
where n.name is not null and trim(n.name) <> ''
