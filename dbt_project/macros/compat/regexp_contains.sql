{#- Whether pattern (a SQL string literal) matches anywhere in text. Unicode scripts and
    categories are written as RE2 spells them (\p{Cyrillic}, \p{P}); Java wants the prefix Is
    for a script (\p{IsCyrillic}), which it also accepts for a category, so each \p{Name}
    becomes \p{IsName} on Spark. -#}
{% macro regexp_contains(text, pattern) -%}
    {%- if var('portability_lint', false) -%}{{ compat_lint('regexp_contains', [text, pattern]) }}
    {%- else -%}{{ adapter.dispatch('regexp_contains', 'roundabout')(text, pattern) }}{%- endif -%}
{%- endmacro %}

{% macro duckdb__regexp_contains(text, pattern) -%}
    regexp_matches({{ text }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regexp_contains(text, pattern) -%}
    ({{ text }} rlike {{ spark_literal(pattern | replace('\\p{', '\\p{Is')) }})
{%- endmacro %}
