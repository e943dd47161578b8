-- OFAC SDN alternate names per entity and release. Strong aliases (alt.csv) are the release's
-- own, or, for a release published without alt.csv, those of the latest release that had one
-- (is_carried), for the entities still listed; the weak aliases quoted in sdn.csv's remarks
-- are always the release's own. Names of entities the release's sdn.csv lacks are left out.
with strong as (
    {{ ofac_sdn_carried(
        'alias', ref('stg_ofac_sdn__aliases'), ['name', 'name_kind', 'origin'],
        ['source_file', 'source_line'], "a.origin = 'alt.csv'"
    ) }}
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
