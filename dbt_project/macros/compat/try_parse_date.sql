{#- text read as a date in format (a SQL string literal in strptime's notation: %Y %m %d %b),
    NULL when it does not fit. Spark spells formats as java.time patterns; under ANSI mode its
    to_date fails on a bad value, try_to_date gives NULL as DuckDB's try_strptime does. -#}
{% macro try_parse_date(text, format) -%}
    {%- if var('portability_lint', false) -%}{{ compat_lint('try_parse_date', [text, format]) }}
    {%- else -%}{{ adapter.dispatch('try_parse_date', 'roundabout')(text, format) }}{%- endif -%}
{%- endmacro %}

{% macro duckdb__try_parse_date(text, format) -%}
    cast(try_strptime({{ text }}, {{ format }}) as date)
{%- endmacro %}

{% macro spark__try_parse_date(text, format) -%}
    {#- Single-letter d accepts the day with or without its leading zero, as %d does. -#}
    {%- set java = {'%Y': 'yyyy', '%m': 'MM', '%d': 'd', '%b': 'MMM'} -%}
    {%- set pattern = namespace(text=format) -%}
    {%- for directive, letters in java.items() -%}
        {%- set pattern.text = pattern.text | replace(directive, letters) -%}
    {%- endfor -%}
    {%- if '%' in pattern.text -%}
        {{ exceptions.raise_compiler_error(
            "try_parse_date: no Spark pattern for the format " ~ format) }}
    {%- endif -%}
    try_to_date({{ text }}, {{ pattern.text }})
{%- endmacro %}
