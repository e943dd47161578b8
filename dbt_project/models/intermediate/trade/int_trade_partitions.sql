-- The partitions of fct_trade_flows (source x HS edition x frequency x period) and when their
-- inputs were last loaded: the latest load of any file that feeds them.
-- BACI's partitions come from its inputs' HS editions and years (int_trade_baci_files, from
-- staging) before the partition name is made, as int_trade_flows_baci names them: reading
-- int_trade_flows_baci instead would rank every BACI row of every year (its is_latest_vintage)
-- in every run, to keep three columns of a few distinct values. fct_trade_flows' test
-- trade_partitions_current compares these partitions with the rows built.
with feeds as (
    select
        {{ trade_load_partition("'baci'", 'hs_version', "'A'", 'year', 'null') }}
            as load_partition,
        'baci' as source,
        year,
        source_file
    from {{ ref('int_trade_baci_files') }}
    union
    select distinct load_partition, source, year, source_file
    from {{ ref('int_trade_flows_reported') }}
)

select
    feeds.load_partition,
    min(feeds.source) as source,
    -- one year per partition (a year or a month of it): what fct_trade_flows filters on first
    min(feeds.year) as year,
    max(f.ingested_at) as loaded_at
from feeds
left join {{ ref('int_trade_ingested_files') }} as f on feeds.source_file = f.source_file
group by feeds.load_partition
