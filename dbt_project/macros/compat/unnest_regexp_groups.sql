{#- Select-list items giving one row per match of pattern (a SQL string literal) in text, with
    one column per capture group: columns maps each output column to its group number, in the
    order they are selected. DuckDB unnests the lists of each group side by side; Spark allows
    one generator per select and zips the lists into rows of a struct (inline). -#}
{% macro unnest_regexp_groups(text, pattern, columns) -%}
    {%- if var('portability_lint', false) -%}
        {%- for column, group in columns -%}
            {{ compat_lint('unnest_regexp_groups', [text, pattern, group]) }} as {{ column }}
            {%- if not loop.last %}, {% endif -%}
        {%- endfor -%}
    {%- else -%}
        {{ adapter.dispatch('unnest_regexp_groups', 'roundabout')(text, pattern, columns) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__unnest_regexp_groups(text, pattern, columns) -%}
    {%- for column, group in columns -%}
        unnest(regexp_extract_all({{ text }}, {{ pattern }}, {{ group }})) as {{ column }}
        {%- if not loop.last %}, {% endif -%}
    {%- endfor -%}
{%- endmacro %}

{% macro spark__unnest_regexp_groups(text, pattern, columns) -%}
    inline(arrays_zip(
        {%- for column, group in columns -%}
            regexp_extract_all({{ text }}, {{ spark_literal(pattern) }}, {{ group }})
            {%- if not loop.last %}, {% endif -%}
        {%- endfor -%}
    )) as ({% for column, group in columns %}{{ column }}{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}
