-- Transit-hub exposure per country, year and basket (metrics.md 4.2): CHPL imports from the
-- coalition against CHPL exports to Russia, each against its pre-war baseline mean. Growth is
-- NULL below the small-baseline floor, where the flow counts as new instead.
{% set floor = var('small_baseline_floor_usd_pair_tier') %}
{% set base_start = var('baseline_start_year') %}
{% set base_end = var('baseline_end_year') %}

with flows as (
    select * from {{ ref('int_country_basket_flows') }}
),

baseline as (
    select
        country_iso3, source, hs_version, basket,
        count(*) as baseline_year_count,
        avg(coalition_imports_usd) as coalition_imports_baseline_usd,
        avg(exports_to_russia_usd) as exports_to_russia_baseline_usd
    from flows
    where year between {{ base_start }} and {{ base_end }}
    group by country_iso3, source, hs_version, basket
),

joined as (
    select f.*, b.baseline_year_count,
           b.coalition_imports_baseline_usd, b.exports_to_russia_baseline_usd
    from flows as f
    left join baseline as b
        on f.country_iso3 = b.country_iso3 and f.source = b.source
        and f.hs_version = b.hs_version and f.basket = b.basket
)

select
    country_iso3,
    year,
    cast(null as integer) as month,
    basket,
    hs_version,
    source as sources,
    coalition_imports_usd,
    coalition_imports_baseline_usd,
    {{ growth('coalition_imports_usd', 'coalition_imports_baseline_usd', floor) }}
        as coalition_imports_growth,
    {{ symmetric_growth('coalition_imports_usd', 'coalition_imports_baseline_usd') }}
        as coalition_imports_sym_growth,
    {{ is_new_flow('coalition_imports_usd', 'coalition_imports_baseline_usd', floor) }}
        as coalition_imports_is_new_flow,
    exports_to_russia_usd,
    exports_to_russia_baseline_usd,
    {{ growth('exports_to_russia_usd', 'exports_to_russia_baseline_usd', floor) }}
        as exports_to_russia_growth,
    {{ symmetric_growth('exports_to_russia_usd', 'exports_to_russia_baseline_usd') }}
        as exports_to_russia_sym_growth,
    {{ is_new_flow('exports_to_russia_usd', 'exports_to_russia_baseline_usd', floor) }}
        as exports_to_russia_is_new_flow,
    {{ safe_divide('exports_to_russia_usd', 'coalition_imports_usd') }}
        as russia_exports_to_coalition_imports_ratio,
    '{{ base_start }}-{{ base_end }}' as baseline_years,
    baseline_year_count,
    {{ floor }} as baseline_floor_usd,
    '{{ var("chpl_list_version") }}' as chpl_list_version,
    '{{ var("coalition_group_version") }}' as coalition_group_version,
    '{{ var("transit_group_version") }}' as transit_group_version
from joined
