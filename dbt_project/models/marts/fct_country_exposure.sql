-- Transit-hub exposure per country, period and basket (docs/metrics.md): imports from the
-- coalition against exports to Russia, each against its pre-war baseline mean, and the
-- metrics built on them: growth (NULL below the small-baseline floor, where the flow counts as
-- new instead), symmetric growth, excess growth over comparable unsanctioned goods, re-export
-- match, capacity, new HS6 flows, unit-value premiums, coverage and data-quality flags.
-- Annual rows for every source (month NULL), monthly rows where the source has months; monthly
-- rows compare with the same calendar month of the baseline years and use the floors / 12.
{% set floor = var('small_baseline_floor_usd_pair_tier') %}
{% set base_start = var('baseline_start_year') %}
{% set base_end = var('baseline_end_year') %}

with flows as (
    select
        f.*,
        {{ floor }} / case when f.frequency = 'M' then 12.0 else 1.0 end as floor_usd
    from {{ ref('int_country_basket_flows') }} as f
),

comparison as (
    select
        c.country_iso3, c.source, c.frequency, c.period_key, c.hs_version,
        c.basket as comparison_basket,
        {{ growth('c.coalition_imports_usd', 'c.coalition_imports_baseline_usd', 'c.floor_usd') }}
            as comparison_coalition_imports_growth,
        {{ growth('c.exports_to_russia_usd', 'c.exports_to_russia_baseline_usd', 'c.floor_usd') }}
            as comparison_exports_to_russia_growth
    from flows as c
    where c.basket_kind = 'comparison'
),

totals as (
    select
        t.source, t.frequency, t.period_key, t.importer_iso3 as country_iso3,
        'coalition_imports' as measure, sum(t.hs6_sum_usd) as hs6_sum_usd,
        sum(t.total_usd) as total_usd
    from {{ ref('int_metric_reported_totals') }} as t
    inner join {{ ref('ref_country_group') }} as g
        on t.exporter_iso3 = g.iso3 and {{ in_group('coalition', 'g') }}
    group by t.source, t.frequency, t.period_key, t.importer_iso3
    union all
    select
        t.source, t.frequency, t.period_key, t.exporter_iso3, 'exports_to_russia',
        sum(t.hs6_sum_usd), sum(t.total_usd)
    from {{ ref('int_metric_reported_totals') }} as t
    where t.importer_iso3 = 'RUS'
    group by t.source, t.frequency, t.period_key, t.exporter_iso3
),

coverage as (
    select
        source, frequency, period_key, country_iso3,
        {{ safe_divide(
            "sum(case when measure = 'coalition_imports' then hs6_sum_usd end)",
            "sum(case when measure = 'coalition_imports' then total_usd end)") }}
            as coalition_imports_coverage_ratio,
        {{ safe_divide(
            "sum(case when measure = 'exports_to_russia' then hs6_sum_usd end)",
            "sum(case when measure = 'exports_to_russia' then total_usd end)") }}
            as exports_to_russia_coverage_ratio
    from totals
    group by source, frequency, period_key, country_iso3
),

metrics as (
    select
        f.*,
        {{ growth('f.coalition_imports_usd', 'f.coalition_imports_baseline_usd', 'f.floor_usd') }}
            as coalition_imports_growth,
        case when f.coalition_imports_observed then
            {{ symmetric_growth('f.coalition_imports_usd',
                                'f.coalition_imports_baseline_usd') }} end
            as coalition_imports_sym_growth,
        case when f.coalition_imports_observed then
            {{ is_new_flow('f.coalition_imports_usd',
                           'f.coalition_imports_baseline_usd', 'f.floor_usd') }} end
            as coalition_imports_is_new_flow,
        f.coalition_imports_usd - f.coalition_imports_baseline_usd as coalition_imports_delta_usd,
        {{ safe_divide('f.coalition_imports_mirror_only_usd', 'f.coalition_imports_usd') }}
            as coalition_imports_share_mirror_only,
        f.coalition_imports_unit_value_premium - f.coalition_imports_unit_value_premium_baseline
            as coalition_imports_unit_value_premium_delta,
        {{ growth('f.exports_to_russia_usd', 'f.exports_to_russia_baseline_usd', 'f.floor_usd') }}
            as exports_to_russia_growth,
        case when f.exports_to_russia_observed then
            {{ symmetric_growth('f.exports_to_russia_usd',
                                'f.exports_to_russia_baseline_usd') }} end
            as exports_to_russia_sym_growth,
        case when f.exports_to_russia_observed then
            {{ is_new_flow('f.exports_to_russia_usd',
                           'f.exports_to_russia_baseline_usd', 'f.floor_usd') }} end
            as exports_to_russia_is_new_flow,
        f.exports_to_russia_usd - f.exports_to_russia_baseline_usd as exports_to_russia_delta_usd,
        {{ safe_divide('f.exports_to_russia_mirror_only_usd', 'f.exports_to_russia_usd') }}
            as exports_to_russia_share_mirror_only,
        f.exports_to_russia_unit_value_premium - f.exports_to_russia_unit_value_premium_baseline
            as exports_to_russia_unit_value_premium_delta,
        {{ safe_divide('f.exports_to_russia_usd', 'f.exports_to_world_baseline_usd') }}
            as capacity_ratio
    from flows as f
)

select
    m.country_iso3,
    m.year,
    m.month,
    m.basket,
    m.hs_version,
    m.source as sources,
    m.coalition_imports_usd,
    m.coalition_imports_baseline_usd,
    m.coalition_imports_growth,
    m.coalition_imports_sym_growth,
    m.coalition_imports_is_new_flow,
    m.exports_to_russia_usd,
    m.exports_to_russia_baseline_usd,
    m.exports_to_russia_growth,
    m.exports_to_russia_sym_growth,
    m.exports_to_russia_is_new_flow,
    {{ safe_divide('m.exports_to_russia_usd', 'm.coalition_imports_usd') }}
        as russia_exports_to_coalition_imports_ratio,
    '{{ base_start }}-{{ base_end }}' as baseline_years,
    m.coalition_imports_baseline_year_count as baseline_year_count,
    m.floor_usd as baseline_floor_usd,
    '{{ var("chpl_list_version") }}' as chpl_list_version,
    '{{ var("coalition_group_version") }}' as coalition_group_version,
    '{{ var("transit_group_version") }}' as transit_group_version,
    m.frequency,
    m.basket_kind,
    m.basket_version,
    m.hs6_count,
    m.months_covered,
    m.frequency = 'A' and m.months_covered < 12 as is_partial_year,
    m.baseline_hs_version,
    m.exports_to_russia_baseline_year_count,
    m.coalition_imports_observed,
    m.exports_to_russia_observed,
    m.coalition_imports_delta_usd,
    m.exports_to_russia_delta_usd,
    c.comparison_basket,
    c.comparison_coalition_imports_growth,
    c.comparison_exports_to_russia_growth,
    case when m.basket_kind <> 'comparison'
         then m.coalition_imports_growth - c.comparison_coalition_imports_growth end
        as coalition_imports_excess_growth,
    case when m.basket_kind <> 'comparison'
         then m.exports_to_russia_growth - c.comparison_exports_to_russia_growth end
        as exports_to_russia_excess_growth,
    m.reexport_matched_usd,
    m.coalition_imports_increase_usd,
    {{ safe_divide('m.reexport_matched_usd', 'm.coalition_imports_increase_usd') }}
        as reexport_match_ratio,
    m.exports_to_world_usd,
    m.exports_to_world_baseline_usd,
    m.capacity_ratio,
    m.capacity_ratio > {{ var('capacity_ratio_flag_threshold') }} as capacity_flag,
    m.coalition_imports_new_flow_count,
    m.exports_to_russia_new_flow_count,
    m.coalition_imports_unit_value_premium,
    m.coalition_imports_unit_value_premium_baseline,
    m.coalition_imports_unit_value_premium_delta,
    m.exports_to_russia_unit_value_premium,
    m.exports_to_russia_unit_value_premium_baseline,
    m.exports_to_russia_unit_value_premium_delta,
    v.coalition_imports_coverage_ratio,
    v.exports_to_russia_coverage_ratio,
    m.coalition_imports_share_mirror_only,
    m.exports_to_russia_share_mirror_only,
    m.hs_mapping_flag,
    '{{ var("eu_sanctions_list_version") }}' as eu_sanctions_list_version,
    {{ synthetic_flag('m.source', 'm.year') }} as is_synthetic
from metrics as m
left join comparison as c
    on m.country_iso3 = c.country_iso3 and m.source = c.source
    and m.frequency = c.frequency and m.period_key = c.period_key
    and m.hs_version = c.hs_version
left join coverage as v
    on m.country_iso3 = v.country_iso3 and m.source = v.source
    and m.frequency = v.frequency and m.period_key = v.period_key
