-- The latest BACI product table per HS revision (loose file or release zip).
with tables as (
    select code, description, hs_revision, baci_version, source_file, source_line
    from {{ source('baci', 'product_codes') }}
    union all
    select code, description, hs_revision, baci_version, source_file, source_line
    from {{ source('baci', 'release_product_codes') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by hs_revision, code order by baci_version desc, source_file nulls last
        ) as version_rank
    from tables
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
