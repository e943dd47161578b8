{# The window of trade months a partitioned run rebuilds (vars min_date, max_date: start
   included, end excluded; orchestration/partitions.py). Without them the run is the whole
   warehouse. The vars pick which partitions are rebuilt, never what a partition holds. #}
{% macro trade_window_set() -%}
    {{ return(var('min_date', none) is not none and var('max_date', none) is not none) }}
{%- endmacro %}


{# Whether the period of a trade row (a month, or a year when month is null) overlaps the
   window. #}
{% macro in_trade_window(year, month) -%}
    make_date({{ year }}, coalesce({{ month }}, 1), 1) < cast('{{ var("max_date") }}' as date)
    and make_date({{ year }}, coalesce({{ month }}, 12), 1) + interval 1 month
        > cast('{{ var("min_date") }}' as date)
{%- endmacro %}
