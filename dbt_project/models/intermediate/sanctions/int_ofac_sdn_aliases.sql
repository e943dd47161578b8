-- OFAC SDN alternate names per entity and release. Strong aliases (alt.csv) are the release's
-- own, or, for a release published without alt.csv, those of the latest release that had one
-- (is_carried), for the entities still listed; the weak aliases quoted in sdn.csv's remarks
-- are always the release's own. Names of entities the release's sdn.csv lacks are left out.
with strong as (
    select
        e.source_id,
        e.release_date,
        a.name,
        a.name_kind,
        a.origin,
        m.from_release <> e.release_date as is_carried,
        case when m.from_release <> e.release_date then m.from_release end
            as carried_from_release,
        a.source_file,
        a.source_line
    from {{ ref('stg_ofac_sdn__entries') }} as e
    inner join {{ ref('int_ofac_sdn_detail_sources') }} as m
        on m.release_date = e.release_date and m.detail = 'alias'
    inner join {{ ref('stg_ofac_sdn__aliases') }} as a
        on a.source_id = e.source_id and a.release_date = m.from_release
        and a.origin = 'alt.csv'
),

weak as (
    select
        source_id,
        release_date,
        name,
        name_kind,
        origin,
        false as is_carried,
        cast(null as date) as carried_from_release,
        source_file,
        source_line
    from {{ ref('stg_ofac_sdn__aliases') }}
    where origin <> 'alt.csv'
)

select * from strong
union all
select * from weak
