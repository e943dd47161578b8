{#- Written after a CTE's `as`: DuckDB inlines the CTE into each query that reads it instead
    of computing it once (so filters on it reach the scans below); Spark always inlines CTEs and
    has no such keyword. The lint sees nothing: the clause changes no value. -#}
{% macro not_materialized() -%}
    {%- if not var('portability_lint', false) -%}
        {{ adapter.dispatch('not_materialized', 'roundabout')() }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro spark__not_materialized() -%}
{%- endmacro %}
