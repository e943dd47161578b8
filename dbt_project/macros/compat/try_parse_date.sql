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
    {#- A day set apart (%d %b %Y) is single-letter d, which reads it with or without its
        leading zero as %d does; a day next to another number (%Y%m%d) is dd, two digits, or
        Java cannot tell where the numbers end. -#}
    {%- set pattern = namespace(text=format | replace('%Y', 'yyyy') | replace('%m', 'MM')
                                            | replace('%b', 'MMM')) -%}
    {%- for joined in ['yyyy%d', 'MM%d', '%dyyyy', '%dMM'] -%}
        {%- set pattern.text = pattern.text | replace(joined, joined | replace('%d', 'dd')) -%}
    {%- endfor -%}
    {%- set pattern.text = pattern.text | replace('%d', 'd') -%}
    {%- if '%' in pattern.text -%}
        {{ exceptions.raise_compiler_error(
            "try_parse_date: no Spark pattern for the format " ~ format) }}
    {%- endif -%}
    try_to_date({{ text }}, {{ pattern.text }})
{%- endmacro %}
