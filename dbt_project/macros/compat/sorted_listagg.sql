{#- The non-NULL values of expression (each value once when distinct), sorted by themselves
    (byte order on both engines), joined by separator (a SQL string literal); NULL when there
    are none. dbt's listagg drops
    its order on Spark (collect_list keeps the order rows arrive in, which a shuffle changes):
    Spark sorts the collected list instead. -#}
{% macro sorted_listagg(expression, separator, distinct=false) -%}
    {%- if var('portability_lint', false) -%}
        {{ compat_lint('sorted_listagg', [expression, separator]) }}
    {%- else -%}
        {{ adapter.dispatch('sorted_listagg', 'roundabout')(expression, separator, distinct) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__sorted_listagg(expression, separator, distinct=false) -%}
    {%- if distinct -%}
        string_agg(distinct {{ expression }}, {{ separator }} order by {{ expression }})
    {%- else -%}
        {{ dbt.listagg(expression, separator, 'order by ' ~ expression) }}
    {%- endif -%}
{%- endmacro %}

{% macro spark__sorted_listagg(expression, separator, distinct=false) -%}
    case when count({{ expression }}) > 0
         then array_join(array_sort({{ 'collect_set' if distinct else 'collect_list' }}({{ expression }})),
                         {{ separator }}) end
{%- endmacro %}
