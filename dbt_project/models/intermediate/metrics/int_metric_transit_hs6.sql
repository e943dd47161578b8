-- Per transit country, period and HS6 (docs/metrics.md): coalition imports, exports to Russia
-- and to the world against their baselines, and the HS6-level metrics
--   reexport_match_ratio  min(dX(t->RU), dM(t<-C)) / dM(t<-C), only where dM > 0 (EBRD, ifo)
--   capacity_ratio        X(t->RU, y) / X(t->World, baseline) (ifo); flagged above the var
--   *_counts_as_new_flow  baseline below the HS6 floor and the period at USD 1m or more
--   *_unit_value_premium  ln(UV to the destination / UV to the rest of the world), UV = USD/kg,
--                         the rest of the world being neither Russia nor a transit country
-- where d = value - baseline. Monthly rows use the annual floors / 12.
{% set floor = var('small_baseline_floor_usd_pair_hs6') %}
{% set minimum = var('new_flow_min_usd') %}
{#- The yearly floors spread over a year's periods (periods_per_year is 12 or 1). -#}
{% set per_period = ' / nullif(periods_per_year, 0)' %}

with flows as (
    select * from {{ ref('int_metric_hs6_vs_baseline') }}
),

observed as (
    select
        source, frequency, year, month, period_key, country_iso3,
        bool_or(case when measure = 'coalition_to_country' then observed end)
            as coalition_imports_observed,
        bool_or(case when measure = 'country_to_russia' then observed end)
            as exports_to_russia_observed,
        bool_or(case when measure = 'country_to_world' then observed end)
            as exports_to_world_observed,
        bool_or(case when measure = 'country_to_rest' then observed end) as exports_to_rest_observed
    from {{ ref('int_metric_group_observed') }}
    where country_iso3 is not null and measure <> 'coalition_to_russia'
    group by source, frequency, year, month, period_key, country_iso3
),

pivoted as (
    select
        source, frequency, year, month, period_key, hs_version, hs6, country_iso3,
        max(months_covered) as months_covered,
        max(baseline_hs_version) as baseline_hs_version,
        max(baseline_hs6) as baseline_hs6,
        max(case when measure = 'coalition_to_country' then 1 else 0 end) = 1
            as coalition_imports_seen,
        sum(case when measure = 'coalition_to_country' then value_usd end) as coalition_imports_usd,
        sum(case when measure = 'coalition_to_country' then mirror_only_usd end)
            as coalition_imports_mirror_only_usd,
        sum(case when measure = 'coalition_to_country' then baseline_usd end)
            as coalition_imports_baseline_usd,
        sum(case when measure = 'coalition_to_country' then quantified_usd end)
            as coalition_imports_quantified_usd,
        sum(case when measure = 'coalition_to_country' then quantity_kg end)
            as coalition_imports_kg,
        sum(case when measure = 'coalition_to_country' then baseline_quantified_usd end)
            as coalition_imports_baseline_quantified_usd,
        sum(case when measure = 'coalition_to_country' then baseline_kg end)
            as coalition_imports_baseline_kg,
        max(case when measure = 'country_to_russia' then 1 else 0 end) = 1
            as exports_to_russia_seen,
        sum(case when measure = 'country_to_russia' then value_usd end) as exports_to_russia_usd,
        sum(case when measure = 'country_to_russia' then mirror_only_usd end)
            as exports_to_russia_mirror_only_usd,
        sum(case when measure = 'country_to_russia' then baseline_usd end)
            as exports_to_russia_baseline_usd,
        sum(case when measure = 'country_to_russia' then quantified_usd end)
            as exports_to_russia_quantified_usd,
        sum(case when measure = 'country_to_russia' then quantity_kg end) as exports_to_russia_kg,
        sum(case when measure = 'country_to_russia' then baseline_quantified_usd end)
            as exports_to_russia_baseline_quantified_usd,
        sum(case when measure = 'country_to_russia' then baseline_kg end)
            as exports_to_russia_baseline_kg,
        max(case when measure = 'country_to_world' then 1 else 0 end) = 1 as exports_to_world_seen,
        sum(case when measure = 'country_to_world' then value_usd end) as exports_to_world_usd,
        sum(case when measure = 'country_to_world' then mirror_only_usd end)
            as exports_to_world_mirror_only_usd,
        sum(case when measure = 'country_to_world' then baseline_usd end)
            as exports_to_world_baseline_usd,
        sum(case when measure = 'country_to_world' then quantified_usd end)
            as exports_to_world_quantified_usd,
        sum(case when measure = 'country_to_world' then quantity_kg end) as exports_to_world_kg,
        sum(case when measure = 'country_to_world' then baseline_quantified_usd end)
            as exports_to_world_baseline_quantified_usd,
        sum(case when measure = 'country_to_world' then baseline_kg end)
            as exports_to_world_baseline_kg,
        max(case when measure = 'country_to_rest' then 1 else 0 end) = 1 as exports_to_rest_seen,
        sum(case when measure = 'country_to_rest' then value_usd end) as exports_to_rest_usd,
        sum(case when measure = 'country_to_rest' then mirror_only_usd end)
            as exports_to_rest_mirror_only_usd,
        sum(case when measure = 'country_to_rest' then baseline_usd end)
            as exports_to_rest_baseline_usd,
        sum(case when measure = 'country_to_rest' then quantified_usd end)
            as exports_to_rest_quantified_usd,
        sum(case when measure = 'country_to_rest' then quantity_kg end) as exports_to_rest_kg,
        sum(case when measure = 'country_to_rest' then baseline_quantified_usd end)
            as exports_to_rest_baseline_quantified_usd,
        sum(case when measure = 'country_to_rest' then baseline_kg end)
            as exports_to_rest_baseline_kg
    from flows
    where measure in ('coalition_to_country', 'country_to_russia', 'country_to_world',
                      'country_to_rest')
    group by source, frequency, year, month, period_key, hs_version, hs6, country_iso3
),

-- A flow never seen in any period is zero where observed (value and baseline alike).
filled as (
    select
        p.source, p.frequency, p.year, p.month, p.period_key, p.hs_version, p.hs6,
        p.country_iso3,
        p.months_covered, p.baseline_hs_version, p.baseline_hs6,
        o.coalition_imports_observed,
        case when o.coalition_imports_observed then coalesce(p.coalition_imports_usd, 0) end
            as coalition_imports_usd,
        p.coalition_imports_mirror_only_usd,
        case when p.coalition_imports_seen then p.coalition_imports_baseline_usd else 0 end
            as coalition_imports_baseline_usd,
        p.coalition_imports_quantified_usd, p.coalition_imports_kg,
        p.coalition_imports_baseline_quantified_usd, p.coalition_imports_baseline_kg,
        o.exports_to_russia_observed,
        case when o.exports_to_russia_observed then coalesce(p.exports_to_russia_usd, 0) end
            as exports_to_russia_usd,
        p.exports_to_russia_mirror_only_usd,
        case when p.exports_to_russia_seen then p.exports_to_russia_baseline_usd else 0 end
            as exports_to_russia_baseline_usd,
        p.exports_to_russia_quantified_usd, p.exports_to_russia_kg,
        p.exports_to_russia_baseline_quantified_usd, p.exports_to_russia_baseline_kg,
        o.exports_to_world_observed,
        case when o.exports_to_world_observed then coalesce(p.exports_to_world_usd, 0) end
            as exports_to_world_usd,
        p.exports_to_world_mirror_only_usd,
        case when p.exports_to_world_seen then p.exports_to_world_baseline_usd else 0 end
            as exports_to_world_baseline_usd,
        p.exports_to_world_quantified_usd, p.exports_to_world_kg,
        p.exports_to_world_baseline_quantified_usd, p.exports_to_world_baseline_kg,
        o.exports_to_rest_observed,
        case when o.exports_to_rest_observed then coalesce(p.exports_to_rest_usd, 0) end
            as exports_to_rest_usd,
        p.exports_to_rest_mirror_only_usd,
        case when p.exports_to_rest_seen then p.exports_to_rest_baseline_usd else 0 end
            as exports_to_rest_baseline_usd,
        p.exports_to_rest_quantified_usd, p.exports_to_rest_kg,
        p.exports_to_rest_baseline_quantified_usd, p.exports_to_rest_baseline_kg
    from pivoted as p
    left join observed as o
        on p.source = o.source and p.frequency = o.frequency and p.period_key = o.period_key
        and p.country_iso3 = o.country_iso3
),

rest_of_world as (
    select
        source, frequency, period_key, hs_version, hs6,
        quantified_usd, quantity_kg, baseline_quantified_usd, baseline_kg
    from flows
    where measure = 'coalition_to_rest'
),

deltas as (
    select
        f.*,
        f.coalition_imports_usd - f.coalition_imports_baseline_usd as coalition_imports_delta_usd,
        f.exports_to_russia_usd - f.exports_to_russia_baseline_usd as exports_to_russia_delta_usd,
        case when f.frequency = 'M' then cast(12 as double) else cast(1 as double) end
            as periods_per_year,
        r.quantified_usd as coalition_rest_quantified_usd,
        r.quantity_kg as coalition_rest_kg,
        r.baseline_quantified_usd as coalition_rest_baseline_quantified_usd,
        r.baseline_kg as coalition_rest_baseline_kg
    from filled as f
    left join rest_of_world as r
        on f.source = r.source and f.frequency = r.frequency and f.period_key = r.period_key
        and f.hs_version = r.hs_version
        and f.hs6 = r.hs6
)

select
    source,
    frequency,
    year,
    month,
    period_key,
    hs_version,
    hs6,
    country_iso3,
    months_covered,
    baseline_hs_version,
    baseline_hs6,
    coalition_imports_observed,
    coalition_imports_usd,
    coalition_imports_mirror_only_usd,
    coalition_imports_baseline_usd,
    coalition_imports_delta_usd,
    exports_to_russia_observed,
    exports_to_russia_usd,
    exports_to_russia_mirror_only_usd,
    exports_to_russia_baseline_usd,
    exports_to_russia_delta_usd,
    exports_to_world_observed,
    exports_to_world_usd,
    exports_to_world_baseline_usd,
    case when coalition_imports_delta_usd > 0
         then least(exports_to_russia_delta_usd, coalition_imports_delta_usd) end
        as reexport_matched_usd,
    case when coalition_imports_delta_usd > 0
         then least(exports_to_russia_delta_usd, coalition_imports_delta_usd)
              / coalition_imports_delta_usd end as reexport_match_ratio,
    {{ safe_divide('exports_to_russia_usd', 'exports_to_world_baseline_usd') }} as capacity_ratio,
    {{ safe_divide('exports_to_russia_usd', 'exports_to_world_baseline_usd') }}
        > {{ var('capacity_ratio_flag_threshold') }} as capacity_flag,
    case when coalition_imports_observed then {{ counts_as_new_flow(
        'coalition_imports_usd', 'coalition_imports_baseline_usd',
        floor ~ per_period, minimum ~ per_period) }} end
        as coalition_imports_counts_as_new_flow,
    case when exports_to_russia_observed then {{ counts_as_new_flow(
        'exports_to_russia_usd', 'exports_to_russia_baseline_usd',
        floor ~ per_period, minimum ~ per_period) }} end
        as exports_to_russia_counts_as_new_flow,
    coalition_imports_quantified_usd,
    coalition_imports_kg,
    coalition_imports_baseline_quantified_usd,
    coalition_rest_quantified_usd,
    coalition_rest_kg,
    {{ log_ratio(
        'coalition_imports_quantified_usd * coalition_rest_kg',
        'coalition_imports_kg * coalition_rest_quantified_usd') }}
        as coalition_imports_unit_value_premium,
    {{ log_ratio(
        'coalition_imports_baseline_quantified_usd * coalition_rest_baseline_kg',
        'coalition_imports_baseline_kg * coalition_rest_baseline_quantified_usd') }}
        as coalition_imports_unit_value_premium_baseline,
    exports_to_russia_quantified_usd,
    exports_to_russia_kg,
    exports_to_russia_baseline_quantified_usd,
    exports_to_rest_quantified_usd,
    exports_to_rest_kg,
    {{ log_ratio(
        'exports_to_russia_quantified_usd * exports_to_rest_kg',
        'exports_to_russia_kg * exports_to_rest_quantified_usd') }}
        as exports_to_russia_unit_value_premium,
    {{ log_ratio(
        'exports_to_russia_baseline_quantified_usd * exports_to_rest_baseline_kg',
        'exports_to_russia_baseline_kg * exports_to_rest_baseline_quantified_usd') }}
        as exports_to_russia_unit_value_premium_baseline
from deltas
