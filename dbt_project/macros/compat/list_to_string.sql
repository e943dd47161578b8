{#- The elements of a list joined by separator (a SQL string literal), NULL elements left out
    on both engines. -#}
{% macro list_to_string(list, separator) -%}
    {%- if var('portability_lint', false) -%}{{ compat_lint('list_to_string', [list, separator]) }}
    {%- else -%}{{ adapter.dispatch('list_to_string', 'roundabout')(list, separator) }}{%- endif -%}
{%- endmacro %}

{% macro duckdb__list_to_string(list, separator) -%}
    array_to_string({{ list }}, {{ separator }})
{%- endmacro %}

{% macro spark__list_to_string(list, separator) -%}
    array_join({{ list }}, {{ separator }})
{%- endmacro %}
