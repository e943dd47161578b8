-- Per transit country, source, period, HS version and basket: CHPL (or other basket) imports
-- from the coalition, exports to Russia and exports to the world, each with its baseline, zero
-- where the source has the period but no such flow, NULL where the source cannot observe it
-- (int_metric_group_observed); plus the basket sums of the HS6-level metrics of
-- int_metric_transit_hs6 (re-export match, new flows, unit values).
{% set measures = {
    'coalition_to_country': 'coalition_imports',
    'country_to_russia': 'exports_to_russia',
    'country_to_world': 'exports_to_world',
} %}

with basket_flows as (
    select
        country_iso3, source, frequency, year, month, hs_version, basket,
        max(basket_kind) as basket_kind,
        max(basket_version) as basket_version,
        max(hs6_count) as hs6_count,
        max(hs_mapping_flag) as hs_mapping_flag,
        max(months_covered) as months_covered,
        max(baseline_hs_version) as baseline_hs_version,
        {% for measure, name in measures.items() %}
        bool_or(case when measure = '{{ measure }}' then observed end) as {{ name }}_observed,
        sum(case when measure = '{{ measure }}' then value_usd end) as {{ name }}_usd,
        sum(case when measure = '{{ measure }}' then mirror_only_usd end)
            as {{ name }}_mirror_only_usd,
        sum(case when measure = '{{ measure }}' then baseline_usd end) as {{ name }}_baseline_usd,
        max(case when measure = '{{ measure }}' then baseline_year_count end)
            as {{ name }}_baseline_year_count
            {{- ',' if not loop.last }}
        {% endfor %}
    from {{ ref('int_metric_basket_vs_baseline') }}
    where measure in ('{{ measures.keys() | join("', '") }}')
    group by country_iso3, source, frequency, year, month, hs_version, basket
),

hs6_sums as (
    select
        h.country_iso3, h.source, h.frequency, h.year, h.month, h.hs_version, b.basket,
        sum(h.reexport_matched_usd) as reexport_matched_usd,
        sum(case when h.reexport_matched_usd is not null then h.coalition_imports_delta_usd end)
            as coalition_imports_increase_usd,
        sum(case when h.coalition_imports_counts_as_new_flow then 1 else 0 end)
            as coalition_imports_new_flow_count,
        sum(case when h.exports_to_russia_counts_as_new_flow then 1 else 0 end)
            as exports_to_russia_new_flow_count,
        {% for name in ['coalition_imports', 'exports_to_russia'] %}
        sum(h.{{ name }}_unit_value_premium * h.{{ name }}_quantified_usd)
            as {{ name }}_premium_weighted,
        sum(case when h.{{ name }}_unit_value_premium is not null
                 then h.{{ name }}_quantified_usd end) as {{ name }}_premium_weight,
        sum(h.{{ name }}_unit_value_premium_baseline * h.{{ name }}_baseline_quantified_usd)
            as {{ name }}_premium_baseline_weighted,
        sum(case when h.{{ name }}_unit_value_premium_baseline is not null
                 then h.{{ name }}_baseline_quantified_usd end)
            as {{ name }}_premium_baseline_weight{{ ',' if not loop.last }}
        {% endfor %}
    from {{ ref('int_metric_transit_hs6') }} as h
    inner join {{ ref('int_country_baskets') }} as b
        on h.hs6 = b.hs6 and h.hs_version = b.hs_version
    group by h.country_iso3, h.source, h.frequency, h.year, h.month, h.hs_version, b.basket
)

select
    f.country_iso3,
    f.source,
    f.frequency,
    f.year,
    f.month,
    f.hs_version,
    f.basket,
    f.basket_kind,
    f.basket_version,
    f.hs6_count,
    f.hs_mapping_flag,
    f.months_covered,
    f.baseline_hs_version,
    {% for name in measures.values() %}
    f.{{ name }}_observed,
    f.{{ name }}_usd,
    f.{{ name }}_mirror_only_usd,
    f.{{ name }}_baseline_usd,
    f.{{ name }}_baseline_year_count,
    {% endfor %}
    case when f.coalition_imports_observed and f.exports_to_russia_observed
         then coalesce(h.reexport_matched_usd, 0) end as reexport_matched_usd,
    case when f.coalition_imports_observed and f.exports_to_russia_observed
         then coalesce(h.coalition_imports_increase_usd, 0) end
        as coalition_imports_increase_usd,
    case when f.coalition_imports_observed then coalesce(h.coalition_imports_new_flow_count, 0) end
        as coalition_imports_new_flow_count,
    case when f.exports_to_russia_observed then coalesce(h.exports_to_russia_new_flow_count, 0) end
        as exports_to_russia_new_flow_count,
    {% for name in ['coalition_imports', 'exports_to_russia'] %}
    {{ safe_divide('h.' ~ name ~ '_premium_weighted', 'h.' ~ name ~ '_premium_weight') }}
        as {{ name }}_unit_value_premium,
    {{ safe_divide('h.' ~ name ~ '_premium_baseline_weighted',
                   'h.' ~ name ~ '_premium_baseline_weight') }}
        as {{ name }}_unit_value_premium_baseline{{ ',' if not loop.last }}
    {% endfor %}
from basket_flows as f
left join hs6_sums as h
    on f.country_iso3 = h.country_iso3 and f.source = h.source and f.frequency = h.frequency
    and f.year = h.year and coalesce(f.month, 0) = coalesce(h.month, 0)
    and f.hs_version = h.hs_version and f.basket = h.basket
