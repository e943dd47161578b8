{# The unit fct_trade_flows is rebuilt by: one source, HS edition, frequency and period
   ('baci/HS2017/A/2022', 'comext/HS2022/M/2022-01', 'armstat/TOTAL/M/2024-02'). #}
{% macro trade_load_partition(source, hs_version, frequency, year, month) -%}
    {{ source }} || '/' || coalesce({{ hs_version }}, 'TOTAL') || '/' || {{ frequency }} || '/'
    || cast({{ year }} as string)
    || coalesce('-' || lpad(cast({{ month }} as string), 2, '0'), '')
{%- endmacro %}


{# Pre-hook of fct_trade_flows: delete the partitions that no input holds any more. The model's
   delete+insert replaces the partitions it selects; a partition with no input left has no rows
   to select, so it is removed here. #}
{% macro delete_trade_partitions_without_input() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where load_partition not in (select load_partition from {{ ref('int_trade_partitions') }})
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
