-- What each release changed against the previous release of the same list: entities added,
-- removed, or modified (with the fields that changed). A list's first release has no previous
-- release to compare with and yields no rows.
with releases as (
    select distinct list, release_date from {{ ref('int_sanctioned_entity_releases') }}
),

ordered as (
    select
        list,
        release_date,
        lag(release_date) over (partition by list order by release_date nulls last)
            as previous_release
    from releases
),

-- Where two releases took aliases from different places (a release published without OFAC's
-- alt.csv has only the weak aliases of the remarks), alias differences say nothing: they are
-- not compared. Names carried from an earlier release say nothing new either: left out.
alias_origins as (
    select list, release_date,
           {{ sorted_listagg('origin', "','", distinct=true) }} as aliases_origin
    from {{ ref('int_sanctioned_name_releases') }}
    where name_kind <> 'primary' and not is_carried
    group by list, release_date
),

names as (
    select list, source_id, release_date,
           {{ sorted_listagg('name', "' | '") }} as names
    from {{ ref('int_sanctioned_name_releases') }}
    where name_kind <> 'primary' and not is_carried
    group by list, source_id, release_date
),

snapshot as (
    select e.list, e.source_id, e.release_date, e.primary_name, e.schema,
           {{ list_to_string(sorted_list('e.programs'), "', '") }} as programs, e.remarks,
           coalesce(n.names, '') as aliases, o.aliases_origin
    from {{ ref('int_sanctioned_entity_releases') }} as e
    left join names as n
        on e.list = n.list and e.source_id = n.source_id and e.release_date = n.release_date
    left join alias_origins as o on e.list = o.list and e.release_date = o.release_date
),

current_side as (
    select s.*, o.previous_release
    from snapshot as s
    inner join ordered as o on s.list = o.list and s.release_date = o.release_date
    where o.previous_release is not null
),

previous_side as (
    select s.*, o.release_date as next_release
    from snapshot as s
    inner join ordered as o on s.list = o.list and s.release_date = o.previous_release
),

paired as (
    select
        coalesce(cur.list, prev.list) as list,
        coalesce(cur.release_date, prev.next_release) as release_date,
        coalesce(cur.source_id, prev.source_id) as source_id,
        cur.source_id is not null as in_current,
        prev.source_id is not null as in_previous,
        case when coalesce(cur.aliases_origin, '') = coalesce(prev.aliases_origin, '')
             and cur.aliases <> prev.aliases then 'aliases' end as changed_aliases,
        case when coalesce(cur.primary_name, '') <> coalesce(prev.primary_name, '')
             then 'primary_name' end
            as changed_primary_name,
        case when coalesce(cur.schema, '') <> coalesce(prev.schema, '') then 'schema' end
            as changed_schema,
        case when coalesce(cur.programs, '') <> coalesce(prev.programs, '') then 'programs' end
            as changed_programs,
        case when coalesce(cur.remarks, '') <> coalesce(prev.remarks, '') then 'remarks' end
            as changed_remarks
    from current_side as cur
    full outer join previous_side as prev
        on cur.list = prev.list and cur.release_date = prev.next_release
        and cur.source_id = prev.source_id
)

select
    list,
    release_date,
    {{ entity_key('list', 'source_id') }} as entity_key,
    source_id,
    case
        when in_current and not in_previous then 'added'
        when in_previous and not in_current then 'removed'
        else 'modified'
    end as change,
    -- Which fields differ, for modified entities; added or removed ones have no such list.
    case when in_current and in_previous then
        concat_ws(', ', changed_primary_name, changed_schema, changed_programs, changed_remarks,
                  changed_aliases)
    end as fields_changed
from paired
where not (in_current and in_previous)
   or coalesce(changed_primary_name, changed_schema, changed_programs, changed_remarks,
               changed_aliases) is not null
