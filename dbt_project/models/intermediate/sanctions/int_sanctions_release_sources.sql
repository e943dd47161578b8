-- Which source each list release is read from: when two sources carry the same list and
-- release (OFAC's SDN.XML and its legacy CSV, or the CSL's copy of a list), the preferred one.
with candidates as (
    select distinct list, release_date, source_name, source_priority
    from {{ ref('int_sanctioned_entity_candidates') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by list, release_date order by source_priority nulls last
        ) as preference
    from candidates
)

select list, release_date, source_name, source_priority
from ranked
where preference = 1
