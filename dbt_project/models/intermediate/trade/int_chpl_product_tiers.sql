-- Which HS6 codes count toward each CHPL tier, per HS version: the list's own HS2022 codes, and
-- their HS2017 counterparts through the concordance. A code kept out of the tiers (HS2017 854140,
-- which also holds solar cells and LEDs) stays here with include_in_tier = false, so the reason
-- is visible.
with hs2022 as (
    select
        hs6,
        hs_version,
        tier,
        list_version,
        'identical' as hs_mapping,
        true as include_in_tier,
        hs6 as chpl_hs6
    from {{ ref('ref_chpl') }}
),

mapped as (
    select
        c.hs6,
        c.hs_version,
        l.tier,
        l.list_version,
        c.relationship as hs_mapping,
        c.include_in_tier,
        c.chpl_hs6
    from {{ ref('ref_chpl_hs_concordance') }} as c
    inner join {{ ref('ref_chpl') }} as l on c.chpl_hs6 = l.hs6
),

all_versions as (
    select * from hs2022
    union all
    select * from mapped
)

-- HS2017 854150 maps to two tier-3.A codes: one row per code and tier, never two.
select
    hs6,
    hs_version,
    tier,
    list_version,
    max(hs_mapping) as hs_mapping,
    -- The code also holds goods outside the list (one_to_many; the excluded solar-cell trap).
    max(hs_mapping) in ('one_to_many', 'excluded_trap') as chpl_mapping_is_partial,
    bool_and(include_in_tier) as include_in_tier,
    {{ sorted_listagg('chpl_hs6', "','") }} as chpl_hs6_codes
from all_versions
group by hs6, hs_version, tier, list_version
