-- Which HS6 codes make up each basket, per HS version (docs/metrics.md, "Baskets"):
--   chpl, chpl_tier_<tier>   the CHPL codes counted toward a tier (int_chpl_product_tiers);
--                            HS2017 codes holding other goods too (852580) unless var
--                            chpl_include_partial_mappings is false;
--   eu_export_sanctioned     every HS6 holding a CN8 code of the EU export-sanctions list;
--   unsanctioned_ch<..>      comparison goods: HS6 of chapters 84, 85, 90 (var) holding no CHPL
--                            goods (the solar-cell trap included) and no EU-listed CN8 code;
--   user baskets             ref_user_baskets, as the user lists them.
-- hs_mapping says how a code stands for the basket's definition in that HS version.
{% set chapters = var('comparison_chapters') %}
{% set comparison = 'unsanctioned_ch' ~ (chapters | join('_')) %}

with chpl as (
    select t.hs6, t.hs_version, t.tier, t.hs_mapping
    from {{ ref('int_chpl_product_tiers') }} as t
    where t.include_in_tier and t.list_version = '{{ var("chpl_list_version") }}'
      -- codes that also hold goods outside the list: counted unless the var says otherwise
      {% if not var('chpl_include_partial_mappings') %}and t.hs_mapping <> 'one_to_many'{% endif %}
),

-- Every code holding CHPL goods, counted or not: none of them is a comparison good.
chpl_related as (
    select distinct t.hs6, t.hs_version from {{ ref('int_chpl_product_tiers') }} as t
),

eu_hs6 as (
    select distinct substr(e.code, 1, 6) as hs6
    from {{ ref('ref_eu_export_sanctions_cn8') }} as e
),

products as (
    select distinct p.hs6, p.hs_version from {{ ref('dim_product') }} as p
),

-- The CN8 list is in the 2022 nomenclature; in other HS versions the same six digits stand
-- for it (flagged same_code: a subheading may have changed scope between versions).
eu_basket as (
    select e.hs6, 'HS2022' as hs_version, 'identical' as hs_mapping
    from eu_hs6 as e
    union
    select p.hs6, p.hs_version, 'same_code' as hs_mapping
    from products as p
    inner join eu_hs6 as e on p.hs6 = e.hs6
    where p.hs_version <> 'HS2022'
),

comparison as (
    select p.hs6, p.hs_version
    from products as p
    left join chpl_related as c on p.hs6 = c.hs6 and p.hs_version = c.hs_version
    left join eu_hs6 as e on p.hs6 = e.hs6
    where substr(p.hs6, 1, 2) in ('{{ chapters | join("', '") }}')
      and c.hs6 is null
      {% if var('comparison_excludes_eu_sanctioned') %}and e.hs6 is null{% endif %}
)

select
    'chpl' as basket, 'chpl' as basket_kind, '{{ var("chpl_list_version") }}' as basket_version,
    hs6, hs_version, hs_mapping
from chpl
union all
select
    'chpl_tier_' || lower(replace(tier, '.', '')), 'chpl_tier', '{{ var("chpl_list_version") }}',
    hs6, hs_version, hs_mapping
from chpl
union all
select
    'eu_export_sanctioned', 'eu_export_sanctioned', '{{ var("eu_sanctions_list_version") }}',
    hs6, hs_version, hs_mapping
from eu_basket
union all
select
    '{{ comparison }}', 'comparison',
    '{{ var("chpl_list_version") }}/{{ var("eu_sanctions_list_version") }}',
    hs6, hs_version, 'identical'
from comparison
union all
select u.basket, 'user', 'user', u.hs6, u.hs_version, 'identical'
from {{ ref('ref_user_baskets') }} as u
