-- The latest run's matches with what the lists say about each entity: names, programs and
-- listing dates for listed entities, the ownership rule's result for entities it caught.
with latest as (
    select run_id, screened_at from {{ ref('int_screening_latest_run') }}
),

matches as (
    select
        m.*,
        l.screened_at
    from {{ ref('stg_screening__matches') }} as m
    inner join latest as l on m.run_id = l.run_id
),

owned as (
    select
        s.entity_key,
        max(s.listed_owner_share) as listed_owner_share,
        {{ sorted_listagg("case when s.is_owned_50 then s.regime end", "';'") }}
            as owned_50_regimes
    from {{ ref('stg_screening__ownership_shares') }} as s
    inner join latest as l on s.run_id = l.run_id
    group by s.entity_key
)

select
    m.run_id,
    m.screened_at,
    m.counterparty_id,
    m.counterparty_name,
    m.entity_key,
    m.list,
    m.source_id,
    m.matched_name,
    m.score,
    m.decision,
    m.features,
    m.entity_basis,
    e.primary_name as entity_primary_name,
    e.schema as entity_schema,
    e.programs,
    e.listed_on,
    e.first_release as entity_first_release,
    e.remarks as entity_remarks,
    o.listed_owner_share,
    o.owned_50_regimes,
    m.is_new_hit,
    m.new_hit_cause,
    m.previous_run_id,
    m.source_file,
    m.file_sha256,
    m.source_line
from matches as m
left join {{ ref('dim_sanctioned_entity') }} as e on m.entity_key = e.entity_key
left join owned as o on m.entity_key = o.entity_key
