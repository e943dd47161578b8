{# The unit fct_trade_flows is rebuilt by: one source, HS edition, frequency and period
   ('baci/HS2017/A/2022', 'comext/HS2022/M/2022-01', 'armstat/TOTAL/M/2024-02'). #}
{% macro trade_load_partition(source, hs_version, frequency, year, month) -%}
    {{ source }} || '/' || coalesce({{ hs_version }}, 'TOTAL') || '/' || {{ frequency }} || '/'
    || cast({{ year }} as string)
    || coalesce('-' || lpad(cast({{ month }} as string), 2, '0'), '')
{%- endmacro %}


{# Pre-hook of fct_trade_flows: delete the partitions that no input holds any more. The model's
   replacement by partition (macros/compat/partition_replace.sql) rewrites the partitions it
   selects; a partition with no input left has no rows
   to select, so it is removed here. #}
{% macro delete_trade_partitions_without_input() -%}
    {%- if is_incremental() -%}
        {{ drop_partitions_not_in(this, 'load_partition', ref('int_trade_partitions')) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{# fct_trade_flows holds exactly the partitions its inputs have, each built from the inputs'
   latest load: a partition missing, left over, or older than its files fails. #}
{% test trade_partitions_current(model, partitions) %}
with built as (
    select load_partition, min(loaded_at) as oldest, max(loaded_at) as newest
    from {{ model }}
    group by load_partition
)

select
    coalesce(b.load_partition, p.load_partition) as load_partition,
    b.oldest,
    b.newest,
    p.loaded_at
from built as b
full outer join {{ partitions }} as p on b.load_partition = p.load_partition
where b.load_partition is null
   or p.load_partition is null
   or b.oldest <> p.loaded_at
   or b.newest <> p.loaded_at
{% endtest %}


{# When this dbt invocation started: fct_trade_flows stamps the partitions it writes with it
   (built_at), and its tests read those rows only (macro written_this_build). #}
{% macro trade_build_time() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}


{# The rows this dbt invocation wrote: `column` (the model's build stamp) holds its start time.
   One condition for the incremental materialisation's delete of replaced rows and for the data
   tests' `this_build` (macro get_where_subquery), which must agree on what a new row is. #}
{% macro written_this_build(column='built_at') -%}
    {{ column }} = {{ trade_build_time() }}
{%- endmacro %}


{# Rows `a` and `b` are of one BACI cell (HS edition, year, exporter, importer, HS6); a code
   BACI did not map is NULL and still one cell, as in a window's partition. #}
{% macro baci_cell_match(a, b) -%}
    {{ a }}.year = {{ b }}.year
    and {{ a }}.hs_version is not distinct from {{ b }}.hs_version
    and {{ a }}.exporter_iso3 is not distinct from {{ b }}.exporter_iso3
    and {{ a }}.importer_iso3 is not distinct from {{ b }}.importer_iso3
    and {{ a }}.hs6 is not distinct from {{ b }}.hs6
{%- endmacro %}
