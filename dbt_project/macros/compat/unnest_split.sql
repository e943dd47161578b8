{#- A select-list item giving one row per piece of text between each occurrence of delimiter (a
    SQL string literal, taken literally); no row when text is NULL. DuckDB unnests the list in
    the select list; Spark explodes it there (one generator per select, not inside another
    expression: trim the pieces in an outer query). Spark's split reads its delimiter as a
    regular expression: it is quoted (\Q...\E), and -1 keeps trailing empty pieces as DuckDB
    does. -#}
{% macro unnest_split(text, delimiter) -%}
    {%- if var('portability_lint', false) -%}{{ compat_lint('unnest_split', [text, delimiter]) }}
    {%- else -%}{{ adapter.dispatch('unnest_split', 'roundabout')(text, delimiter) }}{%- endif -%}
{%- endmacro %}

{% macro duckdb__unnest_split(text, delimiter) -%}
    unnest(string_split({{ text }}, {{ delimiter }}))
{%- endmacro %}

{% macro spark__unnest_split(text, delimiter) -%}
    explode(split({{ text }}, concat('\\Q', {{ spark_literal(delimiter) }}, '\\E'), -1))
{%- endmacro %}

{#- The elements of a list, one row each: a select-list item (one per select on Spark, not
    inside another expression). -#}
{% macro unnest_list(list) -%}
    {%- if var('portability_lint', false) -%}{{ compat_lint('unnest_list', [list]) }}
    {%- else -%}{{ adapter.dispatch('unnest_list', 'roundabout')(list) }}{%- endif -%}
{%- endmacro %}

{% macro duckdb__unnest_list(list) -%}
    unnest({{ list }})
{%- endmacro %}

{% macro spark__unnest_list(list) -%}
    explode({{ list }})
{%- endmacro %}
