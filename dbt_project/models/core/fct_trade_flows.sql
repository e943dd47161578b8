{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='load_partition',
    on_schema_change='sync_all_columns',
    pre_hook="{{ invalidate_trade_partitions() }}",
) }}
-- All trade flows in one shape (BACI, Comtrade, Comext, national offices), each row traceable
-- to its file and line. Built incrementally by partition (source x HS edition x frequency x
-- period): the pre-hook deletes the partitions whose input files were (re)loaded since they
-- were built, and this select inserts every partition the table does not hold, so adding one
-- month or one year rebuilds only the partitions that month or year feeds.
-- depends_on: {{ ref('int_trade_ingested_files') }}
select
    f.source,
    f.frequency,
    f.year,
    f.month,
    f.exporter_iso3,
    f.importer_iso3,
    f.reporter_iso3,
    f.reporter_side,
    f.flow,
    f.hs6,
    f.hs_version,
    f.hs_version_inferred,
    f.product_code,
    f.product_code_digits,
    f.product_code_count,
    f.value_usd,
    f.value_eur,
    f.usd_per_eur,
    f.valuation,
    f.quantity,
    f.quantity_unit,
    f.net_weight_kg,
    f.source_version,
    f.source_table,
    f.source_file,
    f.source_member,
    f.source_line,
    f.source_lines,
    f.source_row_count,
    f.load_partition,
    p.loaded_at,
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp) as built_at,
    '{{ trade_flows_signature() }}' as build_signature
from {{ ref('int_trade_flows') }} as f
inner join {{ ref('int_trade_partitions') }} as p on f.load_partition = p.load_partition
{% if is_incremental() and 'load_partition' in adapter.get_columns_in_relation(this)
                                  | map(attribute='name') | list %}
where not exists (
    select 1 from {{ this }} as built where built.load_partition = f.load_partition
)
{% endif %}
