{{ config(
    materialized='incremental',
    incremental_strategy=partition_replace_strategy(),
    unique_key='load_partition',
    build_stamp='built_at',
    partition_by=partition_replace_columns(['load_partition']),
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_trade_partitions_without_input() }}",
) }}
-- All trade flows in one shape (BACI, Comtrade, Comext, national offices), each row traceable
-- to its file and line, at the precision it was published (product_level, product_code) and in
-- every vintage loaded (vintage; is_latest_vintage marks the default series, in_hs6_rollup the
-- rows that make up the exact HS6 figures the metrics read). Built incrementally by partition
-- (source x HS edition x frequency x period, int_trade_partitions) with dbt's delete+insert
-- keyed on load_partition, each row written once (macros/materializations/incremental.sql; on
-- Spark, an insert_overwrite of the table's load_partition partitions:
-- macros/compat/partition_replace.sql): a run selects the partitions the table
-- lacks or whose input files were (re)loaded since they were built, and dbt replaces those
-- partitions whole; adding one month or one year rebuilds only the partitions it feeds. The
-- pre-hook drops partitions no input holds any more. After a change to this SQL or anything
-- upstream (a model, macro or seed), the run finds the table state:modified+ against the
-- manifest kept with the published warehouse and builds it with --full-refresh
-- (orchestration/dbt_state.py, docs/metrics.md "Incremental build").
-- A partitioned run (vars min_date, max_date) rebuilds every partition whose period overlaps
-- its window, changed or not, and no other (macros/trade_window.sql).
-- depends_on: {{ ref('int_trade_ingested_files') }}
{#- The partitions this build writes: those the table lacks, or whose input files were
    (re)loaded since they were built; every partition when the table is built whole. The built
    table is read once, grouped by partition and file (a scan of two columns): compared row by
    row with correlated subqueries it cost several times one year's build at seven BACI years. -#}
{%- set changed_sql -%}
    with built_files as (
        select load_partition, source_file, min(loaded_at) as oldest, max(loaded_at) as newest
        from {{ this }}
        group by load_partition, source_file
    ),

    built as (
        select load_partition, max(newest) as loaded_at from built_files group by load_partition
    )

    select p.load_partition, p.year
    from {{ ref('int_trade_partitions') }} as p
    left join built as b on p.load_partition = b.load_partition
    -- a partition the table lacks
    where b.load_partition is null
       -- a file feeding the partition was loaded after the partition was built
       or p.loaded_at > b.loaded_at
       -- a file the partition was built from was loaded again since (it may feed it no more)
       or p.load_partition in (
           select bf.load_partition
           from built_files as bf
           inner join {{ ref('int_trade_ingested_files') }} as f
               on bf.source_file = f.source_file
           where f.ingested_at > bf.oldest
       )
    order by p.load_partition
{%- endset -%}
{#- Asked once, before the build, and written into the SQL as constants: the partitions keep the
    build to their rows, and their years reach the raw scans through the flows' views (year is
    in every ranking window's partition), so adding a year ranks that year's rows only, not
    every year's; the join on load_partition below then keeps the partitions exactly. -#}
{%- set changed = none -%}
{%- if execute and is_incremental() and not trade_window_set() -%}
    {%- set changed = run_query(changed_sql) -%}
    {%- set built_partitions = changed.columns[0].values() -%}
    {%- set built_years = changed.columns[1].values() | unique | sort | list -%}
{%- endif %}
with partitions as (
    select p.load_partition, p.year, p.loaded_at
    from {{ ref('int_trade_partitions') }} as p
    {% if changed is not none -%}
    where {% if built_partitions | length -%}
        p.load_partition in (
            {%- for partition in built_partitions %}{{ sql_string(partition) }}{{ ', ' if not loop.last }}{% endfor -%}
        )
    {%- else %}false{% endif %}
    {%- endif %}
)

select
    f.source,
    f.vintage,
    f.vintage_basis,
    f.is_latest_vintage,
    f.frequency,
    f.year,
    f.month,
    f.exporter_iso3,
    f.importer_iso3,
    f.reporter_iso3,
    f.reporter_side,
    f.reporter_code,
    f.partner_code,
    f.partner_iso3,
    f.reporter_is_group,
    f.partner_is_country,
    f.is_country_pair,
    f.flow,
    f.product_level,
    f.in_hs6_rollup,
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
    coalesce(i.is_synthetic, false) as is_synthetic,
    {{ trade_build_time() }} as built_at
from {{ ref('int_trade_flows') }} as f
inner join partitions as p on f.load_partition = p.load_partition
left join {{ ref('int_trade_ingested_files') }} as i on f.source_file = i.source_file
{% if is_incremental() and trade_window_set() %}
where {{ in_trade_window('f.year', 'f.month') }}
{% elif changed is not none %}
where {% if built_years | length %}f.year in ({{ built_years | join(', ') }}){% else %}false{% endif %}
{% endif %}
