{#- The earliest date among the matches of pattern (a SQL string literal with one capture group,
    the date) in text, each read in format (as try_parse_date: strptime's notation); NULL when
    none matches or none reads as a date. -#}
{% macro earliest_date_matched(text, pattern, format) -%}
    {%- if var('portability_lint', false) -%}
        {{ compat_lint('earliest_date_matched', [text, pattern, format]) }}
    {%- else -%}
        {{ adapter.dispatch('earliest_date_matched', 'roundabout')(text, pattern, format) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__earliest_date_matched(text, pattern, format) -%}
    list_min(list_transform(regexp_extract_all({{ text }}, {{ pattern }}, 1),
                            lambda d: {{ duckdb__try_parse_date('d', format) }}))
{%- endmacro %}

{% macro spark__earliest_date_matched(text, pattern, format) -%}
    array_min(transform(regexp_extract_all({{ text }}, {{ spark_regex(pattern) }}, 1),
                        d -> {{ spark__try_parse_date('d', format) }}))
{%- endmacro %}
