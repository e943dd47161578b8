-- The most recent screening run (configured or not): the marts describe its state.
with ranked as (
    select
        *,
        row_number() over (order by screened_at desc, run_id desc) as recency
    from {{ ref('stg_screening__runs') }}
)

select
    run_id,
    screened_at,
    as_of,
    configured,
    counterparties_file,
    counterparties_sha256,
    shipments_file,
    shipments_sha256,
    previous_run_id,
    list_releases
from ranked
where recency = 1
