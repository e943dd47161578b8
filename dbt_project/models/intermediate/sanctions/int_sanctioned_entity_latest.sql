-- Each entity's most recent appearance, and the span of releases it appears in.
with releases as (
    select
        *,
        min(release_date) over (partition by list, source_id) as first_release,
        max(release_date) over (partition by list, source_id) as last_release,
        max(release_date) over (partition by list) as list_latest_release
    from {{ ref('int_sanctioned_entity_releases') }}
)

select
    {{ entity_key('list', 'source_id') }} as entity_key,
    *,
    last_release = list_latest_release as is_active
from releases
where release_date = last_release
