-- Per transit country, source, period, HS version and basket: CHPL (or other basket) imports
-- from the coalition, exports to Russia and exports to the world, each with its baseline, zero
-- where the source has the period but no such flow, NULL where the source cannot observe it
-- (int_metric_group_observed); plus the basket sums of the HS6-level metrics of
-- int_metric_transit_hs6 (re-export match, new flows, unit values).
with basket_flows as (
    select
        country_iso3, source, frequency, year, month, period_key, hs_version, basket,
        max(basket_kind) as basket_kind,
        max(basket_version) as basket_version,
        max(hs6_count) as hs6_count,
        max(hs_mapping_flag) as hs_mapping_flag,
        max(months_covered) as months_covered,
        max(baseline_hs_version) as baseline_hs_version,
        bool_or(case when measure = 'coalition_to_country' then observed end)
            as coalition_imports_observed,
        sum(case when measure = 'coalition_to_country' then value_usd end) as coalition_imports_usd,
        sum(case when measure = 'coalition_to_country' then mirror_only_usd end)
            as coalition_imports_mirror_only_usd,
        sum(case when measure = 'coalition_to_country' then baseline_usd end)
            as coalition_imports_baseline_usd,
        max(case when measure = 'coalition_to_country' then baseline_year_count end)
            as coalition_imports_baseline_year_count,
        bool_or(case when measure = 'country_to_russia' then observed end)
            as exports_to_russia_observed,
        sum(case when measure = 'country_to_russia' then value_usd end) as exports_to_russia_usd,
        sum(case when measure = 'country_to_russia' then mirror_only_usd end)
            as exports_to_russia_mirror_only_usd,
        sum(case when measure = 'country_to_russia' then baseline_usd end)
            as exports_to_russia_baseline_usd,
        max(case when measure = 'country_to_russia' then baseline_year_count end)
            as exports_to_russia_baseline_year_count,
        bool_or(case when measure = 'country_to_world' then observed end)
            as exports_to_world_observed,
        sum(case when measure = 'country_to_world' then value_usd end) as exports_to_world_usd,
        sum(case when measure = 'country_to_world' then mirror_only_usd end)
            as exports_to_world_mirror_only_usd,
        sum(case when measure = 'country_to_world' then baseline_usd end)
            as exports_to_world_baseline_usd,
        max(case when measure = 'country_to_world' then baseline_year_count end)
            as exports_to_world_baseline_year_count
    from {{ ref('int_metric_basket_vs_baseline') }}
    where measure in ('coalition_to_country', 'country_to_russia', 'country_to_world')
    group by country_iso3, source, frequency, year, month, period_key, hs_version, basket
),

hs6_sums as (
    select
        h.country_iso3, h.source, h.frequency, h.period_key, h.hs_version, b.basket,
        sum(h.reexport_matched_usd) as reexport_matched_usd,
        sum(case when h.reexport_matched_usd is not null then h.coalition_imports_delta_usd end)
            as coalition_imports_increase_usd,
        sum(case when h.coalition_imports_counts_as_new_flow then 1 else 0 end)
            as coalition_imports_new_flow_count,
        sum(case when h.exports_to_russia_counts_as_new_flow then 1 else 0 end)
            as exports_to_russia_new_flow_count,
        sum(h.coalition_imports_unit_value_premium * h.coalition_imports_quantified_usd)
            as coalition_imports_premium_weighted,
        sum(case when h.coalition_imports_unit_value_premium is not null
                 then h.coalition_imports_quantified_usd end) as coalition_imports_premium_weight,
        sum(h.coalition_imports_unit_value_premium_baseline
            * h.coalition_imports_baseline_quantified_usd)
            as coalition_imports_premium_baseline_weighted,
        sum(case when h.coalition_imports_unit_value_premium_baseline is not null
                 then h.coalition_imports_baseline_quantified_usd end)
            as coalition_imports_premium_baseline_weight,
        sum(h.exports_to_russia_unit_value_premium * h.exports_to_russia_quantified_usd)
            as exports_to_russia_premium_weighted,
        sum(case when h.exports_to_russia_unit_value_premium is not null
                 then h.exports_to_russia_quantified_usd end) as exports_to_russia_premium_weight,
        sum(h.exports_to_russia_unit_value_premium_baseline
            * h.exports_to_russia_baseline_quantified_usd)
            as exports_to_russia_premium_baseline_weighted,
        sum(case when h.exports_to_russia_unit_value_premium_baseline is not null
                 then h.exports_to_russia_baseline_quantified_usd end)
            as exports_to_russia_premium_baseline_weight
    from {{ ref('int_metric_transit_hs6') }} as h
    inner join {{ ref('int_country_baskets') }} as b
        on h.hs6 = b.hs6 and h.hs_version = b.hs_version
    group by h.country_iso3, h.source, h.frequency, h.period_key, h.hs_version, b.basket
)

select
    f.country_iso3,
    f.source,
    f.frequency,
    f.year,
    f.month,
    f.period_key,
    f.hs_version,
    f.basket,
    f.basket_kind,
    f.basket_version,
    f.hs6_count,
    f.hs_mapping_flag,
    f.months_covered,
    f.baseline_hs_version,
    f.coalition_imports_observed,
    f.coalition_imports_usd,
    f.coalition_imports_mirror_only_usd,
    f.coalition_imports_baseline_usd,
    f.coalition_imports_baseline_year_count,
    f.exports_to_russia_observed,
    f.exports_to_russia_usd,
    f.exports_to_russia_mirror_only_usd,
    f.exports_to_russia_baseline_usd,
    f.exports_to_russia_baseline_year_count,
    f.exports_to_world_observed,
    f.exports_to_world_usd,
    f.exports_to_world_mirror_only_usd,
    f.exports_to_world_baseline_usd,
    f.exports_to_world_baseline_year_count,
    case when f.coalition_imports_observed and f.exports_to_russia_observed
         then coalesce(h.reexport_matched_usd, 0) end as reexport_matched_usd,
    case when f.coalition_imports_observed and f.exports_to_russia_observed
         then coalesce(h.coalition_imports_increase_usd, 0) end
        as coalition_imports_increase_usd,
    case when f.coalition_imports_observed then coalesce(h.coalition_imports_new_flow_count, 0) end
        as coalition_imports_new_flow_count,
    case when f.exports_to_russia_observed then coalesce(h.exports_to_russia_new_flow_count, 0) end
        as exports_to_russia_new_flow_count,
    {{ safe_divide('h.coalition_imports_premium_weighted', 'h.coalition_imports_premium_weight') }}
        as coalition_imports_unit_value_premium,
    {{ safe_divide('h.coalition_imports_premium_baseline_weighted',
                   'h.coalition_imports_premium_baseline_weight') }}
        as coalition_imports_unit_value_premium_baseline,
    {{ safe_divide('h.exports_to_russia_premium_weighted', 'h.exports_to_russia_premium_weight') }}
        as exports_to_russia_unit_value_premium,
    {{ safe_divide('h.exports_to_russia_premium_baseline_weighted',
                   'h.exports_to_russia_premium_baseline_weight') }}
        as exports_to_russia_unit_value_premium_baseline
from basket_flows as f
left join hs6_sums as h
    on f.country_iso3 = h.country_iso3 and f.source = h.source and f.frequency = h.frequency
    and f.period_key = h.period_key and f.hs_version = h.hs_version and f.basket = h.basket
