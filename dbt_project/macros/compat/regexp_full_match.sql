{#- Whether the whole of text matches a regular expression (pattern: a SQL string literal).
    Spark has no regexp_full_match: rlike finds the pattern anywhere, so it is anchored, with
    \z rather than $ (which in Java also matches before a final line break). -#}
{% macro regexp_full_match(text, pattern) -%}
    {%- if var('portability_lint', false) -%}{{ compat_lint('regexp_full_match', [text, pattern]) }}
    {%- else -%}{{ adapter.dispatch('regexp_full_match', 'roundabout')(text, pattern) }}{%- endif -%}
{%- endmacro %}

{% macro duckdb__regexp_full_match(text, pattern) -%}
    regexp_full_match({{ text }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regexp_full_match(text, pattern) -%}
    ({{ text }} rlike concat('^(?:', {{ spark_literal(pattern) }}, ')\\z'))
{%- endmacro %}
