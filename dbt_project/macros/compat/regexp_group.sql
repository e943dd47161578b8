{#- The text of capture group `group` of the first match of pattern (a SQL string literal) in
    text; '' when nothing matches or the group took no part, on both engines. The pattern is
    written as DuckDB reads its literals (a backslash is itself); Spark's literal doubles it. -#}
{% macro regexp_group(text, pattern, group) -%}
    {%- if var('portability_lint', false) -%}{{ compat_lint('regexp_group', [text, pattern, group]) }}
    {%- else -%}{{ adapter.dispatch('regexp_group', 'roundabout')(text, pattern, group) }}{%- endif -%}
{%- endmacro %}

{% macro duckdb__regexp_group(text, pattern, group) -%}
    regexp_extract({{ text }}, {{ pattern }}, {{ group }})
{%- endmacro %}

{% macro spark__regexp_group(text, pattern, group) -%}
    regexp_extract({{ text }}, {{ spark_regex(pattern) }}, {{ group }})
{%- endmacro %}
