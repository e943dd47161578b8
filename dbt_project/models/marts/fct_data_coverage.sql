-- What became of every row of every trade file: per source and file, the rows read, loaded
-- and quarantined (raw.ingested_files), the values the staging layer holds (one per raw row;
-- Armstat's rows hold two, exports and imports), those left out by design with the reasons,
-- and those reaching fct_trade_flows, its default series and the HS6 roll-up the metric marts
-- (fct_country_exposure, fct_transit_offset, fct_russia_chpl_suppliers, fct_mirror_gaps) read.
-- values_unaccounted = values_loaded - values_excluded_by_design - values_in_fct_trade_flows
-- must be 0 (the data test below and tests/test_trade_coverage.py).
with files as (
    select
        source,
        source_file,
        max(release_date) as release_date,
        sum(row_count) as rows_loaded,
        sum(quarantined) as rows_quarantined,
        max(ingested_at) as ingested_at
    from {{ source('ingest', 'ingested_files') }}
    where source in ('baci', 'baci_release', 'baci_extract', 'comext', 'comtrade', 'armstat',
                     'national_yearly')
      -- a release zip also loads its code tables, which hold no flows
      and (source <> 'baci_release' or raw_table like '%trade')
    group by source, source_file
),

reported as (
    select source_file, excluded_reason from {{ ref('int_trade_flows_comtrade') }}
    union all
    select source_file, excluded_reason from {{ ref('int_trade_flows_comext') }}
    union all
    select source_file, excluded_reason from {{ ref('int_trade_flows_national') }}
),

-- BACI: staging keeps every version (a vintage each), and of one version the loose CSV before
-- the zip (the same rows twice): a zip's years that a loose CSV of its version also holds are
-- excluded, counted per file as the rows loaded that staging does not hold.
baci_kept as (
    select source_file, count(*) as n from {{ ref('stg_baci__trade') }} group by source_file
    union all
    select source_file, count(*) from {{ ref('stg_baci__extract_trade') }} group by source_file
),

baci as (
    select
        f.source_file,
        f.rows_loaded as values_loaded,
        f.rows_loaded - coalesce(k.n, 0) as values_excluded,
        case when f.rows_loaded > coalesce(k.n, 0)
            then 'years a loose CSV of the same BACI version also holds'
        end as reasons
    from files as f
    left join baci_kept as k on f.source_file = k.source_file
    where f.source in ('baci', 'baci_release', 'baci_extract')
),

staged as (
    select
        source_file,
        count(*) as values_loaded,
        count(excluded_reason) as values_excluded,
        {{ sorted_listagg('excluded_reason', "'; '", distinct=true) }} as reasons
    from reported
    group by source_file
    union all
    select source_file, values_loaded, values_excluded, reasons from baci
),

reason_counts as (
    select
        source_file,
        {{ ordered_listagg("excluded_reason || ': ' || cast(n as string)", "'; '",
                           ['excluded_reason']) }} as exclusion_reasons
    from (
        select source_file, excluded_reason, count(*) as n
        from reported
        where excluded_reason is not null
        group by source_file, excluded_reason
    ) as counted
    group by source_file
),

in_fct as (
    select
        source_file,
        sum(source_row_count) as values_in_fct_trade_flows,
        sum(case when is_latest_vintage then source_row_count else 0 end)
            as values_in_default_series,
        sum(case when in_hs6_rollup then source_row_count else 0 end) as values_in_hs6_rollup,
        sum(case when in_hs6_rollup and is_country_pair then source_row_count else 0 end)
            as values_in_country_metrics,
        sum(case when not partner_is_country then source_row_count else 0 end)
            as values_with_non_country_partner,
        sum(case when reporter_is_group then source_row_count else 0 end)
            as values_of_group_reporters
    from {{ ref('fct_trade_flows') }}
    group by source_file
)

select
    f.source,
    f.source_file,
    f.release_date,
    f.ingested_at,
    f.rows_loaded + f.rows_quarantined as rows_read,
    f.rows_loaded,
    f.rows_quarantined,
    case when f.source = 'armstat' then 2 else 1 end as values_per_row,
    coalesce(s.values_loaded, 0) as values_loaded,
    coalesce(s.values_excluded, 0) as values_excluded_by_design,
    coalesce(r.exclusion_reasons, b.reasons) as exclusion_reasons,
    coalesce(i.values_in_fct_trade_flows, 0) as values_in_fct_trade_flows,
    coalesce(i.values_in_default_series, 0) as values_in_default_series,
    coalesce(i.values_in_hs6_rollup, 0) as values_in_hs6_rollup,
    coalesce(i.values_in_country_metrics, 0) as values_in_country_metrics,
    coalesce(i.values_with_non_country_partner, 0) as values_with_non_country_partner,
    coalesce(i.values_of_group_reporters, 0) as values_of_group_reporters,
    coalesce(s.values_loaded, 0) - coalesce(s.values_excluded, 0)
        - coalesce(i.values_in_fct_trade_flows, 0) as values_unaccounted
from files as f
left join staged as s on f.source_file = s.source_file
left join reason_counts as r on f.source_file = r.source_file
left join baci as b on f.source_file = b.source_file
left join in_fct as i on f.source_file = i.source_file
