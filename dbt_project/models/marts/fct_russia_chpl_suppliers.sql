-- Who supplies Russia's imports of each basket (docs/metrics.md; KSE Institute, Carnegie, ifo):
-- origin shares of X(o -> RUS), partner-reported only: the origin's own export declarations or
-- BACI's reconciled flows, never Russia's import declarations (absent since 2022, so shares stay
-- comparable across the break). Hong Kong is an origin of its own, apart from mainland China;
-- re-exports (flow RX) are not counted. hhi = sum of squared shares (0 to 1; 1 = one supplier).
with flows as (
    select
        f.source, f.frequency, f.year, f.month, f.period_key, f.hs_version, f.hs6,
        f.exporter_iso3 as origin_iso3,
        case when f.value_side = 'reconciled' then f.value_usd else f.exporter_reported_usd end
            as value_usd,
        f.value_side = 'reconciled' as is_reconciled
    from {{ ref('int_metric_trade_flows') }} as f
    where f.importer_iso3 = 'RUS'
),

by_origin as (
    select
        f.source, f.frequency, f.year, f.month, f.period_key, f.hs_version, b.basket,
        f.origin_iso3,
        max(b.basket_kind) as basket_kind,
        max(b.basket_version) as basket_version,
        sum(f.value_usd) as exports_to_russia_usd,
        coalesce(bool_and(f.is_reconciled), false) as is_reconciled
    from flows as f
    inner join {{ ref('int_country_baskets') }} as b
        on f.hs6 = b.hs6 and f.hs_version = b.hs_version
    where f.value_usd is not null
    group by f.source, f.frequency, f.year, f.month, f.period_key, f.hs_version, b.basket,
        f.origin_iso3
),

shares as (
    select
        o.*,
        sum(o.exports_to_russia_usd) over (
            partition by o.source, o.frequency, o.year, o.month, o.hs_version, o.basket
        ) as russia_imports_usd
    from by_origin as o
),

ranked as (
    select
        s.*,
        {{ safe_divide('s.exports_to_russia_usd', 's.russia_imports_usd') }} as supplier_share,
        rank() over (
            partition by s.source, s.frequency, s.year, s.month, s.hs_version, s.basket
            order by s.exports_to_russia_usd desc
        ) as supplier_rank,
        count(*) over (
            partition by s.source, s.frequency, s.year, s.month, s.hs_version, s.basket
        ) as origin_count
    from shares as s
),

groups as (
    select
        iso3,
        {{ group_flag('coalition') }} as is_coalition,
        {{ group_flag('transit') }} as is_transit
    from {{ ref('ref_country_group') }}
    group by iso3
)

select
    r.source as sources,
    r.frequency,
    r.year,
    r.month,
    r.hs_version,
    r.basket,
    r.basket_kind,
    r.basket_version,
    r.origin_iso3,
    coalesce(g.is_coalition, false) as origin_is_coalition,
    coalesce(g.is_transit, false) as origin_is_transit,
    r.exports_to_russia_usd,
    r.russia_imports_usd,
    r.supplier_share,
    r.supplier_rank,
    r.origin_count,
    sum(r.supplier_share * r.supplier_share) over (
        partition by r.source, r.frequency, r.year, r.month, r.hs_version, r.basket
    ) as hhi,
    p.months_covered,
    r.frequency = 'A' and p.months_covered < 12 as is_partial_year,
    '{{ var("chpl_list_version") }}' as chpl_list_version,
    '{{ var("coalition_group_version") }}' as coalition_group_version,
    '{{ var("transit_group_version") }}' as transit_group_version,
    -- Shares of every origin only where the source reconciles all flows (BACI); elsewhere of the
    -- origins that declared to the source (Comext: EU members only), which the report says.
    case when bool_and(r.is_reconciled) over (
             partition by r.source, r.frequency, r.year, r.month, r.hs_version, r.basket)
         then 'every_origin' else 'declaring_origins' end as origin_coverage,
    {{ synthetic_flag('r.source', 'r.year') }} as is_synthetic
from ranked as r
left join groups as g on r.origin_iso3 = g.iso3
left join {{ ref('int_metric_source_periods') }} as p
    on r.source = p.source and r.frequency = p.frequency and r.period_key = p.period_key
    and r.hs_version = p.hs_version
