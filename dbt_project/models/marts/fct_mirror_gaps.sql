-- Mirror gaps, "lost in transit" (docs/metrics.md; EBRD, FT): where both sides of a flow declare
-- it (raw UN Comtrade; BACI reconciles the two declarations away), per year, exporter, importer
-- and basket, and per HS6 of each basket (basket rows have hs6 NULL). Annual data only, as
-- shipping lags blur months. Exporters: the coalition and the transit countries.
--   mirror_log_ratio      ln(M_rep / X_rep): importer-declared over exporter-declared value
--   mirror_log_ratio_delta   that minus the pair's pre-war median (of its HS6 ratios in the
--                         basket over the baseline years), which absorbs the CIF margin and
--                         stable asymmetries
--   gap_usd               max(0, X_rep - M_rep / (1 + cif_rate)), summed over HS6 for baskets
--   lost_in_transit_usd   gap_usd minus the pair's pre-war mean gap
-- Only codes both sides declared count; a basket row sums them and counts the codes only one
-- side declared apart (exporter_only_usd, importer_only_usd); pairs with no such code have no row.
{% set base_start = var('baseline_start_year') %}
{% set base_end = var('baseline_end_year') %}
{% set cif = var('mirror_cif_rate') %}

with exporters as (
    select distinct g.iso3 from {{ ref('ref_country_group') }} as g
    where ({{ in_group('coalition', 'g') }}) or ({{ in_group('transit', 'g') }})
),

hs6 as (
    select
        f.source, f.year, f.hs_version, f.hs6, f.exporter_iso3, f.importer_iso3,
        b.basket, b.basket_kind, b.basket_version, b.hs_mapping,
        f.exporter_reported_usd,
        f.importer_reported_usd,
        coalesce(f.exporter_reported_usd > 0 and f.importer_reported_usd > 0, false)
            as both_sides_reported,
        {{ log_ratio('f.importer_reported_usd', 'f.exporter_reported_usd') }}
            as mirror_log_ratio,
        case when f.exporter_reported_usd > 0 and f.importer_reported_usd > 0 then
            {{ positive_part(
                'f.exporter_reported_usd - f.importer_reported_usd / (1 + ' ~ cif ~ ')') }}
        end as gap_usd
    from {{ ref('int_metric_trade_flows') }} as f
    inner join {{ ref('int_country_baskets') }} as b
        on f.hs6 = b.hs6 and f.hs_version = b.hs_version
    where f.frequency = 'A'
      and (f.exporter_reported_usd is not null or f.importer_reported_usd is not null)
      and f.exporter_iso3 in (select iso3 from exporters)
),

prewar_median as (
    select
        source, exporter_iso3, importer_iso3, basket,
        median(mirror_log_ratio) as prewar_median_log_ratio
    from hs6
    where year between {{ base_start }} and {{ base_end }} and mirror_log_ratio is not null
    group by source, exporter_iso3, importer_iso3, basket
),

baskets as (
    select
        source, year, hs_version, exporter_iso3, importer_iso3, basket,
        max(basket_kind) as basket_kind,
        max(basket_version) as basket_version,
        sum(case when both_sides_reported then exporter_reported_usd else 0 end)
            as exporter_reported_usd,
        sum(case when both_sides_reported then importer_reported_usd else 0 end)
            as importer_reported_usd,
        coalesce(sum(case when not both_sides_reported then exporter_reported_usd end), 0)
            as exporter_only_usd,
        coalesce(sum(case when not both_sides_reported then importer_reported_usd end), 0)
            as importer_only_usd,
        sum(case when both_sides_reported then 1 else 0 end) as hs6_both_sides_count,
        sum(case when both_sides_reported then 0 else 1 end) as hs6_one_side_count,
        sum(gap_usd) as gap_usd,
        case when bool_and(hs_mapping in ('identical', 'renumbered', 'one_to_many_same_tier'))
             then 'exact' else 'approximate' end as hs_mapping_flag
    from hs6
    group by source, year, hs_version, exporter_iso3, importer_iso3, basket
),

all_rows as (
    select
        source, year, hs_version, exporter_iso3, importer_iso3, basket, basket_kind,
        basket_version, 'basket' as product_level,
        cast(null as {{ dbt.type_string() }}) as hs6,
        exporter_reported_usd, importer_reported_usd, exporter_only_usd, importer_only_usd,
        hs6_both_sides_count, hs6_one_side_count,
        {{ log_ratio('importer_reported_usd', 'exporter_reported_usd') }} as mirror_log_ratio,
        gap_usd, hs_mapping_flag
    from baskets
    where hs6_both_sides_count > 0
    union all
    select
        source, year, hs_version, exporter_iso3, importer_iso3, basket, basket_kind,
        basket_version, 'hs6', hs6,
        exporter_reported_usd, importer_reported_usd, 0, 0, 1, 0,
        mirror_log_ratio, gap_usd,
        case when hs_mapping in ('identical', 'renumbered') then 'exact' else 'approximate' end
    from hs6
    where both_sides_reported
),

-- The pre-war mean gap: per pair, basket and code (basket rows: hs6 NULL), over the baseline
-- years in which both sides declared.
prewar_gap as (
    select
        source, exporter_iso3, importer_iso3, basket, product_level, hs6,
        avg(gap_usd) as prewar_mean_gap_usd,
        count(*) as prewar_year_count
    from all_rows
    where year between {{ base_start }} and {{ base_end }} and gap_usd is not null
    group by source, exporter_iso3, importer_iso3, basket, product_level, hs6
)

select
    a.source as sources,
    a.year,
    a.hs_version,
    a.exporter_iso3,
    a.importer_iso3,
    a.basket,
    a.basket_kind,
    a.basket_version,
    a.product_level,
    a.hs6,
    a.exporter_reported_usd,
    a.importer_reported_usd,
    a.exporter_only_usd,
    a.importer_only_usd,
    a.hs6_both_sides_count,
    a.hs6_one_side_count,
    a.mirror_log_ratio,
    m.prewar_median_log_ratio,
    a.mirror_log_ratio - m.prewar_median_log_ratio as mirror_log_ratio_delta,
    a.gap_usd,
    g.prewar_mean_gap_usd,
    g.prewar_year_count,
    a.gap_usd - g.prewar_mean_gap_usd as lost_in_transit_usd,
    {{ cif }} as cif_rate,
    '{{ base_start }}-{{ base_end }}' as baseline_years,
    a.hs_mapping_flag,
    '{{ var("chpl_list_version") }}' as chpl_list_version,
    '{{ var("coalition_group_version") }}' as coalition_group_version,
    '{{ var("transit_group_version") }}' as transit_group_version,
    {{ synthetic_flag('a.source', 'a.year') }} as is_synthetic
from all_rows as a
left join prewar_median as m
    on a.source = m.source and a.exporter_iso3 = m.exporter_iso3
    and a.importer_iso3 = m.importer_iso3 and a.basket = m.basket
left join prewar_gap as g
    on a.source = g.source and a.exporter_iso3 = g.exporter_iso3
    and a.importer_iso3 = g.importer_iso3 and a.basket = g.basket
    and a.product_level = g.product_level and a.hs6 is not distinct from g.hs6
