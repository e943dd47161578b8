-- The partitions of fct_trade_flows (source x HS edition x frequency x period) and when their
-- inputs were last loaded: the latest load of any file that feeds them.
with feeds as (
    select distinct load_partition, source, source_file from {{ ref('int_trade_flows') }}
)

select
    feeds.load_partition,
    min(feeds.source) as source,
    max(f.ingested_at) as loaded_at
from feeds
left join {{ ref('int_trade_ingested_files') }} as f on feeds.source_file = f.source_file
group by feeds.load_partition
