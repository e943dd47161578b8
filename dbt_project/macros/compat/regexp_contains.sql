{#- Whether pattern (a SQL string literal, RE2's notation) matches anywhere in text. Unicode
    scripts and categories, POSIX classes and \b as RE2 reads them (spark_regex). -#}
{% macro regexp_contains(text, pattern) -%}
    {%- if var('portability_lint', false) -%}{{ compat_lint('regexp_contains', [text, pattern]) }}
    {%- else -%}{{ adapter.dispatch('regexp_contains', 'roundabout')(text, pattern) }}{%- endif -%}
{%- endmacro %}

{% macro duckdb__regexp_contains(text, pattern) -%}
    regexp_matches({{ text }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regexp_contains(text, pattern) -%}
    ({{ text }} rlike {{ spark_regex(pattern) }})
{%- endmacro %}
