-- Every HS6 code we know, per HS version, with its CHPL tier where it has one. HS2017 codes that
-- only partly correspond to a CHPL code carry the mapping in hs_mapping, and
-- chpl_mapping_is_partial says when the code also holds goods outside the list.
with codes as (
    select hs6, hs_version, description from {{ ref('stg_baci__products') }}
    union all
    select hs6, 'HS2022' as hs_version, description from {{ ref('ref_hs2022_nomenclature') }}
),

distinct_codes as (
    select hs6, hs_version, max(description) as description
    from codes
    group by hs6, hs_version
)

select
    c.hs6,
    c.hs_version,
    c.description,
    case when t.include_in_tier then t.tier end as chpl_tier,
    t.list_version as chpl_list_version,
    t.chpl_hs6_codes,
    t.hs_mapping,
    coalesce(t.chpl_mapping_is_partial, false) as chpl_mapping_is_partial,
    coalesce(t.include_in_tier, false) as is_chpl
from distinct_codes as c
left join {{ ref('int_chpl_product_tiers') }} as t
    on c.hs6 = t.hs6 and c.hs_version = t.hs_version
    and t.list_version = '{{ var("chpl_list_version") }}'
