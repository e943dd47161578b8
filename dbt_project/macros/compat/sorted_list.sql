{#- Lists, sorted ascending with NULLs last on both engines (DuckDB's list_sort and Spark's
    array_sort both put NULLs last by default). sorted_distinct_list: the aggregate of the
    distinct non-NULL values of expression as a sorted list. -#}
{% macro sorted_list(list) -%}
    {%- if var('portability_lint', false) -%}{{ compat_lint('sorted_list', [list]) }}
    {%- else -%}{{ adapter.dispatch('sorted_list', 'roundabout')(list) }}{%- endif -%}
{%- endmacro %}

{% macro duckdb__sorted_list(list) -%}
    list_sort({{ list }})
{%- endmacro %}

{% macro spark__sorted_list(list) -%}
    array_sort({{ list }})
{%- endmacro %}

{% macro sorted_distinct_list(expression) -%}
    {%- if var('portability_lint', false) -%}{{ compat_lint('sorted_distinct_list', [expression]) }}
    {%- else -%}{{ adapter.dispatch('sorted_distinct_list', 'roundabout')(expression) }}{%- endif -%}
{%- endmacro %}

{% macro duckdb__sorted_distinct_list(expression) -%}
    list_sort(list(distinct {{ expression }}))
{%- endmacro %}

{% macro spark__sorted_distinct_list(expression) -%}
    array_sort(collect_set({{ expression }}))
{%- endmacro %}
