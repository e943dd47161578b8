{#- text with every match of pattern (a SQL string literal) replaced by replacement (a SQL string
    literal taken literally: no group references, which the engines spell \1 and $1). DuckDB
    replaces the first match unless told 'g'; Spark replaces every match. -#}
{% macro regexp_replace_all(text, pattern, replacement) -%}
    {%- if '\\' in replacement or '$' in replacement -%}
        {{ exceptions.raise_compiler_error(
            "regexp_replace_all: the replacement is taken literally, without \\ or $: "
            ~ replacement) }}
    {%- endif -%}
    {%- if var('portability_lint', false) -%}
        {{ compat_lint('regexp_replace_all', [text, pattern, replacement]) }}
    {%- else -%}
        {{ adapter.dispatch('regexp_replace_all', 'roundabout')(text, pattern, replacement) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ spark_regex(pattern) }}, {{ replacement }})
{%- endmacro %}
