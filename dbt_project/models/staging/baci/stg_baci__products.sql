with ranked as (
    select
        *,
        row_number() over (
            partition by hs_revision, code order by baci_version desc
        ) as version_rank
    from {{ source('baci', 'product_codes') }}
)

select
    code as hs6,
    {{ baci_hs_version('hs_revision') }} as hs_version,
    description,
    baci_version,
    source_file,
    source_line
from ranked
where version_rank = 1
