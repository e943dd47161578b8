-- One row per year, exporter, importer and HS6 as BACI publishes it; value in USD (v * 1000).
-- Every BACI version of a year is kept: each is a vintage (int_trade_flows_baci marks the newest
-- as the default series, fct_trade_revisions shows what it revised). A yearly CSV and a release
-- zip of the same version hold the same rows twice: of one version, the loose CSV is kept.
-- `unioned` is read twice (the origins chosen, then the rows): left to itself DuckDB would
-- compute it once, every row of every year, and a filter on the year (a build of one year of
-- fct_trade_flows) would no longer reach the raw tables' scans.
with unioned as {{ not_materialized() }} (
    select
        t, i, j, k, v, q, hs_revision, baci_version, 1 as origin_rank,
        cast(null as string) as source_member, source_file, source_line
    from {{ source('baci', 'trade') }}
    union all
    select
        t, i, j, k, v, q, hs_revision, baci_version, 2 as origin_rank,
        source_member, source_file, source_line
    from {{ source('baci', 'release_trade') }}
),

chosen as (
    select hs_revision, t, baci_version, origin_rank
    from (
        select
            hs_revision, t, baci_version, origin_rank,
            row_number() over (
                partition by hs_revision, t, baci_version order by origin_rank nulls last
            ) as choice
        from (select distinct hs_revision, t, baci_version, origin_rank from unioned) as d
    ) as ranked
    where choice = 1
)

select
    u.t as year,
    u.i as exporter_baci_code,
    u.j as importer_baci_code,
    u.k as hs6,
    {{ baci_hs_version('u.hs_revision') }} as hs_version,
    u.v as value_kusd,
    u.v * 1000 as value_usd,
    u.q as quantity_tonnes,
    u.baci_version,
    u.source_file,
    u.source_member,
    u.source_line
from unioned as u
inner join chosen as c
    on u.hs_revision = c.hs_revision and u.t = c.t
    and u.baci_version = c.baci_version and u.origin_rank = c.origin_rank
